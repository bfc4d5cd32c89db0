//! One configuration suite for every backend's [`ProviderBuilder`]: its own keys, the
//! shared client option keys, unknown keys, the URL rules and the cleartext rule of
//! [`crate::endpoint::Endpoint`]. No request is sent; a backend's own tests add what
//! only it has (and build against its mock).
//!
//! A backend's `tests/config.rs` (here Nextcloud's; core cannot name a backend, so the
//! block is not compiled here):
//!
//! ```ignore
//! use provision_core::testkit::builder::{check_builder, BuilderCase};
//! use provision_nextcloud::NextcloudProviderBuilder;
//!
//! check_builder::<NextcloudProviderBuilder>(&BuilderCase {
//!     https_url: "https://cloud.example.com/nextcloud",
//!     sample_value: |key| match key {
//!         "page_size" => Some("200"),
//!         "ocs_version" => Some("v1"),
//!         _ => None,
//!     },
//!     bad_values: &[("page_size", "many"), ("ocs_version", "v3")],
//! });
//! ```

use std::sync::Arc;

use secrecy::SecretString;

use crate::config::ProviderBuilder;
use crate::endpoint::EndpointError;
use crate::error::{Error, ErrorKind, InputError};
use crate::http::ClientOptions;
use crate::provider::StorageProvider;

/// What the suite needs to know of a backend.
#[derive(Debug, Clone, Copy)]
pub struct BuilderCase {
    /// A remote `https://` URL the backend accepts (nothing is contacted).
    pub https_url: &'static str,
    /// A value each of the builder's [`ProviderBuilder::SETTING_KEYS`] accepts; a key
    /// added without a sample fails the suite, so every key is tried.
    pub sample_value: fn(&str) -> Option<&'static str>,
    /// Values some of its keys refuse, each refused with the key named.
    pub bad_values: &'static [(&'static str, &'static str)],
}

/// The remote host the cleartext checks use.
const REMOTE_HTTP: &str = "http://storage.example.com:8080";

fn built<B: ProviderBuilder>(
    url: &str,
    options: ClientOptions,
) -> crate::Result<Arc<dyn StorageProvider>> {
    B::new(url)
        .credentials("admin", SecretString::from("admin-password"))
        .options(options)
        .build_provider()
}

/// The key a configuration error names in its typed fields (a configuration place or
/// an input field).
fn config_place(err: &Error) -> Option<&str> {
    match err {
        Error::Input(InputError::Config(c)) => Some(&c.place),
        Error::Input(InputError::Field { field, .. }) => Some(field),
        _ => None,
    }
}

/// Runs every check; panics naming the one that failed.
pub fn check_builder<B: ProviderBuilder>(case: &BuilderCase) {
    every_setting_key_is_accepted::<B>(case);
    values_that_do_not_parse_name_their_key::<B>(case);
    unknown_keys_are_refused_by_name::<B>(case);
    the_shared_client_keys_are_taken_from_string_options::<B>(case);
    cleartext_is_refused_except_to_loopback_unless_allowed::<B>();
    urls_with_more_than_a_server_are_refused::<B>();
}

fn every_setting_key_is_accepted<B: ProviderBuilder>(case: &BuilderCase) {
    assert!(
        !B::SETTING_KEYS.is_empty(),
        "{}: no setting keys",
        B::BACKEND
    );
    for key in B::SETTING_KEYS {
        let Some(value) = (case.sample_value)(key) else {
            panic!("{}: no sample value for the key {key:?}", B::BACKEND);
        };
        let by_key = B::new(case.https_url).with_config(key, value);
        assert!(
            by_key.is_ok(),
            "{} {key}={value}: {:?}",
            B::BACKEND,
            by_key.err()
        );
        let by_url = B::from_url_opts(case.https_url, [(*key, value)]);
        assert!(
            by_url.is_ok(),
            "{} {key}={value} in options: {:?}",
            B::BACKEND,
            by_url.err()
        );
    }
}

