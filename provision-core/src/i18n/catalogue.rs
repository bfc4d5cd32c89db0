//! The Fluent catalogues of every language, parsed once, and the arguments they take.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::FluentNumber;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_memoizer::concurrent::IntlLangMemoizer;

use super::numbers::LocalDigits;
use super::Language;

/// The catalogue files of each language, in this order.
pub const DOMAINS: [&str; 3] = ["common", "pages", "notifications"];

/// The prefix of every message id in each of [`DOMAINS`].
pub const PREFIXES: [&str; 3] = ["common-", "page-", "notification-"];

macro_rules! sources {
    ($($code:literal)*) => {
        /// Each language's files, embedded: (code, [common, pages, notifications]).
        const SOURCES: [(&str, [&str; 3]); 25] = [$(
            (
                $code,
                [
                    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/i18n/", $code, "/common.ftl")),
                    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/i18n/", $code, "/pages.ftl")),
                    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/i18n/", $code, "/notifications.ftl")),
                ],
            ),
        )*];
    };
}

sources!("ar" "az" "ca" "zh" "hr" "cs" "da" "nl" "en" "et" "fa" "fr" "de" "he" "hu" "it" "mk" "nb" "pl" "ro" "ru" "es" "sv" "tr" "uk");

/// The values a message's `{ $name }` placeholders take.
#[derive(Debug, Default)]
pub struct Args(FluentArgs<'static>);

impl Args {
    /// No values.
    pub fn new() -> Args {
        Args::default()
    }

    /// A text value, shown as it is.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Args {
        self.0.set(
            name.to_owned(),
            FluentValue::String(Cow::Owned(value.into())),
        );
        self
    }

    /// A number: it picks the plural form (`[one]`, `[few]`, ...) and is shown in the
    /// language's digits.
    pub fn number(mut self, name: &str, value: impl Into<FluentNumber>) -> Args {
        self.0
            .set(name.to_owned(), FluentValue::Number(value.into()));
        self
    }

    /// A decimal given as a string (`"1.50"`): shown with its fraction digits, in the
    /// language's digits; a string that is not a decimal (`"unlimited"`) is shown as text.
    pub fn decimal(mut self, name: &str, value: &str) -> Args {
        let value = match value.parse::<FluentNumber>() {
            Ok(number) => FluentValue::Number(number),
            Err(_) => FluentValue::String(Cow::Owned(value.to_owned())),
        };
        self.0.set(name.to_owned(), value);
        self
    }
}

/// Every language's messages.
pub struct Catalogue {
    bundles: Vec<(Language, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("languages", &self.bundles.len())
            .finish()
    }
}

/// Fluent's numbers in the bundle's language (its memoizer knows which).
fn local_number(value: &FluentValue, intls: &IntlLangMemoizer) -> Option<String> {
    match value {
        FluentValue::Number(number) => intls
            .with_try_get::<LocalDigits, _, _>((), |digits| digits.format(&number.as_string()))
            .ok(),
        _ => None,
    }
}

impl Catalogue {
    /// The catalogue, parsed on first use.
    pub fn get() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(Catalogue::load)
    }

    fn load() -> Catalogue {
        let bundles = Language::ALL
            .into_iter()
            .map(|language| {
                let langid = language.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![langid]);
                // The page sets `dir`; isolation marks would only get in the way of
                // comparing and copying texts.
                bundle.set_use_isolating(false);
                bundle.set_formatter(Some(local_number));
                for (domain, source) in DOMAINS.iter().zip(sources_of(language)) {
                    let resource = match FluentResource::try_new(source.to_owned()) {
                        Ok(resource) => resource,
                        Err((resource, errors)) => {
                            tracing::error!(language = %language, domain, ?errors, "catalogue has syntax errors; the rest of it is used");
                            resource
                        }
                    };
                    if let Err(errors) = bundle.add_resource(resource) {
                        tracing::error!(language = %language, domain, ?errors, "catalogue messages clash");
                    }
                }
                (language, bundle)
            })
            .collect();
        Catalogue { bundles }
    }

    fn bundle(&self, language: Language) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, bundle)| bundle)
    }

    /// Whether `language` has the message `id` itself (without falling back).
    pub fn has(&self, language: Language, id: &str) -> bool {
        self.bundle(language)
            .is_some_and(|bundle| bundle.has_message(id))
    }

    /// The message `id` in `language` with `args`; in English when the language lacks
    /// it; the id itself when English lacks it too (a test keeps that from happening).
    pub fn text(&self, language: Language, id: &str, args: &Args) -> String {
        self.format(language, id, None, args)
    }

    /// The attribute `attribute` of message `id` (`.title`, `.aria-label`, ...), falling
    /// back as [`Catalogue::text`] does.
    pub fn attribute(&self, language: Language, id: &str, attribute: &str, args: &Args) -> String {
        self.format(language, id, Some(attribute), args)
    }

    fn format(&self, language: Language, id: &str, attribute: Option<&str>, args: &Args) -> String {
        for candidate in [language, Language::English] {
            let Some(bundle) = self.bundle(candidate) else {
                continue;
            };
            let Some(message) = bundle.get_message(id) else {
                continue;
            };
            let pattern = match attribute {
                Some(name) => message.get_attribute(name).map(|a| a.value()),
                None => message.value(),
            };
            let Some(pattern) = pattern else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&args.0), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(language = %candidate, id, ?errors, "message formatted with errors");
            }
            return text.into_owned();
        }
        id.to_owned()
    }
}

