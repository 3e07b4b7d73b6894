//! Validated values of the accounts domain, shared by the browser and the server: each is parsed
//! once at the edge and carries its canonical form from then on.

use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::auth::kinds::{AccountKind, StaffRole};

/// An email address as the user typed it (trimmed, domain IDNA-encoded and lower-cased), plus the
/// canonical form used only for matching: the local part lower-cased too. Plus tags and dots are
/// kept, so `a.lice+x@` is a different address from `alice@`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress {
    address: String,
    canonical: String,
}

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, String> {
        let invalid = || "Enter a valid email address, like name@example.com.".to_owned();
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Enter an email address.".to_owned());
        }
        if trimmed.len() > Self::MAX_LEN {
            return Err(format!(
                "An email address has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
        let forbidden =
            |c: char| c.is_whitespace() || c.is_control() || "\"(),:;<>[\\]@".contains(c);
        if local.is_empty() || local.len() > 64 || local.chars().any(forbidden) {
            return Err(invalid());
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(invalid());
        }
        let domain = ascii_domain(domain).ok_or_else(invalid)?;
        let address = format!("{local}@{domain}");
        if address.len() > Self::MAX_LEN {
            return Err(format!(
                "An email address has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        let canonical = format!("{}@{domain}", local.to_lowercase());
        Ok(Self { address, canonical })
    }

    /// The address to show and to send mail to.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The form used to find an account: compare only these.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    pub fn domain(&self) -> &str {
        self.address
            .rsplit_once('@')
            .map(|(_, domain)| domain)
            .unwrap_or_default()
    }
}

/// A domain name in its ASCII (IDNA) form, lower-cased, with at least two labels.
pub fn ascii_domain(input: &str) -> Option<String> {
    let input = input.trim().trim_end_matches('.');
    if input.is_empty() || input.len() > 253 {
        return None;
    }
    let domain = idna::domain_to_ascii(input).ok()?;
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()));
    (labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok).then_some(domain)
}

/// A phone number in international form: `+` and 7 to 15 digits (E.164). Spaces, dots, dashes
/// and parentheses are accepted on input and dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        let rest = trimmed
            .strip_prefix('+')
            .or_else(|| trimmed.strip_prefix("00"))
            .ok_or_else(|| {
                "Enter the phone number with its country code, like +1 425 555 0100.".to_owned()
            })?;
        if trimmed.len() > 32
            || !rest
                .chars()
                .all(|c| c.is_ascii_digit() || " .-()".contains(c))
        {
            return Err("Enter a valid phone number, like +1 425 555 0100.".to_owned());
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if !(7..=15).contains(&digits.len()) {
            return Err("A phone number has 7 to 15 digits after the country sign.".to_owned());
        }
        Ok(Self(format!("+{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a person types at "Sign in": an email address or a phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInIdentifier {
    Email(EmailAddress),
    Phone(PhoneNumber),
}

impl SignInIdentifier {
    pub const MESSAGE: &'static str =
        "Enter a valid email address or phone number (with its country code, like +1 425 555 0100).";

    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Enter your email address or phone number.".to_owned());
        }
        if trimmed.len() > EmailAddress::MAX_LEN {
            return Err(format!(
                "An email address has at most {} characters.",
                EmailAddress::MAX_LEN
            ));
        }
        if trimmed.contains('@') {
            EmailAddress::parse(trimmed)
                .map(SignInIdentifier::Email)
                .map_err(|_| Self::MESSAGE.to_owned())
        } else {
            PhoneNumber::parse(trimmed)
                .map(SignInIdentifier::Phone)
                .map_err(|_| Self::MESSAGE.to_owned())
        }
    }
}

/// A person's name as shown in the portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_LEN: usize = 200;

    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Enter a name.".to_owned());
        }
        if trimmed.chars().count() > Self::MAX_LEN {
            return Err(format!("A name has at most {} characters.", Self::MAX_LEN));
        }
        if trimmed.chars().any(char::is_control) {
            return Err("A name cannot contain control characters.".to_owned());
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8 to 128 characters of any kind, never truncated, and not a well-known one.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_LEN: usize = 8;
    pub const MAX_LEN: usize = 128;

    pub fn parse(input: &str) -> Result<Self, String> {
        let length = input.chars().count();
        if length < Self::MIN_LEN {
            return Err(format!(
                "A password has at least {} characters.",
                Self::MIN_LEN
            ));
        }
        if length > Self::MAX_LEN {
            return Err(format!(
                "A password has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        if is_common_password(input) {
            return Err(
                "This password is too common. Choose one that is harder to guess.".to_owned(),
            );
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// Shipped list of frequently used passwords (from public breach corpora's top entries).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

fn is_common_password(candidate: &str) -> bool {
    let lowered = candidate.to_lowercase();
    COMMON_PASSWORDS.lines().any(|line| line.trim() == lowered)
}

/// Languages the portal offers (value, name in that language).
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ja", "日本語"),
];

/// Time zones offered in the profile (IANA names).
pub const TIME_ZONES: &[&str] = &[
    "UTC",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Warsaw",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
];

pub fn parse_language(input: &str) -> Result<String, String> {
    LANGUAGES
        .iter()
        .find(|(code, _)| *code == input)
        .map(|(code, _)| (*code).to_owned())
        .ok_or_else(|| "Choose one of the offered languages.".to_owned())
}

pub fn parse_time_zone(input: &str) -> Result<String, String> {
    TIME_ZONES
        .iter()
        .find(|zone| **zone == input)
        .map(|zone| (*zone).to_owned())
        .ok_or_else(|| "Choose one of the offered time zones.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_canonical_lowercases_domain_and_local_for_matching_only() {
        let email = EmailAddress::parse("  Alice@EXAMPLE.com ").expect("valid");
        assert_eq!(email.as_str(), "Alice@example.com");
        assert_eq!(email.canonical(), "alice@example.com");
        let plain = EmailAddress::parse("alice@example.com").expect("valid");
        assert_eq!(email.canonical(), plain.canonical());
    }

    #[test]
    fn plus_tags_dots_and_lookalikes_stay_distinct() {
        let alice = EmailAddress::parse("alice@example.com").expect("valid");
        for other in [
            "alice+x@example.com",
            "a.lice@example.com",
            "alıce@example.com",
        ] {
            let other = EmailAddress::parse(other).expect("valid");
            assert_ne!(other.canonical(), alice.canonical(), "{other:?}");
        }
    }

    #[test]
    fn international_domains_are_idna_encoded() {
        let email = EmailAddress::parse("user@Bücher.example").expect("valid");
        assert_eq!(email.as_str(), "user@xn--bcher-kva.example");
        assert_eq!(email.domain(), "xn--bcher-kva.example");
    }

    #[test]
    fn malformed_emails_are_refused() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_total = format!("{}@{}.com", "a".repeat(60), "b".repeat(200));
        for bad in [
            "",
            "   ",
            "plain",
            "@example.com",
            "alice@",
            "alice@localhost",
            "a b@example.com",
            "alice@exa mple.com",
            "alice@-example.com",
            "alice@example.123",
            ".alice@example.com",
            "al..ice@example.com",
            "alice@@example.com",
            long_local.as_str(),
            long_total.as_str(),
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn phone_numbers_keep_only_digits_after_the_country_sign() {
        assert_eq!(
            PhoneNumber::parse("+1 (425) 555-0100")
                .expect("valid")
                .as_str(),
            "+14255550100"
        );
        assert_eq!(
            PhoneNumber::parse("0049 30 1234567")
                .expect("valid")
                .as_str(),
            "+49301234567"
        );
        for bad in [
            "4255550100",
            "+12",
            "+1 425 555 0100 0000 0000",
            "+1 425 abc",
            "",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn identifier_detects_email_or_phone() {
        assert!(matches!(
            SignInIdentifier::parse("megan@contoso.com"),
            Ok(SignInIdentifier::Email(_))
        ));
        assert!(matches!(
            SignInIdentifier::parse("+1 425 555 0100"),
            Ok(SignInIdentifier::Phone(_))
        ));
        assert!(SignInIdentifier::parse("not-an-email").is_err());
        assert!(SignInIdentifier::parse(&"a".repeat(300)).is_err());
    }

    #[test]
    fn passwords_table() {
        let cases: &[(&str, bool)] = &[
            ("", false),
            ("short", false),
            ("1234567", false),
            ("password", false),
            ("Password1", false),
            ("correct horse battery", true),
            ("ünïcödé-pässwörd", true),
            ("        ", true),
        ];
        for (input, ok) in cases {
            assert_eq!(NewPassword::parse(input).is_ok(), *ok, "{input:?}");
        }
        assert!(NewPassword::parse(&"x".repeat(128)).is_ok());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        // 128 multi-byte characters are 128 characters, not 256 bytes: no truncation, no refusal.
        assert!(NewPassword::parse(&"é".repeat(128)).is_ok());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Megan  ").expect("valid").as_str(),
            "Megan"
        );
        assert!(DisplayName::parse("").is_err());
        assert!(DisplayName::parse(&"n".repeat(201)).is_err());
        assert!(DisplayName::parse("bad\u{0}name").is_err());
    }

    #[test]
    fn profile_choices_are_from_the_lists() {
        assert!(parse_language("de").is_ok());
        assert!(parse_language("xx").is_err());
        assert!(parse_time_zone("Europe/Berlin").is_ok());
        assert!(parse_time_zone("Mars/Olympus").is_err());
    }

    proptest::proptest! {
        // Untrusted input never panics the parsers, and a parsed address parses to itself.
        #[test]
        fn parsers_never_panic(input in "\\PC{0,300}") {
            let _ = SignInIdentifier::parse(&input);
            let _ = PhoneNumber::parse(&input);
            let _ = DisplayName::parse(&input);
            let _ = NewPassword::parse(&input);
            if let Ok(email) = EmailAddress::parse(&input) {
                let again = EmailAddress::parse(email.as_str()).expect("stable");
                proptest::prop_assert_eq!(again, email);
            }
        }

        #[test]
        fn emails_with_any_case_match(local in "[a-z0-9._+-]{1,20}", domain in "[a-z]{1,10}\\.[a-z]{2,5}") {
            let lower = format!("{local}@{domain}");
            if let Ok(email) = EmailAddress::parse(&lower) {
                let upper = EmailAddress::parse(&lower.to_uppercase()).expect("valid");
                proptest::prop_assert_eq!(upper.canonical(), email.canonical());
            }
        }
    }
}
