//! Watcher mail: who hears of a change to a case, and the link they follow.

use crate::{auth::guard::WorkspaceScope, db::Tx, error::AppError, state::AppState};
use sqlx::Row;

/// The notification addresses of everyone involved in a case (its opener and its watchers: the
/// members it is shared with, alone or through a group), but `except`, and only while they are
/// members of the case's workspace: nobody outside it hears of the case.
pub(super) async fn involved(
    tx: &mut Tx,
    case_id: i64,
    except: i64,
) -> Result<Vec<String>, AppError> {
    let rows = sqlx::query(
        "SELECT COALESCE(a.notification_email, a.email) AS address FROM accounts a \
         WHERE a.id <> $2 AND (a.id = (SELECT c.opened_by FROM cases c WHERE c.id = $1) \
           OR a.id IN (SELECT s.account_id FROM case_shares s WHERE s.case_id = $1) \
           OR a.id IN (SELECT gm.account_id FROM case_group_shares gs \
             JOIN group_members gm ON gm.group_id = gs.group_id WHERE gs.case_id = $1)) \
           AND EXISTS (SELECT 1 FROM memberships m JOIN cases c ON c.workspace_id = m.workspace_id \
             WHERE c.id = $1 AND m.account_id = a.id) \
         ORDER BY a.id",
    )
    .bind(case_id)
    .bind(except)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>("address").map_err(AppError::from))
        .collect()
}

pub(super) fn case_link(state: &AppState, scope: &WorkspaceScope, case_id: i64) -> String {
    format!(
        "{}/workspaces/{}/cases/{case_id}",
        state.config.base_url.trim_end_matches('/'),
        scope.workspace_id
    )
}

pub(super) async fn mail_all(
    tx: &mut Tx,
    to: &[String],
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    Ok(crate::mail::enqueue_many(tx, to, subject, body).await?)
}

/// The notification addresses of a group's members, but `except`.
pub(super) async fn group_addresses(
    tx: &mut Tx,
    group_id: i64,
    except: i64,
) -> Result<Vec<String>, AppError> {
    sqlx::query(
        "SELECT COALESCE(a.notification_email, a.email) AS address \
         FROM group_members gm JOIN accounts a ON a.id = gm.account_id \
         WHERE gm.group_id = $1 AND a.id <> $2 ORDER BY a.id",
    )
    .bind(group_id)
    .bind(except)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("address").map_err(AppError::from))
    .collect()
}
