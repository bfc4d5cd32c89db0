//! The 25 languages and how a language tag picks one.

use serde::{Deserialize, Serialize};

macro_rules! languages {
    ($($variant:ident $code:literal $native:literal $rtl:literal,)*) => {
        /// A language every customer-facing text is written in.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Language {
            $(
                #[doc = $native]
                #[serde(rename = $code)]
                $variant,
            )*
        }

        impl Language {
            /// Every language, in the order of their English names.
            pub const ALL: [Language; 25] = [$(Language::$variant,)*];

            /// The language's code (ISO 639-1; `nb` for Norwegian), also its catalogue
            /// folder's name.
            pub fn code(self) -> &'static str {
                match self {
                    $(Language::$variant => $code,)*
                }
            }

            /// The language's name in itself, as a language menu shows it.
            pub fn native_name(self) -> &'static str {
                match self {
                    $(Language::$variant => $native,)*
                }
            }

            /// Whether its script runs right to left (Arabic, Farsi, Hebrew).
            pub fn is_right_to_left(self) -> bool {
                match self {
                    $(Language::$variant => $rtl,)*
                }
            }
        }
    };
}

languages! {
    Arabic "ar" "العربية" true,
    Azerbaijani "az" "Azərbaycan dili" false,
    Catalan "ca" "Català" false,
    Chinese "zh" "中文" false,
    Croatian "hr" "Hrvatski" false,
    Czech "cs" "Čeština" false,
    Danish "da" "Dansk" false,
    Dutch "nl" "Nederlands" false,
    English "en" "English" false,
    Estonian "et" "Eesti" false,
    Farsi "fa" "فارسی" true,
    French "fr" "Français" false,
    German "de" "Deutsch" false,
    Hebrew "he" "עברית" true,
    Hungarian "hu" "Magyar" false,
    Italian "it" "Italiano" false,
    Macedonian "mk" "Македонски" false,
    Norwegian "nb" "Norsk bokmål" false,
    Polish "pl" "Polski" false,
    Romanian "ro" "Română" false,
    Russian "ru" "Русский" false,
    Spanish "es" "Español" false,
    Swedish "sv" "Svenska" false,
    Turkish "tr" "Türkçe" false,
    Ukrainian "uk" "Українська" false,
}

impl Language {
    /// The language a tag such as `de-AT`, `zh-Hans-CN` or `nn` names, by its primary
    /// subtag without regard to case (`no` and `nn` are Norwegian, `iw` Hebrew); `None`
    /// for a language not among the 25.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let primary = match primary.as_str() {
            "no" | "nn" => "nb",
            "iw" => "he",
            "per" | "fas" => "fa",
            other => other,
        };
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best of the 25 for an `Accept-Language` value (`fr-CH, de;q=0.8, *;q=0.1`):
    /// the known tag of the highest weight, the earlier one on a tie; English when none
    /// is known.
    pub fn negotiate(accept_language: &str) -> Language {
        let mut best: Option<(f32, Language)> = None;
        for entry in accept_language.split(',') {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or_default();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
            let (Some(weight), Some(language)) = (weight, Language::from_tag(tag)) else {
                continue;
            };
            if weight > 0.0 && best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, language));
            }
        }
        best.map_or(Language::English, |(_, language)| language)
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;

    /// A language by its tag ([`Language::from_tag`]).
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        Language::from_tag(tag).ok_or_else(|| UnknownLanguage(tag.to_owned()))
    }
}

/// A tag naming none of the 25 languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: one of ar az ca zh hr cs da nl en et fa fr de he hu it mk nb pl ro ru es sv tr uk")]
pub struct UnknownLanguage(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_pick_a_language_by_their_primary_subtag() {
        assert_eq!(Language::from_tag("de-AT"), Some(Language::German));
        assert_eq!(Language::from_tag("zh-Hans-CN"), Some(Language::Chinese));
        assert_eq!(Language::from_tag("PT-br"), None);
        for norwegian in ["no", "nn", "nb-NO"] {
            assert_eq!(Language::from_tag(norwegian), Some(Language::Norwegian));
        }
        assert_eq!("he".parse::<Language>(), Ok(Language::Hebrew));
        assert!("xx".parse::<Language>().is_err());
    }

    #[test]
    fn negotiation_takes_the_heaviest_known_tag() {
        assert_eq!(Language::negotiate("fr-CH, de;q=0.8"), Language::French);
        assert_eq!(
            Language::negotiate("pt;q=1, de;q=0.8, fr;q=0.9"),
            Language::French
        );
        assert_eq!(Language::negotiate("ru;q=0, uk;q=0.5"), Language::Ukrainian);
        assert_eq!(Language::negotiate(""), Language::English);
        assert_eq!(Language::negotiate("*"), Language::English);
        assert_eq!(Language::negotiate("ar;q=oops, fa"), Language::Farsi);
    }

    #[test]
    fn codes_round_trip_through_serde_and_are_unique() {
        let codes: std::collections::BTreeSet<&str> =
            Language::ALL.iter().map(|l| l.code()).collect();
        assert_eq!(codes.len(), 25);
        for language in Language::ALL {
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(json, format!("\"{}\"", language.code()));
            assert_eq!(serde_json::from_str::<Language>(&json).unwrap(), language);
        }
        let rtl: Vec<&str> = Language::ALL
            .iter()
            .filter(|l| l.is_right_to_left())
            .map(|l| l.code())
            .collect();
        assert_eq!(rtl, ["ar", "fa", "he"]);
    }
}
