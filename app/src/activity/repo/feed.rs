//! The activity feed: the latest entries of the workspaces' audit log, within what the caller
//! may read elsewhere.

use crate::db::placeholders;
use crate::{
    activity::{FeedEntry, FEED_SIZE},
    auth::{guard::Permission, session::Caller},
    error::AppError,
};
use sqlx::Row;

use super::figures::Selection;

/// The latest entries of the workspaces' audit log, each only to who may read it elsewhere:
/// where the caller reads the audit log (administrators, the agreement's staff), everything;
/// elsewhere the deliveries and benefits this page shows anyway, and an entry about a case
/// only to who sees that case (in workspaces where the caller sees every case by role, all
/// of them; elsewhere those `member_sees`). Invitations, members and groups stay with the
/// audit log's readers.
pub(super) async fn feed(on: &Selection<'_>, caller: &Caller) -> Result<Vec<FeedEntry>, AppError> {
    let (scopes, ids, n) = (on.scopes, &on.ids, on.ids.len());
    let in_list = |first: usize, ids: &[i64]| {
        if ids.is_empty() {
            "1 = 0".to_owned()
        } else {
            format!("al.workspace_id IN ({})", placeholders(first, ids.len()))
        }
    };
    let audit_readers: Vec<i64> = scopes
        .iter()
        .filter(|s| s.can(Permission::ViewAudit))
        .map(|s| s.workspace_id)
        .collect();
    let all_cases: Vec<i64> = scopes
        .iter()
        .filter(|s| crate::cases::sees_all(s))
        .map(|s| s.workspace_id)
        .collect();
    let sql = format!(
        "SELECT al.workspace_id, al.actor_label, al.action, al.detail, al.created_at \
         FROM audit_log al WHERE al.workspace_id IN ({}) AND ({} \
           OR al.object_type IN ('proactive_delivery', 'benefit') \
           OR (al.object_type = 'case' AND ({} \
             OR EXISTS (SELECT 1 FROM cases c WHERE c.id = al.object_id \
               AND c.workspace_id = al.workspace_id AND {})))) \
         ORDER BY al.created_at DESC, al.id DESC LIMIT {FEED_SIZE}",
        placeholders(2, n),
        in_list(2 + n, &audit_readers),
        in_list(2 + n + audit_readers.len(), &all_cases),
        crate::cases::member_sees("$1")
    );
    let mut query = sqlx::query(&sql).bind(caller.account_id);
    for id in ids.iter().chain(&audit_readers).chain(&all_cases) {
        query = query.bind(*id);
    }
    query
        .fetch_all(on.db.pool())
        .await?
        .iter()
        .map(|r| -> Result<FeedEntry, AppError> {
            let workspace_id = r.try_get::<Option<i64>, _>("workspace_id")?.unwrap_or(0);
            Ok(FeedEntry {
                at: r.try_get("created_at")?,
                workspace_id,
                workspace: on.name_of(workspace_id),
                who: r.try_get("actor_label")?,
                action: r.try_get("action")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect()
}
