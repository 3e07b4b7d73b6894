//! How far the outbox has got with a workspace's invitation mails (Manage Users shows it while a
//! bulk send is leaving).

use crate::{error::AppError, state::now};
use sqlx::Row;

/// Mails of invitations sent within this window count towards a send in progress.
const WINDOW_SECS: i64 = 60 * 60;

/// `(sent, total)` of the mails for the workspace's open invitations of the last hour, counting
/// only mails the outbox will still try (not those given up or set aside); None when every one
/// has left. Reads the invitations by (workspace, status, created_at) and their mails by
/// invitation, so it costs the last hour's invitations, not the workspace's history.
pub async fn mail_progress(
    db: &crate::state::Db,
    workspace_id: i64,
) -> Result<Option<(i64, i64)>, AppError> {
    let at = now();
    let row = sqlx::query(
        "SELECT COUNT(*) AS total, COUNT(o.sent_at) AS sent \
         FROM invitations i JOIN outbox o ON o.invitation_id = i.id \
         WHERE i.workspace_id = $1 AND i.status = 'pending' AND i.created_at >= $2 \
         AND (o.sent_at IS NOT NULL OR o.next_attempt_at < $3)",
    )
    .bind(workspace_id)
    .bind(at - WINDOW_SECS)
    .bind(i64::MAX)
    .fetch_one(db.pool())
    .await?;
    let (total, sent): (i64, i64) = (row.try_get("total")?, row.try_get("sent")?);
    Ok((sent < total).then_some((sent, total)))
}
