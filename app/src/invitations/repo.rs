//! Queries of invitations (server only). Writes happen inside the caller's transaction, so an
//! invitation, its mail in the outbox and its audit entry are written together or not at all.

use crate::{
    accounts::types::EmailAddress,
    auth::audit::{self as audit, Actor, Entry},
    db::{insert_rows, Cell},
    error::AppError,
    invitations::{mail_text, InvitationRole},
    state::now,
    tokens::{hash_token, random_token},
};
use sqlx::{Any, Row};
use std::collections::HashMap;

pub use crate::db::Tx;

/// Where invitations are being sent from.
pub struct InviteContext<'a> {
    pub workspace_id: i64,
    pub workspace_name: &'a str,
    pub agreement_id: i64,
    pub organization_id: i64,
    pub organization_name: &'a str,
    pub invited_by: Option<i64>,
    pub inviter_label: &'a str,
    pub base_url: &'a str,
    pub expires_at: i64,
    pub ip: &'a str,
}

pub struct NewInvitation {
    pub email: EmailAddress,
    pub name: String,
    pub role: InvitationRole,
    pub support_contact: bool,
}

/// Writes the invitations, their mail and one audit entry per invitation, in a few multi-row
/// statements whatever their number. An expired open invitation to the same address is closed
/// first, so the new one can take its place.
pub async fn insert_many(
    tx: &mut Tx,
    ctx: &InviteContext<'_>,
    items: &[NewInvitation],
) -> Result<(), AppError> {
    if items.is_empty() {
        return Ok(());
    }
    let now = now();
    sqlx::query(
        "UPDATE invitations SET status = 'revoked', revoked_at = $2, updated_at = $2 \
         WHERE workspace_id = $1 AND status = 'pending' AND expires_at <= $2",
    )
    .bind(ctx.workspace_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let mut invitations = Vec::with_capacity(items.len());
    let mut audits = Vec::with_capacity(items.len());
    let (actor_id, actor_label) = match ctx.invited_by {
        Some(id) => (Some(id), ctx.inviter_label.to_owned()),
        None => (None, "operator (command line)".to_owned()),
    };
    // Each invitation starts with a hash nobody holds a token for; its mail gets the real one
    // when it is delivered. The hash also finds the new row's id below.
    let hashes: Vec<String> = items.iter().map(|_| unusable_hash()).collect();
    for (item, hash) in items.iter().zip(&hashes) {
        invitations.push(vec![
            Cell::Int(ctx.workspace_id),
            Cell::Text(item.email.as_str().to_owned()),
            Cell::Text(item.email.canonical().to_owned()),
            Cell::Text(item.name.clone()),
            Cell::Text(item.role.as_str().to_owned()),
            Cell::Int(i64::from(item.support_contact)),
            Cell::Text(hash.clone()),
            Cell::Text("pending".to_owned()),
            Cell::Int(ctx.expires_at),
            Cell::OptInt(ctx.invited_by),
            Cell::Int(now),
            Cell::Int(now),
        ]);
        audits.push(vec![
            Cell::OptInt(actor_id),
            Cell::Text(actor_label.clone()),
            Cell::Text("invitation.create".to_owned()),
            Cell::Text("invitation".to_owned()),
            Cell::OptInt(None),
            Cell::OptInt(Some(ctx.organization_id)),
            Cell::OptInt(Some(ctx.agreement_id)),
            Cell::OptInt(Some(ctx.workspace_id)),
            Cell::Text(format!("{} as {}", item.email.as_str(), item.role.label())),
            Cell::Text(ctx.ip.to_owned()),
            Cell::Int(now),
        ]);
    }
    insert_rows(
        tx,
        "invitations",
        &[
            "workspace_id",
            "email",
            "email_canonical",
            "name",
            "role",
            "support_contact",
            "token_hash",
            "status",
            "expires_at",
            "invited_by",
            "created_at",
            "updated_at",
        ],
        invitations,
    )
    .await?;
    let ids = ids_by_hash(tx, ctx.workspace_id, now).await?;
    let mails = items
        .iter()
        .zip(&hashes)
        .map(|(item, hash)| {
            let id = ids
                .get(hash)
                .copied()
                .ok_or_else(|| AppError::internal("a new invitation was not found by its hash"))?;
            Ok(mail_row(ctx, id, item.email.as_str(), &item.name, now))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    insert_rows(tx, "outbox", OUTBOX_COLUMNS, mails).await?;
    insert_rows(
        tx,
        "audit_log",
        &[
            "actor_account_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "organization_id",
            "agreement_id",
            "workspace_id",
            "detail",
            "ip",
            "created_at",
        ],
        audits,
    )
    .await?;
    tracing::info!(
        workspace = ctx.workspace_id,
        count = items.len(),
        "invitations written"
    );
    Ok(())
}

/// A token hash that no token is known for: what an invitation holds until its mail leaves.
fn unusable_hash() -> String {
    hash_token(&random_token())
}

/// The ids of the invitations this transaction just wrote to the workspace, by token hash.
async fn ids_by_hash(
    tx: &mut Tx,
    workspace_id: i64,
    created_at: i64,
) -> Result<HashMap<String, i64>, AppError> {
    sqlx::query(
        "SELECT id, token_hash FROM invitations \
         WHERE workspace_id = $1 AND created_at = $2 AND status = 'pending'",
    )
    .bind(workspace_id)
    .bind(created_at)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("token_hash")?, row.try_get("id")?)))
    .collect()
}

