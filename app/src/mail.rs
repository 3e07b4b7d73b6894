//! The mail outbox. A request only writes a row (inside its own transaction, so mail exists only
//! if the change commits); a background worker claims due rows and delivers them through SMTP,
//! or, when no SMTP server is configured, as `.eml` files in a folder a person or a test can open.
//!
//! Delivery is at-least-once with a lease: a claimed row belongs to one worker for
//! `LEASE_SECS`, so two server instances on one database never send the same message twice
//! unless a worker dies between sending and recording it.
//!
//! An invitation mail is stored without its link's token (`invitation_id` and `token_at` say
//! which invitation and where the token goes). The worker makes the token as it delivers, so a
//! copy of the database never holds a link that opens anything (SECURITY.md, "no usable token
//! at rest").

use crate::{
    error::AppError,
    state::{now, Db},
    tokens::{hash_token, random_token},
};
use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sqlx::{Any, Row, Transaction};
use std::{path::PathBuf, sync::Arc, time::Duration};

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

/// `Services Hub <no-reply@HOST>`, HOST being the public base URL's host (`localhost` when the
/// URL has none usable), so replies and SPF point at the installation's own name.
pub fn from_address(base_url: &str) -> String {
    let host = url_host(base_url).unwrap_or_default();
    let candidate = format!("Services Hub <no-reply@{host}>");
    if !host.is_empty() && candidate.parse::<Mailbox>().is_ok() {
        candidate
    } else {
        "Services Hub <no-reply@localhost>".to_owned()
    }
}

/// The host of `scheme://user@host:port/path`, lowercased; an IPv6 host keeps its brackets.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if host_port.starts_with('[') {
        &host_port[..=host_port.find(']')?]
    } else {
        host_port.split(':').next()?
    };
    Some(host.to_ascii_lowercase())
}

/// Where mail goes.
#[derive(Clone, Debug)]
pub enum Mailer {
    /// One `.eml` file per message in this folder (the embedded default).
    Folder(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    /// SMTP when `smtp_url` is given (`smtp://host:25`, `smtp://user:pass@host?tls=required`,
    /// `smtps://user:pass@host`), otherwise the mail folder. The error never repeats the URL,
    /// which may hold a password. Call it inside the Tokio runtime: the SMTP pool starts a task.
    pub fn from_settings(mail_dir: &str, smtp_url: Option<&str>) -> Result<Mailer, String> {
        match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Mailer::Smtp(builder.timeout(Some(SMTP_TIMEOUT)).build()))
                .map_err(|e| one_line(&format!("SERVICES_HUB_SMTP_URL is not usable: {e}"))),
            None => Ok(Mailer::Folder(PathBuf::from(mail_dir))),
        }
    }

    /// Delivers one message; `id` (the outbox row) names the file in the folder variant.
    pub async fn send(
        &self,
        id: i64,
        from: &str,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), String> {
        let message = build_message(from, to, subject, body)?;
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Folder(dir) => {
                let dir = dir.clone();
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_eml(&dir, id, &bytes))
                    .await
                    .map_err(|e| format!("mail folder writer failed: {e}"))?
            }
        }
    }
}

