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

use crate::{
    db::{insert_rows, Cell, Tx},
    state::now,
};
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

/// A message for the outbox.
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// An invitation mail: which invitation, and where in `body` (in characters) the worker puts
    /// the token it makes as the message leaves.
    pub sealed: Option<Sealed>,
}

pub struct Sealed {
    pub invitation_id: i64,
    pub token_at: i64,
}

/// Queues messages in the caller's transaction, with multi-row inserts whatever their number:
/// the one way mail enters the outbox.
pub async fn enqueue_all(tx: &mut Tx, messages: Vec<Outgoing>) -> sqlx::Result<()> {
    let now = now();
    let rows = messages
        .into_iter()
        .map(|m| {
            vec![
                Cell::Text(m.to),
                Cell::Text(m.subject),
                Cell::Text(m.body),
                Cell::OptInt(m.sealed.as_ref().map(|s| s.invitation_id)),
                Cell::OptInt(m.sealed.as_ref().map(|s| s.token_at)),
                Cell::Int(0),
                Cell::Int(now),
                Cell::Int(now),
                Cell::Int(now),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "outbox",
        &[
            "to_address",
            "subject",
            "body",
            "invitation_id",
            "token_at",
            "attempts",
            "next_attempt_at",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await
}

/// Queues a sign-up's address-confirmation mail without its token: the worker makes the token
/// as the message leaves and puts it at `token_at` (characters into `body`).
pub async fn enqueue_confirmation(
    tx: &mut Tx,
    to: &str,
    subject: &str,
    body: &str,
    confirmation_id: i64,
    token_at: i64,
) -> sqlx::Result<()> {
    let now = now();
    sqlx::query(
        "INSERT INTO outbox (to_address, subject, body, confirmation_id, token_at, \
         attempts, next_attempt_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $6)",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(confirmation_id)
    .bind(token_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues a password link's mail (reset, or a new user's welcome) without its token: the worker
/// makes the token as the message leaves, stores only its hash in `password_tokens`, and puts it
/// at `token_at` (characters into `body`). See accounts::passwords.
pub async fn enqueue_password_link(
    tx: &mut Tx,
    to: &str,
    subject: &str,
    body: &str,
    password_token_id: i64,
    token_at: i64,
) -> sqlx::Result<()> {
    let now = now();
    sqlx::query(
        "INSERT INTO outbox (to_address, subject, body, password_token_id, token_at, \
         attempts, next_attempt_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $6)",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(password_token_id)
    .bind(token_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues one plain-text message in the caller's transaction.
pub async fn enqueue(tx: &mut Tx, to: &str, subject: &str, body: &str) -> sqlx::Result<()> {
    enqueue_many(tx, &[to.to_owned()], subject, body).await
}

/// Queues the same message to many addresses (a case's watchers, a group).
pub async fn enqueue_many(
    tx: &mut Tx,
    to: &[String],
    subject: &str,
    body: &str,
) -> sqlx::Result<()> {
    let messages = to
        .iter()
        .map(|address| Outgoing {
            to: address.clone(),
            subject: subject.to_owned(),
            body: body.to_owned(),
            sealed: None,
        })
        .collect();
    enqueue_all(tx, messages).await
}
