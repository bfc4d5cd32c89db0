//! The examples' check of an operation the provider must refuse.

use provision::core::Error;

/// Prints why `what` was refused; an error (so the example fails) if it was carried out.
pub fn refused(
    what: &str,
    answer: Result<(), Error>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match answer {
        Ok(()) => Err(format!("{what} was carried out").into()),
        Err(e) => {
            println!("refused, {what}: {e}");
            Ok(())
        }
    }
}