const OUTBOX_COLUMNS: &[&str] = &[
    "to_address",
    "subject",
    "body",
    "invitation_id",
    "token_at",
    "next_attempt_at",
    "created_at",
    "updated_at",
];

/// The outbox row of an invitation's mail: its text without the token, and where the token
/// goes when the mail worker delivers it.
fn mail_row(
    ctx: &InviteContext<'_>,
    invitation_id: i64,
    to: &str,
    name: &str,
    now: i64,
) -> Vec<Cell> {
    let (body, token_at) = mail_text::body(&mail_text::InvitationMail {
        base_url: ctx.base_url,
        email: to,
        name,
        workspace: ctx.workspace_name,
        organization: ctx.organization_name,
        inviter: ctx.inviter_label,
        expires_at: ctx.expires_at,
    });
    vec![
        Cell::Text(to.to_owned()),
        Cell::Text(mail_text::subject(ctx.workspace_name)),
        Cell::Text(body),
        Cell::Int(invitation_id),
        Cell::Int(token_at),
        Cell::Int(now),
        Cell::Int(now),
        Cell::Int(now),
    ]
}

/// An invitation found by its token.
#[derive(Clone, Debug)]
pub struct Found {
    pub id: i64,
    pub workspace_id: i64,
    pub workspace_name: String,
    pub agreement_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub allow_personal: bool,
    pub email: String,
    pub email_canonical: String,
    pub name: String,
    pub role: InvitationRole,
    pub support_contact: bool,
    pub status: String,
    pub expires_at: i64,
}

const FOUND_SELECT: &str =
    "SELECT i.id, i.workspace_id, w.name AS workspace_name, w.agreement_id, \
    a.organization_id, o.name AS organization_name, w.allow_personal, i.email, i.email_canonical, \
    i.name, i.role, i.support_contact, i.status, i.expires_at \
    FROM invitations i JOIN workspaces w ON w.id = i.workspace_id \
    JOIN agreements a ON a.id = w.agreement_id JOIN organizations o ON o.id = a.organization_id";

fn found(row: &sqlx::any::AnyRow) -> Result<Found, AppError> {
    Ok(Found {
        id: row.try_get("id")?,
        workspace_id: row.try_get("workspace_id")?,
        workspace_name: row.try_get("workspace_name")?,
        agreement_id: row.try_get("agreement_id")?,
        organization_id: row.try_get("organization_id")?,
        organization_name: row.try_get("organization_name")?,
        allow_personal: row.try_get::<i64, _>("allow_personal")? != 0,
        email: row.try_get("email")?,
        email_canonical: row.try_get("email_canonical")?,
        name: row.try_get("name")?,
        role: crate::db::column(&row, "role", InvitationRole::parse)?,
        support_contact: row.try_get::<i64, _>("support_contact")? != 0,
        status: row.try_get("status")?,
        expires_at: row.try_get("expires_at")?,
    })
}

pub async fn by_token<'e, E>(executor: E, token: &str) -> Result<Option<Found>, AppError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(&format!("{FOUND_SELECT} WHERE i.token_hash = $1"))
        .bind(hash_token(token.trim()))
        .fetch_optional(executor)
        .await?;
    row.as_ref().map(found).transpose()
}

