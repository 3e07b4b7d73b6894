//! Two-step verification (issue 15, item 5; SECURITY "Passwords and sign-in"): a TOTP code
//! (RFC 6238, 30-second steps, six digits) from an authenticator app after the password, or one
//! of ten single-use recovery codes. Required for the provider's staff and for Global
//! Administrators when the installation says so (`Config::require_second_factor`), offered to
//! everyone on "Two-step verification" (`/profile/two-factor`).

pub mod pages;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require_second_step, require_user_enrolling};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Why an account is sent to this page first (the guard's 403 says the same).
pub const REQUIRED_NOTICE: &str = "Your account administers others, so it must use two-step \
    verification. Set it up on this page before you continue.";

/// A secret waiting for its first code: shown to its own account only, as a QR code and as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollment {
    /// The secret in base32, grouped by four for typing.
    pub secret: String,
    /// An `<svg role="img" aria-label=…>` drawn on the server from the otpauth:// address.
    pub qr_svg: String,
}

/// What "Two-step verification" shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorState {
    pub enabled: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
    /// This account may not turn it off (staff or a Global Administrator, when required).
    pub required: bool,
    /// An enrollment started and not yet confirmed.
    pub pending: Option<Enrollment>,
    /// Recovery codes made on this load, shown this once (after enrollment or on request).
    pub new_recovery_codes: Vec<String>,
}

#[server(endpoint = "two_factor_status")]
pub async fn two_factor_status() -> Result<SecondFactorState, AppError> {
    let who = require_user_enrolling().await?;
    service::status(&who).await
}

/// "Set up": a new secret kept server-side until a code proves the app has it.
#[server(endpoint = "start_two_factor")]
pub async fn start_two_factor() -> Result<(), AppError> {
    let who = require_user_enrolling().await?;
    service::start(&who).await?;
    leptos_axum::redirect("/profile/two-factor");
    Ok(())
}

/// The first code: switches the second factor on; the page then shows the recovery codes once.
#[server(endpoint = "confirm_two_factor")]
pub async fn confirm_two_factor(code: String) -> Result<(), AppError> {
    let who = require_user_enrolling().await?;
    service::confirm(&who, &code).await?;
    leptos_axum::redirect("/profile/two-factor?on=1");
    Ok(())
}

/// "Turn off", with a current code; refused where it is required.
#[server(endpoint = "disable_two_factor")]
pub async fn disable_two_factor(code: String) -> Result<(), AppError> {
    let who = require_user_enrolling().await?;
    service::disable(&who, &code).await?;
    leptos_axum::redirect("/profile/two-factor?off=1");
    Ok(())
}

/// "New recovery codes", with a current code: the old ones stop working.
#[server(endpoint = "new_recovery_codes")]
pub async fn new_recovery_codes(code: String) -> Result<(), AppError> {
    let who = require_user_enrolling().await?;
    service::new_recovery_codes(&who, &code).await?;
    leptos_axum::redirect("/profile/two-factor?renewed=1");
    Ok(())
}

/// The second step of sign-in: a code (or a recovery code) for a session whose password was
/// right. A correct one starts a fresh, complete session.
#[server(endpoint = "verify_second_factor")]
pub async fn verify_second_factor(code: String, next: Option<String>) -> Result<(), AppError> {
    let who = require_second_step().await?;
    let cookie = service::verify_sign_in(&who, &code).await?;
    crate::auth::session::set_cookie(&cookie)?;
    leptos_axum::redirect(&crate::accounts::safe_next(next.as_deref().unwrap_or("/")));
    Ok(())
}

/// Answers Ok only to a session waiting for its code (anyone else: 401, like every private
/// function), so a page that finds nobody signed in can send that session to the code.
#[server(endpoint = "second_step_due")]
pub async fn second_step_due() -> Result<(), AppError> {
    require_second_step().await?;
    Ok(())
}

/// Removes an account's second factor and recovery codes and ends its sessions, with an audit
/// entry: a Global Administrator for a work account of their organization (identity), the
/// operator at the command line for anyone.
#[cfg(feature = "ssr")]
pub async fn reset(
    db: &crate::state::Db,
    account_id: i64,
    entry: crate::auth::audit::Entry<'_>,
) -> Result<bool, AppError> {
    repo::reset(db, account_id, entry).await
}

/// Whether the account has a second factor switched on.
#[cfg(feature = "ssr")]
pub async fn enabled(db: &crate::state::Db, account_id: i64) -> Result<bool, AppError> {
    repo::enabled(db, account_id).await
}

/// "Reset two-step verification" on the Identity page's user: a Global Administrator, for a
/// work account of their own organization (another organization's id is simply not found).
#[server(endpoint = "identity_reset_second_factor")]
pub async fn reset_user_second_factor(id: i64) -> Result<(), AppError> {
    use crate::auth::{
        audit::Entry,
        guard::{require_org, OrgPermission},
    };
    let who = require_org(OrgPermission::ManageIdentity).await?;
    let organization_id = who.scope.organization_id;
    let (account_id, name) = repo::work_account(&who.state.db, organization_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = Entry::in_organization(
        &who.caller,
        organization_id,
        "account.second_factor_reset",
        ("account", account_id),
        format!("Reset the two-step verification of {name}"),
        &who.ip,
    );
    repo::reset(&who.state.db, account_id, entry).await?;
    leptos_axum::redirect(&format!(
        "/organization/users/{account_id}?done=second-factor"
    ));
    Ok(())
}

/// Every account with this canonical address (the operator's reset): (id, name).
#[cfg(feature = "ssr")]
pub async fn accounts_with_email(
    db: &crate::state::Db,
    email_canonical: &str,
) -> Result<Vec<(i64, String)>, AppError> {
    repo::account_by_email(db, email_canonical).await
}
