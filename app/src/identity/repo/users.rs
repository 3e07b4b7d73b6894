//! Manage Users' reads: a page in an index's order, and one account of the organization.

use crate::{
    auth::{
        guard::{Authorized, OrganizationScope},
        kinds::OrgRole,
    },
    db::Tx,
    error::AppError,
    identity::{OrgUserRow, OrgUsersData, UserSort, UserStatus, USERS_PER_PAGE},
    state::Db,
};
use sqlx::Row;

/// The columns of a row; the license count is one index range per row of the page.
const COLUMNS: &str = "a.id, a.display_name, a.email, a.status_key, a.created_at, \
    (SELECT COUNT(*) FROM license_assignments l \
      WHERE l.account_id = a.id AND l.organization_id = a.organization_id) AS licenses";

/// The ORDER BY of each sort: the index's columns, the id last, so a page never sorts the
/// whole list (accounts_org_by_name, _by_email, _by_status, _by_created).
fn order(sort: UserSort, desc: bool) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    let keys: &[&str] = match sort {
        UserSort::Name => &["a.name_key", "a.id"],
        UserSort::Email => &["a.email_key", "a.id"],
        UserSort::Status => &["a.status_key", "a.name_key", "a.id"],
        UserSort::Created => &["a.created_at", "a.id"],
    };
    keys.iter()
        .map(|k| format!("{k} {dir}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row(r: &sqlx::any::AnyRow) -> Result<OrgUserRow, AppError> {
    Ok(OrgUserRow {
        id: r.try_get("id")?,
        name: r.try_get("display_name")?,
        email: r.try_get("email")?,
        status: crate::db::column(r, "status_key", UserStatus::parse)?,
        roles: Vec::new(),
        licenses: r.try_get("licenses")?,
        created_at: r.try_get("created_at")?,
    })
}

/// The roles of the listed accounts, in one query.
async fn add_roles(db: &Db, organization_id: i64, rows: &mut [OrgUserRow]) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT account_id, role FROM organization_roles \
         WHERE organization_id = $1 AND account_id IN ({})",
        crate::db::placeholders(2, rows.len())
    );
    let mut query = sqlx::query(&sql).bind(organization_id);
    for r in rows.iter() {
        query = query.bind(r.id);
    }
    for found in query.fetch_all(db.pool()).await? {
        let id: i64 = found.try_get("account_id")?;
        let role = crate::db::column(&found, "role", OrgRole::parse)?;
        if let Some(r) = rows.iter_mut().find(|r| r.id == id) {
            r.roles.push(role);
        }
    }
    for r in rows.iter_mut() {
        r.roles.sort_unstable();
    }
    Ok(())
}

pub async fn page(
    who: &Authorized<OrganizationScope>,
    q: &str,
    sort: UserSort,
    desc: bool,
    requested: i64,
) -> Result<OrgUsersData, AppError> {
    let db = &who.state.db;
    let org = who.scope.organization_id;
    // Every account of an organization is a work account (accounts::service refuses an
    // organization to a personal one), so the list and its count need no other column than the
    // index's. Without a search, a page is a stretch of one sort's index and the count an
    // index-only range. A search (the start of a name or of an address) is the union of two
    // index ranges, joined back by id and sorted: its cost follows the matches, never the
    // organization's size (a plain OR lets the planner walk the whole sort index instead).
    let range = crate::db::prefix_range(q);
    let source = if range.is_some() {
        "accounts a JOIN (SELECT id FROM accounts WHERE organization_id = $1 \
           AND name_key >= $2 AND name_key < $3 \
         UNION SELECT id FROM accounts WHERE organization_id = $1 \
           AND email_key >= $2 AND email_key < $3) m ON m.id = a.id"
    } else {
        "accounts a"
    };
    let count_sql = format!("SELECT COUNT(*) AS n FROM {source} WHERE a.organization_id = $1");
    let mut count = sqlx::query(&count_sql).bind(org);
    if let Some((from, to)) = &range {
        count = count.bind(from.clone()).bind(to.clone());
    }
    let total: i64 = count.fetch_one(db.pool()).await?.try_get("n")?;
    let page = crate::db::page(requested, total, USERS_PER_PAGE);
    let first = if range.is_some() { 4 } else { 2 };
    let sql = format!(
        "SELECT {COLUMNS} FROM {source} WHERE a.organization_id = $1 \
         ORDER BY {} LIMIT ${first} OFFSET ${}",
        order(sort, desc),
        first + 1
    );
    let mut query = sqlx::query(&sql).bind(org);
    if let Some((from, to)) = range {
        query = query.bind(from).bind(to);
    }
    let found = query
        .bind(USERS_PER_PAGE)
        .bind(page.offset)
        .fetch_all(db.pool())
        .await?;
    let mut rows = found.iter().map(row).collect::<Result<Vec<_>, _>>()?;
    add_roles(db, org, &mut rows).await?;
    Ok(OrgUsersData {
        organization: who.scope.organization_name.clone(),
        rows,
        total,
        page: page.number,
        page_size: USERS_PER_PAGE,
        domains: super::org::domains(db, org).await?,
    })
}

