//! Validated values of support cases, shared by the browser and the server.

use serde::{Deserialize, Serialize};

/// A case's title: 1 to 200 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseTitle(String);

impl CaseTitle {
    pub const MAX_LEN: usize = 200;

    pub fn parse(input: &str) -> Result<Self, String> {
        let title = input.trim();
        if title.is_empty() {
            return Err("Enter a title for the case.".to_owned());
        }
        if title.chars().count() > Self::MAX_LEN {
            return Err(format!(
                "A case title has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        if title.chars().any(char::is_control) {
            return Err("A case title cannot contain control characters.".to_owned());
        }
        Ok(Self(title.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Long text of a case (its description, a note): 1 to 10,000 characters; line breaks and tabs
/// are kept, other control characters refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDescription(String);

impl CaseDescription {
    pub const MAX_LEN: usize = 10_000;

    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        if text.is_empty() {
            return Err("Describe the problem.".to_owned());
        }
        Self::check(text).map(|t| Self(t.to_owned()))
    }

    /// A note: the same limits, its own message when empty.
    pub fn parse_note(input: &str) -> Result<Self, String> {
        let text = input.trim();
        if text.is_empty() {
            return Err("Write the note before adding it.".to_owned());
        }
        Self::check(text).map(|t| Self(t.to_owned()))
    }

    fn check(text: &str) -> Result<&str, String> {
        if text.chars().count() > Self::MAX_LEN {
            return Err(format!("At most {} characters.", Self::MAX_LEN));
        }
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err("The text cannot contain control characters.".to_owned());
        }
        Ok(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A product or area: up to 100 characters, may be empty.
pub fn parse_product_area(input: &str) -> Result<String, String> {
    let area = input.trim();
    if area.chars().count() > 100 {
        return Err("A product or area has at most 100 characters.".to_owned());
    }
    if area.chars().any(char::is_control) {
        return Err("A product or area cannot contain control characters.".to_owned());
    }
    Ok(area.to_owned())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    A,
    B,
    C,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::A, Severity::B, Severity::C];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::A => "a",
            Severity::B => "b",
            Severity::C => "c",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::A => "A (critical)",
            Severity::B => "B (high)",
            Severity::C => "C (normal)",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "a" => Ok(Severity::A),
            "b" => Ok(Severity::B),
            "c" => Ok(Severity::C),
            _ => Err("Choose a severity: A (critical), B (high) or C (normal).".to_owned()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    New,
    InProgress,
    WaitingOnCustomer,
    Resolved,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 5] = [
        CaseStatus::New,
        CaseStatus::InProgress,
        CaseStatus::WaitingOnCustomer,
        CaseStatus::Resolved,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::WaitingOnCustomer => "waiting_on_customer",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::New => "New",
            CaseStatus::InProgress => "In progress",
            CaseStatus::WaitingOnCustomer => "Waiting on customer",
            CaseStatus::Resolved => "Resolved",
            CaseStatus::Closed => "Closed",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| "Choose a status from the list.".to_owned())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactMethod {
    Email,
    Phone,
}

impl ContactMethod {
    pub const ALL: [ContactMethod; 2] = [ContactMethod::Email, ContactMethod::Phone];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactMethod::Email => "email",
            ContactMethod::Phone => "phone",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactMethod::Email => "Email",
            ContactMethod::Phone => "Phone",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "email" => Ok(ContactMethod::Email),
            "phone" => Ok(ContactMethod::Phone),
            _ => Err("Choose how we contact you: email or phone.".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert!(CaseTitle::parse("  ").is_err());
        assert!(CaseTitle::parse(&"x".repeat(200)).is_ok());
        assert!(CaseTitle::parse(&"x".repeat(201)).is_err());
        assert_eq!(
            CaseTitle::parse(" Disk full ").map(|t| t.as_str().to_owned()),
            Ok("Disk full".to_owned())
        );
    }

    #[test]
    fn choices() {
        assert_eq!(Severity::parse("B"), Ok(Severity::B));
        assert!(Severity::parse("x").is_err());
        assert_eq!(
            CaseStatus::parse("waiting_on_customer"),
            Ok(CaseStatus::WaitingOnCustomer)
        );
        assert!(CaseStatus::parse("open").is_err());
        assert!(ContactMethod::parse("fax").is_err());
        assert!(CaseDescription::parse(&"y".repeat(10_001)).is_err());
        assert!(CaseDescription::parse("line\nbreak").is_ok());
    }
}
