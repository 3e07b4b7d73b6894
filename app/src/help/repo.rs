//! Help's queries (server only): feedback in and out, and where a person may ask for support.

use crate::{
    auth::{
        guard::{Authorized, Permission},
        kinds::OrgRole,
        Caller,
    },
    error::AppError,
    help::{
        types::FeedbackMessage, FeedbackCategory, FeedbackInboxData, FeedbackItem, SupportChoices,
        SupportWorkspace, FEEDBACK_PER_HOUR,
    },
    state::{now, Db},
};
use sqlx::Row;

/// How many messages the operator's inbox shows a page.
const PAGE_SIZE: i64 = 25;

pub async fn store(
    who: &Authorized<()>,
    category: FeedbackCategory,
    message: &FeedbackMessage,
    about: &str,
) -> Result<(), AppError> {
    let Authorized { state, caller, .. } = who;
    let organization = crate::auth::organization::standing(&state.db, caller)
        .await?
        .map(|scope| scope.organization_id);
    let at = now();
    let mut tx = state.db.begin_write().await?;
    // A light limit, counted in the database so it holds across server instances (the write
    // transaction makes the count and the insert one step on SQLite; on PostgreSQL two requests
    // at the same instant may both pass, which a light limit allows).
    let recent: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM feedback WHERE account_id = $1 AND created_at > $2")
            .bind(caller.account_id)
            .bind(at - 3600)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
    if recent >= FEEDBACK_PER_HOUR {
        return Err(AppError::Conflict(format!(
            "You have sent {FEEDBACK_PER_HOUR} messages in the last hour. Thank you! Please wait a while before sending more."
        )));
    }
    sqlx::query(
        "INSERT INTO feedback (account_id, organization_id, author, category, message, page, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(caller.account_id)
    .bind(organization)
    .bind(format!("{} <{}>", caller.display_name, caller.email))
    .bind(category.as_str())
    .bind(message.as_str())
    .bind(about)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn inbox(db: &Db, page: i64) -> Result<FeedbackInboxData, AppError> {
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM feedback")
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let page = crate::db::page(page, total, PAGE_SIZE);
    let rows = sqlx::query(
        "SELECT f.id, f.created_at, f.author, o.name AS organization, f.category, f.message, f.page \
         FROM feedback f LEFT JOIN organizations o ON o.id = f.organization_id \
         ORDER BY f.created_at DESC, f.id DESC LIMIT $1 OFFSET $2",
    )
    .bind(PAGE_SIZE)
    .bind(page.offset)
    .fetch_all(db.pool())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(FeedbackItem {
                id: r.try_get("id")?,
                created_at: r.try_get("created_at")?,
                author: r.try_get("author")?,
                organization: r.try_get("organization")?,
                category: crate::db::column(r, "category", FeedbackCategory::parse)?,
                message: r.try_get("message")?,
                about: r.try_get("page")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(FeedbackInboxData {
        items,
        total,
        page: page.number,
        page_size: PAGE_SIZE,
    })
}

/// The caller's workspaces, each with whether they may open a case there (the guard's own
/// reading of their standing, the same one the case form's server function checks), those
/// first; and their organization's Global Administrators, to ask when there is none.
pub async fn support_choices(db: &Db, caller: &Caller) -> Result<SupportChoices, AppError> {
    let list = crate::workspaces::open_to(db, caller).await?;
    let mut workspaces = Vec::with_capacity(list.items.len());
    for item in list.items {
        // A workspace the guard refuses (a personal account where the policy says no) is left
        // out, as is the provider's staff's: they answer cases, they do not open them.
        let Ok(scope) = crate::auth::guard::workspace(db, caller, item.id, Permission::View).await
        else {
            continue;
        };
        if scope.is_staff {
            continue;
        }
        workspaces.push(SupportWorkspace {
            id: item.id,
            name: item.name,
            organization: item.organization,
            can_open: scope.support_contact,
        });
    }
    workspaces.sort_by_key(|w| !w.can_open);
    let standing = crate::auth::organization::standing(db, caller).await?;
    let mut administrators = Vec::new();
    if let Some(scope) = &standing {
        let rows = sqlx::query(
            "SELECT a.display_name, a.email FROM organization_roles r \
             JOIN accounts a ON a.id = r.account_id \
             WHERE r.organization_id = $1 AND a.organization_id = $1 AND r.role = $2 \
               AND a.disabled_at IS NULL \
             ORDER BY LOWER(a.display_name), a.id LIMIT 10",
        )
        .bind(scope.organization_id)
        .bind(OrgRole::Global.as_str())
        .fetch_all(db.pool())
        .await?;
        for r in rows {
            let name: String = r.try_get("display_name")?;
            let email: String = r.try_get("email")?;
            administrators.push(format!("{name} ({email})"));
        }
    }
    Ok(SupportChoices {
        workspaces,
        organization: standing.map(|s| s.organization_name),
        administrators,
    })
}
