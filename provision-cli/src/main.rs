//! The `provision` binary; everything it does is in the library (`provision_cli`).
#![forbid(unsafe_code)]

use clap::error::ErrorKind;
use clap::Parser;
use provision_cli::cli::OutputFormat;
use provision_cli::{CliError, ExitCode};

/// Whether the arguments ask for JSON output, read without clap (which refused them).
fn asks_for_json(args: &[String]) -> bool {
    args.windows(2)
        .any(|w| (w[0] == "--output" || w[0] == "-o") && w[1] == "json")
        || args.iter().any(|a| a == "--output=json" || a == "-ojson")
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cli = match provision_cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        // A wrong command line under --output json is still one JSON document.
        Err(e)
            if asks_for_json(&args)
                && !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) =>
        {
            let error = CliError::Usage(e.render().to_string().trim().to_string());
            provision_cli::output::print_error(OutputFormat::Json, &error);
            std::process::exit(ExitCode::Usage.code());
        }
        Err(e) => e.exit(),
    };
    let serving =
        matches!(&cli.command, provision_cli::Command::Serve(args) if args.command.is_none());
    provision_cli::output::init_logging(cli.verbose, serving);
    std::process::exit(provision_cli::run(cli).await);
}
