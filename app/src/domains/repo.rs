//! Queries of the Domains page (server only). Every statement names the caller's organization;
//! another organization's domain id answers like a missing one. Which organization may hold a
//! verified domain is decided by the unique index `organization_domains_verified_once`, so two
//! verifications at once cannot both win; the checks before it only give a clearer sentence.

use crate::{
    auth::{
        audit::{self as audit, Entry},
        guard::{Authorized, OrganizationScope},
        kinds::OrgRole,
    },
    db::{unique_as, Tx},
    domains::{
        types::{txt_host, txt_value, CheckOutcome, DomainName},
        DomainEntry, DomainsData, TAKEN,
    },
    error::AppError,
    state::{now, Db, Engine},
};
use rand::RngCore;
use sqlx::Row;

const COLUMNS: &str = "id, organization_id, domain, verified_at, created_at, txt_token, \
     is_primary, checked_at, missing_since, last_outcome, last_seen";

fn entry(row: &sqlx::any::AnyRow) -> Result<DomainEntry, AppError> {
    let domain: String = row.try_get("domain")?;
    let token: String = row.try_get("txt_token")?;
    let seen: Option<String> = row.try_get("last_seen")?;
    Ok(DomainEntry {
        id: row.try_get("id")?,
        txt_host: txt_host(&domain),
        txt_value: txt_value(&token),
        domain,
        verified_at: row.try_get("verified_at")?,
        created_at: row.try_get("created_at")?,
        is_primary: row.try_get::<i64, _>("is_primary")? == 1,
        checked_at: row.try_get("checked_at")?,
        missing_since: row.try_get("missing_since")?,
        last_outcome: crate::db::optional_column(row, "last_outcome", CheckOutcome::parse)?,
        last_seen: seen
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
    })
}

pub async fn list(db: &Db, scope: &OrganizationScope) -> Result<DomainsData, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organization_domains WHERE organization_id = $1 \
         ORDER BY is_primary DESC, domain, id"
    ))
    .bind(scope.organization_id)
    .fetch_all(db.pool())
    .await?;
    Ok(DomainsData {
        organization_name: scope.organization_name.clone(),
        domains: rows.iter().map(entry).collect::<Result<_, _>>()?,
        can_manage: scope.has(OrgRole::Global),
    })
}

/// A domain of the organization, by id (another organization's answers 404).
pub async fn find(db: &Db, organization_id: i64, id: i64) -> Result<DomainEntry, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organization_domains WHERE id = $1 AND organization_id = $2"
    ))
    .bind(id)
    .bind(organization_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    entry(&row)
}

