//! Queries of agreements and workspaces (server only). Each takes the caller's scope, found by
//! the guard in `access`, and filters by it.

use crate::{
    accounts::types::StaffRole,
    auth::{
        audit::{self as audit, Entry},
        guard::{AgreementPermission, AgreementScope, Authorized, Permission, WorkspaceScope},
        session::Caller,
    },
    error::AppError,
    state::{now, Db},
    workspaces::{
        AgreementBenefit, AgreementStatus, AgreementType, BenefitKind, BenefitView,
        ConsoleAgreement, ConsoleWorkspace, CurrentWorkspace, Navigation, StaffAgreement,
        StaffConsole, WorkspaceLink, WorkspaceList, WorkspaceOverview, ORGANIZATION_CHOICES,
    },
};
use sqlx::Row;

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
    Ok(Navigation {
        workspaces: list.items,
        current,
        is_staff: list.is_staff,
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

/// An agreement as the staff console lists it.
#[derive(Clone, Debug)]
pub struct AgreementRow {
    pub id: i64,
    pub organization: String,
    pub agreement_type: AgreementType,
    pub status: AgreementStatus,
    pub starts_on: String,
    pub ends_on: String,
    pub contact_limit: i64,
}

/// The agreements a staff member works on: all of them for the operator, the assigned ones for a
/// CSAM or AC.
pub async fn staff_agreements(
    db: &Db,
    caller: &Caller,
    all: bool,
) -> Result<Vec<AgreementRow>, AppError> {
    let rows = sqlx::query(
        "SELECT a.id, o.name AS organization, a.agreement_type, a.status, a.starts_on, a.ends_on, \
           a.contact_limit \
         FROM agreements a JOIN organizations o ON o.id = a.organization_id \
         WHERE $2 = 1 OR a.csam_account_id = $1 OR a.ac_account_id = $1 \
         ORDER BY a.id DESC LIMIT 200",
    )
    .bind(caller.account_id)
    .bind(i64::from(all))
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AgreementRow {
                id: r.try_get("id")?,
                organization: r.try_get("organization")?,
                agreement_type: crate::db::column(&r, "agreement_type", AgreementType::parse)?,
                status: crate::db::column(&r, "status", AgreementStatus::parse)?,
                starts_on: r.try_get("starts_on")?,
                ends_on: r.try_get("ends_on")?,
                contact_limit: r.try_get("contact_limit")?,
            })
        })
        .collect()
}

/// The staff console: the agreements (`staff_agreements`) and the workspaces of all of them in
/// one more query.
pub async fn staff_console(
    db: &Db,
    caller: &Caller,
    role: StaffRole,
) -> Result<StaffConsole, AppError> {
    let is_operator = role == StaffRole::Operator;
    let agreements = staff_agreements(db, caller, is_operator).await?;
    let mut by_agreement: std::collections::HashMap<i64, Vec<ConsoleWorkspace>> =
        std::collections::HashMap::new();
    if !agreements.is_empty() {
        let placeholders = (1..=agreements.len())
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT id, agreement_id, name FROM workspaces WHERE agreement_id IN ({placeholders}) \
             ORDER BY agreement_id, is_default DESC, name, id"
        );
        let mut query = sqlx::query(&sql);
        for agreement in &agreements {
            query = query.bind(agreement.id);
        }
        for row in query.fetch_all(db.pool()).await? {
            by_agreement
                .entry(row.try_get("agreement_id")?)
                .or_default()
                .push(ConsoleWorkspace {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                });
        }
    }
    let (organizations, too_many_organizations) = if is_operator {
        organization_choices(db).await?
    } else {
        (Vec::new(), false)
    };
    Ok(StaffConsole {
        role: role.label().to_owned(),
        is_operator,
        is_agreement_staff: matches!(role, StaffRole::Csam | StaffRole::Ac),
        organizations,
        too_many_organizations,
        agreements: agreements
            .into_iter()
            .map(|a| ConsoleAgreement {
                workspaces: by_agreement.remove(&a.id).unwrap_or_default(),
                id: a.id,
                organization: a.organization,
                agreement_type: a.agreement_type,
                status: a.status,
                starts_on: a.starts_on,
                ends_on: a.ends_on,
                contact_limit: a.contact_limit,
            })
            .collect(),
    })
}

