//! What a group form sends, checked (shared with the browser).

use crate::{
    error::{AppError, FieldErrors},
    groups::GroupName,
};
use serde::{Deserialize, Serialize};

/// A group's description: up to 500 characters on one line; empty is fine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDescription(String);

impl GroupDescription {
    pub const MAX_LEN: usize = 500;

    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        if text.chars().count() > Self::MAX_LEN {
            return Err(format!(
                "A description has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        if text.chars().any(char::is_control) {
            return Err("A description is one line, without control characters.".to_owned());
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new or edited group: its name (unique in the organization whatever its case) and
/// description, both checked at once.
pub struct GroupInput {
    pub name: GroupName,
    pub description: GroupDescription,
}

impl GroupInput {
    pub fn parse(name: &str, description: &str) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", GroupName::parse(name));
        let description = errors.check("description", GroupDescription::parse(description));
        errors.into_result()?;
        match (name, description) {
            (Some(name), Some(description)) => Ok(Self { name, description }),
            _ => Err(AppError::field(
                "form",
                "The form was incomplete. Please try again.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_forms() {
        let input = GroupInput::parse("  Finance ", " Pays the bills ").expect("valid");
        assert_eq!(input.name.as_str(), "Finance");
        assert_eq!(input.description.as_str(), "Pays the bills");
        let refused = GroupInput::parse(" ", &"d".repeat(501))
            .err()
            .expect("refused");
        assert!(refused.field_message("name").is_some());
        assert!(refused.field_message("description").is_some());
        assert!(GroupDescription::parse("").is_ok());
        assert!(GroupDescription::parse("a\nb").is_err());
    }
}
