//! Help (issue 14, item 6; DESIGN "Troubleshooting and support"): the FAQ and troubleshooting
//! text, kept as Markdown in the repository and rendered on the server; Feedback, stored for the
//! provider's operator, who reads it in the staff console; and "Contact support", which sends a
//! person to the existing case form of a workspace where they are a support contact.

pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod repo;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require_operator, require_user, visitor, Authorized};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
pub use types::FeedbackCategory;

/// One level 2 heading of the help text, with its level 3 headings (id, title).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
    pub children: Vec<(String, String)>,
}

/// The help text as HTML (one string per file, rendered from the repository's Markdown on the
/// server) and its table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpContent {
    pub sections: Vec<String>,
    pub toc: Vec<TocEntry>,
}

/// One message of the operator's feedback inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackItem {
    pub id: i64,
    pub created_at: i64,
    /// "Name <address>" as it was when the message was sent.
    pub author: String,
    pub organization: Option<String>,
    pub category: FeedbackCategory,
    pub message: String,
    pub about: String,
}

/// A page of the inbox, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackInboxData {
    pub items: Vec<FeedbackItem>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A workspace the caller can open, and whether they open support cases there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportWorkspace {
    pub id: i64,
    pub name: String,
    pub organization: String,
    pub can_open: bool,
}

/// Where the caller can ask for support: their workspaces, and who to ask when they open cases
/// in none (their organization's Global Administrators, "Name (address)").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportChoices {
    pub workspaces: Vec<SupportWorkspace>,
    pub organization: Option<String>,
    pub administrators: Vec<String>,
}

/// How many feedback messages one account may send in an hour.
pub const FEEDBACK_PER_HOUR: i64 = 10;

/// The FAQ and troubleshooting text: public, so someone who cannot sign in can read it.
#[server(endpoint = "help_pages")]
pub async fn help_pages() -> Result<HelpContent, AppError> {
    let _ = visitor()?;
    Ok(render::content())
}

/// Stores a message for the provider (any signed-in account) and shows the confirmation.
#[server(endpoint = "send_feedback")]
pub async fn send_feedback(
    category: String,
    message: String,
    #[server(default)] about: String,
) -> Result<(), AppError> {
    let who = require_user().await?;
    let mut errors = crate::error::FieldErrors::default();
    let category = errors.check(
        "category",
        FeedbackCategory::parse(&category)
            .ok_or_else(|| "Choose what your message is about.".to_owned()),
    );
    let message = errors.check("message", types::FeedbackMessage::parse(&message));
    let about = errors.check("about", types::parse_about(&about));
    errors.into_result()?;
    let (Some(category), Some(message), Some(about)) = (category, message, about) else {
        return Err(AppError::field(
            "form",
            "The form was incomplete. Please try again.",
        ));
    };
    repo::store(&who, category, &message, &about).await?;
    leptos_axum::redirect("/help/feedback?done=sent");
    Ok(())
}

/// The operator's inbox, newest first.
#[server(endpoint = "feedback_inbox")]
pub async fn feedback_inbox(#[server(default)] page: i64) -> Result<FeedbackInboxData, AppError> {
    let Authorized { state, .. } = require_operator().await?;
    repo::inbox(&state.db, page.max(1)).await
}

/// Contact support: the caller's workspaces, with those where they open cases first.
#[server(endpoint = "support_options")]
pub async fn support_options() -> Result<SupportChoices, AppError> {
    let Authorized { state, caller, .. } = require_user().await?;
    repo::support_choices(&state.db, &caller).await
}
