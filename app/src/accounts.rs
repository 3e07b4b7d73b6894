//! Accounts and sign-in (seed 000; ARCHITECTURE.md, "Sources"): the two account kinds, the sign-in
//! steps, sessions and the user's own profile.

pub mod pages;
pub mod passwords;
pub mod two_factor;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
use crate::auth::{
    guard::{require_user, visitor, Authorized},
    session::{self, set_cookie},
};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
pub use repo::{NewAccount, NewOrganization};
use serde::{Deserialize, Serialize};
use types::AccountKind;

/// What the header shows about the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub display_name: String,
    pub email: String,
    pub kind: AccountKind,
    /// A provider staff account (operator, CSAM or AC): the header links the staff console.
    pub is_staff: bool,
    /// Must set up two-step verification before any other page (staff and Global
    /// Administrators, when the installation requires it).
    #[serde(default)]
    pub must_enroll: bool,
}

/// The kinds of account that can sign in with an identifier. More than one means the person chooses
/// (seed 000, as ARCHITECTURE.md's "Sources" says); an unknown identifier gets the kind its domain
/// suggests, so the answer does not reveal whether an account exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChoices {
    pub kinds: Vec<AccountKind>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub kind: AccountKind,
    pub email: String,
    pub display_name: String,
    pub phone: String,
    pub language: String,
    pub time_zone: String,
    pub notification_email: String,
}

/// A validated profile change.
#[derive(Clone, Debug)]
pub struct ProfileUpdate {
    pub display_name: types::DisplayName,
    pub phone: Option<types::PhoneNumber>,
    pub language: String,
    pub time_zone: String,
    pub notification_email: Option<types::EmailAddress>,
}

impl ProfileUpdate {
    /// Checks every field and reports all bad ones at once.
    pub fn parse(
        display_name: &str,
        phone: &str,
        language: &str,
        time_zone: &str,
        notification_email: &str,
    ) -> Result<Self, AppError> {
        let mut errors = crate::error::FieldErrors::default();
        let display_name = errors.check("display_name", types::DisplayName::parse(display_name));
        let phone = if phone.trim().is_empty() {
            Some(None)
        } else {
            errors.check("phone", types::PhoneNumber::parse(phone).map(Some))
        };
        let language = errors.check("language", types::parse_language(language));
        let time_zone = errors.check("time_zone", types::parse_time_zone(time_zone));
        let notification_email = if notification_email.trim().is_empty() {
            Some(None)
        } else {
            errors.check(
                "notification_email",
                types::EmailAddress::parse(notification_email).map(Some),
            )
        };
        errors.into_result()?;
        match (display_name, phone, language, time_zone, notification_email) {
            (
                Some(display_name),
                Some(phone),
                Some(language),
                Some(time_zone),
                Some(notification_email),
            ) => Ok(Self {
                display_name,
                phone,
                language,
                time_zone,
                notification_email,
            }),
            _ => Err(AppError::field(
                "form",
                "The form was incomplete. Please try again.",
            )),
        }
    }
}

/// Writes a new account inside the caller's transaction (registration from an invitation, a
/// staff account), refusing an address or phone number that is taken. For other domains.
#[cfg(feature = "ssr")]
pub async fn insert_account(
    tx: &mut crate::db::Tx,
    account: &NewAccount,
    actor: crate::auth::audit::Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    repo::insert_account(tx, account, actor, ip).await
}

/// Writes an organization and its first domain inside the caller's transaction (sign-up creates
/// the organization, its first user and their role together). For other domains.
#[cfg(feature = "ssr")]
pub async fn insert_organization(
    tx: &mut crate::db::Tx,
    org: &NewOrganization,
    verified: bool,
    actor: crate::auth::audit::Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    repo::insert_organization(tx, org, verified, actor, ip).await
}

/// The work account of `organization_id` with this canonical address: (id, name, address).
#[cfg(feature = "ssr")]
pub async fn work_account_in(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    email_canonical: &str,
) -> Result<Option<(i64, String, String)>, AppError> {
    repo::work_account_in(tx, organization_id, email_canonical).await
}

/// The organization whose verified domain this is, if any (a new account's kind follows it).
#[cfg(feature = "ssr")]
pub async fn organization_for_domain(
    db: &crate::state::Db,
    domain: &str,
) -> Result<Option<i64>, AppError> {
    repo::organization_for_domain(db, domain).await
}

