//! The reads: a page of the list, and one case with its events and shares.

use crate::{
    auth::{guard::WorkspaceScope, session::Caller},
    cases::{
        CaseEvent, CaseList, CaseRow, CaseSort, CaseStatus, ContactMethod, EventKind, Severity,
        SupportCase, PAGE_SIZE,
    },
    error::AppError,
    state::Db,
};
use sqlx::{any::AnyRow, Row};

use super::visibility::{is_admin, sees_all, VISIBLE};

pub struct Filter {
    pub status: Option<CaseStatus>,
    pub severity: Option<Severity>,
    pub mine: bool,
    pub search: String,
    pub page: i64,
    pub sort: CaseSort,
}

/// The ORDER BY of each sort (a fixed list: nothing from the request reaches the SQL); the id
/// last keeps pages stable.
fn order_by(sort: CaseSort) -> &'static str {
    match sort {
        CaseSort::Newest => "c.opened_at DESC, c.id DESC",
        CaseSort::Oldest => "c.opened_at, c.id",
        CaseSort::Updated => "c.updated_at DESC, c.id DESC",
        CaseSort::Severity => "c.severity, c.opened_at DESC, c.id DESC",
        CaseSort::Status => {
            "CASE c.status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 \
             WHEN 'waiting_on_customer' THEN 2 WHEN 'resolved' THEN 3 ELSE 4 END, \
             c.opened_at DESC, c.id DESC"
        }
        CaseSort::Title => "LOWER(c.title), c.id",
    }
}

