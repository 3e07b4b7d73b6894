//! Queries of Manage Users (server only). The list reads the roster, a table the database keeps
//! up to date with triggers (server/migrations/*/20261128000002_lists_at_scale.sql): one row per member
//! and per invitation shown, with a sort key per column. A page is an index range, the total is
//! one row of `roster_counts`, and a search is four index ranges (the start of the name, of its
//! last word, of the address and of its domain), so none of them reads every member.

use crate::{
    accounts::types::AccountKind,
    auth::{
        audit::{self as audit, Entry},
        guard::WorkspaceScope,
        session::Caller,
    },
    error::AppError,
    members::{RowKind, SortKey, UserPage, UserRow, UserStatus, PAGE_SIZE},
    state::{now, Db},
};
use sqlx::Row;

pub struct Query {
    /// The caller's account: their own row offers no Remove.
    pub caller: i64,
    pub search: String,
    pub sort: SortKey,
    pub descending: bool,
    pub page: i64,
}

/// The columns of a shown row: {agreement} gives a member's Services Administrator role, and an
/// open invitation past {now} shows as expired.
const COLUMNS: &str = "r.row_kind, r.row_id, r.name, r.email, r.account_kind, r.is_admin, \
    CASE WHEN r.row_kind = 'invitation' THEN r.invited_services_admin \
      WHEN aa.account_id IS NULL THEN CAST(0 AS BIGINT) ELSE CAST(1 AS BIGINT) END AS services_admin, \
    r.support_contact, r.view_all_cases, \
    CASE WHEN r.state <> 'pending' THEN r.state WHEN r.expires_at <= {now} THEN 'expired' \
      ELSE 'invited' END AS status, \
    r.invited_on, r.last_sign_in, r.account_id";

/// The rows matching a search ($2 ≤ key < $3): each arm is one range of one index.
const HITS: &str = "WITH hits AS ( \
    SELECT * FROM roster WHERE workspace_id = $1 AND name_key >= $2 AND name_key < $3 \
    UNION SELECT * FROM roster WHERE workspace_id = $1 AND last_key >= $2 AND last_key < $3 \
    UNION SELECT * FROM roster WHERE workspace_id = $1 AND email_key >= $2 AND email_key < $3 \
    UNION SELECT * FROM roster WHERE workspace_id = $1 AND domain_key >= $2 AND domain_key < $3) ";

