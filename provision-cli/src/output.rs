//! Printing results: lines for people, or one JSON document for programs; logs on
//! standard error.

use std::io::Write;

use serde::Serialize;
use serde_json::json;

use crate::cli::OutputFormat;
use crate::error::CliError;

/// Sets up the log lines on standard error: warnings by default, more with `-v`, or
/// what `RUST_LOG` says; as JSON lines when `json` (the HTTP service, whose request
/// lines go to a log collector, logs at info by default). Secrets never reach them
/// (the library keeps them redacted; the service never logs a header or a body).
pub fn init_logging(verbose: u8, json: bool) {
    let default = match (verbose, json) {
        (0, false) => "warn",
        (0, true) | (1, _) => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().with_current_span(true).try_init()
    } else {
        builder.try_init()
    };
}

/// Prints a command's result: `text` (already formatted lines) for people, or the
/// JSON document `value` for programs.
pub fn print<T: Serialize>(format: OutputFormat, value: &T, text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Text => {
            out.write_all(text.as_bytes())?;
            if !text.is_empty() && !text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, value)
                .map_err(|e| CliError::Io(std::io::Error::other(e)))?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The JSON form of an error: `{"error": {"kind", "message", "server_code",
/// "server_message", "exit_code"}}`.
pub fn error_json(error: &CliError) -> serde_json::Value {
    let (server_code, server_message) = match error {
        CliError::Provision(e) => (e.server_code(), e.server_message()),
        _ => (None, None),
    };
    json!({
        "error": {
            "kind": error.kind_name(),
            "message": error.to_string(),
            "server_code": server_code,
            "server_message": server_message,
            "exit_code": error.exit_code().code(),
        }
    })
}

/// Prints an error: on standard error for people; as the command's one JSON document
/// on standard output for programs.
pub fn print_error(format: OutputFormat, error: &CliError) {
    match format {
        OutputFormat::Text => eprintln!("provision: {error}"),
        OutputFormat::Json => {
            let text = serde_json::to_string_pretty(&error_json(error)).unwrap_or_default();
            println!("{text}");
        }
    }
}
