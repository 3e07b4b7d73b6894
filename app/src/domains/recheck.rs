//! The re-check of verified domains (server only): every verified domain's record is looked up
//! again once a day. Any number of servers run the job: each domain is claimed with one
//! conditional update (a lease), so only one of them asks DNS and, when the record has gone, only
//! one mail goes to the Global Administrators, once per disappearance. The domain stays verified
//! meanwhile, marked "record missing since …" on the page: a record that a DNS host drops for an
//! hour must not cut an organization's people off. Only domains proven through DNS are checked
//! (`last_outcome` set): a domain the operator created verified (`admin create-organization`)
//! never had a record to lose.

use crate::{
    auth::kinds::OrgRole,
    domains::{
        dns,
        types::{txt_host, txt_value, CheckOutcome},
    },
    error::AppError,
    state::{now, Config, Db},
};
use sqlx::Row;
use std::time::Duration;

/// How old a check may be before the domain is due again.
pub const INTERVAL: i64 = 24 * 60 * 60;
/// How long a server holds its claim on a domain while it asks DNS.
const LEASE: i64 = 5 * 60;
/// After no answer from DNS, when the domain is tried again (sooner than a day).
const RETRY: i64 = 15 * 60;
/// The most domains one pass checks (the next pass goes on).
const PER_PASS: usize = 200;
/// How often each server looks for due domains.
const EVERY: Duration = Duration::from_secs(5 * 60);

struct Claimed {
    id: i64,
    organization_id: i64,
    domain: String,
    token: String,
}

/// Claims the domain whose check is the oldest among those due at `at`, if any.
///
/// The outer conditions repeat the inner ones: on PostgreSQL a second server whose subquery
/// picked the same domain re-reads the row after the first commits, and by then the first may
/// have finished (lease cleared, but `checked_at` moved on), so being due must be checked again.
async fn claim(db: &Db, at: i64) -> Result<Option<Claimed>, AppError> {
    let row = sqlx::query(
        "UPDATE organization_domains SET check_lease_until = $1 \
         WHERE id = (SELECT id FROM organization_domains \
                     WHERE verified_at IS NOT NULL AND last_outcome IS NOT NULL \
                       AND (checked_at IS NULL OR checked_at <= $2) \
                       AND (check_lease_until IS NULL OR check_lease_until <= $3) \
                     ORDER BY checked_at, id LIMIT 1) \
           AND (checked_at IS NULL OR checked_at <= $2) \
           AND (check_lease_until IS NULL OR check_lease_until <= $3) \
         RETURNING id, organization_id, domain, txt_token",
    )
    .bind(at + LEASE)
    .bind(at - INTERVAL)
    .bind(at)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Claimed {
            id: r.try_get("id")?,
            organization_id: r.try_get("organization_id")?,
            domain: r.try_get("domain")?,
            token: r.try_get("txt_token")?,
        })
    })
    .transpose()
}

/// Checks every verified domain due at `at` (its last check a day old or more); returns how
/// many were checked. The tests call it directly with the time they choose.
pub async fn recheck_due(db: &Db, config: &Config, at: i64) -> Result<usize, AppError> {
    let mut checked = 0;
    while checked < PER_PASS {
        let Some(claimed) = claim(db, at).await? else {
            break;
        };
        let (outcome, _) = dns::check(config, &claimed.domain, &claimed.token).await;
        finish(db, config, &claimed, outcome, at).await?;
        checked += 1;
    }
    Ok(checked)
}

async fn finish(
    db: &Db,
    config: &Config,
    claimed: &Claimed,
    outcome: CheckOutcome,
    at: i64,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    match outcome {
        CheckOutcome::Verified => {
            sqlx::query(
                "UPDATE organization_domains SET checked_at = $1, check_lease_until = NULL, \
                   missing_since = NULL, warned_at = NULL, updated_at = $1 WHERE id = $2",
            )
            .bind(at)
            .bind(claimed.id)
            .execute(&mut *tx)
            .await?;
        }
        CheckOutcome::NoAnswer => {
            // Proves nothing: the lease, pushed out, makes the next try wait a little.
            sqlx::query("UPDATE organization_domains SET check_lease_until = $1 WHERE id = $2")
                .bind(at + RETRY)
                .bind(claimed.id)
                .execute(&mut *tx)
                .await?;
        }
        CheckOutcome::NotFound | CheckOutcome::Different => {
            sqlx::query(
                "UPDATE organization_domains SET checked_at = $1, check_lease_until = NULL, \
                   missing_since = COALESCE(missing_since, $1), updated_at = $1 WHERE id = $2",
            )
            .bind(at)
            .bind(claimed.id)
            .execute(&mut *tx)
            .await?;
            // Once per disappearance: the mark is cleared when the record is back.
            let first = sqlx::query(
                "UPDATE organization_domains SET warned_at = $1 \
                 WHERE id = $2 AND warned_at IS NULL AND verified_at IS NOT NULL",
            )
            .bind(at)
            .bind(claimed.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if first {
                let to = crate::auth::organization::admin_addresses(
                    &mut tx,
                    claimed.organization_id,
                    &[OrgRole::Global],
                )
                .await?;
                let (subject, body) = missing_mail(config, claimed);
                crate::mail::enqueue_many(&mut tx, &to, &subject, &body).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

fn missing_mail(config: &Config, claimed: &Claimed) -> (String, String) {
    let domain = &claimed.domain;
    (
        format!("The DNS record that proves {domain} is missing"),
        format!(
            "Services Hub looked up the TXT record that proves your organization owns {domain}, \
             and it was not there.\n\n\
             Publish it again at your DNS host:\n  Type: TXT\n  Host: {}\n  Value: {}\n\n\
             {domain} stays verified for now. Check it on the Domains page:\n{}/organization/domains\n\n\
             Services Hub\n",
            txt_host(domain),
            txt_value(&claimed.token),
            config.base_url,
        ),
    )
}

/// The job on every server: a pass every few minutes, until `stop` changes (the server's
/// graceful shutdown lets a pass under way finish).
pub fn spawn(
    db: Db,
    config: std::sync::Arc<Config>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = recheck_due(&db, &config, now()).await {
                tracing::warn!(%error, "domain re-check pass failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = stop.changed() => break,
            }
        }
    })
}