/// The ORDER BY of a sort, every key in one direction so one index serves it both ways.
fn order(sort: SortKey, descending: bool, table: &str) -> String {
    // The keys come from a fixed list, never from the request's text.
    let keys: &[&str] = match sort {
        SortKey::Name => &["name_key"],
        SortKey::Email => &["email_key"],
        SortKey::Status => &["state_key", "state_at"],
        SortKey::InvitedOn => &["invited_key"],
        SortKey::LastSignIn => &["signed_in_key"],
    };
    let direction = if descending { " DESC" } else { "" };
    keys.iter()
        .chain(&["row_kind", "row_id"])
        .map(|key| format!("{table}{key}{direction}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn list(db: &Db, scope: &WorkspaceScope, query: &Query) -> Result<UserPage, AppError> {
    let range = crate::db::prefix_range(&query.search);
    let total: i64 = match &range {
        None => sqlx::query("SELECT n FROM roster_counts WHERE workspace_id = $1")
            .bind(scope.workspace_id)
            .fetch_optional(db.pool())
            .await?
            .map(|row| row.try_get("n"))
            .transpose()?
            .unwrap_or(0),
        Some((low, high)) => sqlx::query(&format!("{HITS}SELECT COUNT(*) AS n FROM hits"))
            .bind(scope.workspace_id)
            .bind(low)
            .bind(high)
            .fetch_one(db.pool())
            .await?
            .try_get("n")?,
    };
    let page = crate::db::page(query.page, total, PAGE_SIZE);
    let (inner, outer) = (
        order(query.sort, query.descending, ""),
        order(query.sort, query.descending, "r."),
    );
    let (with, source, agreement, at) = match range {
        Some(_) => (HITS, "hits", "$4", "$5"),
        None => ("", "roster", "$2", "$3"),
    };
    let columns = COLUMNS.replace("{now}", at);
    let sql = format!(
        "{with}SELECT {columns} FROM (SELECT * FROM {source} WHERE workspace_id = $1 \
         ORDER BY {inner} LIMIT {PAGE_SIZE} OFFSET {offset}) r \
         LEFT JOIN agreement_admins aa ON aa.agreement_id = {agreement} AND aa.account_id = r.account_id \
         ORDER BY {outer}",
        offset = page.offset,
    );
    let mut rows = sqlx::query(&sql).bind(scope.workspace_id);
    if let Some((low, high)) = range {
        rows = rows.bind(low).bind(high);
    }
    let rows = rows
        .bind(scope.agreement_id)
        .bind(now())
        .fetch_all(db.pool())
        .await?;
    let rows = rows
        .iter()
        .map(|r| -> Result<UserRow, AppError> {
            let is_admin = r.try_get::<i64, _>("is_admin")? != 0;
            let services_admin = r.try_get::<i64, _>("services_admin")? != 0;
            let support_contact = r.try_get::<i64, _>("support_contact")? != 0;
            let view_all_cases = r.try_get::<i64, _>("view_all_cases")? != 0;
            let mut roles = Vec::new();
            if services_admin {
                roles.push("Services Administrator".to_owned());
            }
            if is_admin {
                roles.push("Workspace Administrator".to_owned());
            }
            if roles.is_empty() {
                roles.push("Service User".to_owned());
            }
            Ok(UserRow {
                kind: if r.try_get::<String, _>("row_kind")? == "member" {
                    RowKind::Member
                } else {
                    RowKind::Invitation
                },
                id: r.try_get("row_id")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                account_kind: AccountKind::parse(&r.try_get::<String, _>("account_kind")?),
                roles,
                is_workspace_admin: is_admin,
                is_services_admin: services_admin,
                support_contact,
                view_all_cases,
                status: crate::db::column(r, "status", UserStatus::parse)?,
                invited_on: r.try_get("invited_on")?,
                last_sign_in: r.try_get("last_sign_in")?,
                is_you: r.try_get::<Option<i64>, _>("account_id")? == Some(query.caller),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut tx = db.pool().begin().await?;
    let contacts_in_use = crate::invitations::contacts_in_use(&mut tx, scope.agreement_id).await?;
    tx.commit().await?;
    let mail_progress = crate::invitations::mail_progress(db, scope.workspace_id).await?;
    Ok(UserPage {
        workspace_id: scope.workspace_id,
        workspace_name: scope.workspace_name.clone(),
        agreement_type: scope.agreement_type,
        allow_personal: scope.allow_personal,
        rows,
        total,
        page: page.number,
        page_size: PAGE_SIZE,
        contact_limit: scope.contact_limit,
        contacts_in_use,
        mail_progress,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    SupportContact,
    WorkspaceAdmin,
    ViewAllCases,
}

fn entry<'a>(
    caller: &'a Caller,
    scope: &WorkspaceScope,
    action: &'a str,
    membership_id: i64,
    detail: String,
    ip: &'a str,
) -> Entry<'a> {
    Entry::in_workspace(
        caller,
        scope,
        action,
        ("membership", membership_id),
        detail,
        ip,
    )
}

/// The member's address, if the membership belongs to this workspace.
async fn member_email(
    tx: &mut crate::db::Tx,
    scope: &WorkspaceScope,
    membership_id: i64,
) -> Result<(String, bool), AppError> {
    let (_, email, support_contact) = member(tx, scope, membership_id).await?;
    Ok((email, support_contact))
}

/// A membership of the workspace: (account id, address, support contact).
async fn member(
    tx: &mut crate::db::Tx,
    scope: &WorkspaceScope,
    membership_id: i64,
) -> Result<(i64, String, bool), AppError> {
    let row = sqlx::query(
        "SELECT a.id, a.email, m.support_contact FROM memberships m \
         JOIN accounts a ON a.id = m.account_id WHERE m.id = $1 AND m.workspace_id = $2",
    )
    .bind(membership_id)
    .bind(scope.workspace_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((
        row.try_get("id")?,
        row.try_get("email")?,
        row.try_get::<i64, _>("support_contact")? != 0,
    ))
}

pub async fn set_flag(
    db: &Db,
    caller: &Caller,
    scope: &WorkspaceScope,
    membership_id: i64,
    flag: Flag,
    on: bool,
    ip: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    crate::invitations::lock_contact_count(&mut tx, scope.agreement_id).await?;
    let (email, is_contact) = member_email(&mut tx, scope, membership_id).await?;
    if flag == Flag::SupportContact && on && !is_contact {
        let used = crate::invitations::contacts_in_use(&mut tx, scope.agreement_id).await?;
        if used >= scope.contact_limit {
            return Err(AppError::Conflict(format!(
                "The agreement allows {limit} support contacts and all {limit} are in use \
                 (pending invitations count). Turn another support contact Off first, or ask \
                 your CSAM about more.",
                limit = scope.contact_limit
            )));
        }
    }
    let (sql, action) = match (flag, on) {
        (Flag::SupportContact, true) => (
            "UPDATE memberships SET support_contact = 1, updated_at = $3 WHERE id = $1 AND workspace_id = $2",
            "member.support_contact_on",
        ),
        (Flag::SupportContact, false) => (
            "UPDATE memberships SET support_contact = 0, updated_at = $3 WHERE id = $1 AND workspace_id = $2",
            "member.support_contact_off",
        ),
        (Flag::WorkspaceAdmin, true) => (
            "UPDATE memberships SET is_admin = 1, updated_at = $3 WHERE id = $1 AND workspace_id = $2",
            "member.make_workspace_admin",
        ),
        (Flag::ViewAllCases, true) => (
            "UPDATE memberships SET view_all_cases = 1, updated_at = $3 WHERE id = $1 AND workspace_id = $2",
            "member.view_all_cases_on",
        ),
        (Flag::ViewAllCases, false) => (
            "UPDATE memberships SET view_all_cases = 0, updated_at = $3 WHERE id = $1 AND workspace_id = $2",
            "member.view_all_cases_off",
        ),
        (Flag::WorkspaceAdmin, false) => (
            "UPDATE memberships SET is_admin = 0, updated_at = $3 WHERE id = $1 AND workspace_id = $2",
            "member.unmake_workspace_admin",
        ),
    };
    sqlx::query(sql)
        .bind(membership_id)
        .bind(scope.workspace_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        entry(caller, scope, action, membership_id, email, ip),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove(
    db: &Db,
    caller: &Caller,
    scope: &WorkspaceScope,
    membership_id: i64,
    ip: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (account_id, email, _) = member(&mut tx, scope, membership_id).await?;
    // Each domain forgets what it gave the member here, through its own function.
    crate::groups::forget_member(&mut tx, scope.workspace_id, account_id).await?;
    crate::cases::forget_member(&mut tx, scope.workspace_id, account_id).await?;
    sqlx::query("DELETE FROM memberships WHERE id = $1 AND workspace_id = $2")
        .bind(membership_id)
        .bind(scope.workspace_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        entry(caller, scope, "member.remove", membership_id, email, ip),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
