//! What the Domains page and its server functions share with the browser: a domain name as a
//! form sends it, the TXT record that proves it, and what a check found.

use serde::{Deserialize, Serialize};

/// The label under the domain where the proof is published. A label of its own (rather than the
/// domain's apex) keeps the proof apart from SPF and other TXT records the domain already has.
pub const TXT_LABEL: &str = "_services-hub-verification";

/// What the TXT record's value starts with; the per-domain token follows.
pub const TXT_VALUE_PREFIX: &str = "services-hub-verification=";

/// The host name of the TXT record to publish for `domain`.
pub fn txt_host(domain: &str) -> String {
    format!("{TXT_LABEL}.{domain}")
}

/// The value of the TXT record to publish, from the domain's token.
pub fn txt_value(token: &str) -> String {
    format!("{TXT_VALUE_PREFIX}{token}")
}

/// A domain as people type it: trimmed, lower-case, international names in their ASCII form
/// (IDNA), at least two labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainName(String);

impl DomainName {
    pub fn parse(input: &str) -> Result<Self, String> {
        let input = input.trim();
        let input = input.strip_prefix('@').unwrap_or(input);
        crate::accounts::types::ascii_domain(&input.to_lowercase())
            .map(Self)
            .ok_or_else(|| "Enter a domain name like contoso.com.".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the last check of a domain's record found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckOutcome {
    Verified,
    NotFound,
    Different,
    NoAnswer,
}

impl CheckOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::NotFound => "not_found",
            Self::Different => "different",
            Self::NoAnswer => "no_answer",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "verified" => Self::Verified,
            "not_found" => Self::NotFound,
            "different" => Self::Different,
            "no_answer" => Self::NoAnswer,
            _ => return None,
        })
    }

    /// The sentence the page shows after a check.
    pub fn sentence(self) -> &'static str {
        match self {
            Self::Verified => "The record was found with the right value.",
            Self::NotFound => "The record was not found. Publish it at your DNS host, then try again: new records can take a while to appear.",
            Self::Different => "A TXT record was found, but its value is different from the one to publish.",
            Self::NoAnswer => "The DNS server did not answer. Nothing changed; try again in a few minutes.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_from_forms() {
        assert_eq!(
            DomainName::parse("  Contoso.COM. ").map(|d| d.0),
            Ok("contoso.com".to_owned())
        );
        assert_eq!(
            DomainName::parse("@bücher.example").map(|d| d.0),
            Ok("xn--bcher-kva.example".to_owned())
        );
        for bad in ["", "contoso", "a@b.com", "-x.com", "x..com", "1.2.3.4"] {
            assert!(DomainName::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            txt_host("contoso.com"),
            "_services-hub-verification.contoso.com"
        );
        assert_eq!(txt_value("ab12"), "services-hub-verification=ab12");
        for outcome in [
            CheckOutcome::Verified,
            CheckOutcome::NotFound,
            CheckOutcome::Different,
            CheckOutcome::NoAnswer,
        ] {
            assert_eq!(CheckOutcome::parse(outcome.as_str()), Some(outcome));
        }
    }
}
