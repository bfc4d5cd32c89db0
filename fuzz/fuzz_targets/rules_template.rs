//! The notification-template parser. The first line of the input declares extra
//! placeholder names (comma-separated), the rest is the template. A template that
//! parses names only known placeholders, and renders with every placeholder set:
//! with every value `1` it renders (no value is zero, and the exact decimals never
//! overflow); a template without `{$` renders as itself.
#![no_main]
#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use provision_rules::template::STANDARD_NAMES;
use provision_rules::Template;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (declared, text) = input.split_once('\n').unwrap_or(("", input));
    let extra: Vec<&str> = declared.split(',').filter(|n| !n.is_empty()).collect();
    let Ok(template) = Template::parse(text, &extra) else {
        return;
    };
    let names = template.placeholders();
    for name in &names {
        assert!(
            STANDARD_NAMES.contains(name) || extra.contains(name),
            "{name:?} is neither standard nor declared"
        );
    }
    let ones: BTreeMap<String, String> = names
        .iter()
        .map(|n| (n.to_string(), "1".to_string()))
        .collect();
    match template.render(&ones) {
        Ok(rendered) => {
            if !text.contains("{$") {
                assert_eq!(rendered, text);
            }
        }
        Err(e) => panic!("{text:?} with every value 1: {e}"),
    }
    if let Some(missing) = names.first() {
        let mut fewer = ones.clone();
        fewer.remove(*missing);
        assert!(
            template.render(&fewer).is_err(),
            "{text:?} renders without {missing:?}"
        );
    }
});
