//! Federation over OpenID Connect (DESIGN, "Account for organizations": Federation). A Global
//! Administrator connects a verified domain of the organization to the organization's directory
//! (issuer, client id, client secret); "Test sign-in" shows the claims that arrive without
//! changing anything; once switched on, people with an address of that domain sign in at the
//! directory. Accounts are found by the directory's (issuer, subject) pair, never by the email
//! alone. A Global Administrator keeps their password as the way back in.

pub mod pages;

#[cfg(feature = "ssr")]
pub mod identities;
#[cfg(feature = "ssr")]
pub mod oidc;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod secret;

#[cfg(feature = "ssr")]
use crate::auth::{
    audit::{self as audit, Entry},
    guard::{require_org, visitor, Authorized, OrgPermission},
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// True when federation is switched on for `domain` (a verified domain of some organization):
/// sign-in and "Forgot your password?" send such addresses to the directory.
#[cfg(feature = "ssr")]
pub async fn is_federated(db: &crate::state::Db, domain: &str) -> Result<bool, AppError> {
    Ok(repo::enabled_for_domain(db, &domain.trim().to_lowercase())
        .await?
        .is_some())
}

/// Whether a password may sign this account in: always, unless it is a work account on a
/// federated domain — then only its organization's Global Administrators (the way back in
/// when the directory fails).
#[cfg(feature = "ssr")]
pub async fn password_allowed(db: &crate::state::Db, account_id: i64) -> Result<bool, AppError> {
    use sqlx::Row;
    let Some(row) = sqlx::query("SELECT kind, email_canonical FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(true);
    };
    let email: String = row.try_get("email_canonical")?;
    if row.try_get::<String, _>("kind")? != "work" {
        return Ok(true);
    }
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    let Some(connection) = repo::enabled_for_domain(db, domain).await? else {
        return Ok(true);
    };
    let global = sqlx::query(
        "SELECT COUNT(*) AS n FROM organization_roles \
         WHERE account_id = $1 AND organization_id = $2 AND role = 'global'",
    )
    .bind(account_id)
    .bind(connection.organization_id)
    .fetch_one(db.pool())
    .await?;
    Ok(global.try_get::<i64, _>("n")? > 0)
}

/// The refusal of a password where the directory signs people in.
pub const USE_DIRECTORY: &str =
    "Your organization signs you in through its directory: use \"Sign in with your organization's directory\".";

/// One verified domain of the organization and its directory connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryConnection {
    pub domain_id: i64,
    pub domain: String,
    /// Saved already (with a secret, which is never sent back).
    pub configured: bool,
    pub issuer: String,
    pub client_id: String,
    pub create_accounts: bool,
    pub enabled: bool,
    pub last_test: Option<TestOutcome>,
}

/// The last Test sign-in: when, the claims that arrived (name, value), or why it failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestOutcome {
    pub at: i64,
    pub claims: Vec<(String, String)>,
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FederationSettings {
    pub organization_name: String,
    /// What the administrator registers at the directory as the redirect URI.
    pub callback_url: String,
    pub domains: Vec<DirectoryConnection>,
}

#[cfg(feature = "ssr")]
fn claim_rows(json: &str) -> Vec<(String, String)> {
    let Ok(claims) = serde_json::from_str::<oidc::Claims>(json) else {
        return Vec::new();
    };
    let when = |t: i64| t.to_string();
    let mut rows = vec![
        ("Issuer".to_owned(), claims.issuer),
        ("Subject".to_owned(), claims.subject),
    ];
    rows.push((
        "Email".to_owned(),
        claims.email.unwrap_or_else(|| "(none)".to_owned()),
    ));
    rows.push((
        "Email verified".to_owned(),
        claims.email_verified.map_or("(not said)".to_owned(), |v| {
            if v { "yes" } else { "no" }.to_owned()
        }),
    ));
    rows.push((
        "Name".to_owned(),
        claims.name.unwrap_or_else(|| "(none)".to_owned()),
    ));
    rows.push(("Audience".to_owned(), claims.audience.join(", ")));
    rows.push(("Issued at (Unix time)".to_owned(), when(claims.issued_at)));
    rows.push(("Expires at (Unix time)".to_owned(), when(claims.expires_at)));
    rows
}

/// The federation page: every verified domain of the caller's organization (Global
/// Administrators only).
#[server(endpoint = "federation_data")]
pub async fn federation_data() -> Result<FederationSettings, AppError> {
    let Authorized { state, scope, .. } = require_org(OrgPermission::ManageIdentity).await?;
    let mut domains = Vec::new();
    for row in repo::domains(&state.db, scope.organization_id).await? {
        let last_test = match row.federation_id {
            Some(id) => repo::last_test(&state.db, scope.organization_id, id)
                .await?
                .map(|t| TestOutcome {
                    at: t.at,
                    claims: claim_rows(&t.claims),
                    error: t.error,
                }),
            None => None,
        };
        domains.push(DirectoryConnection {
            domain_id: row.domain_id,
            domain: row.domain,
            configured: row.federation_id.is_some(),
            issuer: row.issuer,
            client_id: row.client_id,
            create_accounts: row.create_accounts,
            enabled: row.enabled,
            last_test,
        });
    }
    Ok(FederationSettings {
        organization_name: scope.organization_name.clone(),
        callback_url: routes::callback_url(&state),
        domains,
    })
}

