//! "Forgot your password?" and the set-password link of a newly added user (issue 14, item 5).
//!
//! A link carries a 256-bit token (tokens.rs) made by the mail worker as the message leaves; only
//! its SHA-256 is stored, so a copy of the database opens nothing. A token is single use, a reset
//! link lasts one hour and a welcome link seven days; setting a password ends every other token
//! and every session of the account and clears its lockout.

pub mod pages;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
use crate::auth::guard::visitor;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a password link is for: a forgotten password, or a new user's first one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    Reset,
    Welcome,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Welcome => "welcome",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "reset" => Some(Purpose::Reset),
            "welcome" => Some(Purpose::Welcome),
            _ => None,
        }
    }

    /// How long a link stays valid: an hour for a reset (the issue), a week for a new user.
    pub fn valid_secs(self) -> i64 {
        match self {
            Purpose::Reset => 60 * 60,
            Purpose::Welcome => 7 * 24 * 60 * 60,
        }
    }

    /// The page its link opens.
    pub fn path(self) -> &'static str {
        match self {
            Purpose::Reset => "/reset-password",
            Purpose::Welcome => "/set-password",
        }
    }
}

/// Queues the mail a newly added user gets (Manage Users): a link to set their first password,
/// valid seven days, single use. Inside the caller's transaction, so the mail exists only if the
/// user does.
#[cfg(feature = "ssr")]
pub async fn ask_to_set(
    tx: &mut crate::db::Tx,
    base_url: &str,
    account_id: i64,
    email: &str,
    display_name: &str,
) -> Result<(), crate::error::AppError> {
    let head = format!(
        "Hello {display_name},\n\nAn administrator of your organization added you to Services Hub \
         with the address {email}. Set your password to sign in:\n\n{}{}?token=",
        base_url.trim_end_matches('/'),
        Purpose::Welcome.path()
    );
    let tail = "\n\nThe link works once, for 7 days. If you did not expect this mail, ignore it.\n";
    repo::queue_link(
        tx,
        account_id,
        Purpose::Welcome,
        email,
        "Set your password for Services Hub",
        &head,
        tail,
    )
    .await
}

/// "Forgot your password?": queues a reset mail for every enabled account of the address (unless
/// its domain is federated) and lands on the same answer whatever the address. Public: the person
/// cannot sign in.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let v = visitor()?;
    let answer = service::request_reset(&v.state, &email, v.address).await?;
    let to = match answer.directory {
        Some(domain) => format!(
            "/forgot-password?sent=1&directory={}",
            urlencoding::encode(&domain)
        ),
        None => "/forgot-password?sent=1".to_owned(),
    };
    leptos_axum::redirect(&to);
    Ok(())
}

/// Whether a mailed link can still be used, and for what. Public and read-only: opening the link
/// (or a mail scanner following it) changes nothing.
#[server(endpoint = "password_link")]
pub async fn password_link(token: String) -> Result<Option<Purpose>, AppError> {
    let v = visitor()?;
    service::link(&v.state, &token, v.address).await
}

/// Sets the password of a mailed link's account (a POST from the link's page); every session of
/// the account ends, so the person then signs in with the new password. Public: the token is the
/// credential.
#[server(endpoint = "set_new_password")]
pub async fn set_new_password(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let v = visitor()?;
    let done = service::set_password(
        &v.state,
        &token,
        &new_password,
        &confirm_password,
        v.address,
    )
    .await?;
    leptos_axum::redirect(&format!(
        "{}?done=1&identifier={}&kind={}",
        done.purpose.path(),
        urlencoding::encode(&done.email),
        done.kind
    ));
    Ok(())
}
