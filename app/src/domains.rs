//! An organization's domains with DNS proof (DESIGN, "Account for organizations": Domains; seed
//! 002, "change your domain name"). A Global Administrator adds a domain, publishes the TXT
//! record the page shows and verifies it; makes a verified domain the primary one; removes a
//! domain no work account uses. Every administrator reads the list. Several organizations may
//! add the same domain, only one may verify it; a domain merely added names nobody's account
//! (`accounts::organization_for_domain`). Verified domains are re-checked by `recheck`.

pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod dns;
#[cfg(feature = "ssr")]
pub mod recheck;
#[cfg(feature = "ssr")]
pub mod repo;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require_org, OrgPermission};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use types::CheckOutcome;

/// The refusal when another organization has verified the domain.
pub const TAKEN: &str = "Another organization has verified this domain. A domain belongs to one organization only; if it is yours, contact support.";

/// One domain of the organization as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainEntry {
    pub id: i64,
    pub domain: String,
    pub verified_at: Option<i64>,
    pub created_at: i64,
    pub is_primary: bool,
    /// The TXT record to publish: its host and its value.
    pub txt_host: String,
    pub txt_value: String,
    pub checked_at: Option<i64>,
    /// A verified domain whose record was not found by a later check, since then.
    pub missing_since: Option<i64>,
    pub last_outcome: Option<CheckOutcome>,
    /// The values a check saw when they were not the right one.
    pub last_seen: Vec<String>,
}

/// The Domains page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainsData {
    pub organization_name: String,
    pub domains: Vec<DomainEntry>,
    /// The caller is a Global Administrator: the page shows the forms.
    pub can_manage: bool,
}

/// The organization's domains (any of its administrators).
#[server(endpoint = "organization_domains")]
pub async fn organization_domains() -> Result<DomainsData, AppError> {
    let who = require_org(OrgPermission::View).await?;
    if !who.scope.can(OrgPermission::ViewServices) {
        return Err(AppError::Forbidden(
            "Only your organization's administrators can see its domains.".to_owned(),
        ));
    }
    repo::list(&who.state.db, &who.scope).await
}

/// Adds a domain to the caller's organization, unverified (Global Administrators only).
#[server(endpoint = "add_domain")]
pub async fn add_domain(domain: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageIdentity).await?;
    let domain = types::DomainName::parse(&domain).map_err(|m| AppError::field("domain", m))?;
    let id = repo::add(&who, &domain).await?;
    leptos_axum::redirect(&format!("/organization/domains?done=added#domain-{id}"));
    Ok(())
}

/// Looks up the domain's TXT record now and stores what was found; the right value verifies
/// the domain (Global Administrators only). "Not found", "different" and "no answer" are
/// outcomes the page shows, not errors; another organization's verification is refused.
#[server(endpoint = "verify_domain")]
pub async fn verify_domain(id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageIdentity).await?;
    let found = repo::find(&who.state.db, who.scope.organization_id, id).await?;
    // No transaction is open while DNS answers.
    let token = found
        .txt_value
        .strip_prefix(types::TXT_VALUE_PREFIX)
        .unwrap_or_default()
        .to_owned();
    let (outcome, seen) = dns::check(&who.state.config, &found.domain, &token).await;
    repo::record_check(&who, &found, outcome, &seen).await?;
    leptos_axum::redirect(&format!(
        "/organization/domains?done={}#domain-{id}",
        outcome.as_str()
    ));
    Ok(())
}

/// Makes a verified domain the organization's primary domain (Global Administrators only).
#[server(endpoint = "make_primary_domain")]
pub async fn make_primary_domain(id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageIdentity).await?;
    let changed = repo::make_primary(&who, id).await?;
    leptos_axum::redirect(if changed {
        "/organization/domains?done=primary"
    } else {
        "/organization/domains?done=unchanged"
    });
    Ok(())
}

/// Removes a domain that is not primary and that no work account uses (Global Administrators
/// only); a refusal names the accounts.
#[server(endpoint = "remove_domain")]
pub async fn remove_domain(id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageIdentity).await?;
    repo::remove(&who, id).await?;
    leptos_axum::redirect("/organization/domains?done=removed");
    Ok(())
}

/// The re-check job, for the server's `main` (see `recheck`); it ends when `stop` changes.
#[cfg(feature = "ssr")]
pub fn spawn_recheck(
    state: &crate::state::AppState,
    stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    recheck::spawn(state.db.clone(), state.config.clone(), stop)
}
