//! The one guard in front of every workspace and agreement: the caller comes from the session,
//! their rights from the database, read afresh on every call so a demotion takes effect on the
//! next request. A workspace or agreement the caller has no part in answers exactly like a
//! missing one (404), so ids of other tenants reveal nothing.

pub use crate::auth::organization::{OrgPermission, OrganizationScope};
pub use crate::auth::scope::{AgreementPermission, AgreementScope, Permission, WorkspaceScope};

use crate::{
    auth::{
        kinds::{AccountKind, AgreementStatus, AgreementType, StaffRole},
        session::Caller,
    },
    error::AppError,
    state::Db,
};
use sqlx::Row;

/// The message for a personal account in a workspace whose policy refuses them.
pub fn personal_refused(workspace: &str) -> String {
    format!(
        "The workspace \"{workspace}\" belongs to a Unified Support agreement and does not accept \
         personal accounts. Sign in with a work or school account, or ask your Services \
         Administrator to allow personal accounts in this workspace."
    )
}

fn denied(permission: Permission) -> AppError {
    AppError::Forbidden(
        match permission {
            Permission::View => "You are not a member of this workspace.",
            Permission::ManageMembers => {
                "Only a Services Administrator or this workspace's Workspace Administrator can manage its users."
            }
            Permission::ManageBenefits => {
                "Only the agreement's Customer Success Account Manager or Account Coordinator can change its benefits."
            }
            Permission::ViewAudit => {
                "Only the workspace's administrators and the agreement's staff can read its audit log."
            }
        }
        .to_owned(),
    )
}

/// What a server function has once the guard let it through: the state, the caller, what the
/// guard found (`scope`: a workspace's, an agreement's, the caller's staff role, or nothing for
/// an installation-wide action the guard already allowed), and the client's address for the
/// audit log of a write.
pub struct Authorized<S = WorkspaceScope> {
    pub state: crate::state::AppState,
    pub caller: Caller,
    pub scope: S,
    pub ip: String,
}

impl<S> Authorized<S> {
    /// The caller as the audit log names them.
    pub fn actor(&self) -> crate::auth::audit::Actor<'_> {
        crate::auth::audit::Actor::Account {
            id: self.caller.account_id,
            label: &self.caller.display_name,
        }
    }
}

/// Why a staff account or a Global Administrator is sent to "Two-step verification" first.
pub const SECOND_FACTOR_REQUIRED: &str = "Your account administers others, so it must use \
    two-step verification. Set it up on this page before you continue.";

/// The session's caller with the state and the client address, before any scope is checked.
/// An account that must enroll a second factor first gets no further (403 with the reason).
async fn signed_in() -> Result<Authorized<()>, AppError> {
    let who = signed_in_enrolling().await?;
    if who.caller.must_enroll(&who.state.config) {
        tracing::info!(
            account = who.caller.account_id,
            "refused: second factor required"
        );
        return Err(AppError::Forbidden(SECOND_FACTOR_REQUIRED.to_owned()));
    }
    Ok(who)
}

/// `signed_in` without the enrollment requirement: the enrollment itself.
async fn signed_in_enrolling() -> Result<Authorized<()>, AppError> {
    let caller = crate::auth::session::caller().await?;
    let state = crate::state::app_state()?;
    let ip = crate::auth::session::client_address(&state.config).to_string();
    Ok(Authorized {
        state,
        caller,
        scope: (),
        ip,
    })
}

impl Authorized<()> {
    fn with<S>(self, scope: S) -> Authorized<S> {
        Authorized {
            state: self.state,
            caller: self.caller,
            scope,
            ip: self.ip,
        }
    }
}

/// The first line of a workspace's server function: the caller from the session, then the
/// guard. (Server functions rendered on the server bypass middleware, so each one asks.)
pub async fn require(workspace_id: i64, permission: Permission) -> Result<Authorized, AppError> {
    let who = signed_in().await?;
    let scope = workspace(&who.state.db, &who.caller, workspace_id, permission).await?;
    Ok(who.with(scope))
}