/// An invitation of this workspace by id (another workspace's id answers like a missing one).
pub async fn in_workspace(tx: &mut Tx, workspace_id: i64, id: i64) -> Result<Found, AppError> {
    let row = sqlx::query(&format!(
        "{FOUND_SELECT} WHERE i.id = $1 AND i.workspace_id = $2"
    ))
    .bind(id)
    .bind(workspace_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    found(&row)
}

/// Consumes the invitation in one conditional update: of two parallel accepts, one wins.
pub async fn consume(tx: &mut Tx, id: i64, account_id: i64) -> Result<bool, AppError> {
    let now = now();
    let done = sqlx::query(
        "UPDATE invitations SET status = 'accepted', accepted_by = $2, accepted_at = $3, \
         updated_at = $3 WHERE id = $1 AND status = 'pending' AND expires_at > $3",
    )
    .bind(id)
    .bind(account_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Grants what the stored invitation says (never what the request says).
pub async fn grant(tx: &mut Tx, invitation: &Found, account_id: i64) -> Result<(), AppError> {
    let now = now();
    let is_admin = i64::from(invitation.role == InvitationRole::WorkspaceAdmin);
    sqlx::query(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, invited_at, \
           created_at, updated_at) \
         SELECT $1, $2, $3, $4, created_at, $5, $5 FROM invitations WHERE id = $6 \
         ON CONFLICT (workspace_id, account_id) DO UPDATE SET \
           is_admin = CASE WHEN excluded.is_admin > memberships.is_admin \
             THEN excluded.is_admin ELSE memberships.is_admin END, \
           support_contact = CASE WHEN excluded.support_contact > memberships.support_contact \
             THEN excluded.support_contact ELSE memberships.support_contact END, \
           updated_at = excluded.updated_at",
    )
    .bind(invitation.workspace_id)
    .bind(account_id)
    .bind(is_admin)
    .bind(i64::from(invitation.support_contact))
    .bind(now)
    .bind(invitation.id)
    .execute(&mut **tx)
    .await?;
    if invitation.role == InvitationRole::ServicesAdmin {
        sqlx::query(
            "INSERT INTO agreement_admins (agreement_id, account_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (agreement_id, account_id) DO NOTHING",
        )
        .bind(invitation.agreement_id)
        .bind(account_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("UPDATE accounts SET last_workspace_id = $2 WHERE id = $1")
        .bind(account_id)
        .bind(invitation.workspace_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A new expiry and a new mail for an open invitation: the old link stops working at once, and
/// the new one is made when the mail leaves.
pub async fn renew(
    tx: &mut Tx,
    invitation: &Found,
    ctx: &InviteContext<'_>,
) -> Result<(), AppError> {
    let now = now();
    let updated = sqlx::query(
        "UPDATE invitations SET token_hash = $2, expires_at = $3, updated_at = $4 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(invitation.id)
    .bind(unusable_hash())
    .bind(ctx.expires_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Only an open invitation can be sent again; invite the address anew.".to_owned(),
        ));
    }
    insert_rows(
        tx,
        "outbox",
        OUTBOX_COLUMNS,
        vec![mail_row(
            ctx,
            invitation.id,
            &invitation.email,
            &invitation.name,
            now,
        )],
    )
    .await?;
    Ok(())
}

pub async fn revoke(tx: &mut Tx, invitation: &Found) -> Result<(), AppError> {
    let now = now();
    let updated = sqlx::query(
        "UPDATE invitations SET status = 'revoked', revoked_at = $2, updated_at = $2 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(invitation.id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "This invitation is no longer open.".to_owned(),
        ));
    }
    Ok(())
}

pub fn audit_entry<'a>(
    actor: Actor<'a>,
    action: &'a str,
    invitation: &Found,
    ip: &'a str,
) -> Entry<'a> {
    Entry {
        actor,
        action,
        object_type: "invitation",
        object_id: Some(invitation.id),
        organization_id: Some(invitation.organization_id),
        agreement_id: Some(invitation.agreement_id),
        workspace_id: Some(invitation.workspace_id),
        detail: invitation.email.clone(),
        ip,
    }
}

pub async fn record(tx: &mut Tx, entry: Entry<'_>) -> Result<(), AppError> {
    audit::record(tx, entry).await?;
    Ok(())
}

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
        sqlx::query("SELECT domain FROM organization_domains")
            .fetch_all(&mut **tx)
            .await?,
    )?;
    Ok(Existing {
        members,
        invited,
        work_domains,
    })
}

pub async fn organization_name(tx: &mut Tx, organization_id: i64) -> Result<String, AppError> {
    Ok(sqlx::query("SELECT name FROM organizations WHERE id = $1")
        .bind(organization_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("name")?)
}
