//! Sharing a case with a member or a group of its workspace, and taking shares back.

use crate::{
    accounts::types::EmailAddress,
    auth::{
        audit,
        guard::{Authorized, WorkspaceScope},
        session::Caller,
    },
    db::{link, Tx},
    error::AppError,
};

use super::{
    entry,
    notify::{case_link, group_addresses, mail_all},
    visibility::{is_admin, visible, Visible},
};

/// Takes back the cases of the workspace shared by name with this account.
pub async fn forget_member(
    tx: &mut Tx,
    workspace_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "DELETE FROM case_shares WHERE account_id = $2 \
         AND case_id IN (SELECT c.id FROM cases c WHERE c.workspace_id = $1)",
    )
    .bind(workspace_id)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn share(who: &Authorized, case_id: i64, email: &str) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
    let mut tx = state.db.begin_write().await?;
    let case = shareable(&mut tx, scope, caller, case_id).await?;
    let (account, address) = crate::auth::guard::member_by_email(
        &mut tx,
        scope.workspace_id,
        email.canonical(),
        "A case can be shared only with members of its workspace.",
    )
    .await?;
    if account == case.opened_by {
        return Err(AppError::field(
            "email",
            "That is the case's opener; they already see it.",
        ));
    }
    if !link(
        &mut tx,
        "case_shares",
        ["case_id", "account_id"],
        (case_id, account),
    )
    .await?
    {
        return Err(AppError::field(
            "email",
            "The case is already shared with that member.",
        ));
    }
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.share",
            case_id,
            format!("Case {case_id}: shared with {}", email.as_str()),
            ip,
        ),
    )
    .await?;
    let subject = format!("Case {case_id} was shared with you: {}", case.title);
    let body = format!(
        "{} shared support case {case_id} ({}) with you.\n\nSee the case: {}\n",
        caller.display_name,
        case.title,
        case_link(state, scope, case_id)
    );
    crate::mail::enqueue(&mut tx, &address, &subject, &body).await?;
    tx.commit().await?;
    Ok(())
}

/// The case, if the caller may share it: its opener or the workspace's administrators.
async fn shareable(
    tx: &mut Tx,
    scope: &WorkspaceScope,
    caller: &Caller,
    case_id: i64,
) -> Result<Visible, AppError> {
    let case = visible(tx, scope, caller, case_id).await?;
    if !(case.opened_by == caller.account_id || is_admin(scope)) {
        tracing::info!(account = caller.account_id, case_id, "refused: share");
        return Err(AppError::Forbidden(
            "Only the case's opener or the workspace's administrators can share it.".to_owned(),
        ));
    }
    Ok(case)
}

/// Shares a case with a group of its workspace; the group's members (but the caller) are told.
pub async fn share_group(who: &Authorized, case_id: i64, group_id: i64) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let mut tx = state.db.begin_write().await?;
    let case = shareable(&mut tx, scope, caller, case_id).await?;
    // A group of another workspace is refused like one that does not exist.
    let name = crate::groups::name_of(&mut tx, scope.workspace_id, group_id)
        .await
        .map_err(|e| match e {
            AppError::NotFound => AppError::field("group_id", "Choose a group of this workspace."),
            other => other,
        })?;
    if !link(
        &mut tx,
        "case_group_shares",
        ["case_id", "group_id"],
        (case_id, group_id),
    )
    .await?
    {
        return Err(AppError::field(
            "group_id",
            "The case is already shared with that group.",
        ));
    }
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.share",
            case_id,
            format!("Case {case_id}: shared with the group {name}"),
            ip,
        ),
    )
    .await?;
    let to = group_addresses(&mut tx, group_id, caller.account_id).await?;
    let subject = format!("Case {case_id} was shared with your group: {}", case.title);
    let body = format!(
        "{} shared support case {case_id} ({}) with the group \"{name}\".\n\nSee the case: {}\n",
        caller.display_name,
        case.title,
        case_link(state, scope, case_id)
    );
    mail_all(&mut tx, &to, &subject, &body).await?;
    tx.commit().await?;
    Ok(())
}
