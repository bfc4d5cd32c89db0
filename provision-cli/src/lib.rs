//! # provision-cli
//!
//! The `provision` command: what an operator runs from a shell or cron, and what a
//! billing system in any language calls. It reads one configuration (the TOML of
//! servers and products of [`provision::core::config::Config`]) and one ledger (an
//! SQLite file, or PostgreSQL with the `postgres` feature), and every order goes
//! through the ledger's [`provision::core::cycle::BillingCycle`]: a repeated `create`
//! returns the same account, never a second one.
//!
//! ```no_run
//! use clap::Parser;
//! use provision_cli::{run, Cli};
//!
//! # async fn example() {
//! let cli = Cli::parse_from(["provision", "--config", "provision.toml", "check"]);
//! let code = run(cli).await;
//! std::process::exit(code);
//! # }
//! ```
//!
//! The binary's `--help` lists every command with examples; `--output json` makes
//! every command print one JSON document; the exit codes are those of [`ExitCode`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod commands;
pub mod context;
pub mod delivery;
pub mod error;
pub mod mock;
pub mod operations;
pub mod output;
pub mod serve;
pub mod views;

pub use cli::{Cli, Command};
pub use error::{CliError, ExitCode};

/// Runs one command line and returns the process's exit code; the command's result
/// (or its error) is printed on the way, in the chosen output format.
pub async fn run(cli: Cli) -> i32 {
    let format = cli.output;
    match commands::dispatch(cli).await {
        Ok(()) => ExitCode::Success.code(),
        Err(error) => {
            if !matches!(error, CliError::Reported(_)) {
                output::print_error(format, &error);
            }
            error.exit_code().code()
        }
    }
}
