//! The federation queries. Every query of an administrator's action names the organization from
//! the caller's scope; the sign-in side finds a connection by its (verified) domain.

use crate::{
    error::AppError,
    state::{now, Db},
};
use sqlx::Row;

/// One verified domain of the organization and its connection, if any.
pub struct DomainRow {
    pub domain_id: i64,
    pub domain: String,
    pub federation_id: Option<i64>,
    pub issuer: String,
    pub client_id: String,
    pub create_accounts: bool,
    pub enabled: bool,
}

pub async fn domains(db: &Db, organization_id: i64) -> Result<Vec<DomainRow>, AppError> {
    let rows = sqlx::query(
        "SELECT d.id AS domain_id, d.domain, f.id AS federation_id, f.issuer, f.client_id, \
                f.create_accounts, f.enabled_at \
         FROM organization_domains d LEFT JOIN federations f ON f.domain_id = d.id \
         WHERE d.organization_id = $1 AND d.verified_at IS NOT NULL ORDER BY d.domain",
    )
    .bind(organization_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DomainRow {
                domain_id: r.try_get("domain_id")?,
                domain: r.try_get("domain")?,
                federation_id: r.try_get("federation_id")?,
                issuer: r
                    .try_get::<Option<String>, _>("issuer")?
                    .unwrap_or_default(),
                client_id: r
                    .try_get::<Option<String>, _>("client_id")?
                    .unwrap_or_default(),
                create_accounts: r.try_get::<Option<i64>, _>("create_accounts")?.unwrap_or(0) != 0,
                enabled: r.try_get::<Option<i64>, _>("enabled_at")?.is_some(),
            })
        })
        .collect()
}

/// A connection as the flow needs it (secret still sealed).
#[derive(Clone)]
pub struct Connection {
    pub id: i64,
    pub organization_id: i64,
    pub domain_id: i64,
    pub domain: String,
    pub issuer: String,
    pub client_id: String,
    pub secret_sealed: String,
    pub create_accounts: bool,
    pub enabled: bool,
}

const CONNECTION: &str = "SELECT f.id, f.organization_id, f.domain_id, d.domain, f.issuer, \
    f.client_id, f.secret_sealed, f.create_accounts, f.enabled_at \
    FROM federations f JOIN organization_domains d ON d.id = f.domain_id \
    WHERE d.verified_at IS NOT NULL AND d.organization_id = f.organization_id";

fn connection(r: &sqlx::any::AnyRow) -> Result<Connection, AppError> {
    Ok(Connection {
        id: r.try_get("id")?,
        organization_id: r.try_get("organization_id")?,
        domain_id: r.try_get("domain_id")?,
        domain: r.try_get("domain")?,
        issuer: r.try_get("issuer")?,
        client_id: r.try_get("client_id")?,
        secret_sealed: r.try_get("secret_sealed")?,
        create_accounts: r.try_get::<i64, _>("create_accounts")? != 0,
        enabled: r.try_get::<Option<i64>, _>("enabled_at")?.is_some(),
    })
}

/// The organization's connection for one of its verified domains.
pub async fn for_domain_id(
    db: &Db,
    organization_id: i64,
    domain_id: i64,
) -> Result<Option<Connection>, AppError> {
    let row = sqlx::query(&format!(
        "{CONNECTION} AND f.organization_id = $1 AND f.domain_id = $2"
    ))
    .bind(organization_id)
    .bind(domain_id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(connection).transpose()
}

/// The switched-on connection of a domain name (sign-in).
pub async fn enabled_for_domain(db: &Db, domain: &str) -> Result<Option<Connection>, AppError> {
    let row = sqlx::query(&format!(
        "{CONNECTION} AND d.domain = $1 AND f.enabled_at IS NOT NULL"
    ))
    .bind(domain)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(connection).transpose()
}

pub async fn by_id(db: &Db, federation_id: i64) -> Result<Option<Connection>, AppError> {
    let row = sqlx::query(&format!("{CONNECTION} AND f.id = $1"))
        .bind(federation_id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(connection).transpose()
}

/// Whether `domain_id` is a verified domain of the organization.
pub async fn verified_domain(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    domain_id: i64,
) -> Result<Option<String>, AppError> {
    let row = sqlx::query(
        "SELECT domain FROM organization_domains \
         WHERE id = $1 AND organization_id = $2 AND verified_at IS NOT NULL",
    )
    .bind(domain_id)
    .bind(organization_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.try_get("domain")).transpose()?)
}

pub struct Saved<'a> {
    pub organization_id: i64,
    pub domain_id: i64,
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// None keeps the saved secret.
    pub secret_sealed: Option<&'a str>,
    pub create_accounts: bool,
}

