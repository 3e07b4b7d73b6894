//! Queries of support cases (server only). Who sees a case is decided in ONE place, the
//! `VISIBLE` predicate, which every read (list, count, detail, the check before a write) uses;
//! it always pins the case to the workspace the guard authorized. Writes run in one
//! transaction with their audit entry and their mail in the outbox.

use crate::{
    accounts::types::EmailAddress,
    auth::{
        audit::{self as audit, Entry},
        guard::{Authorized, WorkspaceScope},
        session::Caller,
    },
    cases::{
        CaseDescription, CaseEvent, CaseList, CaseRow, CaseSort, CaseStatus, CaseTitle,
        ContactMethod, EventKind, Severity, SupportCase, MAX_MINUTES, PAGE_SIZE,
    },
    db::link,
    error::{AppError, FieldErrors},
    state::{now, AppState, Db},
};
use sqlx::{any::AnyRow, Row};

use crate::db::Tx;

/// What a member sees of the workspace's cases, by person rather than by role: the cases they
/// opened, those shared with them or with a group of theirs, and all of them when they hold
/// "View all support requests". `account` is the caller's parameter (`$2`, …). Customer
/// Activity's feed uses it too, so both agree on who sees a case.
pub fn member_sees(account: &str) -> String {
    format!(
        "(c.opened_by = {account} \
  OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.account_id = {account}) \
  OR EXISTS (SELECT 1 FROM case_group_shares gs \
    JOIN group_members gm ON gm.group_id = gs.group_id \
    WHERE gs.case_id = c.id AND gm.account_id = {account}) \
  OR EXISTS (SELECT 1 FROM memberships vm WHERE vm.workspace_id = c.workspace_id \
    AND vm.account_id = {account} AND vm.view_all_cases = 1))"
    )
}

/// The visibility of case `c`: $1 the workspace, $2 the caller's account, $3 1 when the caller
/// sees every case of the workspace by role (its administrators, the agreement's staff),
/// otherwise what `member_sees` allows.
static VISIBLE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("c.workspace_id = $1 AND ($3 = 1 OR {})", member_sees("$2"))
});

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

/// 1 when the caller's role shows them every case of the workspace.
pub fn sees_all(scope: &WorkspaceScope) -> i64 {
    i64::from(scope.is_workspace_admin || scope.is_services_admin || scope.is_staff)
}

fn is_admin(scope: &WorkspaceScope) -> bool {
    scope.is_workspace_admin || scope.is_services_admin
}

/// A validated new case.
pub struct NewCase {
    pub title: CaseTitle,
    pub description: CaseDescription,
    pub severity: Severity,
    pub product_area: String,
    pub contact_method: ContactMethod,
}

impl NewCase {
    /// Checks every field at once; the errors name the fields.
    pub fn parse(
        title: &str,
        description: &str,
        severity: &str,
        product_area: &str,
        contact_method: &str,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", CaseTitle::parse(title));
        let description = errors.check("description", CaseDescription::parse(description));
        let severity = errors.check("severity", Severity::parse(severity));
        let product_area = errors.check(
            "product_area",
            crate::cases::types::parse_product_area(product_area),
        );
        let contact_method = errors.check("contact_method", ContactMethod::parse(contact_method));
        errors.into_result()?;
        match (title, description, severity, product_area, contact_method) {
            (
                Some(title),
                Some(description),
                Some(severity),
                Some(product_area),
                Some(contact_method),
            ) => Ok(Self {
                title,
                description,
                severity,
                product_area,
                contact_method,
            }),
            _ => Err(AppError::field("form", "The form was incomplete.")),
        }
    }
}

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
    })
}

fn severity_of(r: &AnyRow) -> Result<Severity, AppError> {
    Severity::parse(&r.try_get::<String, _>("severity")?).map_err(AppError::internal)
}

fn status_of(r: &AnyRow) -> Result<CaseStatus, AppError> {
    CaseStatus::parse(&r.try_get::<String, _>("status")?).map_err(AppError::internal)
}