/// The embedded files of `language`, one per domain.
fn sources_of(language: Language) -> [&'static str; 3] {
    SOURCES
        .iter()
        .find(|(code, _)| *code == language.code())
        .map_or(["", "", ""], |(_, files)| *files)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    /// Each message and attribute of a file, with the variables it uses.
    fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("syntax errors: {errors:?}"),
        };
        let mut found = BTreeMap::new();
        for entry in resource.body {
            let ast::Entry::Message(message) = entry else {
                continue;
            };
            let id = message.id.name.to_owned();
            if let Some(value) = &message.value {
                let mut vars = BTreeSet::new();
                pattern_variables(value, &mut vars);
                assert!(found.insert(id.clone(), vars).is_none(), "{id} twice");
            }
            for attribute in &message.attributes {
                let mut vars = BTreeSet::new();
                pattern_variables(&attribute.value, &mut vars);
                found.insert(format!("{id}.{}", attribute.id.name), vars);
            }
        }
        found
    }

    fn pattern_variables(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, vars);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, vars);
                for variant in variants {
                    pattern_variables(&variant.value, vars);
                }
            }
            ast::Expression::Inline(inline) => inline_variables(inline, vars),
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_owned());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    inline_variables(argument, vars);
                }
                for named in &arguments.named {
                    inline_variables(&named.value, vars);
                }
            }
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, vars)
            }
            _ => {}
        }
    }

    #[test]
    fn every_language_has_every_english_message_with_the_same_variables() {
        let english = sources_of(Language::English);
        let mut problems = Vec::new();
        for language in Language::ALL {
            for (domain, (theirs, ours)) in DOMAINS
                .iter()
                .zip(sources_of(language).iter().zip(english.iter()))
            {
                let theirs = messages(theirs);
                for (id, vars) in messages(ours) {
                    match theirs.get(&id) {
                        None => problems.push(format!("{language}/{domain}: {id} is missing")),
                        Some(their_vars) if their_vars != &vars => problems.push(format!(
                            "{language}/{domain}: {id} uses {their_vars:?}, English {vars:?}"
                        )),
                        Some(_) => {}
                    }
                }
                for id in theirs.keys() {
                    if !messages(ours).contains_key(id) {
                        problems.push(format!("{language}/{domain}: {id} is not in English"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_file_loads_without_clashes_and_ids_carry_their_domain() {
        for language in Language::ALL {
            let mut bundle: FluentBundle<FluentResource> =
                FluentBundle::new_concurrent(vec![language.code().parse().unwrap()]);
            for ((domain, prefix), source) in DOMAINS.iter().zip(PREFIXES).zip(sources_of(language))
            {
                let resource = FluentResource::try_new(source.to_owned())
                    .unwrap_or_else(|(_, e)| panic!("{language}/{domain}: {e:?}"));
                bundle
                    .add_resource(resource)
                    .unwrap_or_else(|e| panic!("{language}/{domain}: {e:?}"));
                for id in messages(source).keys() {
                    assert!(
                        id.starts_with(prefix),
                        "{language}/{domain}: {id} lacks the prefix {prefix}"
                    );
                }
            }
        }
    }

    #[test]
    fn plural_forms_follow_each_languages_rules() {
        let catalogue = Catalogue::get();
        let days = |language, count: u64| {
            catalogue.text(language, "common-days", &Args::new().number("count", count))
        };
        assert_eq!(days(Language::English, 1), "1 day");
        assert_eq!(days(Language::English, 30), "30 days");
        assert_eq!(days(Language::Russian, 21), "21 день");
        assert_eq!(days(Language::Russian, 3), "3 дня");
        assert_eq!(days(Language::Russian, 11), "11 дней");
        assert_eq!(days(Language::Polish, 22), "22 dni");
        assert_eq!(days(Language::Czech, 4), "4 dny");
        assert_eq!(days(Language::Arabic, 2), "يومان");
        assert_eq!(days(Language::Arabic, 11), "11 يومًا");
        assert_eq!(days(Language::German, 1234), "1.234 Tage");
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_to_its_id() {
        let catalogue = Catalogue::get();
        assert!(catalogue.has(Language::German, "common-unlimited"));
        assert_eq!(
            catalogue.text(Language::German, "common-unlimited", &Args::new()),
            "Unbegrenzt"
        );
        assert_eq!(
            catalogue.text(Language::German, "common-no-such", &Args::new()),
            "common-no-such"
        );
    }

    #[test]
    fn decimals_keep_their_fraction_digits_and_words_stay_words() {
        let catalogue = Catalogue::get();
        let size = |language, value: &str| {
            catalogue.text(
                language,
                "common-size",
                &Args::new().decimal("value", value).text("unit", "GB"),
            )
        };
        assert_eq!(size(Language::English, "1.50"), "1.50 GB");
        assert_eq!(size(Language::German, "1.50"), "1,50 GB");
    }
}
