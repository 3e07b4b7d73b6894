//! Activating an agreement: its Default Workspace and the first invitations.

use crate::{
    accounts::types::EmailAddress,
    auth::{
        audit::{self as audit, Actor, Entry},
        guard::WorkspaceScope,
        session::Caller,
    },
    error::AppError,
    invitations::{InvitationRole, NewInvitation},
    state::{now, AppState},
    workspaces::{types::WorkspaceName, AgreementStatus, AgreementType},
};
use sqlx::Row;

/// Activates a draft agreement: its Default Workspace is created with no further action, the
/// agreement's benefits are assigned to it, and the Services Administrators and named support
/// contacts are invited — all in one transaction; the mail leaves after commit (outbox).
/// Returns the Default Workspace's id.
pub async fn activate(
    state: &AppState,
    agreement_id: i64,
    actor: Actor<'_>,
    inviter: Option<&Caller>,
    ip: &str,
) -> Result<i64, AppError> {
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let row = sqlx::query(
        "UPDATE agreements SET status = 'active', activated_at = $2, updated_at = $2 \
         WHERE id = $1 AND status = 'draft' RETURNING agreement_type, organization_id, contact_limit",
    )
    .bind(agreement_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        let exists = sqlx::query("SELECT status FROM agreements WHERE id = $1")
            .bind(agreement_id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(match exists {
            Some(_) => AppError::Conflict("This agreement is already active.".to_owned()),
            None => AppError::NotFound,
        });
    };
    let agreement_type = crate::db::column(&row, "agreement_type", AgreementType::parse)?;
    let organization_id: i64 = row.try_get("organization_id")?;
    let contact_limit: i64 = row.try_get("contact_limit")?;
    let name = WorkspaceName::parse("Default Workspace").map_err(AppError::internal)?;
    let workspace_id = default_workspace(&mut tx, agreement_id, agreement_type, &name, now).await?;
    let items = invitations_for(&mut tx, agreement_id).await?;
    let scope = WorkspaceScope {
        workspace_id,
        workspace_name: name.as_str().to_owned(),
        agreement_id,
        organization_id,
        agreement_type,
        agreement_status: AgreementStatus::Active,
        allow_personal: agreement_type.allows_personal_by_default(),
        contact_limit,
        is_member: false,
        is_workspace_admin: false,
        is_services_admin: false,
        is_staff: false,
        support_contact: false,
    };
    crate::invitations::invite_within(&mut tx, state, &scope, inviter, ip, &items).await?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: "agreement.activate",
            object_type: "agreement",
            object_id: Some(agreement_id),
            organization_id: Some(organization_id),
            agreement_id: Some(agreement_id),
            workspace_id: Some(workspace_id),
            detail: format!("Default Workspace created; {} invited", items.len()),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(workspace_id)
}

/// Creates the agreement's Default Workspace and assigns it the agreement's benefits.
async fn default_workspace(
    tx: &mut crate::db::Tx,
    agreement_id: i64,
    agreement_type: AgreementType,
    name: &WorkspaceName,
    now: i64,
) -> Result<i64, AppError> {
    let workspace_id: i64 = sqlx::query(
        "INSERT INTO workspaces (agreement_id, name, name_canonical, is_default, allow_personal, \
           created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5, $5) RETURNING id",
    )
    .bind(agreement_id)
    .bind(name.as_str())
    .bind(name.canonical())
    .bind(i64::from(agreement_type.allows_personal_by_default()))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    sqlx::query(
        "UPDATE benefits SET workspace_id = $2, updated_at = $3 \
         WHERE agreement_id = $1 AND workspace_id IS NULL",
    )
    .bind(agreement_id)
    .bind(workspace_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(workspace_id)
}

/// One invitation per address: a Services Administrator who is also a named support contact
/// gets one invitation that carries both.
async fn invitations_for(
    tx: &mut crate::db::Tx,
    agreement_id: i64,
) -> Result<Vec<NewInvitation>, AppError> {
    let contacts = sqlx::query(
        "SELECT role, email FROM agreement_contacts WHERE agreement_id = $1 ORDER BY id",
    )
    .bind(agreement_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut items: Vec<NewInvitation> = Vec::new();
    for row in contacts {
        let role: String = row.try_get("role")?;
        let email =
            EmailAddress::parse(&row.try_get::<String, _>("email")?).map_err(AppError::internal)?;
        let existing = items
            .iter_mut()
            .find(|i| i.email.canonical() == email.canonical());
        match (existing, role.as_str()) {
            (Some(item), "services_admin") => item.role = InvitationRole::ServicesAdmin,
            (Some(item), _) => item.support_contact = true,
            (None, "services_admin") => items.push(NewInvitation {
                email,
                name: String::new(),
                role: InvitationRole::ServicesAdmin,
                support_contact: false,
            }),
            (None, _) => items.push(NewInvitation {
                email,
                name: String::new(),
                role: InvitationRole::Member,
                support_contact: true,
            }),
        }
    }
    Ok(items)
}
