//! The mail outbox. A request only writes a row (inside its own transaction, so mail exists only
//! if the change commits); a background worker claims due rows and delivers them through SMTP,
//! or, when no SMTP server is configured, as `.eml` files in a folder a person or a test can open.
//!
//! Delivery is at-least-once with a lease: a claimed row belongs to one worker for
//! `LEASE_SECS`, so two server instances on one database never send the same message twice
//! unless a worker dies between sending and recording it.
//!
//! An invitation mail is stored without its link's token (`invitation_id` and `token_at` say which
//! invitation and where the token goes). The worker makes the token as it delivers, so a copy of
//! the database never holds a link that opens anything (ARCHITECTURE.md, "Secrets are never stored
//! at rest").

mod mailer;
mod worker;

pub use mailer::{from_address, Mailer};
pub use worker::{deliver_due, spawn_worker, with_secret};

use crate::state::now;
use sqlx::{Any, Transaction};
use std::time::Duration;

/// How long a claim lasts. It must outlast a whole batch: `WORKER_BATCH` × `SMTP_TIMEOUT`.
const LEASE_SECS: i64 = 300;
/// A stuck SMTP server must not hold a claim past its lease.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// Messages one worker tick claims.
const WORKER_BATCH: i64 = 10;
/// After this many failed attempts a message is left unsent for an operator to look at.
pub const MAX_ATTEMPTS: i64 = 10;
/// `next_attempt_at` of a message given up on: never due again.
const NEVER: i64 = i64::MAX;
const FIRST_RETRY_SECS: i64 = 30;
const MAX_RETRY_SECS: i64 = 60 * 60;
/// `last_error` keeps the gist, not a transcript.
const MAX_ERROR_CHARS: usize = 500;

/// Queues one plain-text message in the caller's transaction.
pub async fn enqueue(
    tx: &mut Transaction<'static, Any>,
    to: &str,
    subject: &str,
    body: &str,
) -> sqlx::Result<()> {
    let now = now();
    sqlx::query(
        "INSERT INTO outbox (to_address, subject, body, attempts, next_attempt_at, created_at, \
         updated_at) VALUES ($1, $2, $3, 0, $4, $4, $4)",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues the same message to many addresses with multi-row inserts (a case's watchers, a
/// group), in the caller's transaction.
pub async fn enqueue_many(
    tx: &mut Transaction<'static, Any>,
    to: &[String],
    subject: &str,
    body: &str,
) -> sqlx::Result<()> {
    use crate::db::Cell;
    let now = now();
    let rows = to
        .iter()
        .map(|address| {
            vec![
                Cell::Text(address.clone()),
                Cell::Text(subject.to_owned()),
                Cell::Text(body.to_owned()),
                Cell::Int(0),
                Cell::Int(now),
                Cell::Int(now),
                Cell::Int(now),
            ]
        })
        .collect();
    crate::db::insert_rows(
        tx,
        "outbox",
        &[
            "to_address",
            "subject",
            "body",
            "attempts",
            "next_attempt_at",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await
}
