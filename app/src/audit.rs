//! The audit log: who did which administrative action to what, when and from where. Written by
//! every domain inside its own transaction (`repo::record`); read per workspace by its
//! administrators and the agreement's staff.

pub mod pages;

#[cfg(feature = "ssr")]
pub mod repo;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, require_org, Authorized, OrgPermission, Permission};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Entries per page of the audit log.
pub const PAGE_SIZE: i64 = 50;

/// One entry as the audit log page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// Unix seconds (UTC).
    pub at: i64,
    pub who: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub detail: String,
    pub ip: String,
}

/// An action code of the log ("member.add") in words ("Member added"), for the audit log and
/// Customer Activity's feed. The codes are what every domain writes (`auth::audit::Entry`) and
/// stay as they are in the database and the JSON; only pages show these words. A code not
/// listed here (a newer one) is shown as its words, so nothing is ever blank.
pub fn action_label(code: &str) -> String {
    let words = match code {
        "account.create" => "Account created",
        "account.password_change" => "Password changed",
        "account.second_factor_reset" => "Two-step verification reset",
        "agreement.create" => "Agreement created",
        "agreement.activate" => "Agreement activated",
        "benefit.add" => "Benefit added",
        "case.open" => "Case opened",
        "case.note" => "Case note added",
        "case.status" => "Case status changed",
        "case.time" => "Time recorded on a case",
        "case.share" => "Case shared",
        "delivery.record" => "Proactive service recorded",
        "group.create" => "Group created",
        "group.delete" => "Group deleted",
        "group.member.add" => "Member added to a group",
        "group.member.remove" => "Member removed from a group",
        "invitation.create" => "Invitation sent",
        "invitation.resend" => "Invitation sent again",
        "invitation.revoke" => "Invitation revoked",
        "invitation.accept" => "Invitation accepted",
        "license.assign" => "Assigned a license",
        "license.unassign" => "Took a license back",
        "member.add" => "Member added",
        "member.remove" => "Member removed",
        "member.make_workspace_admin" => "Made Workspace Administrator",
        "member.unmake_workspace_admin" => "No longer Workspace Administrator",
        "member.support_contact_on" => "Made support contact",
        "member.support_contact_off" => "No longer support contact",
        "member.view_all_cases_on" => "Allowed to view all cases",
        "member.view_all_cases_off" => "No longer views all cases",
        "offer.create" => "Created an offer",
        "organization.create" => "Organization created",
        "organization.sign_up" => "Signed the organization up",
        "org_group.create" => "Organization group created",
        "org_group.update" => "Organization group renamed or described",
        "org_group.delete" => "Organization group deleted",
        "org_group.member.add" => "Member added to an organization group",
        "org_group.member.remove" => "Member removed from an organization group",
        "role.assign" => "Assigned an administrative role",
        "role.remove" => "Removed an administrative role",
        "subscription.buy" => "Bought a subscription",
        "subscription.upgrade" => "Upgraded a trial",
        "subscription.quantity" => "Changed a quantity",
        "subscription.recurring" => "Turned recurring billing on or off",
        "subscription.cancel" => "Cancelled a subscription",
        "subscription.renew" => "Renewed a subscription",
        "workspace.create" => "Workspace created",
        "workspace.allow_personal_accounts" => "Personal accounts allowed",
        "workspace.refuse_personal_accounts" => "Personal accounts refused",
        other => return sentence(other),
    };
    words.to_owned()
}

/// What an entry is about, for people: "Membership 8", "Proactive service 3". (The person or
/// thing itself is named in the entry's detail, written when it happened: the object may be
/// gone since, and its tables belong to other domains.)
pub fn object_label(object_type: &str, object_id: Option<i64>) -> String {
    let kind = match object_type {
        "account" => "Account".to_owned(),
        "agreement" => "Agreement".to_owned(),
        "benefit" => "Benefit".to_owned(),
        "case" => "Case".to_owned(),
        "group" => "Group".to_owned(),
        "invitation" => "Invitation".to_owned(),
        "membership" => "Membership".to_owned(),
        "organization" => "Organization".to_owned(),
        "org_group" => "Organization group".to_owned(),
        "proactive_delivery" => "Proactive service".to_owned(),
        "workspace" => "Workspace".to_owned(),
        other => sentence(other),
    };
    match object_id {
        Some(id) => format!("{kind} {id}"),
        None => kind,
    }
}

/// "group.member_add" as "Group member add": separators become spaces, the first letter a capital.
fn sentence(code: &str) -> String {
    let spaced = code.replace(['.', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Unknown action".to_owned(),
    }
}

/// Unix seconds as ISO 8601 in UTC ("2026-11-24T13:05:00Z"), for `<time datetime>` beside
/// the time shown to people.
pub fn machine_time(seconds: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(seconds)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub workspace_id: i64,
    pub workspace_name: String,
    pub rows: Vec<AuditRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// One page (50 entries, newest first) of a workspace's audit log: its administrators, the
/// agreement's Services Administrators and its assigned staff.
#[server(endpoint = "audit_log")]
pub async fn audit_log(workspace_id: i64, page: i64) -> Result<AuditPage, AppError> {
    let Authorized { state, scope, .. } = require(workspace_id, Permission::ViewAudit).await?;
    repo::list(&state.db, &scope, page).await
}

/// One page of an organization's own log: its entries outside any agreement and workspace
/// (roles, subscriptions, licenses, sign-up).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationAuditPage {
    pub organization_name: String,
    pub rows: Vec<AuditRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// One page (50 entries, newest first) of the caller's organization's log: its Global
/// Administrators.
#[server(endpoint = "organization_audit_log")]
pub async fn organization_audit_log(page: i64) -> Result<OrganizationAuditPage, AppError> {
    let Authorized { state, scope, .. } = require_org(OrgPermission::ManageRoles).await?;
    repo::list_organization(&state.db, &scope, page).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_labels() {
        assert_eq!(action_label("member.add"), "Member added");
        assert_eq!(action_label("invitation.accept"), "Invitation accepted");
        assert_eq!(action_label("case.open"), "Case opened");
        assert_eq!(
            action_label("role.assign"),
            "Assigned an administrative role"
        );
        assert_eq!(action_label("subscription.renew"), "Renewed a subscription");
        // A code this list does not know yet is still readable.
        assert_eq!(action_label("group.rename"), "Group rename");
        assert_eq!(action_label("test.entry_07"), "Test entry 07");
        assert_eq!(action_label(""), "Unknown action");
    }

    #[test]
    fn object_labels() {
        assert_eq!(object_label("membership", Some(8)), "Membership 8");
        assert_eq!(
            object_label("proactive_delivery", Some(3)),
            "Proactive service 3"
        );
        assert_eq!(object_label("agreement", None), "Agreement");
        assert_eq!(object_label("new_thing", Some(1)), "New thing 1");
    }

    #[test]
    fn machine_times() {
        assert_eq!(machine_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            machine_time(1_795_478_400 + 13 * 3_600 + 5 * 60),
            "2026-11-24T13:05:00Z"
        );
    }
}
