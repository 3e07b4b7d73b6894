//! Customer organizations and their domains.

use crate::{
    accounts::types::DisplayName,
    auth::audit::{self as audit, Actor, Entry},
    error::AppError,
    state::{now, Db},
};
use sqlx::Row;

/// The organization a new work account with an address on `domain` belongs to. Several
/// organizations may hold a domain (issue 14: any may add it, one may verify it), so: the one that
/// verified it; else the one that was created with it (sign-up, operator), if only one was. A
/// domain merely added on the Domains page names nobody until it is verified, so an administrator
/// cannot claim other people's addresses by typing their domain.
pub async fn organization_for_domain(db: &Db, domain: &str) -> Result<Option<i64>, AppError> {
    let rows = sqlx::query(
        "SELECT organization_id, verified_at FROM organization_domains \
         WHERE domain = $1 AND (verified_at IS NOT NULL OR from_creation = 1) \
         ORDER BY CASE WHEN verified_at IS NULL THEN 1 ELSE 0 END, id LIMIT 2",
    )
    .bind(domain)
    .fetch_all(db.pool())
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let verified = first.try_get::<Option<i64>, _>("verified_at")?.is_some();
    // Two unverified claims from creation (only a race between two sign-ups makes them): neither
    // is believed until one proves the domain.
    Ok((verified || rows.len() == 1)
        .then(|| first.try_get("organization_id"))
        .transpose()?)
}

pub struct NewOrganization {
    pub name: DisplayName,
    pub domain: String,
}

/// Creates an organization with its first (verified) domain.
pub async fn create_organization(
    db: &Db,
    org: &NewOrganization,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let id = insert_organization(&mut tx, org, true, actor, ip).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes an organization and its first domain inside the caller's transaction. The operator's
/// domains count as verified; a domain from a sign-up waits for its DNS proof. A taken name is
/// a message at `name`, a taken domain at `domain`.
pub async fn insert_organization(
    tx: &mut crate::db::Tx,
    org: &NewOrganization,
    verified: bool,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let now = now();
    let taken = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM organizations WHERE name_canonical = $1) AS names, \
                (SELECT COUNT(*) FROM organization_domains \
                  WHERE domain = $2 AND (verified_at IS NOT NULL OR from_creation = 1)) AS domains",
    )
    .bind(org.name.as_str().to_lowercase())
    .bind(&org.domain)
    .fetch_one(&mut **tx)
    .await?;
    if taken.try_get::<i64, _>("names")? > 0 {
        return Err(AppError::field(
            "name",
            "An organization with this name already exists.",
        ));
    }
    if taken.try_get::<i64, _>("domains")? > 0 {
        return Err(AppError::field(
            "domain",
            "This domain already belongs to an organization.",
        ));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO organizations (name, name_canonical, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(org.name.as_str())
    .bind(org.name.as_str().to_lowercase())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(crate::db::unique_as(
        "name",
        "An organization with this name already exists.",
    ))?
    .try_get("id")?;
    sqlx::query(
        "INSERT INTO organization_domains \
         (organization_id, domain, verified_at, created_at, updated_at, is_primary, from_creation, checked_at) \
         VALUES ($1, $2, $3, $4, $4, 1, 1, $3)",
    )
    .bind(id)
    .bind(&org.domain)
    .bind(verified.then_some(now))
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(crate::db::unique_as(
        "domain",
        "This domain already belongs to an organization.",
    ))?;
    audit::record(
        tx,
        Entry {
            actor,
            action: "organization.create",
            object_type: "organization",
            object_id: Some(id),
            organization_id: Some(id),
            agreement_id: None,
            workspace_id: None,
            detail: String::new(),
            ip,
        },
    )
    .await?;
    Ok(id)
}

pub async fn organization_by_name(db: &Db, name: &str) -> Result<Option<i64>, AppError> {
    let row = sqlx::query("SELECT id FROM organizations WHERE name_canonical = $1")
        .bind(name.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

pub async fn work_account_in(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    email_canonical: &str,
) -> Result<Option<(i64, String, String)>, AppError> {
    let row = sqlx::query(
        "SELECT id, display_name, email FROM accounts \
         WHERE kind = 'work' AND email_canonical = $1 AND organization_id = $2",
    )
    .bind(email_canonical)
    .bind(organization_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("id")?,
            r.try_get("display_name")?,
            r.try_get("email")?,
        ))
    })
    .transpose()
}
