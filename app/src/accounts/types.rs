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
mod tests;
