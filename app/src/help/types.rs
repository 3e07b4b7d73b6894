//! What the feedback form sends, checked (shared with the browser).

use serde::{Deserialize, Serialize};

/// What a feedback message is about (stored as `as_str`; the column has a CHECK).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackCategory {
    Idea,
    Problem,
    Praise,
    Other,
}

impl FeedbackCategory {
    pub const ALL: [Self; 4] = [Self::Idea, Self::Problem, Self::Praise, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idea => "idea",
            Self::Problem => "problem",
            Self::Praise => "praise",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Idea => "An idea",
            Self::Problem => "A problem with the portal",
            Self::Praise => "Praise",
            Self::Other => "Something else",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value.trim())
    }
}

/// The message: 1 to 2,000 characters, lines allowed, no other control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackMessage(String);

impl FeedbackMessage {
    pub const MAX_LEN: usize = 2000;

    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        if text.is_empty() {
            return Err("Write your message.".to_owned());
        }
        if text.chars().count() > Self::MAX_LEN {
            return Err(format!(
                "A message has at most {} characters; this one has {}.",
                Self::MAX_LEN,
                text.chars().count()
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err("The message contains characters that cannot be stored.".to_owned());
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The page the message is about, as the person wrote or pasted it: optional, one line, at most
/// 300 characters (only ever shown as text).
pub fn parse_about(input: &str) -> Result<String, String> {
    let text = input.trim();
    if text.chars().count() > 300 {
        return Err("Name the page in at most 300 characters.".to_owned());
    }
    if text.chars().any(char::is_control) {
        return Err("Name the page on one line.".to_owned());
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_fields() {
        assert_eq!(
            FeedbackCategory::parse("praise"),
            Some(FeedbackCategory::Praise)
        );
        assert_eq!(FeedbackCategory::parse("rant"), None);
        assert!(FeedbackMessage::parse("  ").is_err());
        assert!(FeedbackMessage::parse(&"x".repeat(2000)).is_ok());
        assert!(FeedbackMessage::parse(&"x".repeat(2001)).is_err());
        assert!(FeedbackMessage::parse("two\nlines").is_ok());
        assert!(FeedbackMessage::parse("bell\u{7}").is_err());
        assert!(parse_about(&"p".repeat(301)).is_err());
        assert_eq!(parse_about(" /services ").as_deref(), Ok("/services"));
    }
}
