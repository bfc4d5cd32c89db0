//! Compile-time checked rules and quotas for provision.
//!
//! Each macro runs provision-rules' own parser on its argument while your crate
//! compiles, so a rule that would fail at run time fails the build instead, with the
//! parser's message pointing at the literal. The expansion is a constant expression
//! that cannot fail, and can initialise a `const` or `static`.
//!
//! - [`name_rule!`]`("{client_id}-{random_digit_4}")` → `provision_rules::NameRule`
//!   (also known as `provision_core::rules::NameRule`)
//! - [`password_rule!`]`("16")` or `("16:abcABC123%")` → `provision_rules::PasswordRule`
//!   (`provision_core::rules::PasswordRule`)
//! - [`quota!`]`(10 GB)`, `(1.5 TB)`, `("512 MB")` or `(0)` (unlimited) →
//!   `provision_rules::Quota` (`provision_core::quota::Quota`)
//!
//! ```
//! use provision_rules::{ByteSize, NameRule, PasswordRule, Quota};
//! use provision_macros::{name_rule, password_rule, quota};
//!
//! static RULE: NameRule = name_rule!("{client_id}-{random_digit_4}");
//! assert!(RULE.has_random_part());
//! assert_eq!(RULE, NameRule::parse("{client_id}-{random_digit_4}").unwrap());
//!
//! let passwords: PasswordRule = password_rule!("16");
//! assert_eq!(passwords.length(), 16);
//!
//! const PLAN: Quota = quota!(1.5 TB);
//! assert_eq!(PLAN.limit(), Some(ByteSize::new(3 << 39)));
//! assert_eq!(quota!(0), Quota::Unlimited);
//! ```
//!
//! # The path to the types
//!
//! Expansions name the types as `::provision_rules::...`, so the calling crate needs
//! `provision-rules` among its dependencies. Where the types are reachable only through
//! a crate that re-exports provision-rules (provision-core, or `provision::core`
//! through the facade crate), name that crate with a leading `crate = path;`:
//!
//! ```
//! mod facade {
//!     pub use provision_core as core;
//! }
//! let rule = provision_macros::name_rule!(crate = facade::core; "{service_id}");
//! assert_eq!(rule.as_str(), "{service_id}");
//! let same: provision_core::rules::NameRule = rule;
//! # let _ = same;
//! ```
//!
//! Expansions go through the crate's hidden `__private` module, which provision-rules
//! defines and every re-exporting crate re-exports, so any of these paths gives the
//! same types.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2, TokenTree};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Lit, LitStr, Path, Token};

use provision_rules::{NameRule, PasswordRule, Quota, Segment};

/// A name rule checked at compile time: `name_rule!("{client_id}-{random_digit_4}")`
/// is a `provision_rules::NameRule` (`provision_core::rules::NameRule`).
///
/// Macros: `{client_id}`, `{service_id}`, `{random_digit_N}`, `{random_letter_N}`
/// (N from 1 to 64), `{unixtime}`, `{year}`, `{month}`, `{day}`, `{hour}`, `{minute}`,
/// `{second}`, `{date}`, `{time}`. An unknown macro or an unbalanced brace fails the
/// build.
#[proc_macro]
pub fn name_rule(input: TokenStream) -> TokenStream {
    expand(input, |krate, body: LitStr| {
        let source = body.value();
        let rule = NameRule::parse(&source).map_err(|e| syn::Error::new(body.span(), e))?;
        let segments = rule
            .segments()
            .iter()
            .map(|segment| segment_tokens(&krate, segment, body.span()))
            .collect::<syn::Result<Vec<_>>>()?;
        Ok(quote! {{
            const RULE: #krate::__private::NameRule = #krate::__private::NameRule::__from_checked_parts(
                #source,
                &[#(#segments),*],
            );
            RULE
        }})
    })
}

/// A password rule checked at compile time: `password_rule!("12")` (length) or
/// `password_rule!("16:abcABC123%")` (length and charset) is a
/// `provision_rules::PasswordRule` (`provision_core::rules::PasswordRule`). A bare length (`password_rule!(12)`) works
/// too.
#[proc_macro]
pub fn password_rule(input: TokenStream) -> TokenStream {
    expand(input, |krate, body: Lit| {
        let (text, span) = match &body {
            Lit::Str(s) => (s.value(), s.span()),
            Lit::Int(i) if i.suffix().is_empty() => (i.base10_digits().to_string(), i.span()),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "expected a password rule such as \"12\" or \"16:abcABC123%\"",
                ))
            }
        };
        let rule = PasswordRule::parse(&text).map_err(|e| syn::Error::new(span, e))?;
        let length = rule.length();
        let charset = rule.charset();
        let custom = rule.has_custom_charset();
        Ok(quote! {{
            const RULE: #krate::__private::PasswordRule =
                #krate::__private::PasswordRule::__from_checked_parts(#length, #charset, #custom);
            RULE
        }})
    })
}