/// The same for every one of `workspace_ids` at once ("All Workspaces").
pub async fn require_all(
    workspace_ids: &[i64],
    permission: Permission,
) -> Result<Authorized<Vec<WorkspaceScope>>, AppError> {
    let who = signed_in().await?;
    let scopes = workspaces(&who.state.db, &who.caller, workspace_ids, permission).await?;
    Ok(who.with(scopes))
}

/// The first line of an agreement's server function.
pub async fn require_agreement(
    agreement_id: i64,
    permission: AgreementPermission,
) -> Result<Authorized<AgreementScope>, AppError> {
    let who = signed_in().await?;
    let scope = agreement(&who.state.db, &who.caller, agreement_id, permission).await?;
    Ok(who.with(scope))
}

/// The first line of a server function of the caller's organization ("Account for
/// organizations"): the organization is the caller's own, from their account.
pub async fn require_org(
    permission: OrgPermission,
) -> Result<Authorized<OrganizationScope>, AppError> {
    let who = signed_in().await?;
    let scope =
        crate::auth::organization::organization(&who.state.db, &who.caller, permission).await?;
    Ok(who.with(scope))
}

/// Who is asking where no sign-in is needed (the sign-in steps, an invitation link, signing
/// out): the state, the caller if there is one, and the client's address for the per-address
/// limits.
pub struct Visitor {
    pub state: crate::state::AppState,
    pub address: std::net::IpAddr,
}

impl Visitor {
    /// The signed-in caller, if any: looked up only by the functions that use it, so a sign-in
    /// attempt costs no session query before its rate limit.
    pub async fn caller(&self) -> Result<Option<Caller>, AppError> {
        crate::auth::session::optional_caller().await
    }

    /// The session's account even while its second step is due (sign-out ends it too).
    pub async fn session(&self) -> Result<Option<Caller>, AppError> {
        crate::auth::session::session_caller().await
    }
}

/// The first line of a server function that anyone may call: each such function is on the
/// signed-out sweep's allow-list, with the reason it is public.
pub fn visitor() -> Result<Visitor, AppError> {
    let state = crate::state::app_state()?;
    let address = crate::auth::session::client_address(&state.config);
    Ok(Visitor { state, address })
}

/// Any signed-in account, for what concerns only the caller (their profile, their workspaces).
pub async fn require_user() -> Result<Authorized<()>, AppError> {
    signed_in().await
}

/// The caller's own two-step verification page: open to an account that must still enroll
/// (everything else refuses it until then).
pub async fn require_user_enrolling() -> Result<Authorized<()>, AppError> {
    signed_in_enrolling().await
}

/// The second step of sign-in: a session whose password was right and whose code is due.
/// Anything else (no session, a finished one) is refused as signed out.
pub async fn require_second_step() -> Result<Authorized<()>, AppError> {
    let state = crate::state::app_state()?;
    let caller = crate::auth::session::session_caller()
        .await?
        .filter(Caller::second_factor_pending)
        .ok_or(AppError::Unauthorized)?;
    let ip = crate::auth::session::client_address(&state.config).to_string();
    Ok(Authorized {
        state,
        caller,
        scope: (),
        ip,
    })
}

/// Installation-wide actions (organizations, agreements, staff): the operator only.
pub async fn require_operator() -> Result<Authorized<()>, AppError> {
    let who = signed_in().await?;
    operator_only(&who.caller)?;
    Ok(who)
}

/// Any staff member (the staff console); the scope is their role.
pub async fn require_staff() -> Result<Authorized<StaffRole>, AppError> {
    let who = signed_in().await?;
    let role = staff_only(&who.caller)?;
    Ok(who.with(role))
}

