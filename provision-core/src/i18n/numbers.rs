//! Numbers in a language's digits and separators, from CLDR's data (ICU4X).

use std::sync::OnceLock;

use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use intl_memoizer::Memoizable;
use unic_langid::LanguageIdentifier;

use super::{Args, Catalogue, Language};

/// A language's decimal formatter; Fluent's number formatting goes through it too.
pub(super) struct LocalDigits(Option<DecimalFormatter>);

impl LocalDigits {
    fn for_code(code: &str) -> LocalDigits {
        let formatter = icu_locale_core::Locale::try_from_str(code)
            .ok()
            .and_then(|locale| DecimalFormatter::try_new(locale.into(), Default::default()).ok());
        LocalDigits(formatter)
    }

    /// `decimal` ("1234.5", "-3", "0.50") in this language's digits; anything that is not
    /// a plain decimal is given back as it is.
    pub(super) fn format(&self, decimal: &str) -> String {
        match (&self.0, decimal.parse::<Decimal>()) {
            (Some(formatter), Ok(value)) => formatter.format(&value).to_string(),
            _ => decimal.to_owned(),
        }
    }
}

impl Memoizable for LocalDigits {
    type Args = ();
    type Error = std::convert::Infallible;

    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Self, Self::Error> {
        Ok(LocalDigits::for_code(&lang.to_string()))
    }
}

/// `decimal` (a plain decimal string such as `"1234.5"`, its fraction digits kept) in the
/// language's digits and separators: `1.234,5` in German, `1 234,5` in French (with
/// CLDR's narrow no-break space), `۱٬۲۳۴٫۵` in Farsi. A string that is not a plain
/// decimal is given back as it is.
pub fn format_decimal(language: Language, decimal: &str) -> String {
    static FORMATTERS: OnceLock<Vec<LocalDigits>> = OnceLock::new();
    let formatters = FORMATTERS.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|l| LocalDigits::for_code(l.code()))
            .collect()
    });
    let index = Language::ALL.iter().position(|l| *l == language);
    match index.and_then(|i| formatters.get(i)) {
        Some(digits) => digits.format(decimal),
        None => decimal.to_owned(),
    }
}

/// A whole percentage as the language writes it (`42%`, `42 %`, `%42`), from the
/// `common-percent` message.
pub fn format_percent(language: Language, percent: u64) -> String {
    Catalogue::get().text(
        language,
        "common-percent",
        &Args::new().number("value", percent),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_take_the_languages_separators_and_digits() {
        assert_eq!(format_decimal(Language::English, "1234.5"), "1,234.5");
        assert_eq!(format_decimal(Language::German, "1234.50"), "1.234,50");
        assert_eq!(format_decimal(Language::French, "1234.5"), "1\u{202f}234,5");
        // CLDR: Arabic's default digits are Latin, Farsi's are Persian.
        assert_eq!(format_decimal(Language::Arabic, "1234.5"), "1,234.5");
        assert_eq!(format_decimal(Language::Farsi, "1234.5"), "۱٬۲۳۴٫۵");
        // Spanish groups only from five digits on.
        assert_eq!(format_decimal(Language::Spanish, "1234.5"), "1234,5");
        assert_eq!(format_decimal(Language::Spanish, "12345.5"), "12.345,5");
        assert_eq!(format_decimal(Language::Russian, "12345"), "12\u{a0}345");
        assert_eq!(format_decimal(Language::Chinese, "1234.5"), "1,234.5");
        assert_eq!(format_decimal(Language::German, "unlimited"), "unlimited");
    }

    #[test]
    fn percentages_put_the_sign_where_the_language_does() {
        assert_eq!(format_percent(Language::English, 42), "42%");
        assert_eq!(format_percent(Language::German, 42), "42\u{a0}%");
        assert_eq!(format_percent(Language::Turkish, 42), "%42");
    }
}
