//! Who a verified ID token names. An account is found by the directory's (issuer, subject) pair,
//! never by the email alone. On a first sign-in the pair is linked to an existing work account of
//! the organization only when the directory vouches for the address (email_verified) on the
//! domain this connection federates and the account has no link to a directory yet; otherwise a
//! new work account is made when the administrator allows it. Everything else is refused with
//! a sentence the person can act on.

use super::{oidc::Claims, repo::Connection};
use crate::{
    auth::audit::{self as audit, Actor, Entry},
    error::AppError,
    state::{now, Db},
};
use sqlx::Row;

/// Why a sign-in through the directory was refused (the sign-in page words each one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The address from the directory is missing or not on the federated domain.
    OutsideDomain,
    /// An account with this address exists but cannot be linked safely.
    AccountExists,
    /// No account yet and the administrator does not create accounts at sign-in.
    NoAccount,
    /// The linked account is disabled or belongs elsewhere.
    Disabled,
}

pub enum Outcome {
    SignedIn(i64),
    Refused(Refusal),
}

/// The address a directory gave, in the form accounts compare (lowercased), with its domain.
fn address(claims: &Claims) -> Option<(String, String)> {
    let email = claims.email.as_deref()?.trim().to_ascii_lowercase();
    let (local, domain) = email.rsplit_once('@')?;
    let plain = |c: char| !(c.is_whitespace() || c.is_control() || "\"(),:;<>[\\]@".contains(c));
    let well_formed =
        !local.is_empty() && !domain.is_empty() && email.is_ascii() && email.len() <= 254;
    (well_formed && local.chars().all(plain) && domain.chars().all(plain))
        .then(|| (email.clone(), domain.to_owned()))
}

pub async fn resolve(
    db: &Db,
    connection: &Connection,
    claims: &Claims,
) -> Result<Outcome, AppError> {
    let mut tx = db.begin_write().await?;
    let linked = sqlx::query(
        "SELECT a.id, a.kind, a.organization_id, a.disabled_at FROM federated_identities i \
         JOIN accounts a ON a.id = i.account_id WHERE i.issuer = $1 AND i.subject = $2",
    )
    .bind(&claims.issuer)
    .bind(&claims.subject)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = linked {
        let id: i64 = row.try_get("id")?;
        let usable = row.try_get::<String, _>("kind")? == "work"
            && row.try_get::<Option<i64>, _>("organization_id")?
                == Some(connection.organization_id)
            && row.try_get::<Option<i64>, _>("disabled_at")?.is_none();
        if !usable {
            return Ok(Outcome::Refused(Refusal::Disabled));
        }
        signed_in(&mut tx, id, claims).await?;
        tx.commit().await?;
        return Ok(Outcome::SignedIn(id));
    }

    let Some((email, domain)) = address(claims) else {
        return Ok(Outcome::Refused(Refusal::OutsideDomain));
    };
    if domain != connection.domain {
        return Ok(Outcome::Refused(Refusal::OutsideDomain));
    }
    let existing = sqlx::query(
        "SELECT a.id, a.organization_id, a.disabled_at, \
            (SELECT COUNT(*) FROM federated_identities i WHERE i.account_id = a.id) AS links \
         FROM accounts a WHERE a.kind = 'work' AND a.email_canonical = $1",
    )
    .bind(&email)
    .fetch_optional(&mut *tx)
    .await?;
    let account_id = match existing {
        Some(row) => {
            let id: i64 = row.try_get("id")?;
            let linkable = claims.email_verified == Some(true)
                && row.try_get::<Option<i64>, _>("organization_id")?
                    == Some(connection.organization_id)
                && row.try_get::<Option<i64>, _>("disabled_at")?.is_none()
                && row.try_get::<i64, _>("links")? == 0;
            if !linkable {
                return Ok(Outcome::Refused(Refusal::AccountExists));
            }
            id
        }
        None if connection.create_accounts => create(&mut tx, connection, claims, &email).await?,
        None => return Ok(Outcome::Refused(Refusal::NoAccount)),
    };
    sqlx::query(
        "INSERT INTO federated_identities (issuer, subject, account_id, organization_id, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&claims.issuer)
    .bind(&claims.subject)
    .bind(account_id)
    .bind(connection.organization_id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Actor::Registering { label: &email },
            action: "federation.link",
            object_type: "account",
            object_id: Some(account_id),
            organization_id: Some(connection.organization_id),
            agreement_id: None,
            workspace_id: None,
            detail: format!("issuer {}", claims.issuer),
            ip: "directory",
        },
    )
    .await?;
    signed_in(&mut tx, account_id, claims).await?;
    tx.commit().await?;
    Ok(Outcome::SignedIn(account_id))
}

async fn signed_in(
    tx: &mut crate::db::Tx,
    account_id: i64,
    claims: &Claims,
) -> Result<(), AppError> {
    let now = now();
    sqlx::query("UPDATE accounts SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE federated_identities SET last_sign_in_at = $1 WHERE issuer = $2 AND subject = $3",
    )
    .bind(now)
    .bind(&claims.issuer)
    .bind(&claims.subject)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A work account of the organization for a person the directory vouches for. It has no
/// password: the stored hash is not a hash any password verifies against, so only the directory
/// (or a reset by mail, where the organization allows it) signs this account in.
async fn create(
    tx: &mut crate::db::Tx,
    connection: &Connection,
    claims: &Claims,
    email: &str,
) -> Result<i64, AppError> {
    let name: String = claims
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(email)
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let id: i64 = sqlx::query(
        "INSERT INTO accounts (kind, email, email_canonical, organization_id, display_name, \
            password_hash, created_at, updated_at) VALUES ('work', $1, $1, $2, $3, $4, $5, $5) \
         RETURNING id",
    )
    .bind(email)
    .bind(connection.organization_id)
    .bind(&name)
    .bind("!federated")
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .map_err(crate::db::unique_as(
        "email",
        "An account with this address already exists.",
    ))?
    .try_get("id")?;
    audit::record(
        tx,
        Entry {
            actor: Actor::Registering { label: email },
            action: "account.create",
            object_type: "account",
            object_id: Some(id),
            organization_id: Some(connection.organization_id),
            agreement_id: None,
            workspace_id: None,
            detail: format!("at the first sign-in through {}", claims.issuer),
            ip: "directory",
        },
    )
    .await?;
    Ok(id)
}