/// An issuer URL: https, or http on this machine only (a test directory).
pub fn parse_issuer(text: &str) -> Result<String, String> {
    let text = text.trim().trim_end_matches('/');
    let host = text
        .strip_prefix("https://")
        .map(|rest| (true, rest))
        .or_else(|| text.strip_prefix("http://").map(|rest| (false, rest)));
    let Some((tls, rest)) = host else {
        return Err("Enter the issuer URL, starting with https://.".to_owned());
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let name = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if authority.is_empty() || text.len() > 500 || text.contains(['?', '#', ' ']) {
        return Err("Enter the issuer URL exactly as the directory publishes it.".to_owned());
    }
    if !tls && !matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
        return Err("The issuer URL must start with https://.".to_owned());
    }
    Ok(text.to_owned())
}

/// Saves the directory of one verified domain. An empty secret keeps the saved one; a first
/// save needs one. The secret is sealed before it is stored and never sent back.
#[server(endpoint = "save_federation")]
pub async fn save_federation(
    domain_id: i64,
    issuer: String,
    client_id: String,
    client_secret: String,
    create_accounts: Option<String>,
) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageIdentity).await?;
    let mut errors = crate::error::FieldErrors::default();
    let issuer = errors.check("issuer", parse_issuer(&issuer));
    let client_id = client_id.trim().to_owned();
    let _ = errors.check(
        "client_id",
        if client_id.is_empty() || client_id.len() > 255 {
            Err("Enter the client id the directory gave (at most 255 characters).".to_owned())
        } else {
            Ok(())
        },
    );
    let client_secret = client_secret.trim().to_owned();
    let _ = errors.check(
        "client_secret",
        if client_secret.len() > 1000 {
            Err("A client secret has at most 1000 characters.".to_owned())
        } else {
            Ok(())
        },
    );
    errors.into_result()?;
    let issuer = issuer.unwrap_or_default();
    let org = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let Some(domain) = repo::verified_domain(&mut tx, org, domain_id).await? else {
        return Err(AppError::NotFound);
    };
    let sealed = if client_secret.is_empty() {
        None
    } else {
        Some(
            secret::seal(
                &who.state.config.secret_key.0,
                &domain_id.to_string(),
                &client_secret,
            )
            .map_err(AppError::internal)?,
        )
    };
    let saved = repo::save(
        &mut tx,
        &repo::Saved {
            organization_id: org,
            domain_id,
            issuer: &issuer,
            client_id: &client_id,
            secret_sealed: sealed.as_deref(),
            create_accounts: create_accounts.is_some(),
        },
    )
    .await?;
    let Some(federation_id) = saved else {
        return Err(AppError::field(
            "client_secret",
            "Enter the client secret the directory gave.",
        ));
    };
    audit::record(
        &mut tx,
        Entry::in_organization(
            &who.caller,
            org,
            "federation.save",
            ("federation", federation_id),
            format!(
                "{domain}: issuer {issuer}, client id {client_id}{}{}",
                if sealed.is_some() { ", new secret" } else { "" },
                if create_accounts.is_some() {
                    ", creates accounts"
                } else {
                    ""
                }
            ),
            &who.ip,
        ),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/organization/federation?done=saved");
    Ok(())
}

/// Switches the directory of one domain on ("on") or off ("off").
#[server(endpoint = "switch_federation")]
pub async fn switch_federation(domain_id: i64, on: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageIdentity).await?;
    let on = match on.as_str() {
        "on" => true,
        "off" => false,
        _ => return Err(AppError::field("on", "Choose on or off.")),
    };
    let org = who.scope.organization_id;
    let Some(connection) = repo::for_domain_id(&who.state.db, org, domain_id).await? else {
        return Err(AppError::NotFound);
    };
    let mut tx = who.state.db.begin_write().await?;
    if !repo::switch(&mut tx, org, connection.id, on).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        Entry::in_organization(
            &who.caller,
            org,
            if on {
                "federation.on"
            } else {
                "federation.off"
            },
            ("federation", connection.id),
            connection.domain.clone(),
            &who.ip,
        ),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(if on {
        "/organization/federation?done=on"
    } else {
        "/organization/federation?done=off"
    });
    Ok(())
}

/// Whether this address signs in at its organization's directory (the sign-in page then offers
/// that first). Public, like the sign-in steps; it says only what the sign-in page would show.
#[server(endpoint = "directory_for")]
pub async fn directory_for(identifier: String) -> Result<bool, AppError> {
    // No per-address budget of its own: it tells only whether a domain is federated (no
    // account is looked at), and sharing the look-up budget would halve the sign-in's.
    let visitor = visitor()?;
    let identifier = identifier.trim().to_lowercase();
    let Some((_, domain)) = identifier.rsplit_once('@') else {
        return Ok(false);
    };
    is_federated(&visitor.state.db, domain).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_https_or_local() {
        assert_eq!(
            parse_issuer("https://login.example/tenant/").unwrap(),
            "https://login.example/tenant"
        );
        assert!(parse_issuer("http://127.0.0.1:9090").is_ok());
        assert!(parse_issuer("http://login.example").is_err());
        assert!(parse_issuer("login.example").is_err());
        assert!(parse_issuer("https://login.example/?x=1").is_err());
    }
}
