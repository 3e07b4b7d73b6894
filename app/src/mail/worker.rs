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
    /// An invitation mail: which invitation, and where in `body` its token goes.
    invitation: Option<(i64, i64)>,
    /// An address-confirmation mail (sign-up): which confirmation, and where its token goes.
    confirmation: Option<(i64, i64)>,
    /// A password link (reset or welcome): which password token, and where it goes.
    password_token: Option<(i64, i64)>,
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

/// The same for an address confirmation (`email_confirmations`): the token is made as the mail
/// leaves; none once the address is confirmed, the link expired, or a newer mail is queued.
async fn with_fresh_confirmation(
    db: &Db,
    message: &Claimed,
    confirmation_id: i64,
    token_at: i64,
) -> Result<Option<String>, AppError> {
    let token = random_token();
    let renewed = sqlx::query(
        "UPDATE email_confirmations SET token_hash = $1 \
         WHERE id = $2 AND confirmed_at IS NULL AND expires_at > $3 \
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.confirmation_id = $2 AND o.id > $4)",
    )
    .bind(hash_token(&token))
    .bind(confirmation_id)
    .bind(now())
    .bind(message.id)
    .execute(db.pool())
    .await?;
    Ok((renewed.rows_affected() == 1).then(|| with_secret(&message.body, token_at, &token)))
}

/// The same for a password link (`password_tokens`): the token is made as the mail leaves; none
/// once the token was used or ended by a newer one, expired, or a newer mail for it is queued.
async fn with_fresh_password_token(
    db: &Db,
    message: &Claimed,
    token_id: i64,
    token_at: i64,
) -> Result<Option<String>, AppError> {
    let token = random_token();
    let renewed = sqlx::query(
        "UPDATE password_tokens SET token_hash = $1 \
         WHERE id = $2 AND used_at IS NULL AND expires_at > $3 \
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.password_token_id = $2 AND o.id > $4)",
    )
    .bind(hash_token(&token))
    .bind(token_id)
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
        let body = match (message.invitation, message.confirmation) {
            (None, Some((confirmation_id, token_at))) => {
                match with_fresh_confirmation(db, &message, confirmation_id, token_at).await? {
                    Some(body) => body,
                    None => {
                        set_aside(
                            db,
                            message.id,
                            "the address is confirmed, or was sent again",
                        )
                        .await?;
                        continue;
                    }
                }
            }
            (None, None) if message.password_token.is_some() => {
                let (token_id, token_at) = message.password_token.unwrap_or_default();
                match with_fresh_password_token(db, &message, token_id, token_at).await? {
                    Some(body) => body,
                    None => {
                        set_aside(
                            db,
                            message.id,
                            "the password link was used, has expired, or was sent again",
                        )
                        .await?;
                        continue;
                    }
                }
            }
            (None, None) => message.body.clone(),
            (Some((invitation_id, token_at)), _) => {
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
                invitation: match (
                    row.try_get::<Option<i64>, _>("invitation_id")?,
                    row.try_get::<Option<i64>, _>("token_at")?,
                ) {
                    (Some(id), Some(at)) => Some((id, at)),
                    _ => None,
                },
                confirmation: match (
                    row.try_get::<Option<i64>, _>("confirmation_id")?,
                    row.try_get::<Option<i64>, _>("token_at")?,
                ) {
                    (Some(id), Some(at)) => Some((id, at)),
                    _ => None,
                },
                password_token: match (
                    row.try_get::<Option<i64>, _>("password_token_id")?,
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
    Ok(claimed)
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
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(9), 3600);
        assert_eq!(backoff_secs(1000), 3600);
    }
}