/// The case as the write needs it, if the caller may see it (inside the write's transaction).
struct Visible {
    title: String,
    severity: String,
    opened_by: i64,
    status: CaseStatus,
    opened_at: i64,
    closed_at: Option<i64>,
}

async fn visible(
    tx: &mut Tx,
    scope: &WorkspaceScope,
    caller: &Caller,
    case_id: i64,
) -> Result<Visible, AppError> {
    let row = sqlx::query(&format!(
        "SELECT c.title, c.severity, c.opened_by, c.status, c.opened_at, c.closed_at \
         FROM cases c WHERE c.id = $4 AND {}",
        VISIBLE.as_str()
    ))
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .bind(sees_all(scope))
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Visible {
        title: row.try_get("title")?,
        severity: row.try_get("severity")?,
        opened_by: row.try_get("opened_by")?,
        status: status_of(&row)?,
        opened_at: row.try_get("opened_at")?,
        closed_at: row.try_get("closed_at")?,
    })
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
    let events = sqlx::query(
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
    .collect::<Result<Vec<_>, _>>()?;
    let shared_with = sqlx::query(
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
    .collect::<Result<Vec<_>, _>>()?;
    let shared_with_groups = sqlx::query(
        "SELECT g.name FROM case_group_shares s JOIN workspace_groups g ON g.id = s.group_id \
         WHERE s.case_id = $1 ORDER BY g.name_canonical, g.id",
    )
    .bind(case_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("name").map_err(AppError::from))
    .collect::<Result<Vec<_>, _>>()?;
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

fn entry<'a>(
    caller: &'a Caller,
    scope: &WorkspaceScope,
    action: &'a str,
    case_id: i64,
    detail: String,
    ip: &'a str,
) -> Entry<'a> {
    Entry::in_workspace(caller, scope, action, ("case", case_id), detail, ip)
}

/// The notification addresses of everyone involved in a case (its opener and its watchers: the
/// members it is shared with, alone or through a group), but `except`, and only while they are
/// members of the case's workspace: nobody outside it hears of the case.
async fn involved(tx: &mut Tx, case_id: i64, except: i64) -> Result<Vec<String>, AppError> {
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

fn case_link(state: &AppState, scope: &WorkspaceScope, case_id: i64) -> String {
    format!(
        "{}/workspaces/{}/cases/{case_id}",
        state.config.base_url.trim_end_matches('/'),
        scope.workspace_id
    )
}

async fn mail_all(tx: &mut Tx, to: &[String], subject: &str, body: &str) -> Result<(), AppError> {
    Ok(crate::mail::enqueue_many(tx, to, subject, body).await?)
}

/// The calendar month (UTC) of a Unix time, as `case_months` keys it: 'YYYY-MM'.
pub fn month_of(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .map(|d| format!("{:04}-{:02}", d.year(), u8::from(d.month())))
        .unwrap_or_else(|_| "1970-01".to_owned())
}

/// Adds `delta` to the count of cases opened in the month of `opened_at` with one status and
/// severity (Customer Activity), inside the transaction of the case change itself.
async fn bump_count(
    tx: &mut Tx,
    workspace_id: i64,
    opened_at: i64,
    status: CaseStatus,
    severity: &str,
    delta: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO case_counts (workspace_id, month, status, severity, n) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id, month, status, severity) \
         DO UPDATE SET n = case_counts.n + excluded.n",
    )
    .bind(workspace_id)
    .bind(month_of(opened_at))
    .bind(status.as_str())
    .bind(severity)
    .bind(delta)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds to the cases opened and closed in the month of `at`.
