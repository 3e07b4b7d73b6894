//! The Identity page's validated input and its words, shared with the browser.

use crate::{
    accounts::types::{parse_language, DisplayName, EmailAddress},
    error::{AppError, FieldErrors},
};
use serde::{Deserialize, Serialize};

/// A work account's state on Manage Users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Active,
    Disabled,
    /// Added by an administrator; its person has not set a password yet.
    Waiting,
}

impl UserStatus {
    /// The stored sort key (`accounts.status_key`, a generated column).
    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "active" => Some(Self::Active),
            "disabled" => Some(Self::Disabled),
            "waiting" => Some(Self::Waiting),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Disabled => "Disabled",
            Self::Waiting => "Waiting for password",
        }
    }
}

/// The columns Manage Users sorts by, each read from an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserSort {
    Name,
    Email,
    Status,
    Created,
}

impl UserSort {
    pub const ALL: [UserSort; 4] = [Self::Name, Self::Email, Self::Status, Self::Created];

    /// Anything unknown sorts by name.
    pub fn parse(value: &str) -> Self {
        match value {
            "email" => Self::Email,
            "status" => Self::Status,
            "created" => Self::Created,
            _ => Self::Name,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Email => "email",
            Self::Status => "status",
            Self::Created => "created",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Email => "Email address",
            Self::Status => "Status",
            Self::Created => "Added",
        }
    }
}

/// The longest postal address the form takes (a few lines).
pub const MAX_ADDRESS: usize = 500;

/// The organization's information as a Global Administrator sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgInput {
    pub name: String,
    pub address: String,
    pub technical_contact: EmailAddress,
    pub language: String,
}

impl OrgInput {
    /// Checks every field at once, so the form shows each message beside its field.
    pub fn parse(
        name: &str,
        address: &str,
        technical_contact: &str,
        language: &str,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let name = errors.check(
            "name",
            crate::services::types::parse_organization_name(name),
        );
        let address = errors.check("address", parse_address(address));
        let contact = errors.check(
            "technical_contact",
            if technical_contact.trim().is_empty() {
                Err("Enter the address of your technical contact.".to_owned())
            } else {
                EmailAddress::parse(technical_contact)
            },
        );
        let language = errors.check("language", parse_language(language.trim()));
        errors.into_result()?;
        match (name, address, contact, language) {
            (Some(name), Some(address), Some(technical_contact), Some(language)) => Ok(Self {
                name,
                address,
                technical_contact,
                language,
            }),
            _ => Err(AppError::field(
                "form",
                "The form was incomplete. Please try again.",
            )),
        }
    }
}

/// A postal address of a few lines: each line trimmed, empty lines dropped, no control
/// characters but the line breaks.
pub fn parse_address(input: &str) -> Result<String, String> {
    let lines: Vec<&str> = input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err("Enter your organization's postal address.".to_owned());
    }
    let address = lines.join("\n");
    if address.chars().count() > MAX_ADDRESS {
        return Err(format!("Keep the address under {MAX_ADDRESS} characters."));
    }
    if address.chars().any(|c| c.is_control() && c != '\n') {
        return Err("The address contains characters that cannot be printed.".to_owned());
    }
    Ok(address)
}

/// A new user's name and address, checked together.
pub fn parse_new_user(name: &str, email: &str) -> Result<(DisplayName, EmailAddress), AppError> {
    let mut errors = FieldErrors::default();
    let name = errors.check("display_name", DisplayName::parse(name));
    let email = errors.check("email", EmailAddress::parse(email));
    errors.into_result()?;
    match (name, email) {
        (Some(name), Some(email)) => Ok((name, email)),
        _ => Err(AppError::field(
            "form",
            "The form was incomplete. Please try again.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_keep_their_lines() {
        assert_eq!(
            parse_address(" One Microsoft Way \r\n\r\n Redmond, WA 98052 ").as_deref(),
            Ok("One Microsoft Way\nRedmond, WA 98052")
        );
        assert!(parse_address("  \n ").is_err());
        assert!(parse_address("a\u{7}b").is_err());
        assert!(parse_address(&"x".repeat(MAX_ADDRESS + 1)).is_err());
    }

    #[test]
    fn organization_input_reports_every_field() {
        let refused = OrgInput::parse("", "", "not-an-address", "xx").expect_err("bad");
        for field in ["name", "address", "technical_contact", "language"] {
            assert!(refused.field_message(field).is_some(), "{field}");
        }
        let ok = OrgInput::parse("Contoso", "1 Main St", "it@contoso.com", "de").expect("ok");
        assert_eq!(ok.language, "de");
    }

    #[test]
    fn sorts_and_statuses_read_back() {
        for sort in UserSort::ALL {
            assert_eq!(UserSort::parse(sort.as_str()), sort);
        }
        assert_eq!(UserSort::parse("drop table"), UserSort::Name);
        assert_eq!(UserStatus::parse("waiting"), Some(UserStatus::Waiting));
        assert_eq!(UserStatus::parse("other"), None);
    }
}