/// The organization of this name (any letter case), if any.
#[cfg(feature = "ssr")]
pub async fn organization_by_name(
    db: &crate::state::Db,
    name: &str,
) -> Result<Option<i64>, AppError> {
    repo::organization_by_name(db, name).await
}

/// Which kinds of account an address or phone number has.
#[cfg(feature = "ssr")]
pub async fn kinds_for(
    db: &crate::state::Db,
    identifier: &types::SignInIdentifier,
) -> Result<Vec<AccountKind>, AppError> {
    repo::kinds_for(db, identifier).await
}

/// A `next` target after sign-in: only a path on this site, never another origin.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 512;
    if ok {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserSummary>, AppError> {
    let v = visitor()?;
    let caller = v.caller().await?;
    let config = v.state.config.clone();
    Ok(caller.map(|c| UserSummary {
        must_enroll: c.must_enroll(&config),
        display_name: c.display_name,
        email: c.email,
        kind: c.kind,
        is_staff: c.staff_role.is_some(),
    }))
}

#[server(endpoint = "sign_in_options")]
pub async fn sign_in_options(identifier: String) -> Result<AccountChoices, AppError> {
    let v = visitor()?;
    service::sign_in_options(&v.state, &identifier, v.address).await
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    identifier: String,
    kind: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let v = visitor()?;
    let accepting_invitation = next
        .as_deref()
        .is_some_and(|n| safe_next(n).starts_with("/invitations/accept"));
    let (cookie, code_due) = service::sign_in(
        &v.state,
        &identifier,
        &kind,
        &password,
        accepting_invitation,
        v.address,
    )
    .await?;
    set_cookie(&cookie)?;
    let next = safe_next(next.as_deref().unwrap_or("/"));
    if code_due {
        leptos_axum::redirect(&format!(
            "/sign-in/verify?next={}",
            urlencoding::encode(&next)
        ));
    } else {
        leptos_axum::redirect(&next);
    }
    Ok(())
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let v = visitor()?;
    // Signing out twice (or with an expired session) still clears the cookie and lands on
    // "Sign in".
    if let Some(caller) = v.session().await? {
        let cookie = session::end(&v.state.db, &v.state.config, &caller).await?;
        set_cookie(&cookie)?;
    }
    leptos_axum::redirect("/sign-in?signed_out=1");
    Ok(())
}

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    let Authorized { state, caller, .. } = require_user().await?;
    repo::profile(&state.db, caller.account_id).await
}

#[server(endpoint = "save_profile")]
pub async fn save_profile(
    display_name: String,
    phone: String,
    language: String,
    time_zone: String,
    notification_email: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let Authorized { state, caller, .. } = require_user().await?;
    let update = ProfileUpdate::parse(
        &display_name,
        &phone,
        &language,
        &time_zone,
        &notification_email,
    )?;
    repo::update_profile(&state.db, caller.account_id, &update).await?;
    // A plain form post lands on a page that says it was saved; "Complete your profile" (after
    // registration) goes on to the workspace.
    match next.filter(|n| !n.is_empty()) {
        Some(next) => leptos_axum::redirect(&safe_next(&next)),
        None => leptos_axum::redirect("/profile?saved=1"),
    }
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let who = require_user().await?;
    service::change_password(&who, &current_password, &new_password).await?;
    leptos_axum::redirect("/profile?password_changed=1");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/profile"), "/profile");
        assert_eq!(safe_next("/profile?tab=1"), "/profile?tab=1");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "profile",
            "",
            "/a\nb",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }

    #[test]
    fn profile_update_reports_every_bad_field() {
        let err =
            ProfileUpdate::parse("", "123", "xx", "Mars/Olympus", "nope").expect_err("invalid");
        for field in [
            "display_name",
            "phone",
            "language",
            "time_zone",
            "notification_email",
        ] {
            assert!(err.field_message(field).is_some(), "{field}");
        }
        let ok = ProfileUpdate::parse("Megan", "", "de", "Europe/Berlin", "megan@home.example")
            .expect("valid");
        assert!(ok.phone.is_none());
        assert_eq!(
            ok.notification_email.map(|e| e.as_str().to_owned()),
            Some("megan@home.example".to_owned())
        );
    }
}