/// The organizations the new agreement's form offers, by name in the unique index's order; and
/// whether there are more than it offers.
async fn organization_choices(db: &Db) -> Result<(Vec<String>, bool), AppError> {
    let mut names = sqlx::query("SELECT name FROM organizations ORDER BY name_canonical LIMIT $1")
        .bind(i64::try_from(ORGANIZATION_CHOICES + 1).unwrap_or(i64::MAX))
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|r| r.try_get::<String, _>("name"))
        .collect::<Result<Vec<_>, _>>()?;
    let more = names.len() > ORGANIZATION_CHOICES;
    names.truncate(ORGANIZATION_CHOICES);
    Ok((names, more))
}

/// One agreement's page in the staff console (`workspaces::staff_agreement`), within the scope
/// the guard found: four queries, whatever the number of workspaces and benefits.
pub async fn staff_agreement(db: &Db, scope: &AgreementScope) -> Result<StaffAgreement, AppError> {
    let id = scope.agreement_id;
    let row = sqlx::query(
        "SELECT o.name AS organization, a.starts_on, a.ends_on, a.contact_limit, \
           c.display_name AS csam, t.display_name AS ac \
         FROM agreements a JOIN organizations o ON o.id = a.organization_id \
         LEFT JOIN accounts c ON c.id = a.csam_account_id \
         LEFT JOIN accounts t ON t.id = a.ac_account_id \
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let (mut services_admins, mut support_contacts) = (Vec::new(), Vec::new());
    for contact in sqlx::query(
        "SELECT role, email FROM agreement_contacts WHERE agreement_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    {
        let email: String = contact.try_get("email")?;
        if contact.try_get::<String, _>("role")? == "services_admin" {
            services_admins.push(email);
        } else {
            support_contacts.push(email);
        }
    }
    let workspaces = sqlx::query(
        "SELECT id, name FROM workspaces WHERE agreement_id = $1 ORDER BY is_default DESC, name, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|r| -> Result<ConsoleWorkspace, AppError> {
        Ok(ConsoleWorkspace {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
        })
    })
    .collect::<Result<Vec<_>, _>>()?;
    // Unassigned benefits (a draft's) first, then by workspace in the list's order.
    let mut benefits = Vec::new();
    for r in sqlx::query(
        "SELECT workspace_id, kind, name, allotment FROM benefits WHERE agreement_id = $1 \
         ORDER BY kind, name, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    {
        let workspace_id: Option<i64> = r.try_get("workspace_id")?;
        let position = workspace_id.and_then(|w| workspaces.iter().position(|x| x.id == w));
        benefits.push((
            position,
            AgreementBenefit {
                workspace: position.map(|p| workspaces[p].name.clone()),
                kind: crate::db::column(&r, "kind", BenefitKind::parse)?,
                name: r.try_get("name")?,
                allotment: r.try_get("allotment")?,
            },
        ));
    }
    benefits.sort_by_key(|(position, _)| *position);
    Ok(StaffAgreement {
        id,
        organization: row.try_get("organization")?,
        agreement_type: scope.agreement_type,
        status: scope.status,
        starts_on: row.try_get("starts_on")?,
        ends_on: row.try_get("ends_on")?,
        contact_limit: row.try_get("contact_limit")?,
        csam: row.try_get("csam")?,
        ac: row.try_get("ac")?,
        services_admins,
        support_contacts,
        workspaces,
        benefits: benefits.into_iter().map(|(_, b)| b).collect(),
        can_activate: scope.status == AgreementStatus::Draft
            && scope.can(AgreementPermission::Activate),
        can_manage: scope.can(AgreementPermission::CreateWorkspace),
    })
}
