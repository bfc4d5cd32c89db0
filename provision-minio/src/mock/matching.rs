//! The mock server's own wildcard and resource matching, written from the reference
//! sheet (`minio-admin.md` §8 "Matching" and the `about` of `minio-wildcard.json`), not
//! from the library.
//!
//! It is deliberately independent of [`crate::wire::policy`]: the mock judges the
//! documents the library writes, so a fault in the library's matcher must not be
//! repeated here. The two are checked against the same upstream vectors.
//!
//! MinIO's rules (minio/pkg `wildcard.Match`, `policy.Resource.Match`):
//! - `*` matches any run of bytes, including none and including `/`;
//! - `?` matches exactly one byte;
//! - every other byte matches itself, case-sensitively;
//! - an empty pattern matches only the empty text;
//! - a resource pattern is what follows `arn:aws:s3:::`; it matches a bucket name or a
//!   `bucket/key` by the wildcard rule, or when the name, cleaned as a path (`a/` is
//!   `a`), equals the pattern.
//!
//! ```
//! use provision_minio::mock::matching::{resource_matches, wildcard_match};
//!
//! assert!(wildcard_match("my-bucket/In*/Ka*/Ban", "my-bucket/India/Karnataka/Ban/Ban"));
//! assert!(!wildcard_match("a?", "a"));
//! assert!(resource_matches("arn:aws:s3:::12-3*", "12-34/secret"));
//! assert!(!resource_matches("arn:aws:s3:::12-3.*", "12-34"));
//! ```

/// The prefix every S3 resource pattern starts with.
const ARN_PREFIX: &str = "arn:aws:s3:::";

/// Whether `text` matches the MinIO wildcard `pattern`, byte by byte: `*` is any run
/// (including `/`), `?` exactly one byte. Independent of the library's matcher.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    // Classic two-cursor glob matching: on a mismatch, return to the last `*` and let
    // it absorb one more byte. Linear in practice, no recursion.
    let (mut pi, mut ti) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while ti < text.len() {
        if pi < pattern.len() && pattern[pi] == b'*' {
            resume = Some((pi, ti));
            pi += 1;
        } else if pi < pattern.len() && (pattern[pi] == b'?' || pattern[pi] == text[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some((star, absorbed)) = resume {
            pi = star + 1;
            ti = absorbed + 1;
            resume = Some((star, absorbed + 1));
        } else {
            return false;
        }
    }
    pattern[pi..].iter().all(|&b| b == b'*')
}

/// Whether the resource pattern `arn` (`arn:aws:s3:::bucket/*`) matches `name`, a
/// bucket (`bucket`) or an object (`bucket/key`). A pattern without the S3 ARN prefix
/// matches nothing.
pub fn resource_matches(arn: &str, name: &str) -> bool {
    arn.strip_prefix(ARN_PREFIX)
        .is_some_and(|pattern| pattern_matches(pattern, name))
}

/// [`resource_matches`] for a pattern already stripped of `arn:aws:s3:::`, as the
/// upstream `resource_match` table gives them.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    let cleaned = clean_path(name);
    (cleaned != "." && cleaned == pattern) || wildcard_match(pattern, name)
}

/// Go's `path.Clean`: repeated `/` collapsed, `.` dropped, `..` resolved lexically,
/// no trailing `/`; the empty result is `.`.
fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if kept.last().is_some_and(|s| *s != "..") {
                    kept.pop();
                } else if !rooted {
                    kept.push("..");
                }
            }
            other => kept.push(other),
        }
    }
    let joined = kept.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_paths_as_go_does() {
        for (input, cleaned) in [
            ("", "."),
            ("a/", "a"),
            ("a//b", "a/b"),
            ("a/./b", "a/b"),
            ("a/../b", "b"),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("/", "/"),
        ] {
            assert_eq!(clean_path(input), cleaned, "{input:?}");
        }
    }

    #[test]
    fn question_mark_is_one_byte_not_one_character() {
        assert!(!wildcard_match("?", "\u{e9}"));
        assert!(wildcard_match("??", "\u{e9}"));
    }

    #[test]
    fn a_bucket_pattern_matches_its_bucket_with_a_trailing_slash() {
        assert!(resource_matches("arn:aws:s3:::photos", "photos/"));
        assert!(!resource_matches("arn:aws:s3:::photos", "photos/a"));
        assert!(!resource_matches("photos", "photos"));
    }
}