/// The guard's one query: a workspace, its agreement and the caller's part in it. `$1` is the
/// caller; `{ids}` is replaced by the workspaces' placeholders, `$2` onwards.
const SCOPE_SQL: &str =
    "SELECT w.id, w.name, w.agreement_id, w.allow_personal, a.agreement_type, a.status, \
       a.organization_id, a.contact_limit, a.csam_account_id, a.ac_account_id, \
       m.is_admin, m.support_contact, \
       CAST(CASE WHEN m.id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS is_member, \
       (SELECT COUNT(*) FROM agreement_admins aa \
         WHERE aa.agreement_id = w.agreement_id AND aa.account_id = $1) AS services_admin \
     FROM workspaces w JOIN agreements a ON a.id = w.agreement_id \
     LEFT JOIN memberships m ON m.workspace_id = w.id AND m.account_id = $1 \
     WHERE w.id IN ({ids})";

/// Checks one row of `SCOPE_SQL` for `permission`: the same rules for one workspace or many.
fn check(
    caller: &Caller,
    row: &sqlx::any::AnyRow,
    permission: Permission,
) -> Result<WorkspaceScope, AppError> {
    let workspace_id: i64 = row.try_get("id")?;
    let csam: Option<i64> = row.try_get("csam_account_id")?;
    let ac: Option<i64> = row.try_get("ac_account_id")?;
    let assigned = Some(caller.account_id) == csam || Some(caller.account_id) == ac;
    let scope = WorkspaceScope {
        workspace_id,
        workspace_name: row.try_get("name")?,
        agreement_id: row.try_get("agreement_id")?,
        organization_id: row.try_get("organization_id")?,
        agreement_type: crate::db::column(row, "agreement_type", AgreementType::parse)?,
        agreement_status: crate::db::column(row, "status", AgreementStatus::parse)?,
        allow_personal: row.try_get::<i64, _>("allow_personal")? != 0,
        contact_limit: row.try_get("contact_limit")?,
        is_member: row.try_get::<i64, _>("is_member")? != 0,
        is_workspace_admin: row.try_get::<Option<i64>, _>("is_admin")?.unwrap_or(0) != 0,
        is_services_admin: row.try_get::<i64, _>("services_admin")? > 0,
        is_staff: assigned && matches!(caller.staff_role, Some(StaffRole::Csam | StaffRole::Ac)),
        support_contact: row
            .try_get::<Option<i64>, _>("support_contact")?
            .unwrap_or(0)
            != 0,
    };
    if !scope.can(Permission::View) {
        tracing::info!(
            account = caller.account_id,
            workspace_id,
            "refused: not part of this workspace"
        );
        return Err(AppError::NotFound);
    }
    // The account-kind policy holds for the customer's people, not for the provider's staff.
    if caller.kind == AccountKind::Personal && !scope.allow_personal && !scope.is_staff {
        return Err(AppError::Forbidden(personal_refused(&scope.workspace_name)));
    }
    if !scope.can(permission) {
        tracing::info!(
            account = caller.account_id,
            workspace_id,
            ?permission,
            "refused"
        );
        return Err(denied(permission));
    }
    Ok(scope)
}

/// Authorizes `permission` in workspace `workspace_id` for `caller`.
pub async fn workspace(
    db: &Db,
    caller: &Caller,
    workspace_id: i64,
    permission: Permission,
) -> Result<WorkspaceScope, AppError> {
    let row = sqlx::query(&SCOPE_SQL.replace("{ids}", "$2"))
        .bind(caller.account_id)
        .bind(workspace_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AppError::NotFound)?;
    check(caller, &row, permission)
}

/// Authorizes `permission` in every one of `workspace_ids` at once (one query, the same rules
/// as `workspace`): any of them missing or refused refuses the whole request.
pub async fn workspaces(
    db: &Db,
    caller: &Caller,
    workspace_ids: &[i64],
    permission: Permission,
) -> Result<Vec<WorkspaceScope>, AppError> {
    if workspace_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::db::placeholders(2, workspace_ids.len());
    let sql = format!("{} ORDER BY w.id", SCOPE_SQL.replace("{ids}", &list));
    let mut query = sqlx::query(&sql).bind(caller.account_id);
    for id in workspace_ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(db.pool()).await?;
    let mut unique = workspace_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if rows.len() != unique.len() {
        return Err(AppError::NotFound);
    }
    rows.iter()
        .map(|row| check(caller, row, permission))
        .collect()
}

