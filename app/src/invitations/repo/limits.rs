//! The limits an invitation is checked against: the daily budget of addresses, the
//! agreement's support contacts, and who is a member or invited already.

use crate::{error::AppError, state::now};
use sqlx::Row;

use super::Tx;

/// Draws `count` invitations from the workspace's budget for today (UTC), in the caller's
/// transaction, so a send that fails gives them back. One conditional upsert: two parallel
/// requests cannot both pass the budget. `Err(left)` says how many were left when too few.
pub async fn draw_budget(
    tx: &mut Tx,
    workspace_id: i64,
    count: i64,
    per_day: i64,
) -> Result<Result<(), i64>, AppError> {
    let day = now().div_euclid(24 * 60 * 60);
    let drawn = if count > per_day {
        0
    } else {
        sqlx::query(
            "INSERT INTO invitation_budget (workspace_id, day, used) VALUES ($1, $2, $3) \
             ON CONFLICT (workspace_id, day) DO UPDATE SET used = invitation_budget.used + $3 \
             WHERE invitation_budget.used + $3 <= $4",
        )
        .bind(workspace_id)
        .bind(day)
        .bind(count)
        .bind(per_day)
        .execute(&mut **tx)
        .await?
        .rows_affected()
    };
    if drawn == 1 {
        return Ok(Ok(()));
    }
    let used: Option<i64> =
        sqlx::query("SELECT used FROM invitation_budget WHERE workspace_id = $1 AND day = $2")
            .bind(workspace_id)
            .bind(day)
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| row.try_get("used"))
            .transpose()?;
    Ok(Err((per_day - used.unwrap_or(0)).max(0)))
}

/// Locks the agreement row for the rest of the transaction (PostgreSQL; SQLite's BEGIN
/// IMMEDIATE already serialises writers), so two parallel changes cannot both pass the
/// support-contact limit.
pub async fn lock_agreement(tx: &mut Tx, agreement_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE agreements SET updated_at = updated_at WHERE id = $1")
        .bind(agreement_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Support contacts the agreement holds now: members with the privilege in any of its
/// workspaces, plus open invitations that carry it.
pub async fn contacts_in_use(tx: &mut Tx, agreement_id: i64) -> Result<i64, AppError> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM memberships m JOIN workspaces w ON w.id = m.workspace_id \
                  WHERE w.agreement_id = $1 AND m.support_contact = 1) AS members, \
                (SELECT COUNT(*) FROM invitations i JOIN workspaces w ON w.id = i.workspace_id \
                  WHERE w.agreement_id = $1 AND i.status = 'pending' AND i.expires_at > $2 \
                    AND i.support_contact = 1) AS invited",
    )
    .bind(agreement_id)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get::<i64, _>("members")? + row.try_get::<i64, _>("invited")?)
}

/// The canonical addresses of the workspace's members and open invitations, and the domains of
/// every organization (an address on none of them would become a personal account).
pub struct Existing {
    pub members: std::collections::HashSet<String>,
    pub invited: std::collections::HashSet<String>,
    pub work_domains: std::collections::HashSet<String>,
}

pub async fn existing(tx: &mut Tx, workspace_id: i64) -> Result<Existing, AppError> {
    let column = |rows: Vec<sqlx::any::AnyRow>| -> Result<_, AppError> {
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(AppError::from))
            .collect::<Result<std::collections::HashSet<_>, _>>()
    };
    let members = column(
        sqlx::query(
            "SELECT a.email_canonical FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.workspace_id = $1",
        )
        .bind(workspace_id)
        .fetch_all(&mut **tx)
        .await?,
    )?;
    let invited = column(
        sqlx::query(
            "SELECT email_canonical FROM invitations \
             WHERE workspace_id = $1 AND status = 'pending' AND expires_at > $2",
        )
        .bind(workspace_id)
        .bind(now())
        .fetch_all(&mut **tx)
        .await?,
    )?;
    let work_domains = column(
        // The domains that make a work account (accounts::organization_for_domain): verified
        // ones, and those an organization was created with; one merely added names nobody.
        sqlx::query(
            "SELECT domain FROM organization_domains \
             WHERE verified_at IS NOT NULL OR from_creation = 1",
        )
        .fetch_all(&mut **tx)
        .await?,
    )?;
    Ok(Existing {
        members,
        invited,
        work_domains,
    })
}