async fn bump_month(
    tx: &mut Tx,
    workspace_id: i64,
    at: i64,
    opened: i64,
    closed: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO case_months (workspace_id, month, opened, closed) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (workspace_id, month) DO UPDATE SET opened = case_months.opened + excluded.opened, \
           closed = case_months.closed + excluded.closed",
    )
    .bind(workspace_id)
    .bind(month_of(at))
    .bind(opened)
    .bind(closed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn open(who: &Authorized, input: NewCase) -> Result<i64, AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    if !scope.support_contact {
        tracing::info!(
            account = caller.account_id,
            workspace_id = scope.workspace_id,
            "refused: not a support contact"
        );
        return Err(AppError::Forbidden(
            "Only support contacts can open support cases in this workspace.".to_owned(),
        ));
    }
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO cases (workspace_id, opened_by, title, description, severity, product_area, \
           contact_method, status, opened_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $8, $8) RETURNING id",
    )
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .bind(input.title.as_str())
    .bind(input.description.as_str())
    .bind(input.severity.as_str())
    .bind(&input.product_area)
    .bind(input.contact_method.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    bump_count(
        &mut tx,
        scope.workspace_id,
        now,
        CaseStatus::New,
        input.severity.as_str(),
        1,
    )
    .await?;
    bump_month(&mut tx, scope.workspace_id, now, 1, 0).await?;
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.open",
            id,
            format!(
                "Case {id}: {} (severity {})",
                input.title.as_str(),
                input.severity.label()
            ),
            ip,
        ),
    )
    .await?;
    let to = involved(&mut tx, id, 0).await?;
    let subject = format!("Case {id} opened: {}", input.title.as_str());
    let body = format!(
        "Your support case was opened in the workspace \"{}\".\n\n\
         Case {id}: {}\nSeverity: {}\nPreferred contact: {}\n\n\
         Follow it here: {}\n",
        scope.workspace_name,
        input.title.as_str(),
        input.severity.label(),
        input.contact_method.label(),
        case_link(state, scope, id)
    );
    mail_all(&mut tx, &to, &subject, &body).await?;
    tx.commit().await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    tx: &mut Tx,
    case_id: i64,
    caller: &Caller,
    scope: &WorkspaceScope,
    kind: &str,
    body: &str,
    status: Option<CaseStatus>,
    minutes: Option<i64>,
) -> Result<(), AppError> {
    let now = now();
    sqlx::query(
        "INSERT INTO case_events (case_id, author, kind, body, status, minutes, staff, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(case_id)
    .bind(caller.account_id)
    .bind(kind)
    .bind(body)
    .bind(status.map(CaseStatus::as_str))
    .bind(minutes)
    .bind(i64::from(scope.is_staff))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE cases SET updated_at = $2 WHERE id = $1")
        .bind(case_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn add_note(
    who: &Authorized,
    case_id: i64,
    body: &CaseDescription,
) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let mut tx = state.db.begin_write().await?;
    let case = visible(&mut tx, scope, caller, case_id).await?;
    insert_event(
        &mut tx,
        case_id,
        caller,
        scope,
        "note",
        body.as_str(),
        None,
        None,
    )
    .await?;
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.note",
            case_id,
            format!("Case {case_id}: note added"),
            ip,
        ),
    )
    .await?;
    let to = involved(&mut tx, case_id, caller.account_id).await?;
    let subject = format!("Case {case_id}: a new note on {}", case.title);
    let body = format!(
        "{} added a note to case {case_id} ({}):\n\n{}\n\nReply on the case: {}\n",
        caller.display_name,
        case.title,
        body.as_str(),
        case_link(state, scope, case_id)
    );
    mail_all(&mut tx, &to, &subject, &body).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_status(
    who: &Authorized,
    case_id: i64,
    status: CaseStatus,
) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let mut tx = state.db.begin_write().await?;
    let case = visible(&mut tx, scope, caller, case_id).await?;
    let opener = case.opened_by == caller.account_id;
    // The opener closes their case, or reopens a resolved or closed one.
    let opener_may = opener
        && (status == CaseStatus::Closed
            || (status == CaseStatus::New
                && matches!(case.status, CaseStatus::Closed | CaseStatus::Resolved)));
    if !(scope.is_staff || opener_may) {
        tracing::info!(
            account = caller.account_id,
            case_id,
            "refused: status change"
        );
        return Err(AppError::Forbidden(
            "Only the agreement's staff can change a case's status; its opener can close or \
             reopen it."
                .to_owned(),
        ));
    }
    if status == case.status {
        return Err(AppError::field(
            "status",
            format!("The case is already {}.", status.label()),
        ));
    }
    let now = now();
    let closed_at = (status == CaseStatus::Closed).then_some(now);
    sqlx::query("UPDATE cases SET status = $2, closed_at = $3, updated_at = $4 WHERE id = $1")
        .bind(case_id)
        .bind(status.as_str())
        .bind(closed_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let (ws, opened) = (scope.workspace_id, case.opened_at);
    bump_count(&mut tx, ws, opened, case.status, &case.severity, -1).await?;
    bump_count(&mut tx, ws, opened, status, &case.severity, 1).await?;
    // A case counts as closed once, in the month of its current closing: reopening takes it
    // out of the month it was closed in.
    if let Some(closed_at) = case.closed_at.filter(|_| case.status == CaseStatus::Closed) {
        bump_month(&mut tx, ws, closed_at, 0, -1).await?;
    }
    if status == CaseStatus::Closed {
        bump_month(&mut tx, ws, now, 0, 1).await?;
    }
    let text = format!("{} → {}", case.status.label(), status.label());
    insert_event(
        &mut tx,
        case_id,
        caller,
        scope,
        "status",
        &text,
        Some(status),
        None,
    )
    .await?;
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.status",
            case_id,
            format!("Case {case_id}: {text}"),
            ip,
        ),
    )
    .await?;
    let to = involved(&mut tx, case_id, caller.account_id).await?;
    let subject = format!("Case {case_id} is now {}: {}", status.label(), case.title);
    let body = format!(
        "{} changed the status of case {case_id} ({}) from {} to {}.\n\nSee the case: {}\n",
        caller.display_name,
        case.title,
        case.status.label(),
        status.label(),
        case_link(state, scope, case_id)
    );
    mail_all(&mut tx, &to, &subject, &body).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn record_time(
    who: &Authorized,
    case_id: i64,
    minutes: &str,
    note: &str,
) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    if !scope.is_staff {
        tracing::info!(account = caller.account_id, case_id, "refused: record time");
        return Err(AppError::Forbidden(
            "Only the agreement's Customer Success Account Manager or Account Coordinator can \
             record time on a case."
                .to_owned(),
        ));
    }
    let mut errors = FieldErrors::default();
    let minutes = errors.check(
        "minutes",
        minutes
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|m| (1..=MAX_MINUTES).contains(m))
            .ok_or_else(|| format!("Enter a whole number of minutes from 1 to {MAX_MINUTES}.")),
    );
    let note = errors.check(
        "note",
        if note.trim().is_empty() {
            Ok(String::new())
        } else {
            CaseDescription::parse_note(note).map(|n| n.as_str().to_owned())
        },
    );
    errors.into_result()?;
    let (Some(minutes), Some(note)) = (minutes, note) else {
        return Err(AppError::field("form", "The form was incomplete."));
    };
    let mut tx = state.db.begin_write().await?;
    visible(&mut tx, scope, caller, case_id).await?;
    insert_event(
        &mut tx,
        case_id,
        caller,
        scope,
        "time",
        &note,
        None,
        Some(minutes),
    )
    .await?;
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.time",
            case_id,
            format!("Case {case_id}: {minutes} minutes recorded"),
            ip,
        ),
    )
    .await?;
    tx.commit().await?;
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
    let to: Vec<String> = sqlx::query(
        "SELECT COALESCE(a.notification_email, a.email) AS address \
         FROM group_members gm JOIN accounts a ON a.id = gm.account_id \
         WHERE gm.group_id = $1 AND a.id <> $2 ORDER BY a.id",
    )
    .bind(group_id)
    .bind(caller.account_id)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("address").map_err(AppError::from))
    .collect::<Result<_, _>>()?;
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