pub async fn agreement(
    db: &Db,
    caller: &Caller,
    agreement_id: i64,
    permission: AgreementPermission,
) -> Result<AgreementScope, AppError> {
    let row = sqlx::query(
        "SELECT a.organization_id, a.agreement_type, a.status, a.ends_on, a.csam_account_id, \
           a.ac_account_id, \
           (SELECT COUNT(*) FROM agreement_admins aa \
             WHERE aa.agreement_id = a.id AND aa.account_id = $2) AS services_admin \
         FROM agreements a WHERE a.id = $1",
    )
    .bind(agreement_id)
    .bind(caller.account_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let csam: Option<i64> = row.try_get("csam_account_id")?;
    let ac: Option<i64> = row.try_get("ac_account_id")?;
    let scope = AgreementScope {
        agreement_id,
        organization_id: row.try_get("organization_id")?,
        agreement_type: crate::db::column(&row, "agreement_type", AgreementType::parse)?,
        status: crate::db::column(&row, "status", AgreementStatus::parse)?,
        ends_on: row.try_get("ends_on")?,
        is_services_admin: row.try_get::<i64, _>("services_admin")? > 0,
        is_assigned_staff: matches!(caller.staff_role, Some(StaffRole::Csam | StaffRole::Ac))
            && (Some(caller.account_id) == csam || Some(caller.account_id) == ac),
        is_operator: caller.staff_role == Some(StaffRole::Operator),
    };
    if !scope.can(AgreementPermission::View) {
        tracing::info!(
            account = caller.account_id,
            agreement_id,
            "refused: not part of this agreement"
        );
        return Err(AppError::NotFound);
    }
    if !scope.can(permission) {
        tracing::info!(
            account = caller.account_id,
            agreement_id,
            ?permission,
            "refused"
        );
        return Err(AppError::Forbidden(
            match permission {
                AgreementPermission::CreateWorkspace => {
                    "Only the agreement's Customer Success Account Manager or Account Coordinator can create workspaces."
                }
                AgreementPermission::Activate => {
                    "Only the operator or the agreement's CSAM or AC can activate it."
                }
                _ => "You cannot see this agreement.",
            }
            .to_owned(),
        ));
    }
    Ok(scope)
}

/// The operator check, for callers outside a server function (the staff pages' own reads).
pub fn operator_only(caller: &Caller) -> Result<(), AppError> {
    if caller.staff_role == Some(StaffRole::Operator) {
        Ok(())
    } else {
        tracing::info!(account = caller.account_id, "refused: operator only");
        Err(AppError::Forbidden(
            "Only an operator can create organizations and agreements.".to_owned(),
        ))
    }
}

/// The staff check: the caller's staff role, or refused.
pub fn staff_only(caller: &Caller) -> Result<StaffRole, AppError> {
    caller.staff_role.ok_or_else(|| {
        tracing::info!(account = caller.account_id, "refused: staff only");
        AppError::Forbidden("This page is for the provider's staff.".to_owned())
    })
}

/// The member of the workspace with this (canonical) address: (account id, notification
/// address). Anyone
/// else is a message on the `email` field ending with `why` (a case or a group reaches members of
/// its workspace only).
pub async fn member_by_email(
    tx: &mut crate::db::Tx,
    workspace_id: i64,
    email_canonical: &str,
    why: &str,
) -> Result<(i64, String), AppError> {
    let row = sqlx::query(
        "SELECT a.id, COALESCE(a.notification_email, a.email) AS address \
         FROM memberships m JOIN accounts a ON a.id = m.account_id \
         WHERE m.workspace_id = $1 AND a.email_canonical = $2 ORDER BY a.id",
    )
    .bind(workspace_id)
    .bind(email_canonical)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| {
        AppError::field(
            "email",
            format!("No member of this workspace has that address. {why}"),
        )
    })?;
    Ok((row.try_get("id")?, row.try_get("address")?))
}
