//! Passwords from a parsed [`PasswordRule`], drawn from the operating system's CSPRNG.

use rand::seq::SliceRandom;
use rand::{CryptoRng, Rng, TryRngCore};
use secrecy::zeroize::Zeroize;
use secrecy::SecretString;

use super::{CharClass, PasswordRule};

/// Generates passwords from a [`PasswordRule`]. Implemented for [`PasswordRule`] only;
/// the rule itself (parsing, [`PasswordRule::check`]) lives in provision-rules, which
/// has no randomness.
///
/// ```
/// use provision_core::rules::{GeneratePassword, PasswordRule};
/// use secrecy::ExposeSecret;
///
/// let rule: PasswordRule = "16".parse().unwrap();
/// let password = rule.generate();
/// assert_eq!(password.expose_secret().chars().count(), 16);
/// assert!(rule.check(password.expose_secret()).is_ok());
/// ```
pub trait GeneratePassword: sealed::Sealed {
    /// A new password from the operating system's CSPRNG.
    ///
    /// # Panics
    ///
    /// Only if the operating system cannot provide random bytes, where no password
    /// could be made safely; never because of the rule.
    fn generate(&self) -> SecretString;

    /// A new password from `rng` (for deterministic tests; use a CSPRNG).
    fn generate_with<R: CryptoRng + Rng + ?Sized>(&self, rng: &mut R) -> SecretString;
}

mod sealed {
    /// Keeps [`GeneratePassword`](super::GeneratePassword) to the rule type.
    pub trait Sealed {}
    impl Sealed for super::PasswordRule {}
}

impl GeneratePassword for PasswordRule {
    fn generate(&self) -> SecretString {
        self.generate_with(&mut rand::rngs::OsRng.unwrap_err())
    }

    // One character of each class present is placed first, the rest is drawn from the
    // whole charset, then everything is shuffled: generation cannot fail by chance.
    fn generate_with<R: CryptoRng + Rng + ?Sized>(&self, rng: &mut R) -> SecretString {
        let all: Vec<char> = self.charset().chars().collect();
        let mut chars: Vec<char> = Vec::with_capacity(self.length());
        for class in CharClass::ALL {
            let members: Vec<char> = all
                .iter()
                .copied()
                .filter(|&c| CharClass::of(c) == class)
                .collect();
            if !members.is_empty() {
                chars.push(members[rng.random_range(0..members.len())]);
            }
        }
        while chars.len() < self.length() {
            chars.push(all[rng.random_range(0..all.len())]);
        }
        chars.shuffle(rng);
        let password: String = chars.iter().collect();
        chars.zeroize();
        SecretString::from(password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH};
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use secrecy::ExposeSecret;

    #[test]
    fn generated_passwords_hold_every_class() {
        let rule = PasswordRule::parse("8").unwrap();
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let password = rule.generate_with(&mut rng);
            assert_eq!(rule.check(password.expose_secret()), Ok(()));
            assert_eq!(password.expose_secret().chars().count(), 8);
        }
    }

    #[test]
    fn os_random_passwords_differ() {
        let rule = PasswordRule::parse("20").unwrap();
        let a = rule.generate();
        let b = rule.generate();
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_eq!(rule.check(a.expose_secret()), Ok(()));
    }

    #[test]
    fn non_ascii_charsets_count_characters() {
        let rule = PasswordRule::parse("9:äöü").unwrap();
        let password = rule.generate_with(&mut StdRng::seed_from_u64(1));
        assert_eq!(password.expose_secret().chars().count(), 9);
        assert!(password.expose_secret().chars().all(|c| "äöü".contains(c)));
    }

    fn charset() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z]{1,5}",
            "[A-Z0-9]{1,5}",
            "[a-zA-Z0-9!-/]{1,20}",
            "[^\\p{Cc}]{1,10}",
        ]
    }

    proptest! {
        #[test]
        fn every_password_has_the_length_and_each_required_class(
            length in MIN_PASSWORD_LENGTH..=MAX_PASSWORD_LENGTH,
            charset in charset(),
            seed in any::<u64>(),
        ) {
            let text = if charset.is_empty() { length.to_string() } else { format!("{length}:{charset}") };
            let rule = PasswordRule::parse(&text).unwrap();
            let password = rule.generate_with(&mut StdRng::seed_from_u64(seed));
            let password = password.expose_secret();
            prop_assert_eq!(password.chars().count(), length);
            prop_assert!(password.chars().all(|c| rule.charset().contains(c)));
            for class in rule.required_classes() {
                prop_assert!(password.chars().any(|c| CharClass::of(c) == class), "{class} missing");
            }
            prop_assert_eq!(rule.check(password), Ok(()));
        }
    }
}
