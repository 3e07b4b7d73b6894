//! The background worker: claims due messages, makes an invitation's token as its mail leaves,
//! sends, and records the outcome with a backoff.

use crate::{
    error::AppError,
    state::{now, Db},
    tokens::{hash_token, random_token},
};
use sqlx::Row;
use std::{sync::Arc, time::Duration};

use super::{
    mailer::one_line, Mailer, FIRST_RETRY_SECS, LEASE_SECS, MAX_ATTEMPTS, MAX_ERROR_CHARS,
    MAX_RETRY_SECS, NEVER, WORKER_BATCH,
};

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
    /// A sealed mail: what its link opens, and where in `body` (in characters) its token goes.
    sealed: Option<(Seal, i64)>,
}

/// `body` with `secret` put in at `at` characters from the start (the end if it is shorter).
pub fn with_secret(body: &str, at: i64, secret: &str) -> String {
    let split = usize::try_from(at)
        .ok()
        .and_then(|n| body.char_indices().nth(n))
        .map_or(body.len(), |(i, _)| i);
    format!("{}{secret}{}", &body[..split], &body[split..])
}

/// What a sealed message's link opens: the row whose token the worker makes as the mail leaves.
#[derive(Clone, Copy)]
enum Seal {
    /// An invitation (`invitations`).
    Invitation(i64),
    /// A sign-up's address confirmation (`email_confirmations`).
    Confirmation(i64),
    /// A password link, reset or welcome (`password_tokens`).
    Password(i64),
}

impl Seal {
    /// The statement that stores the fresh token's hash ($1) in row $2, at $3 = now, unless the
    /// row is no longer open or a newer message than $4 for it is queued (that one carries the
    /// only good link, so a late retry of this one cannot undo a resend).
    fn renewal(self) -> (&'static str, i64) {
        match self {
            Seal::Invitation(id) => (
                "UPDATE invitations SET token_hash = $1, updated_at = $3 \
                 WHERE id = $2 AND status = 'pending' AND expires_at > $3 \
                 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = $2 AND o.id > $4)",
                id,
            ),
            Seal::Confirmation(id) => (
                "UPDATE email_confirmations SET token_hash = $1 \
                 WHERE id = $2 AND confirmed_at IS NULL AND expires_at > $3 \
                 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.confirmation_id = $2 AND o.id > $4)",
                id,
            ),
            Seal::Password(id) => (
                "UPDATE password_tokens SET token_hash = $1 \
                 WHERE id = $2 AND used_at IS NULL AND expires_at > $3 \
                 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.password_token_id = $2 AND o.id > $4)",
                id,
            ),
        }
    }

    /// Why a message whose row is no longer open stays unsent.
    fn stale(self) -> &'static str {
        match self {
            Seal::Invitation(_) => "the invitation is no longer open, or was sent again",
            Seal::Confirmation(_) => "the address is confirmed, or was sent again",
            Seal::Password(_) => "the password link was used, has expired, or was sent again",
        }
    }
}