/// One work account of the organization, with its roles.
pub async fn one(db: &Db, organization_id: i64, id: i64) -> Result<OrgUserRow, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM accounts a \
         WHERE a.id = $1 AND a.organization_id = $2 AND a.kind = 'work'"
    );
    let found = sqlx::query(&sql)
        .bind(id)
        .bind(organization_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut rows = vec![row(&found)?];
    add_roles(db, organization_id, &mut rows).await?;
    Ok(rows.remove(0))
}

/// The account as a change sees it, inside its transaction: (name, address, disabled, roles).
pub struct Target {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub disabled: bool,
    pub roles: Vec<OrgRole>,
}

pub async fn target(tx: &mut Tx, organization_id: i64, id: i64) -> Result<Target, AppError> {
    let found = sqlx::query(
        "SELECT id, display_name, email, disabled_at FROM accounts \
         WHERE id = $1 AND organization_id = $2 AND kind = 'work'",
    )
    .bind(id)
    .bind(organization_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let roles = sqlx::query(
        "SELECT role FROM organization_roles WHERE account_id = $1 AND organization_id = $2",
    )
    .bind(id)
    .bind(organization_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| crate::db::column(r, "role", OrgRole::parse))
    .collect::<Result<Vec<_>, _>>()?;
    Ok(Target {
        id,
        name: found.try_get("display_name")?,
        email: found.try_get("email")?,
        disabled: found.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
        roles,
    })
}

/// Enabled Global Administrators of the organization other than `account_id`.
pub async fn other_globals(
    tx: &mut Tx,
    organization_id: i64,
    account_id: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM organization_roles r JOIN accounts a ON a.id = r.account_id \
         WHERE r.organization_id = $1 AND r.role = 'global' AND r.account_id <> $2 \
           AND a.organization_id = $1 AND a.disabled_at IS NULL",
    )
    .bind(organization_id)
    .bind(account_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?)
}

/// Why an account cannot be deleted cleanly, if so: records the organization keeps name it.
pub async fn kept_records(tx: &mut Tx, id: i64) -> Result<Option<&'static str>, AppError> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM cases WHERE opened_by = $1) AS cases, \
           (SELECT COUNT(*) FROM case_events WHERE author = $1) AS events, \
           (SELECT COUNT(*) FROM agreements WHERE csam_account_id = $1 OR ac_account_id = $1) AS agreements",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let n = |c: &str| -> Result<i64, AppError> { Ok(row.try_get::<i64, _>(c)?) };
    Ok(if n("cases")? > 0 || n("events")? > 0 {
        Some("they opened or wrote in support cases, which your organization keeps")
    } else if n("agreements")? > 0 {
        Some("an agreement names them as its contact")
    } else {
        None
    })
}