fn build_message(from: &str, to: &str, subject: &str, body: &str) -> Result<Message, String> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| format!("bad sender address: {e}"))?;
    let to: Mailbox = to
        .parse()
        .map_err(|e| format!("bad recipient address: {e}"))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_owned())
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// Writes under a dot-name first and renames, so a reader never sees half a message.
fn write_eml(dir: &std::path::Path, id: i64, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let describe = |e: std::io::Error| format!("mail folder {}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(describe)?;
    let name = format!("{id}-{}.eml", now());
    let temp = dir.join(format!(".{name}.tmp"));
    let mut file = std::fs::File::create(&temp).map_err(describe)?;
    file.write_all(bytes).map_err(describe)?;
    file.sync_all().map_err(describe)?;
    drop(file);
    std::fs::rename(&temp, dir.join(&name)).map_err(describe)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Seconds to wait after the `attempts`-th failure: 30 s, 60 s, 120 s… at most an hour.
fn backoff_secs(attempts: i64) -> i64 {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    (FIRST_RETRY_SECS << doublings).min(MAX_RETRY_SECS)
}

struct Claimed {
    id: i64,
    to: String,
    subject: String,
    body: String,
    attempts: i64,
    /// An invitation mail: which invitation, and where in `body` its token goes.
    invitation: Option<(i64, i64)>,
}

/// `body` with `secret` put in at `at` characters from the start (the end if it is shorter).
pub fn with_secret(body: &str, at: i64, secret: &str) -> String {
    let split = usize::try_from(at)
        .ok()
        .and_then(|n| body.char_indices().nth(n))
        .map_or(body.len(), |(i, _)| i);
    format!("{}{secret}{}", &body[..split], &body[split..])
}

/// The text of an invitation mail with a fresh token, whose hash replaces the invitation's in the
/// same statement: the token exists only in the message that leaves. None when the invitation
/// was meanwhile accepted, revoked or let expire, or when a newer message for it is queued (that
/// one carries the only good link, so a late retry of this one cannot undo a resend).
async fn with_fresh_token(
    db: &Db,
    message: &Claimed,
    invitation_id: i64,
    token_at: i64,
) -> Result<Option<String>, AppError> {
    let token = random_token();
    let now = now();
    let renewed = sqlx::query(
        "UPDATE invitations SET token_hash = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'pending' AND expires_at > $2 \
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = $3 AND o.id > $4)",
    )
    .bind(hash_token(&token))
    .bind(now)
    .bind(invitation_id)
    .bind(message.id)
    .execute(db.pool())
    .await?;
    Ok((renewed.rows_affected() == 1).then(|| with_secret(&message.body, token_at, &token)))
}

/// Leaves a message unsent for good, saying why.
async fn set_aside(db: &Db, id: i64, reason: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE outbox SET last_error = $1, next_attempt_at = $2, claimed_until = NULL, \
         updated_at = $3 WHERE id = $4",
    )
    .bind(reason)
    .bind(NEVER)
    .bind(now())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Claims up to `batch` due messages and sends them; returns how many went out.
///
/// The claim is one statement whose outer conditions repeat the inner ones: on PostgreSQL a
/// second worker that raced for the same rows re-checks them after the first commits and skips
/// them; on SQLite `BEGIN IMMEDIATE` serializes the claims outright.
pub async fn deliver_due(
    db: &Db,
    mailer: &Mailer,
    from: &str,
    batch: i64,
) -> Result<usize, AppError> {
    let now = now();
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(
        "UPDATE outbox SET claimed_until = $1 + $2, attempts = attempts + 1, updated_at = $1 \
         WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY id LIMIT $3) \
         AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $1) \
         RETURNING id, to_address, subject, body, attempts, invitation_id, token_at",
    )
    .bind(now)
    .bind(LEASE_SECS)
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;

    let mut claimed = rows
        .iter()
        .map(|row| {
            Ok(Claimed {
                id: row.try_get("id")?,
                to: row.try_get("to_address")?,
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
                attempts: row.try_get("attempts")?,
                invitation: match (
                    row.try_get::<Option<i64>, _>("invitation_id")?,
                    row.try_get::<Option<i64>, _>("token_at")?,
                ) {
                    (Some(id), Some(at)) => Some((id, at)),
                    _ => None,
                },
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    // RETURNING gives no order guarantee; oldest first keeps delivery fair.
    claimed.sort_by_key(|m| m.id);

    let mut sent = 0;
    for message in claimed {
        let body = match message.invitation {
            None => message.body.clone(),
            Some((invitation_id, token_at)) => {
                match with_fresh_token(db, &message, invitation_id, token_at).await? {
                    Some(body) => body,
                    None => {
                        set_aside(
                            db,
                            message.id,
                            "the invitation is no longer open, or was sent again",
                        )
                        .await?;
                        continue;
                    }
                }
            }
        };
        match mailer
            .send(message.id, from, &message.to, &message.subject, &body)
            .await
        {
            Ok(()) => {
                let now = crate::state::now();
                sqlx::query(
                    "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL, \
                     updated_at = $1 WHERE id = $2",
                )
                .bind(now)
                .bind(message.id)
                .execute(db.pool())
                .await?;
                sent += 1;
            }
            Err(error) => record_failure(db, &message, &error).await?,
        }
    }
    Ok(sent)
}

async fn record_failure(db: &Db, message: &Claimed, error: &str) -> Result<(), AppError> {
    let now = now();
    let error: String = one_line(error).chars().take(MAX_ERROR_CHARS).collect();
    let next_attempt_at = if message.attempts >= MAX_ATTEMPTS {
        tracing::error!(
            outbox_id = message.id,
            attempts = message.attempts,
            "mail: giving up on a message: {error}"
        );
        NEVER
    } else {
        tracing::warn!(
            outbox_id = message.id,
            attempts = message.attempts,
            "mail: delivery failed, will retry: {error}"
        );
        now.saturating_add(backoff_secs(message.attempts))
    };
    sqlx::query(
        "UPDATE outbox SET last_error = $1, next_attempt_at = $2, claimed_until = NULL, \
         updated_at = $3 WHERE id = $4",
    )
    .bind(error)
    .bind(next_attempt_at)
    .bind(now)
    .bind(message.id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Delivers due mail every second until the runtime stops. Each round runs as its own task, so
/// even a panic in a round is logged and the next round still comes.
pub fn spawn_worker(db: Db, mailer: Mailer, from: String) -> tokio::task::JoinHandle<()> {
    let mailer = Arc::new(mailer);
    let from: Arc<str> = from.into();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let (db, mailer, from) = (db.clone(), mailer.clone(), from.clone());
            let round =
                tokio::spawn(async move { deliver_due(&db, &mailer, &from, WORKER_BATCH).await });
            match round.await {
                Ok(Ok(0)) => {}
                Ok(Ok(sent)) => tracing::info!(sent, "mail: delivered"),
                // The cause is already logged under the error's reference.
                Ok(Err(error)) => tracing::warn!("mail: delivery round failed: {error}"),
                Err(error) => tracing::error!("mail: delivery round panicked: {error}"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_comes_from_the_base_url_host() {
        assert_eq!(
            from_address("https://hub.example.com:8443/x"),
            "Services Hub <no-reply@hub.example.com>"
        );
        assert_eq!(
            from_address("http://127.0.0.1:3000"),
            "Services Hub <no-reply@127.0.0.1>"
        );
        assert_eq!(
            from_address("not a url"),
            "Services Hub <no-reply@localhost>"
        );
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(9), 3600);
        assert_eq!(backoff_secs(1000), 3600);
    }
}
