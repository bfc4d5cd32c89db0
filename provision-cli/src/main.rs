//! The `provision` binary; everything it does is in the library (`provision_cli`).
#![forbid(unsafe_code)]

use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = provision_cli::Cli::parse();
    let serving =
        matches!(&cli.command, provision_cli::Command::Serve(args) if args.command.is_none());
    provision_cli::output::init_logging(cli.verbose, serving);
    std::process::exit(provision_cli::run(cli).await);
}