pub async fn list(
    db: &Db,
    scope: &WorkspaceScope,
    caller: &Caller,
    filter: &Filter,
) -> Result<CaseList, AppError> {
    let pattern = crate::db::like_pattern(&filter.search);
    let status = filter.status.map(CaseStatus::as_str).unwrap_or_default();
    let severity = filter.severity.map(Severity::as_str).unwrap_or_default();
    let mine = i64::from(filter.mine);
    let where_ = format!(
        "{} AND ($4 = '' OR c.status = $4) AND ($5 = '' OR c.severity = $5) \
         AND ($6 = 0 OR c.opened_by = $2) \
         AND ($7 = '' OR LOWER(c.title) LIKE $7 ESCAPE '\\')",
        VISIBLE.as_str()
    );
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM cases c WHERE {where_}"))
        .bind(scope.workspace_id)
        .bind(caller.account_id)
        .bind(sees_all(scope))
        .bind(status)
        .bind(severity)
        .bind(mine)
        .bind(&pattern)
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let page = crate::db::page(filter.page, total, PAGE_SIZE);
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.title, c.severity, c.status, c.product_area, c.opened_at, c.updated_at, \
           a.display_name AS opened_by \
         FROM cases c JOIN accounts a ON a.id = c.opened_by WHERE {where_} \
         ORDER BY {} LIMIT $8 OFFSET $9",
        order_by(filter.sort)
    ))
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .bind(sees_all(scope))
    .bind(status)
    .bind(severity)
    .bind(mine)
    .bind(&pattern)
    .bind(PAGE_SIZE)
    .bind(page.offset)
    .fetch_all(db.pool())
    .await?;
    let rows = rows
        .iter()
        .map(|r| -> Result<CaseRow, AppError> {
            Ok(CaseRow {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                severity: severity_of(r)?,
                status: status_of(r)?,
                product_area: r.try_get("product_area")?,
                opened_by: r.try_get("opened_by")?,
                opened_at: r.try_get("opened_at")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CaseList {
        workspace_id: scope.workspace_id,
        workspace_name: scope.workspace_name.clone(),
        rows,
        total,
        page: page.number,
        page_size: PAGE_SIZE,
        can_open: scope.support_contact,
        can_manage_members: scope.can(crate::auth::guard::Permission::ManageMembers),
    })
}

pub(super) fn severity_of(r: &AnyRow) -> Result<Severity, AppError> {
    Severity::parse(&r.try_get::<String, _>("severity")?).map_err(AppError::internal)
}

pub(super) fn status_of(r: &AnyRow) -> Result<CaseStatus, AppError> {
    CaseStatus::parse(&r.try_get::<String, _>("status")?).map_err(AppError::internal)
}

pub async fn detail(
    db: &Db,
    scope: &WorkspaceScope,
    caller: &Caller,
    case_id: i64,
) -> Result<SupportCase, AppError> {
    let row = sqlx::query(&format!(
        "SELECT c.id, c.title, c.description, c.severity, c.product_area, c.contact_method, \
           c.status, c.opened_by AS opener_id, c.opened_at, c.closed_at, \
           a.display_name AS opened_by \
         FROM cases c JOIN accounts a ON a.id = c.opened_by WHERE c.id = $4 AND {}",
        VISIBLE.as_str()
    ))
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .bind(sees_all(scope))
    .bind(case_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let events = events(db, case_id).await?;
    let shared_with = shared_with(db, case_id).await?;
    let shared_with_groups = shared_with_groups(db, case_id).await?;
    let total_minutes = events.iter().filter_map(|e| e.minutes).sum();
    let opener: i64 = row.try_get("opener_id")?;
    let is_opener = opener == caller.account_id;
    let can_share = is_opener || is_admin(scope);
    let share_groups = if can_share {
        crate::groups::names(db, scope.workspace_id).await?
    } else {
        Vec::new()
    };
    Ok(SupportCase {
        workspace_id: scope.workspace_id,
        workspace_name: scope.workspace_name.clone(),
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        severity: severity_of(&row)?,
        product_area: row.try_get("product_area")?,
        contact_method: ContactMethod::parse(&row.try_get::<String, _>("contact_method")?)
            .map_err(AppError::internal)?,
        status: status_of(&row)?,
        opened_by: row.try_get("opened_by")?,
        opened_at: row.try_get("opened_at")?,
        closed_at: row.try_get("closed_at")?,
        events,
        shared_with,
        shared_with_groups,
        share_groups,
        total_minutes,
        is_opener,
        can_share,
        is_staff: scope.is_staff,
    })
}

/// The case's events, oldest first.
async fn events(db: &Db, case_id: i64) -> Result<Vec<CaseEvent>, AppError> {
    sqlx::query(
        "SELECT e.id, e.kind, e.body, e.status, e.minutes, e.staff, e.created_at, \
           COALESCE(a.display_name, '') AS author \
         FROM case_events e LEFT JOIN accounts a ON a.id = e.author \
         WHERE e.case_id = $1 ORDER BY e.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| -> Result<CaseEvent, AppError> {
        let kind = match r.try_get::<String, _>("kind")?.as_str() {
            "status" => EventKind::Status,
            "time" => EventKind::Time,
            _ => EventKind::Note,
        };
        Ok(CaseEvent {
            id: r.try_get("id")?,
            author: r.try_get("author")?,
            kind,
            body: r.try_get("body")?,
            status: r
                .try_get::<Option<String>, _>("status")?
                .and_then(|s| CaseStatus::parse(&s).ok()),
            minutes: r.try_get("minutes")?,
            staff: r.try_get::<i64, _>("staff")? != 0,
            at: r.try_get("created_at")?,
        })
    })
    .collect()
}

/// The members the case is shared with by name, as "Name <address>".
async fn shared_with(db: &Db, case_id: i64) -> Result<Vec<String>, AppError> {
    sqlx::query(
        "SELECT a.display_name, a.email FROM case_shares s JOIN accounts a ON a.id = s.account_id \
         WHERE s.case_id = $1 ORDER BY LOWER(a.display_name), a.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| -> Result<String, AppError> {
        Ok(format!(
            "{} <{}>",
            r.try_get::<String, _>("display_name")?,
            r.try_get::<String, _>("email")?
        ))
    })
    .collect()
}

/// The groups the case is shared with, by name.
async fn shared_with_groups(db: &Db, case_id: i64) -> Result<Vec<String>, AppError> {
    sqlx::query(
        "SELECT g.name FROM case_group_shares s JOIN workspace_groups g ON g.id = s.group_id \
         WHERE s.case_id = $1 ORDER BY g.name_canonical, g.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("name").map_err(AppError::from))
    .collect()
}