/// The token of a new domain: 128 random bits, as hex.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn verified_elsewhere(
    tx: &mut Tx,
    organization_id: i64,
    domain: &str,
) -> Result<bool, AppError> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM organization_domains \
         WHERE domain = $1 AND verified_at IS NOT NULL AND organization_id <> $2",
    )
    .bind(domain)
    .bind(organization_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

/// Serializes the changes of one organization's domains on PostgreSQL (SQLite's write
/// transaction holds the one write lock already), like the roles do.
async fn lock(db: &Db, tx: &mut Tx, organization_id: i64) -> Result<(), AppError> {
    if db.engine() == Engine::Postgres {
        sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
            .bind(organization_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    Ok(())
}

fn record<'a>(
    who: &'a Authorized<OrganizationScope>,
    action: &'a str,
    id: i64,
    domain: &str,
) -> Entry<'a> {
    Entry::in_organization(
        &who.caller,
        who.scope.organization_id,
        action,
        ("domain", id),
        domain.to_owned(),
        &who.ip,
    )
}

/// Adds an unverified domain with its own token. Another organization may hold it unverified
/// too (only one can ever prove it); one that has verified it is refused at once.
pub async fn add(
    who: &Authorized<OrganizationScope>,
    domain: &DomainName,
) -> Result<i64, AppError> {
    let organization_id = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    if verified_elsewhere(&mut tx, organization_id, domain.as_str()).await? {
        return Err(AppError::field("domain", TAKEN));
    }
    let now = now();
    let id: i64 = sqlx::query(
        "INSERT INTO organization_domains \
         (organization_id, domain, txt_token, is_primary, from_creation, created_at, updated_at) \
         VALUES ($1, $2, $3, 0, 0, $4, $4) RETURNING id",
    )
    .bind(organization_id)
    .bind(domain.as_str())
    .bind(new_token())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(unique_as(
        "domain",
        "Your organization has this domain already.",
    ))?
    .try_get("id")?;
    audit::record(&mut tx, record(who, "domain.add", id, domain.as_str())).await?;
    tx.commit().await?;
    Ok(id)
}

/// Stores what a check of the caller's domain found; the right record verifies it (once, and
/// only if no other organization has verified the domain first).
pub async fn record_check(
    who: &Authorized<OrganizationScope>,
    found: &DomainEntry,
    outcome: CheckOutcome,
    seen: &[String],
) -> Result<(), AppError> {
    let organization_id = who.scope.organization_id;
    let now = now();
    let mut tx = who.state.db.begin_write().await?;
    let seen = (!seen.is_empty()).then(|| {
        seen.iter()
            .take(10)
            .map(|v| {
                v.replace(['\r', '\n'], " ")
                    .chars()
                    .take(300)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    if outcome == CheckOutcome::Verified && found.verified_at.is_none() {
        if verified_elsewhere(&mut tx, organization_id, &found.domain).await? {
            return Err(AppError::field("domain", TAKEN));
        }
        let changed = sqlx::query(
            "UPDATE organization_domains SET verified_at = $1, checked_at = $1, \
               missing_since = NULL, warned_at = NULL, last_outcome = 'verified', \
               last_seen = NULL, updated_at = $1 \
             WHERE id = $2 AND organization_id = $3 AND verified_at IS NULL",
        )
        .bind(now)
        .bind(found.id)
        .bind(organization_id)
        .execute(&mut *tx)
        .await
        .map_err(unique_as("domain", TAKEN))?
        .rows_affected();
        if changed == 1 {
            audit::record(
                &mut tx,
                record(who, "domain.verify", found.id, &found.domain),
            )
            .await?;
        }
    } else if outcome == CheckOutcome::Verified {
        // A verified domain checked again by hand: its record is back (or never left).
        sqlx::query(
            "UPDATE organization_domains SET checked_at = $1, missing_since = NULL, \
               warned_at = NULL, last_outcome = 'verified', last_seen = NULL, updated_at = $1 \
             WHERE id = $2 AND organization_id = $3",
        )
        .bind(now)
        .bind(found.id)
        .bind(organization_id)
        .execute(&mut *tx)
        .await?;
    } else {
        // A verified domain whose record is gone stays verified, marked missing (the re-check
        // job tells the Global Administrators); no answer proves nothing either way.
        let missing = found.verified_at.is_some() && outcome != CheckOutcome::NoAnswer;
        sqlx::query(
            "UPDATE organization_domains SET last_outcome = $1, last_seen = $2, \
               missing_since = CASE WHEN $3 = 1 THEN COALESCE(missing_since, $4) ELSE missing_since END, \
               updated_at = $4 \
             WHERE id = $5 AND organization_id = $6",
        )
        .bind(outcome.as_str())
        .bind(seen)
        .bind(i64::from(missing))
        .bind(now)
        .bind(found.id)
        .bind(organization_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Makes a verified domain the organization's primary one: false when it was already.
pub async fn make_primary(who: &Authorized<OrganizationScope>, id: i64) -> Result<bool, AppError> {
    let organization_id = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    lock(&who.state.db, &mut tx, organization_id).await?;
    let row = sqlx::query(
        "SELECT domain, verified_at, is_primary FROM organization_domains \
         WHERE id = $1 AND organization_id = $2",
    )
    .bind(id)
    .bind(organization_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let domain: String = row.try_get("domain")?;
    if row.try_get::<Option<i64>, _>("verified_at")?.is_none() {
        return Err(AppError::field(
            "domain",
            "Only a verified domain can be the primary one: verify it first.",
        ));
    }
    if row.try_get::<i64, _>("is_primary")? == 1 {
        return Ok(false);
    }
    let now = now();
    sqlx::query(
        "UPDATE organization_domains SET is_primary = 0, updated_at = $1 \
         WHERE organization_id = $2 AND is_primary = 1",
    )
    .bind(now)
    .bind(organization_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE organization_domains SET is_primary = 1, updated_at = $1 \
         WHERE id = $2 AND organization_id = $3",
    )
    .bind(now)
    .bind(id)
    .bind(organization_id)
    .execute(&mut *tx)
    .await
    .map_err(unique_as(
        "domain",
        "Another change came first: reload the page.",
    ))?;
    audit::record(&mut tx, record(who, "domain.primary", id, &domain)).await?;
    tx.commit().await?;
    Ok(true)
}

/// How many work accounts of the organization list in a refusal to remove their domain.
pub const LISTED: i64 = 20;

/// Removes a domain that is not the primary one and that no work account of the organization
/// uses; otherwise says why, naming the accounts (the first twenty, and how many in all).
pub async fn remove(who: &Authorized<OrganizationScope>, id: i64) -> Result<String, AppError> {
    let organization_id = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    lock(&who.state.db, &mut tx, organization_id).await?;
    let row = sqlx::query(
        "SELECT domain, is_primary FROM organization_domains WHERE id = $1 AND organization_id = $2",
    )
    .bind(id)
    .bind(organization_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let domain: String = row.try_get("domain")?;
    if row.try_get::<i64, _>("is_primary")? == 1 {
        return Err(AppError::Conflict(format!(
            "{domain} is your primary domain: make another verified domain primary first."
        )));
    }
    // Domain names hold letters, digits, dots and hyphens only, so the pattern has no wildcard
    // but its first character; addresses are stored lower-case.
    let pattern = format!("%@{domain}");
    let users = sqlx::query(
        "SELECT email, COUNT(*) OVER () AS total FROM accounts \
         WHERE organization_id = $1 AND kind = 'work' AND email_canonical LIKE $2 \
         ORDER BY email_canonical LIMIT $3",
    )
    .bind(organization_id)
    .bind(&pattern)
    .bind(LISTED)
    .fetch_all(&mut *tx)
    .await?;
    if let Some(first) = users.first() {
        let total: i64 = first.try_get("total")?;
        let listed = users
            .iter()
            .map(|r| r.try_get::<String, _>("email"))
            .collect::<Result<Vec<_>, _>>()?;
        let more = if total > listed.len() as i64 {
            format!(" and {} more", total - listed.len() as i64)
        } else {
            String::new()
        };
        return Err(AppError::Conflict(format!(
            "{domain} cannot be removed: {} of your organization {} it: {}{more}. Change their addresses or delete them first.",
            crate::components::count(total, "work account", "work accounts"),
            if total == 1 { "uses" } else { "use" },
            listed.join(", "),
        )));
    }
    sqlx::query("DELETE FROM organization_domains WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(organization_id)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, record(who, "domain.remove", id, &domain)).await?;
    tx.commit().await?;
    Ok(domain)
}
