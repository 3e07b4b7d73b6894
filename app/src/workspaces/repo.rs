//! Queries of agreements and workspaces (server only). Each takes the caller's scope, found by
//! the guard in `access`, and filters by it.

use crate::{
    auth::{
        audit::{self as audit, Entry},
        guard::{Authorized, OrgPermission, Permission, WorkspaceScope},
        session::Caller,
    },
    error::AppError,
    state::{now, Db},
    workspaces::{
        AgreementType, BenefitKind, BenefitView, CurrentWorkspace, Navigation, OrganizationTools,
        WorkspaceLink, WorkspaceList, WorkspaceOverview,
    },
};
use sqlx::Row;

mod console;
pub use console::{staff_agreement, staff_console};

/// Every workspace the caller may open: as a member, as a Services Administrator of its
/// agreement, or as the agreement's assigned CSAM or AC. One query, whatever their number.
pub async fn my_workspaces(db: &Db, caller: &Caller) -> Result<WorkspaceList, AppError> {
    let rows = sqlx::query(
        "SELECT w.id, w.name, o.name AS organization, w.allow_personal, a.agreement_type \
         FROM workspaces w JOIN agreements a ON a.id = w.agreement_id \
         JOIN organizations o ON o.id = a.organization_id \
         WHERE w.id IN (SELECT workspace_id FROM memberships WHERE account_id = $1) \
            OR a.id IN (SELECT agreement_id FROM agreement_admins WHERE account_id = $1) \
            OR ((a.csam_account_id = $1 OR a.ac_account_id = $1) \
                AND EXISTS (SELECT 1 FROM staff s WHERE s.account_id = $1 AND s.role IN ('csam', 'ac'))) \
         ORDER BY o.name, w.is_default DESC, w.name, w.id",
    )
    .bind(caller.account_id)
    .fetch_all(db.pool())
    .await?;
    let personal = caller.kind == crate::accounts::types::AccountKind::Personal;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        // A personal account does not see workspaces whose policy refuses it.
        if personal && caller.staff_role.is_none() && row.try_get::<i64, _>("allow_personal")? == 0
        {
            continue;
        }
        items.push(WorkspaceLink {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            organization: row.try_get("organization")?,
            agreement_type: crate::db::column(&row, "agreement_type", AgreementType::parse)?,
        });
    }
    let last: Option<i64> = sqlx::query("SELECT last_workspace_id FROM accounts WHERE id = $1")
        .bind(caller.account_id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.try_get("last_workspace_id"))
        .transpose()?
        .flatten();
    let current = last
        .filter(|id| items.iter().any(|w| w.id == *id))
        .or_else(|| items.first().map(|w| w.id));
    Ok(WorkspaceList {
        items,
        current,
        is_staff: caller.staff_role.is_some(),
    })
}

/// The shell's navigation (see `workspaces::navigation`): two queries, whatever the number of
/// workspaces.
pub async fn navigation(
    db: &Db,
    caller: &Caller,
    requested: Option<i64>,
) -> Result<Navigation, AppError> {
    let list = my_workspaces(db, caller).await?;
    let current_id = requested
        .filter(|id| list.items.iter().any(|w| w.id == *id))
        .or(list.current);
    let current = match current_id {
        Some(id) => {
            let scope = crate::auth::guard::workspace(db, caller, id, Permission::View).await?;
            let organization = list
                .items
                .iter()
                .find(|w| w.id == id)
                .map(|w| w.organization.clone())
                .unwrap_or_default();
            Some(CurrentWorkspace {
                id,
                name: scope.workspace_name.clone(),
                organization,
                can_manage_members: scope.can(Permission::ManageMembers),
                can_view_audit: scope.can(Permission::ViewAudit),
            })
        }
        None => None,
    };
    let organization = crate::auth::organization::standing(db, caller)
        .await?
        .filter(|org| org.can(OrgPermission::ViewServices))
        .map(|org| OrganizationTools {
            services: true,
            identity: org.can(OrgPermission::ManageUsers),
            manage_roles: org.can(OrgPermission::ManageRoles),
            name: org.organization_name,
        });
    Ok(Navigation {
        workspaces: list.items,
        current,
        is_staff: list.is_staff,
        is_operator: caller.staff_role == Some(crate::auth::kinds::StaffRole::Operator),
        organization,
    })
}