/// The text of a sealed mail with a fresh token, whose hash replaces the row's in the same
/// statement: the token exists only in the message that leaves. None when the row is no longer
/// open (accepted, confirmed, used, expired) or a newer message for it is queued.
async fn with_fresh_token(
    db: &Db,
    message: &Claimed,
    seal: Seal,
    token_at: i64,
) -> Result<Option<String>, AppError> {
    let token = random_token();
    let (statement, id) = seal.renewal();
    let renewed = sqlx::query(statement)
        .bind(hash_token(&token))
        .bind(id)
        .bind(now())
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
pub async fn deliver_due(
    db: &Db,
    mailer: &Mailer,
    from: &str,
    batch: i64,
) -> Result<usize, AppError> {
    let claimed = claim(db, batch).await?;
    let mut sent = 0;
    for message in claimed {
        let body = match message.sealed {
            None => message.body.clone(),
            Some((seal, token_at)) => match with_fresh_token(db, &message, seal, token_at).await? {
                Some(body) => body,
                None => {
                    set_aside(db, message.id, seal.stale()).await?;
                    continue;
                }
            },
        };
        match mailer
            .send(message.id, from, &message.to, &message.subject, &body)
            .await
        {
            Ok(()) => {
                mark_sent(db, message.id).await?;
                sent += 1;
            }
            Err(error) => record_failure(db, &message, &error).await?,
        }
    }
    Ok(sent)
}

/// Claims up to `batch` due messages for `LEASE_SECS`, counting the attempt.
///
/// The claim is one statement whose outer conditions repeat the inner ones: on PostgreSQL a
/// second worker that raced for the same rows re-checks them after the first commits and skips
/// them; on SQLite `BEGIN IMMEDIATE` serializes the claims outright.
async fn claim(db: &Db, batch: i64) -> Result<Vec<Claimed>, AppError> {
    let now = now();
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(
        "UPDATE outbox SET claimed_until = $1 + $2, attempts = attempts + 1, updated_at = $1 \
         WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY id LIMIT $3) \
         AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $1) \
         RETURNING id, to_address, subject, body, attempts, invitation_id, confirmation_id, \
         password_token_id, token_at",
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
                sealed: sealed(row)?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    // RETURNING gives no order guarantee; oldest first keeps delivery fair.
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// What a claimed row's link opens, if it is sealed. An invitation's mail predates the other
/// kinds (its rows may carry nothing else), so it is looked at first.
fn sealed(row: &sqlx::any::AnyRow) -> sqlx::Result<Option<(Seal, i64)>> {
    let Some(at) = row.try_get::<Option<i64>, _>("token_at")? else {
        return Ok(None);
    };
    let seal = if let Some(id) = row.try_get::<Option<i64>, _>("invitation_id")? {
        Seal::Invitation(id)
    } else if let Some(id) = row.try_get::<Option<i64>, _>("confirmation_id")? {
        Seal::Confirmation(id)
    } else if let Some(id) = row.try_get::<Option<i64>, _>("password_token_id")? {
        Seal::Password(id)
    } else {
        return Ok(None);
    };
    Ok(Some((seal, at)))
}

async fn mark_sent(db: &Db, id: i64) -> Result<(), AppError> {
    let now = crate::state::now();
    sqlx::query(
        "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL, \
         updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
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

/// Delivers due mail every second (at once again after a full batch) until `stop` changes (the server's graceful shutdown): a round
/// under way finishes first, so a message it sent is recorded as sent. Each round runs as its own
/// task, so even a panic in a round is logged and the next round still comes.
pub fn spawn_worker(
    db: Db,
    mailer: Mailer,
    from: String,
    mut stop: tokio::sync::watch::Receiver<bool>,
    events: Arc<crate::events::Bus>,
) -> tokio::task::JoinHandle<()> {
    let mailer = Arc::new(mailer);
    let from: Arc<str> = from.into();
    tokio::spawn(async move {
        // Invitation mails sent since this second are not yet announced to Manage Users.
        let mut announced_at = now();
        let mut unannounced = false;
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            // A dropped sender stops the worker too.
            tokio::select! {
                _ = interval.tick() => {}
                _ = stop.changed() => break,
            }
            let (round_db, mailer, from) = (db.clone(), mailer.clone(), from.clone());
            let round =
                tokio::spawn(
                    async move { deliver_due(&round_db, &mailer, &from, WORKER_BATCH).await },
                );
            match round.await {
                Ok(Ok(0)) => {}
                Ok(Ok(sent)) => {
                    unannounced = true;
                    tracing::info!(sent, "mail: delivered");
                    // A full batch: more may be due, so the next round comes at once (a burst
                    // of mail drains at the mailer's pace, not at a batch a second).
                    if i64::try_from(sent).is_ok_and(|n| n >= WORKER_BATCH) {
                        interval.reset_immediately();
                    }
                }
                // The cause is already logged under the error's reference.
                Ok(Err(error)) => tracing::warn!("mail: delivery round failed: {error}"),
                Err(error) => tracing::error!("mail: delivery round panicked: {error}"),
            }
            // At most once a second, however fast the rounds go; the tail of a burst is
            // announced on the next tick.
            if unannounced && now() > announced_at {
                let since = std::mem::replace(&mut announced_at, now());
                unannounced = false;
                announce_invitations(&db, &events, since).await;
            }
        }
    })
}

/// Tells Manage Users of every workspace whose invitation mails left since `since` (a bulk
/// send's progress, `invitations::mail_progress`). A failure only delays the page's figure.
async fn announce_invitations(db: &Db, events: &crate::events::Bus, since: i64) {
    let workspaces = sqlx::query_scalar::<_, i64>(
        "SELECT DISTINCT i.workspace_id FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         WHERE o.sent_at >= $1",
    )
    .bind(since)
    .fetch_all(db.pool())
    .await;
    match workspaces {
        Ok(workspaces) => {
            for workspace_id in workspaces {
                events
                    .publish(crate::events::Event::members(workspace_id))
                    .await;
            }
        }
        Err(error) => tracing::warn!(%error, "mail: could not announce invitation progress"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(9), 3600);
        assert_eq!(backoff_secs(1000), 3600);
    }
}