/// A quota checked at compile time: `quota!(10 GB)`, `quota!(1.5 TB)`,
/// `quota!("512 MB")` is a `provision_rules::Quota` (`provision_core::quota::Quota`); `quota!(0)` and
/// `quota!(unlimited)` are `Quota::Unlimited`.
///
/// Units are binary (1 GB = 1024³ bytes), as the backends count.
#[proc_macro]
pub fn quota(input: TokenStream) -> TokenStream {
    expand(input, |krate, body: TokenStream2| {
        let text = quota_text(&body)?;
        let quota: Quota = text
            .parse()
            .map_err(|e| syn::Error::new_spanned(&body, e))?;
        Ok(match quota.limit() {
            None => quote! { #krate::__private::Quota::Unlimited },
            Some(limit) => {
                let bytes = limit.bytes();
                // Evaluated by the compiler: the zero arm can never run.
                quote! {{
                    const QUOTA: #krate::__private::Quota = match ::core::num::NonZeroU64::new(#bytes) {
                        ::core::option::Option::Some(bytes) => #krate::__private::Quota::Limited(bytes),
                        ::core::option::Option::None => ::core::panic!("quota!: zero bytes"),
                    };
                    QUOTA
                }}
            }
        })
    })
}

/// A macro's argument after the optional `crate = path;`.
struct MacroInput<T> {
    krate: Path,
    body: T,
}

impl<T: Parse> Parse for MacroInput<T> {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let krate = if input.peek(Token![crate]) && input.peek2(Token![=]) {
            input.parse::<Token![crate]>()?;
            input.parse::<Token![=]>()?;
            let path = input.parse::<Path>()?;
            input.parse::<Token![;]>()?;
            path
        } else {
            syn::parse_quote!(::provision_rules)
        };
        let body = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the argument"));
        }
        Ok(MacroInput { krate, body })
    }
}

/// Parses the input and runs `build`, turning any error into `compile_error!`.
fn expand<T: Parse>(
    input: TokenStream,
    build: impl FnOnce(Path, T) -> syn::Result<TokenStream2>,
) -> TokenStream {
    syn::parse::<MacroInput<T>>(input)
        .and_then(|MacroInput { krate, body }| build(krate, body))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The tokens that build `segment` as a constant.
fn segment_tokens(krate: &Path, segment: &Segment, span: Span) -> syn::Result<TokenStream2> {
    let ty = quote!(#krate::__private::Segment);
    Ok(match segment {
        Segment::Literal(text) => {
            let text: &str = text;
            quote! { #ty::Literal(::std::borrow::Cow::Borrowed(#text)) }
        }
        Segment::RandomDigits(n) => quote! { #ty::RandomDigits(#n) },
        Segment::RandomLetters(n) => quote! { #ty::RandomLetters(#n) },
        Segment::ClientId => quote! { #ty::ClientId },
        Segment::ServiceId => quote! { #ty::ServiceId },
        Segment::UnixTime => quote! { #ty::UnixTime },
        Segment::Year => quote! { #ty::Year },
        Segment::Month => quote! { #ty::Month },
        Segment::Day => quote! { #ty::Day },
        Segment::Hour => quote! { #ty::Hour },
        Segment::Minute => quote! { #ty::Minute },
        Segment::Second => quote! { #ty::Second },
        Segment::Date => quote! { #ty::Date },
        Segment::Time => quote! { #ty::Time },
        // Segment is non-exhaustive: a macro added to provision-rules must be added here too.
        other => {
            return Err(syn::Error::new(
                span,
                format!("name_rule! does not support {other:?} yet"),
            ))
        }
    })
}

/// The text of a quota argument: `"10 GB"`, `10 GB`, `10GB`, `1.5 TB`, `0`, `unlimited`.
fn quota_text(body: &TokenStream2) -> syn::Result<String> {
    let expected = || {
        syn::Error::new_spanned(
            body,
            "expected a quota such as `10 GB`, `1.5 TB`, `\"512 MB\"` or `0`",
        )
    };
    let tokens: Vec<TokenTree> = body.clone().into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(word)] => Ok(word.to_string()),
        [TokenTree::Literal(whole)] => match Lit::new(whole.clone()) {
            Lit::Str(s) => Ok(s.value()),
            other => number_text(other).ok_or_else(expected),
        },
        [TokenTree::Literal(amount), TokenTree::Ident(unit)] => {
            let amount = number_text(Lit::new(amount.clone())).ok_or_else(expected)?;
            Ok(format!("{amount} {unit}"))
        }
        _ => Err(expected()),
    }
}

/// A number literal as the quota parser reads it: digits without `_` separators, then
/// the suffix (`10GB` lexes as the number 10 with the suffix `GB`).
fn number_text(literal: Lit) -> Option<String> {
    match literal {
        Lit::Int(i) => Some(format!("{}{}", i.base10_digits(), i.suffix())),
        Lit::Float(f) => Some(format!("{}{}", f.base10_digits(), f.suffix())),
        _ => None,
    }
}