pub async fn workspace_home(
    db: &Db,
    scope: &WorkspaceScope,
) -> Result<WorkspaceOverview, AppError> {
    let row = sqlx::query(
        "SELECT o.name AS organization, a.starts_on, a.ends_on, \
           (SELECT COUNT(*) FROM memberships m WHERE m.workspace_id = $1) AS members \
         FROM agreements a JOIN organizations o ON o.id = a.organization_id WHERE a.id = $2",
    )
    .bind(scope.workspace_id)
    .bind(scope.agreement_id)
    .fetch_one(db.pool())
    .await?;
    let benefits = sqlx::query(
        "SELECT kind, name, allotment FROM benefits WHERE workspace_id = $1 ORDER BY kind, name, id",
    )
    .bind(scope.workspace_id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|r| -> Result<BenefitView, AppError> {
        Ok(BenefitView {
            kind: crate::db::column(&r, "kind", BenefitKind::parse)?,
            name: r.try_get("name")?,
            allotment: r.try_get("allotment")?,
        })
    })
    .collect::<Result<Vec<_>, _>>()?;
    let mut roles = Vec::new();
    if scope.is_services_admin {
        roles.push("Services Administrator".to_owned());
    }
    if scope.is_workspace_admin {
        roles.push("Workspace Administrator".to_owned());
    }
    if scope.support_contact {
        roles.push("Support Contact".to_owned());
    }
    if scope.is_member && roles.is_empty() {
        roles.push("Service User".to_owned());
    }
    if scope.is_staff {
        roles.push("Agreement staff (CSAM or AC)".to_owned());
    }
    Ok(WorkspaceOverview {
        id: scope.workspace_id,
        name: scope.workspace_name.clone(),
        organization: row.try_get("organization")?,
        agreement_id: scope.agreement_id,
        agreement_type: scope.agreement_type,
        agreement_status: scope.agreement_status,
        starts_on: row.try_get("starts_on")?,
        ends_on: row.try_get("ends_on")?,
        allow_personal: scope.allow_personal,
        roles,
        can_manage_members: scope.can(Permission::ManageMembers),
        can_view_audit: scope.can(Permission::ViewAudit),
        can_manage_benefits: scope.can(Permission::ManageBenefits),
        benefits,
        member_count: row.try_get("members")?,
    })
}

pub async fn remember_workspace(
    db: &Db,
    caller: &Caller,
    scope: &WorkspaceScope,
) -> Result<(), AppError> {
    sqlx::query("UPDATE accounts SET last_workspace_id = $2 WHERE id = $1")
        .bind(caller.account_id)
        .bind(scope.workspace_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn set_personal_policy(who: &Authorized, allow: bool) -> Result<(), AppError> {
    let scope = &who.scope;
    let mut tx = who.state.db.begin_write().await?;
    sqlx::query("UPDATE workspaces SET allow_personal = $2, updated_at = $3 WHERE id = $1")
        .bind(scope.workspace_id)
        .bind(i64::from(allow))
        .bind(now())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: who.actor(),
            action: if allow {
                "workspace.allow_personal_accounts"
            } else {
                "workspace.refuse_personal_accounts"
            },
            object_type: "workspace",
            object_id: Some(scope.workspace_id),
            organization_id: Some(scope.organization_id),
            agreement_id: Some(scope.agreement_id),
            workspace_id: Some(scope.workspace_id),
            detail: scope.workspace_name.clone(),
            ip: &who.ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
