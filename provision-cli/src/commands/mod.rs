//! One function per command; each prints its result and returns.

pub(crate) mod orders;
pub(crate) mod servers;
pub(crate) mod sweep;

use clap::CommandFactory;

use crate::cli::{Cli, Command};
use crate::error::CliResult;

/// Runs the command `cli` names.
pub async fn dispatch(cli: Cli) -> CliResult<()> {
    match &cli.command {
        Command::Check { server } => servers::check(&cli, server.as_deref()).await,
        Command::Groups { server } => servers::groups(&cli, server).await,
        Command::Create(args) => orders::create(&cli, args).await,
        Command::Adopt(args) => orders::adopt(&cli, args).await,
        Command::Suspend(order) => orders::suspend(&cli, order).await,
        Command::Unsuspend(order) => orders::unsuspend(&cli, order).await,
        Command::Terminate(order) => orders::terminate(&cli, order).await,
        Command::Password(order) => orders::password(&cli, order).await,
        Command::ChangePlan(args) => orders::change_plan(&cli, args).await,
        Command::Usage(service) => orders::usage(&cli, service).await,
        Command::History(args) => orders::history(&cli, args).await,
        Command::Sweep { server } => sweep::sweep(&cli, server.as_deref()).await,
        Command::Recover => sweep::recover(&cli).await,
        Command::Actions(command) => sweep::actions(&cli, command).await,
        Command::Policy(command) => orders::policy(&cli, command).await,
        Command::Mock(args) => Ok(crate::mock::run(args).await?),
        Command::Serve(args) => crate::serve::command(&cli, args).await,
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(*shell, &mut command, "provision", &mut std::io::stdout());
            Ok(())
        }
    }
}
