//! Queries of Manage Users (server only). The list is one query over members and the latest
//! invitation of each address not (yet) a member, filtered, sorted and paged in the database,
//! so it stays fast at 10,000 rows.

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
    pub search: String,
    pub sort: SortKey,
    pub descending: bool,
    pub page: i64,
}

const ROWS: &str = "WITH u AS ( \
  SELECT 'member' AS row_kind, m.id AS row_id, a.display_name AS name, a.email AS email, \
    a.kind AS account_kind, m.is_admin AS is_admin, \
    CAST(CASE WHEN aa.account_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS services_admin, \
    m.support_contact AS support_contact, m.view_all_cases AS view_all_cases, \
    'registered' AS status, m.invited_at AS invited_on, \
    a.last_sign_in_at AS last_sign_in \
  FROM memberships m JOIN accounts a ON a.id = m.account_id \
  LEFT JOIN agreement_admins aa ON aa.agreement_id = $2 AND aa.account_id = m.account_id \
  WHERE m.workspace_id = $1 \
  UNION ALL \
  SELECT 'invitation', i.id, i.name, i.email, '', \
    CAST(CASE WHEN i.role = 'workspace_admin' THEN 1 ELSE 0 END AS BIGINT), \
    CAST(CASE WHEN i.role = 'services_admin' THEN 1 ELSE 0 END AS BIGINT), \
    i.support_contact, CAST(0 AS BIGINT), \
    CASE WHEN i.status = 'revoked' THEN 'revoked' WHEN i.expires_at <= $3 THEN 'expired' \
      ELSE 'invited' END, \
    i.created_at, NULL \
  FROM invitations i \
  WHERE i.workspace_id = $1 AND i.status <> 'accepted' \
    AND NOT EXISTS (SELECT 1 FROM invitations j WHERE j.workspace_id = i.workspace_id \
      AND j.email_canonical = i.email_canonical AND j.id > i.id) \
    AND NOT EXISTS (SELECT 1 FROM memberships m2 JOIN accounts a2 ON a2.id = m2.account_id \
      WHERE m2.workspace_id = i.workspace_id AND a2.email_canonical = i.email_canonical) \
) SELECT {select} FROM u \
WHERE ($4 = '' OR LOWER(u.name) LIKE $4 ESCAPE '\\' OR LOWER(u.email) LIKE $4 ESCAPE '\\')";

pub async fn list(db: &Db, scope: &WorkspaceScope, query: &Query) -> Result<UserPage, AppError> {
    let now = now();
    let pattern = crate::db::like_pattern(&query.search);
    // The column comes from a fixed list, never from the request's text.
    let column = match query.sort {
        SortKey::Name => "LOWER(u.name)",
        SortKey::Email => "LOWER(u.email)",
        SortKey::Status => "u.status",
        SortKey::InvitedOn => "u.invited_on",
        SortKey::LastSignIn => "u.last_sign_in",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    let total: i64 = sqlx::query(&ROWS.replace("{select}", "COUNT(*) AS n"))
        .bind(scope.workspace_id)
        .bind(scope.agreement_id)
        .bind(now)
        .bind(&pattern)
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let page = crate::db::page(query.page, total, PAGE_SIZE);
    let sql = format!(
        "{} ORDER BY CASE WHEN {column} IS NULL THEN 1 ELSE 0 END, {column} {direction}, \
         u.row_kind, u.row_id LIMIT $5 OFFSET $6",
        ROWS.replace("{select}", "u.*")
    );
    let rows = sqlx::query(&sql)
        .bind(scope.workspace_id)
        .bind(scope.agreement_id)
        .bind(now)
        .bind(&pattern)
        .bind(PAGE_SIZE)
        .bind(page.offset)
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
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut tx = db.pool().begin().await?;
    let contacts_in_use = crate::invitations::contacts_in_use(&mut tx, scope.agreement_id).await?;
    tx.commit().await?;
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
