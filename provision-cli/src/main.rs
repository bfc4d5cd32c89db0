//! The `provision` binary; everything it does is in the library (`provision_cli`).
#![forbid(unsafe_code)]

use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = provision_cli::Cli::parse();
    provision_cli::output::init_logging(cli.verbose);
    std::process::exit(provision_cli::run(cli).await);
}