fn values_that_do_not_parse_name_their_key<B: ProviderBuilder>(case: &BuilderCase) {
    assert!(
        !case.bad_values.is_empty(),
        "{}: no bad values to try",
        B::BACKEND
    );
    for (key, value) in case.bad_values {
        let Err(err) = B::new(case.https_url).with_config(key, value) else {
            panic!("{} {key}={value:?} was accepted", B::BACKEND);
        };
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidInput,
            "{} {key}: {err:?}",
            B::BACKEND
        );
        assert_eq!(
            config_place(&err),
            Some(*key),
            "{} {key}: {err:?}",
            B::BACKEND
        );
        assert!(err.to_string().contains(key), "{} {key}: {err}", B::BACKEND);
    }
}

fn unknown_keys_are_refused_by_name<B: ProviderBuilder>(case: &BuilderCase) {
    let Err(err) = B::new(case.https_url).with_config("no_such_key", "1") else {
        panic!("{}: an unknown key was accepted", B::BACKEND);
    };
    assert_eq!(
        config_place(&err),
        Some("no_such_key"),
        "{}: {err:?}",
        B::BACKEND
    );
    assert!(
        err.to_string().contains("no_such_key"),
        "{}: {err}",
        B::BACKEND
    );
    let Err(err) = B::from_url_opts(case.https_url, [("user", "admin"), ("timeuot", "5s")]) else {
        panic!("{}: a misspelt option was accepted", B::BACKEND);
    };
    assert!(err.to_string().contains("timeuot"), "{}: {err}", B::BACKEND);
}

fn the_shared_client_keys_are_taken_from_string_options<B: ProviderBuilder>(case: &BuilderCase) {
    let keys = [
        ("timeout", "5s"),
        ("connect_timeout", "2s"),
        ("max_retries", "1"),
        ("tls_insecure", "false"),
    ];
    let builder = B::from_url_opts(case.https_url, keys);
    assert!(builder.is_ok(), "{}: {:?}", B::BACKEND, builder.err());
    let Err(err) = B::from_url_opts(case.https_url, [("max_retries", "many")]) else {
        panic!("{}: max_retries=many was accepted", B::BACKEND);
    };
    assert!(
        err.to_string().contains("max_retries"),
        "{}: {err}",
        B::BACKEND
    );
}

fn cleartext_is_refused_except_to_loopback_unless_allowed<B: ProviderBuilder>() {
    let Err(err) = built::<B>(REMOTE_HTTP, ClientOptions::default()) else {
        panic!("{}: cleartext to a remote host was accepted", B::BACKEND);
    };
    assert!(
        matches!(&err, Error::Input(InputError::Endpoint(EndpointError::Cleartext { host }))
            if host == "storage.example.com"),
        "{}: {err:?}",
        B::BACKEND
    );
    assert!(
        err.to_string().contains("allow_insecure_http"),
        "{}: {err}",
        B::BACKEND
    );
    let allowed = ClientOptions::default().with_allow_insecure_http(true);
    let built_allowed = built::<B>(REMOTE_HTTP, allowed);
    assert!(
        built_allowed.is_ok(),
        "{}: {:?}",
        B::BACKEND,
        built_allowed.err()
    );
    for loopback in [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:8080",
    ] {
        let built = built::<B>(loopback, ClientOptions::default());
        assert!(
            built.is_ok(),
            "{} {loopback}: {:?}",
            B::BACKEND,
            built.err()
        );
    }
    // The same switch as a string option.
    let by_key = |allow: &str| {
        B::from_url_opts(REMOTE_HTTP, [("allow_insecure_http", allow)]).and_then(|b| {
            b.credentials("admin", SecretString::from("admin-password"))
                .build_provider()
        })
    };
    assert!(by_key("false").is_err(), "{}", B::BACKEND);
    assert!(
        by_key("true").is_ok(),
        "{}: {:?}",
        B::BACKEND,
        by_key("true").err()
    );
}

fn urls_with_more_than_a_server_are_refused<B: ProviderBuilder>() {
    for url in [
        "ftp://storage.example.com",
        "https://storage.example.com/?a=b",
        "https://storage.example.com/#part",
        "not a url",
        "https://admin:hunter2@storage.example.com",
    ] {
        let Err(err) = built::<B>(url, ClientOptions::default()) else {
            panic!("{}: {url} was accepted", B::BACKEND);
        };
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidInput,
            "{} {url}: {err:?}",
            B::BACKEND
        );
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("hunter2"),
            "{} shows the URL's password: {shown}",
            B::BACKEND
        );
    }
}
