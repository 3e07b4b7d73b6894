//! What the guard finds: the caller's standing in a workspace or an agreement, and what each
//! permission asks of it.

use crate::auth::kinds::{AgreementStatus, AgreementType};

/// What a caller may want to do in one workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See the workspace's page, members and activity: its members, the agreement's Services
    /// Administrators and its assigned CSAM and AC.
    View,
    /// Invite, resend, revoke, remove, Support Contact, Workspace Administrator, the account-kind
    /// policy: the Workspace Administrator and the agreement's Services Administrators.
    ManageMembers,
    /// Add benefits to the workspace: the agreement's assigned CSAM or AC.
    ManageBenefits,
    /// Read the workspace's audit log: its administrators and the agreement's staff.
    ViewAudit,
}

/// The caller's standing in one workspace, as the guard found it.
#[derive(Clone, Debug)]
pub struct WorkspaceScope {
    pub workspace_id: i64,
    pub workspace_name: String,
    pub agreement_id: i64,
    pub organization_id: i64,
    pub agreement_type: AgreementType,
    pub agreement_status: AgreementStatus,
    pub allow_personal: bool,
    pub contact_limit: i64,
    pub is_member: bool,
    pub is_workspace_admin: bool,
    pub is_services_admin: bool,
    /// The agreement's assigned CSAM or AC.
    pub is_staff: bool,
    pub support_contact: bool,
}

impl WorkspaceScope {
    pub fn can(&self, permission: Permission) -> bool {
        let admin = self.is_workspace_admin || self.is_services_admin;
        match permission {
            Permission::View => self.is_member || admin || self.is_staff,
            Permission::ManageMembers => admin,
            Permission::ManageBenefits => self.is_staff,
            Permission::ViewAudit => admin || self.is_staff,
        }
    }
}

/// What a caller may want to do with an agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgreementPermission {
    /// The operator, the assigned CSAM and AC, the Services Administrators.
    View,
    /// The operator and the assigned CSAM or AC.
    Activate,
    /// Only the assigned CSAM or AC (seed 001 in ARCHITECTURE.md's "Sources").
    CreateWorkspace,
    /// The Services Administrators, the assigned staff and the operator.
    ViewAudit,
}

#[derive(Clone, Debug)]
pub struct AgreementScope {
    pub agreement_id: i64,
    pub organization_id: i64,
    pub agreement_type: AgreementType,
    pub status: AgreementStatus,
    pub ends_on: String,
    pub is_services_admin: bool,
    pub is_assigned_staff: bool,
    pub is_operator: bool,
}

impl AgreementScope {
    pub fn can(&self, permission: AgreementPermission) -> bool {
        match permission {
            AgreementPermission::View | AgreementPermission::ViewAudit => {
                self.is_operator || self.is_assigned_staff || self.is_services_admin
            }
            AgreementPermission::Activate => self.is_operator || self.is_assigned_staff,
            AgreementPermission::CreateWorkspace => self.is_assigned_staff,
        }
    }
}
