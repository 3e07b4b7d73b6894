//! Writing new invitations with their mail and audit entries, in a few multi-row statements.

use crate::{
    db::{insert_rows, Cell},
    error::AppError,
    invitations::mail_text,
    state::now,
    tokens::{hash_token, random_token},
};
use sqlx::Row;
use std::collections::HashMap;

use super::{InviteContext, NewInvitation, Tx};

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
        invitations.push(invitation_row(ctx, item, hash, now));
        audits.push(audit_row(ctx, item, actor_id, &actor_label, now));
    }
    insert_rows(tx, "invitations", INVITATION_COLUMNS, invitations).await?;
    let ids = ids_by_hash(tx, ctx.workspace_id, now).await?;
    let mails = items
        .iter()
        .zip(&hashes)
        .map(|(item, hash)| {
            let id = ids
                .get(hash)
                .copied()
                .ok_or_else(|| AppError::internal("a new invitation was not found by its hash"))?;
            Ok(mail_row(ctx, id, item.email.as_str(), &item.name))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    crate::mail::enqueue_all(tx, mails).await?;
    insert_rows(tx, "audit_log", AUDIT_COLUMNS, audits).await?;
    tracing::info!(
        workspace = ctx.workspace_id,
        count = items.len(),
        "invitations written"
    );
    Ok(())
}

/// A token hash that no token is known for: what an invitation holds until its mail leaves.
pub(super) fn unusable_hash() -> String {
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

/// The outbox row of an invitation's mail: its text without the token, and where the token
/// goes when the mail worker delivers it.
pub(super) fn mail_row(
    ctx: &InviteContext<'_>,
    invitation_id: i64,
    to: &str,
    name: &str,
) -> crate::mail::Outgoing {
    let (body, token_at) = mail_text::body(&mail_text::InvitationMail {
        base_url: ctx.base_url,
        email: to,
        name,
        workspace: ctx.workspace_name,
        organization: ctx.organization_name,
        inviter: ctx.inviter_label,
        expires_at: ctx.expires_at,
    });
    crate::mail::Outgoing {
        to: to.to_owned(),
        subject: mail_text::subject(ctx.workspace_name),
        body,
        sealed: Some(crate::mail::Sealed {
            invitation_id,
            token_at,
        }),
    }
}

const INVITATION_COLUMNS: &[&str] = &[
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
];

/// The row of one new invitation, holding `hash` until its mail leaves.
fn invitation_row(
    ctx: &InviteContext<'_>,
    item: &NewInvitation,
    hash: &str,
    now: i64,
) -> Vec<Cell> {
    vec![
        Cell::Int(ctx.workspace_id),
        Cell::Text(item.email.as_str().to_owned()),
        Cell::Text(item.email.canonical().to_owned()),
        Cell::Text(item.name.clone()),
        Cell::Text(item.role.as_str().to_owned()),
        Cell::Int(i64::from(item.support_contact)),
        Cell::Text(hash.to_owned()),
        Cell::Text("pending".to_owned()),
        Cell::Int(ctx.expires_at),
        Cell::OptInt(ctx.invited_by),
        Cell::Int(now),
        Cell::Int(now),
    ]
}

const AUDIT_COLUMNS: &[&str] = &[
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
];

/// The audit entry of one new invitation.
fn audit_row(
    ctx: &InviteContext<'_>,
    item: &NewInvitation,
    actor_id: Option<i64>,
    actor_label: &str,
    now: i64,
) -> Vec<Cell> {
    vec![
        Cell::OptInt(actor_id),
        Cell::Text(actor_label.to_owned()),
        Cell::Text("invitation.create".to_owned()),
        Cell::Text("invitation".to_owned()),
        Cell::OptInt(None),
        Cell::OptInt(Some(ctx.organization_id)),
        Cell::OptInt(Some(ctx.agreement_id)),
        Cell::OptInt(Some(ctx.workspace_id)),
        Cell::Text(format!("{} as {}", item.email.as_str(), item.role.label())),
        Cell::Text(ctx.ip.to_owned()),
        Cell::Int(now),
    ]
}