/// Inserts or updates the domain's connection; returns its id, or None when a new connection
/// comes without a secret.
pub async fn save(tx: &mut crate::db::Tx, saved: &Saved<'_>) -> Result<Option<i64>, AppError> {
    let now = now();
    let existing =
        sqlx::query("SELECT id FROM federations WHERE domain_id = $1 AND organization_id = $2")
            .bind(saved.domain_id)
            .bind(saved.organization_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(row) = existing {
        let id: i64 = row.try_get("id")?;
        sqlx::query(
            "UPDATE federations SET issuer = $1, client_id = $2, \
                secret_sealed = COALESCE($3, secret_sealed), create_accounts = $4, updated_at = $5 \
             WHERE id = $6 AND organization_id = $7",
        )
        .bind(saved.issuer)
        .bind(saved.client_id)
        .bind(saved.secret_sealed)
        .bind(i64::from(saved.create_accounts))
        .bind(now)
        .bind(id)
        .bind(saved.organization_id)
        .execute(&mut **tx)
        .await?;
        return Ok(Some(id));
    }
    let Some(secret) = saved.secret_sealed else {
        return Ok(None);
    };
    let id: i64 = sqlx::query(
        "INSERT INTO federations (organization_id, domain_id, issuer, client_id, secret_sealed, \
            create_accounts, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         RETURNING id",
    )
    .bind(saved.organization_id)
    .bind(saved.domain_id)
    .bind(saved.issuer)
    .bind(saved.client_id)
    .bind(secret)
    .bind(i64::from(saved.create_accounts))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(crate::db::unique_as(
        "domain",
        "This domain already has a directory.",
    ))?
    .try_get("id")?;
    Ok(Some(id))
}

/// Switches a connection on or off; false when the organization has no such connection.
pub async fn switch(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    federation_id: i64,
    on: bool,
) -> Result<bool, AppError> {
    let now = now();
    let done = sqlx::query(
        "UPDATE federations SET enabled_at = $1, updated_at = $2 \
         WHERE id = $3 AND organization_id = $4",
    )
    .bind(on.then_some(now))
    .bind(now)
    .bind(federation_id)
    .bind(organization_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A login under way (`purpose` sign_in or test); expired ones are cleared on the way.
pub struct Pending<'a> {
    pub state_hash: &'a str,
    pub federation_id: i64,
    pub purpose: &'a str,
    pub account_id: Option<i64>,
    pub pkce_verifier: &'a str,
    pub nonce: &'a str,
    pub next_path: Option<&'a str>,
}

/// How long a login may take at the directory.
pub const LOGIN_TTL_SECS: i64 = 10 * 60;

pub async fn insert_login(db: &Db, login: &Pending<'_>) -> Result<(), AppError> {
    let now = now();
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM federation_logins WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO federation_logins (state_hash, federation_id, purpose, account_id, \
            pkce_verifier, nonce, next_path, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(login.state_hash)
    .bind(login.federation_id)
    .bind(login.purpose)
    .bind(login.account_id)
    .bind(login.pkce_verifier)
    .bind(login.nonce)
    .bind(login.next_path)
    .bind(now + LOGIN_TTL_SECS)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub struct TakenLogin {
    pub federation_id: i64,
    pub purpose: String,
    pub account_id: Option<i64>,
    pub pkce_verifier: String,
    pub nonce: String,
    pub next_path: Option<String>,
}

/// Takes the login for this state once: the row is deleted as it is read, so a replayed
/// callback finds nothing. An expired login is taken and refused.
pub async fn take_login(db: &Db, state_hash: &str) -> Result<Option<TakenLogin>, AppError> {
    let row = sqlx::query(
        "DELETE FROM federation_logins WHERE state_hash = $1 \
         RETURNING federation_id, purpose, account_id, pkce_verifier, nonce, next_path, expires_at",
    )
    .bind(state_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    if r.try_get::<i64, _>("expires_at")? < now() {
        return Ok(None);
    }
    Ok(Some(TakenLogin {
        federation_id: r.try_get("federation_id")?,
        purpose: r.try_get("purpose")?,
        account_id: r.try_get("account_id")?,
        pkce_verifier: r.try_get("pkce_verifier")?,
        nonce: r.try_get("nonce")?,
        next_path: r.try_get("next_path")?,
    }))
}

/// Keeps the outcome of an administrator's Test sign-in (claims as JSON, or the refusal).
pub async fn record_test(
    db: &Db,
    federation_id: i64,
    account_id: Option<i64>,
    claims: &str,
    error: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM federation_tests WHERE federation_id = $1")
        .bind(federation_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO federation_tests (federation_id, account_id, claims, error, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(federation_id)
    .bind(account_id)
    .bind(claims)
    .bind(error)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub struct LastTest {
    pub at: i64,
    pub claims: String,
    pub error: Option<String>,
}

pub async fn last_test(
    db: &Db,
    organization_id: i64,
    federation_id: i64,
) -> Result<Option<LastTest>, AppError> {
    let row = sqlx::query(
        "SELECT t.created_at, t.claims, t.error FROM federation_tests t \
         JOIN federations f ON f.id = t.federation_id \
         WHERE t.federation_id = $1 AND f.organization_id = $2",
    )
    .bind(federation_id)
    .bind(organization_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(LastTest {
            at: r.try_get("created_at")?,
            claims: r.try_get("claims")?,
            error: r.try_get("error")?,
        })
    })
    .transpose()
}
