//! E-mail addresses, checked once for every backend.
//!
//! The syntax is RFC 5322's as the `email_address` crate reads it, without display
//! names (`Al <a@b.example>`) and without domain literals (`a@[192.0.2.1]`). On top of
//! that the domain must be a host name that mail can reach: at least two labels of
//! letters, digits and inner hyphens. RFC 5322 alone lets a domain hold `&`, `=` or `?`
//! (`x@y.z&quota=none`), which no mail host has and a form field should never carry.
//!
//! ```
//! use provision_core::email::check_email;
//!
//! assert_eq!(check_email(" Ann@Example.com ").unwrap(), "Ann@Example.com");
//! assert!(check_email("x@y.z&quota=none").is_err());
//! ```

use email_address::{EmailAddress, Options};

/// Why an e-mail address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("e-mail address {address:?} is not valid: {reason}")]
pub struct EmailError {
    /// The address as given.
    pub address: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks an e-mail address and returns it without surrounding white space.
pub fn check_email(address: &str) -> Result<String, EmailError> {
    let refuse = |reason: String| EmailError {
        address: address.to_owned(),
        reason,
    };
    let trimmed = address.trim();
    let options = Options::default()
        .without_display_text()
        .without_domain_literal();
    let parsed =
        EmailAddress::parse_with_options(trimmed, options).map_err(|e| refuse(e.to_string()))?;
    let domain = parsed.domain();
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(refuse(format!("domain {domain:?} has no dot")));
    }
    for label in labels {
        let host_label = !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !host_label {
            return Err(refuse(format!(
                "domain label {label:?} is not a host name (letters, digits, inner hyphens)"
            )));
        }
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_addresses_pass_and_are_trimmed() {
        for address in [
            "ann@example.com",
            "a+tag@ex-ample.co.uk",
            "o'brien@example.org",
            "jörg@bücher.de",
            "\"a b\"@example.com",
        ] {
            assert_eq!(check_email(address).as_deref(), Ok(address), "{address}");
        }
        assert_eq!(
            check_email("  ann@example.com\t").unwrap(),
            "ann@example.com"
        );
    }

    #[test]
    fn what_no_mail_host_takes_is_refused_with_the_reason() {
        for address in [
            "x@y.z&quota=none",
            "a@b_c.com",
            "a@localhost",
            "a@-b.com",
            "a@b-.com",
            "a@b..c",
            "Al <a@b.com>",
            "a@[192.0.2.1]",
            "a b@c.com",
            "a@b.com\nBcc: c@d.com",
            "",
            "@example.com",
            "ann@",
        ] {
            let error = check_email(address).unwrap_err();
            assert_eq!(error.address, address);
            assert!(!error.reason.is_empty(), "{address}");
        }
        let error = check_email("x@y.z&quota=none").unwrap_err();
        assert!(error.reason.contains("z&quota=none"), "{error}");
    }
}
