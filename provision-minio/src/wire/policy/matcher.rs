//! The S3 ARN wildcard matcher, as MinIO evaluates policy resources.

/// The prefix of every S3 resource ARN.
pub const S3_ARN_PREFIX: &str = "arn:aws:s3:::";

/// Whether `text` matches the wildcard `pattern`: `*` matches any run of characters
/// (including none, and including `/`), `?` exactly one character, everything else
/// itself. Case-sensitive, character (not byte) based.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    // Where the last `*` was, and the text position it currently stands for.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                // Let the last `*` swallow one more character and try again.
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Whether the policy resource `pattern` (a full ARN such as `arn:aws:s3:::photos/*`)
/// matches `resource`, which is a bucket name (`photos`) or a bucket and object key
/// (`photos/2024/a.jpg`).
///
/// As MinIO does: the pattern after `arn:aws:s3:::` is matched with
/// [`wildcard_match`], and a bucket pattern also matches the bucket written with a
/// trailing `/`. A pattern that is not an S3 ARN matches nothing. Policy variables
/// (`${aws:username}`) are not substituted: such a pattern is matched literally, so
/// callers that need a sound answer must reject patterns containing `$`.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    let Some(pattern) = pattern.strip_prefix(S3_ARN_PREFIX) else {
        return false;
    };
    let trimmed = resource.strip_suffix('/').unwrap_or(resource);
    (!trimmed.is_empty() && trimmed == pattern) || wildcard_match(pattern, resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_and_question_mark() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("*", "anything/at/all"));
        assert!(wildcard_match("a*c", "abbbc"));
        assert!(wildcard_match("a*c", "ac"));
        assert!(!wildcard_match("a*c", "acb"));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("a?c", "ac"));
        assert!(!wildcard_match("a?c", "abbc"));
        assert!(wildcard_match("*a*b*", "xxaxxbxx"));
        assert!(!wildcard_match("*a*b*", "xxbxxaxx"));
        assert!(wildcard_match("?\u{e9}", "x\u{e9}"));
        assert!(!wildcard_match("abc", "ABC"));
        assert!(wildcard_match("", ""));
        assert!(!wildcard_match("", "a"));
    }

    #[test]
    fn resources_match_buckets_and_objects() {
        assert!(resource_matches("arn:aws:s3:::photos", "photos"));
        assert!(resource_matches("arn:aws:s3:::photos", "photos/"));
        assert!(!resource_matches("arn:aws:s3:::photos", "photos/a.jpg"));
        assert!(resource_matches("arn:aws:s3:::photos/*", "photos/a/b.jpg"));
        assert!(!resource_matches("arn:aws:s3:::photos/*", "photos"));
        assert!(resource_matches("arn:aws:s3:::*", "any/thing"));
        assert!(!resource_matches("arn:aws:iam:::photos", "photos"));
        assert!(!resource_matches("photos", "photos"));
    }

    #[test]
    fn the_prefix_hazard_of_the_sheet_is_real() {
        // `<USER>*` for user 12-3 reaches every bucket and object of user 12-34.
        assert!(resource_matches("arn:aws:s3:::12-3*", "12-34"));
        assert!(resource_matches("arn:aws:s3:::12-3*", "12-34/secret.txt"));
        assert!(resource_matches("arn:aws:s3:::u-12-3*", "u-12-34.backup"));
        // The `.`-delimited namespace does not.
        assert!(!resource_matches("arn:aws:s3:::12-3.*", "12-34"));
        assert!(!resource_matches("arn:aws:s3:::12-3.*", "12-34.x/y"));
        assert!(!resource_matches("arn:aws:s3:::12-3/*", "12-34/y"));
    }
}
