//! The authorization and segregation matrix of support cases and Customer Activity, over HTTP
//! against the real router, on SQLite and PostgreSQL. One row per (function, target), one column
//! per role; every cell is a fresh case, one call, the expected HTTP status, what the caller sees
//! when a read succeeds, and the database unchanged when a write is refused (DESIGN "Support
//! cases": its opener, the members it is shared with, the workspace's administrators and members
//! holding "View all support requests", the agreement's staff see a case; nobody outside the
//! workspace, ever).
//!
//! Adding a function: a `Function` variant, its call in `perform`, its effect in `effect`, and one
//! line per target in `MATRIX`. Groups (create, list, members, delete, sharing a case with one)
//! are here too: each cell also gets a fresh group of workspace A holding the shared member.

use crate::common::{TestApp, TestResponse};
use app::{
    auth::audit::Actor,
    workspaces::service::{self, AgreementInput},
};
use serde_json::Value;
use sqlx::Row;
use std::collections::HashMap;

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Role {
    /// No session cookie.
    Anonymous,
    /// The support contact who opened the case (workspace A; the same standing in Finance).
    Opener,
    /// Another support contact of workspace A (and of Finance).
    OtherContact,
    /// A plain member of A (and of Finance) the case is shared with.
    SharedMember,
    /// A plain member of A (and of Finance) the case is not shared with.
    UnsharedMember,
    /// A member of A (and of Finance) holding "View all support requests".
    ViewAll,
    /// The Workspace Administrator of A (and of Finance); no support contact.
    WorkspaceAdmin,
    /// The Services Administrator of Contoso's agreement (no membership anywhere).
    ServicesAdmin,
    /// The CSAM assigned to Contoso's agreement.
    Csam,
    /// The AC assigned to Contoso's agreement.
    Ac,
    /// A CSAM assigned to Fabrikam's agreement only.
    UnassignedCsam,
    /// The installation's operator (staff, assigned to nothing).
    Operator,
    /// Support contact and administrator of Finance, Contoso's other workspace, only.
    OtherWorkspaceMember,
    /// Support contact and administrator of Fabrikam's workspace.
    OtherTenantMember,
    /// A plain member the case was shared with, since removed from A (still a member of
    /// Finance): outside the case's workspace, whatever the share says.
    FormerMember,
}

use Role::*;

/// The columns of `MATRIX`, in order.
const ROLES: [Role; 15] = [
    Anonymous,
    Opener,
    OtherContact,
    SharedMember,
    UnsharedMember,
    ViewAll,
    WorkspaceAdmin,
    ServicesAdmin,
    Csam,
    Ac,
    UnassignedCsam,
    Operator,
    OtherWorkspaceMember,
    OtherTenantMember,
    FormerMember,
];

/// What is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Function {
    OpenCase,
    ListCases,
    CaseDetail,
    AddCaseNote,
    /// set_case_status to "closed".
    CloseCase,
    /// set_case_status to "in_progress".
    AdvanceCase,
    RecordCaseTime,
    /// share_case with the unshared member of workspace A.
    ShareCase,
    /// share_case with a member of Finance only (outside the case's workspace).
    ShareCaseOutside,
    CustomerActivity,
    RecordDelivery,
    /// GET /activity/export.csv
    ExportCsv,
    /// share_case_with_group with the cell's group of workspace A.
    ShareCaseWithGroup,
    /// share_case_with_group with Finance's group (outside the case's workspace).
    ShareCaseWithOtherGroup,
    ListGroups,
    CreateGroup,
    /// add_group_member: the unshared member into the cell's group.
    AddGroupMember,
    /// remove_group_member: the shared member out of the cell's group.
    RemoveGroupMember,
    DeleteGroup,
}

use Function::*;

/// What the call names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Workspace A, and the cell's case (which lives in A and is shared with `SharedMember`).
    A,
    /// The caller's own other workspace (`Role::own`) with the same case id: id smuggling.
    Own,
    /// Workspace A and a case id that does not exist.
    Missing,
    /// "All Workspaces" (Customer Activity only).
    All,
}

use Target::*;

macro_rules! ensure {
    ($cond:expr, $($message:tt)+) => {
        if !$cond {
            return Err(format!($($message)+));
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// 200; a write had its effect; a list contains the case.
    Ok,
    /// 200, and the list does not contain the case.
    Hidden,
    /// Any other status (nothing written).
    Status(u16),
}

const OK: Expect = Expect::Ok;
const HIDE: Expect = Expect::Hidden;
const S303: Expect = Expect::Status(303);
const E401: Expect = Expect::Status(401);
const E403: Expect = Expect::Status(403);
const E404: Expect = Expect::Status(404);
const E422: Expect = Expect::Status(422);

/// The matrix. Columns follow `ROLES`: anonymous, opener, another contact, the member it is
/// shared with, a member it is not shared with, "View all support requests", Workspace
/// Administrator, Services Administrator, assigned CSAM, assigned AC, unassigned CSAM, operator,
/// member of Finance (same organization), member of Fabrikam (another organization), former
/// member of A the case was shared with.
/// Notes on cells that are not obvious:
/// - A case the caller may not see answers 404, like a missing one (also in a workspace the
///   caller administers: `Own`). A role refusal in a visible case or workspace answers 403.
/// - record_case_time refuses non-staff (403) before it looks at the case, so the answer does not
///   depend on the case existing (see the `Missing` row): it reveals nothing.
/// - The Services Administrator is no support contact (open: 403) but administers every
///   workspace of the agreement (shares, sees all).
/// - Only the assigned CSAM or AC records time and deliveries; the unassigned CSAM and the
///   operator are strangers to Contoso (404), the CSAM records in its own agreement (`Own`).
/// - The CSV export redirects a visitor without a session to the sign-in page (303).
#[rustfmt::skip]
const MATRIX: &[(Function, Target, [Expect; 15])] = &[
    //                           anon  opnr  cnt2  shrd  unsh  view  wadm  sadm  csam  ac    csm2  oper  fin   fab   gone
    (OpenCase,         A,       [E401, OK,   OK,   E403, E403, E403, E403, E403, E403, E403, E404, E404, E404, E404, E404]),
    (OpenCase,         Own,     [E401, OK,   OK,   E403, E403, E403, E403, E403, E403, E403, E403, E404, OK,   OK,   E403]),
    (ListCases,        A,       [E401, OK,   HIDE, OK,   HIDE, OK,   OK,   OK,   OK,   OK,   E404, E404, E404, E404, E404]),
    (ListCases,        Own,     [E401, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, E404, HIDE, HIDE, HIDE]),
    (CaseDetail,       A,       [E401, OK,   E404, OK,   E404, OK,   OK,   OK,   OK,   OK,   E404, E404, E404, E404, E404]),
    (CaseDetail,       Own,     [E401, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404]),
    (CaseDetail,       Missing, [E401, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404]),
    (AddCaseNote,      A,       [E401, OK,   E404, OK,   E404, OK,   OK,   OK,   OK,   OK,   E404, E404, E404, E404, E404]),
    (AddCaseNote,      Own,     [E401, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404]),
    (CloseCase,        A,       [E401, OK,   E404, E403, E404, E403, E403, E403, OK,   OK,   E404, E404, E404, E404, E404]),
    (CloseCase,        Own,     [E401, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404]),
    (AdvanceCase,      A,       [E401, E403, E404, E403, E404, E403, E403, E403, OK,   OK,   E404, E404, E404, E404, E404]),
    (AdvanceCase,      Own,     [E401, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404]),
    (RecordCaseTime,   A,       [E401, E403, E403, E403, E403, E403, E403, E403, OK,   OK,   E404, E404, E404, E404, E404]),
    (RecordCaseTime,   Own,     [E401, E403, E403, E403, E403, E403, E403, E403, E404, E404, E404, E404, E403, E403, E403]),
    (RecordCaseTime,   Missing, [E401, E403, E403, E403, E403, E403, E403, E403, E404, E404, E404, E404, E404, E404, E404]),
    (ShareCase,        A,       [E401, OK,   E404, E403, E404, E403, OK,   OK,   E403, E403, E404, E404, E404, E404, E404]),
    (ShareCase,        Own,     [E401, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404]),
    (ShareCaseOutside, A,       [E401, E422, E404, E403, E404, E403, E422, E422, E403, E403, E404, E404, E404, E404, E404]),
    (CustomerActivity, A,       [E401, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   E404, E404, E404, E404, E404]),
    (CustomerActivity, Own,     [E401, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   E404, OK,   OK,   OK  ]),
    (CustomerActivity, All,     [E401, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   E404, OK,   OK,   OK  ]),
    (RecordDelivery,   A,       [E401, E403, E403, E403, E403, E403, E403, E403, OK,   OK,   E404, E404, E404, E404, E404]),
    (RecordDelivery,   Own,     [E401, E403, E403, E403, E403, E403, E403, E403, OK,   OK,   OK,   E404, E403, E403, E403]),
    (ExportCsv,        A,       [S303, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   E404, E404, E404, E404, E404]),
    (ExportCsv,        Own,     [S303, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   E404, OK,   OK,   OK  ]),
    (ExportCsv,        All,     [S303, OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   E404, OK,   OK,   OK  ]),
    // Groups: the workspace's administrators manage them (staff and members: 403); a group id of
    // A named with another workspace the caller administers is missing there (404).
    (ShareCaseWithGroup,      A,   [E401, OK,   E404, E403, E404, E403, OK,   OK,   E403, E403, E404, E404, E404, E404, E404]),
    (ShareCaseWithGroup,      Own, [E401, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404, E404]),
    (ShareCaseWithOtherGroup, A,   [E401, E422, E404, E403, E404, E403, E422, E422, E403, E403, E404, E404, E404, E404, E404]),
    (ListGroups,       A,       [E401, E403, E403, E403, E403, E403, OK,   OK,   E403, E403, E404, E404, E404, E404, E404]),
    (ListGroups,       Own,     [E401, E403, E403, E403, E403, E403, OK,   OK,   E403, E403, E403, E404, OK,   OK,   E403]),
    (CreateGroup,      A,       [E401, E403, E403, E403, E403, E403, OK,   OK,   E403, E403, E404, E404, E404, E404, E404]),
    (CreateGroup,      Own,     [E401, E403, E403, E403, E403, E403, OK,   OK,   E403, E403, E403, E404, OK,   OK,   E403]),
    (AddGroupMember,   A,       [E401, E403, E403, E403, E403, E403, OK,   OK,   E403, E403, E404, E404, E404, E404, E404]),
    (AddGroupMember,   Own,     [E401, E403, E403, E403, E403, E403, E404, E404, E403, E403, E403, E404, E404, E404, E403]),
    (RemoveGroupMember, A,      [E401, E403, E403, E403, E403, E403, OK,   OK,   E403, E403, E404, E404, E404, E404, E404]),
    (RemoveGroupMember, Own,    [E401, E403, E403, E403, E403, E403, E404, E404, E403, E403, E403, E404, E404, E404, E403]),
    (DeleteGroup,      A,       [E401, E403, E403, E403, E403, E403, OK,   OK,   E403, E403, E404, E404, E404, E404, E404]),
    (DeleteGroup,      Own,     [E401, E403, E403, E403, E403, E403, E404, E404, E403, E403, E403, E404, E404, E404, E403]),
];

/// The expectation of one cell.
fn expected(function: Function, target: Target, role: Role) -> Expect {
    let (_, _, row) = MATRIX
        .iter()
        .find(|(f, t, _)| *f == function && *t == target)
        .unwrap_or_else(|| panic!("no row for {function:?} × {target:?}"));
    let column = ROLES
        .iter()
        .position(|r| *r == role)
        .expect("every role is a column");
    row[column]
}

const TITLE: &str = "Matrix case";
const MISSING_CASE: i64 = 987_654_321;
/// The names of the workspaces (distinct from everything else the export prints).
const NAMES: [&str; 3] = ["Operations", "Finance", "Laboratory"];
/// One proactive service delivered to each workspace at setup, in the order of `NAMES`.
const SETUP_DELIVERIES: [&str; 3] = [
    "Setup delivery Alpha",
    "Setup delivery Bravo",
    "Setup delivery Charlie",
];
/// One open invitation in each workspace at setup, in the order of `NAMES`: its address is in
/// the audit log, which only the workspace's administrators and the agreement's staff read, so
/// Customer Activity's feed and export may show it to them and to nobody else.
const SETUP_INVITEES: [&str; 3] = [
    "invitee-operations@contoso.com",
    "invitee-finance@contoso.com",
    "invitee-laboratory@fabrikam.com",
];

fn json(response: &TestResponse) -> Value {
    serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{e}: {}", response.body))
}

/// An active agreement and its Default Workspace.
async fn agreement(
    app: &TestApp,
    organization: &str,
    admin: &str,
    csam: &str,
    ac: Option<&str>,
) -> (i64, i64) {
    let agreement = service::create_agreement(
        &app.state,
        AgreementInput {
            organization,
            agreement_type: "premier",
            services_admins: vec![admin],
            csam: Some(csam),
            ac,
            contact_limit: Some("50"),
            ..AgreementInput::default()
        },
        Actor::CommandLine,
        "127.0.0.1",
    )
    .await
    .expect("agreement");
    let workspace = service::activate(&app.state, agreement, Actor::CommandLine, None, "127.0.0.1")
        .await
        .expect("activate");
    (agreement, workspace)
}

/// Makes `account` a member of `workspace` (`flags`: "admin", "contact", "view_all").
async fn member(app: &TestApp, workspace: i64, account: i64, flags: &[&str]) {
    let flag = |f: &str| i64::from(flags.contains(&f));
    let now = app::state::now();
    app.exec(&format!(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
         view_all_cases, created_at, updated_at) \
         VALUES ({workspace}, {account}, {}, {}, {}, {now}, {now})",
        flag("admin"),
        flag("contact"),
        flag("view_all")
    ))
    .await;
}

async fn rename(app: &TestApp, workspace: i64, name: &str) {
    app.exec(&format!(
        "UPDATE workspaces SET name = '{name}', name_canonical = '{}' WHERE id = {workspace}",
        name.to_lowercase()
    ))
    .await;
}

struct World {
    a: i64,
    finance: i64,
    fabrikam: i64,
    /// A group of Finance (holding its member): never usable for A's cases.
    finance_group: i64,
    cookies: HashMap<Role, String>,
    accounts: HashMap<Role, i64>,
    /// The body of a 404 for a case id that does not exist (every hidden case answers this).
    not_found: String,
    today: String,
}

impl World {
    fn cookie(&self, role: Role) -> Option<&str> {
        self.cookies.get(&role).map(String::as_str)
    }

    fn account(&self, role: Role) -> i64 {
        self.accounts[&role]
    }

    /// The workspace a role names for `Target::Own`: another workspace it has a part in
    /// (Finance, where the customers of A hold the same standing), or Finance for those with
    /// none.
    fn own(&self, role: Role) -> i64 {
        match role {
            UnassignedCsam | OtherTenantMember => self.fabrikam,
            _ => self.finance,
        }
    }

    /// Every workspace the role may open ("All Workspaces").
    fn workspaces_of(&self, role: Role) -> Vec<i64> {
        match role {
            Anonymous | Operator => vec![],
            UnassignedCsam | OtherTenantMember => vec![self.fabrikam],
            OtherWorkspaceMember | FormerMember => vec![self.finance],
            _ => vec![self.a, self.finance],
        }
    }

    fn is_staff_of(&self, role: Role, workspace: i64) -> bool {
        match role {
            Csam | Ac => workspace == self.a || workspace == self.finance,
            UnassignedCsam => workspace == self.fabrikam,
            _ => false,
        }
    }

    /// The role reads the workspace's audit log (its administrators, the agreement's staff).
    fn reads_audit(&self, role: Role, workspace: i64) -> bool {
        self.is_staff_of(role, workspace)
            || match role {
                WorkspaceAdmin | ServicesAdmin => workspace == self.a || workspace == self.finance,
                OtherWorkspaceMember => workspace == self.finance,
                OtherTenantMember => workspace == self.fabrikam,
                _ => false,
            }
    }

    /// Checks that what Customer Activity or its export shows of the audit log is what the role
    /// may read elsewhere: each workspace's invitee exactly where the role reads its audit log.
    fn check_audit_subset(&self, role: Role, target: Target, shown: &str) -> Result<(), String> {
        let allowed = self.allowed(role, target);
        for (i, workspace) in [self.a, self.finance, self.fabrikam]
            .into_iter()
            .enumerate()
        {
            let readable = allowed.contains(&workspace) && self.reads_audit(role, workspace);
            ensure!(
                shown.contains(SETUP_INVITEES[i]) == readable,
                "the invitation of {} is {} what {role:?} is shown",
                SETUP_INVITEES[i],
                if readable { "missing from" } else { "in" }
            );
        }
        Ok(())
    }

    /// The role sees every case of the workspace (administrators, "View all", staff).
    fn sees_all(&self, role: Role, workspace: i64) -> bool {
        self.is_staff_of(role, workspace)
            || match role {
                ViewAll | WorkspaceAdmin | ServicesAdmin => {
                    workspace == self.a || workspace == self.finance
                }
                OtherWorkspaceMember => workspace == self.finance,
                OtherTenantMember => workspace == self.fabrikam,
                _ => false,
            }
    }

    fn name_of(&self, workspace: i64) -> &'static str {
        let index = [self.a, self.finance, self.fabrikam]
            .iter()
            .position(|w| *w == workspace)
            .expect("a known workspace");
        NAMES[index]
    }

    /// The workspace a call names.
    fn workspace(&self, role: Role, target: Target) -> i64 {
        match target {
            A | Missing => self.a,
            Own => self.own(role),
            All => panic!("a workspace id, not \"all\""),
        }
    }

    /// The workspaces a Customer Activity call may show.
    fn allowed(&self, role: Role, target: Target) -> Vec<i64> {
        match target {
            All => self.workspaces_of(role),
            _ => vec![self.workspace(role, target)],
        }
    }
}

async fn call(
    app: &TestApp,
    function: &str,
    cookie: Option<&str>,
    form: &[(&str, String)],
) -> TestResponse {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(function, &form, cookie, &[]).await
}

async fn world(app: &TestApp) -> World {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_organization("Fabrikam", "fabrikam.com").await;
    let mut accounts = HashMap::new();
    for (role, email, kind) in [
        (Csam, "csam@provider.example", "csam"),
        (Ac, "ac@provider.example", "ac"),
        (UnassignedCsam, "csam2@provider.example", "csam"),
        (Operator, "operator@provider.example", "operator"),
    ] {
        accounts.insert(role, app.create_staff(email, kind).await);
    }
    let (contoso, a) = agreement(
        app,
        "Contoso",
        "sa@contoso.com",
        "csam@provider.example",
        Some("ac@provider.example"),
    )
    .await;
    let (_, fabrikam) = agreement(
        app,
        "Fabrikam",
        "sa@fabrikam.com",
        "csam2@provider.example",
        None,
    )
    .await;
    let finance = app
        .count(&format!(
            "INSERT INTO workspaces (agreement_id, name, name_canonical, is_default, \
             allow_personal, created_at, updated_at) \
             VALUES ({contoso}, 'Finance', 'finance', 0, 1, 0, 0) RETURNING id"
        ))
        .await;
    rename(app, a, NAMES[0]).await;
    rename(app, fabrikam, NAMES[2]).await;
    let sa = app
        .create_account("work", "sa@contoso.com", "Services Admin")
        .await;
    app.exec(&format!(
        "INSERT INTO agreement_admins (agreement_id, account_id, created_at) \
         VALUES ({contoso}, {sa}, 0)"
    ))
    .await;
    accounts.insert(ServicesAdmin, sa);
    // The customers of A hold the same standing in Finance, so that naming Finance with A's
    // case id passes the workspace guard and only the case's own workspace can refuse it.
    for (role, email, name, flags) in [
        (Opener, "sc@contoso.com", "Opener Person", &["contact"][..]),
        (
            OtherContact,
            "sc2@contoso.com",
            "Second Contact",
            &["contact"][..],
        ),
        (SharedMember, "shared@contoso.com", "Shared Member", &[][..]),
        (
            UnsharedMember,
            "unshared@contoso.com",
            "Unshared Member",
            &[][..],
        ),
        (
            ViewAll,
            "viewer@contoso.com",
            "Viewing Member",
            &["view_all"][..],
        ),
        (
            WorkspaceAdmin,
            "wa@contoso.com",
            "Workspace Admin",
            &["admin"][..],
        ),
        (FormerMember, "former@contoso.com", "Former Member", &[][..]),
    ] {
        let account = app.create_account("work", email, name).await;
        member(app, a, account, flags).await;
        member(app, finance, account, flags).await;
        accounts.insert(role, account);
    }
    // The former member has left A (each new case is shared with them just before).
    app.exec(&format!(
        "DELETE FROM memberships WHERE workspace_id = {a} AND account_id = {}",
        accounts[&FormerMember]
    ))
    .await;
    let fin = app
        .create_account("work", "fin@contoso.com", "Finance Person")
        .await;
    member(app, finance, fin, &["contact", "admin"]).await;
    accounts.insert(OtherWorkspaceMember, fin);
    let fab = app
        .create_account("work", "member@fabrikam.com", "Fabrikam Person")
        .await;
    member(app, fabrikam, fab, &["contact", "admin"]).await;
    accounts.insert(OtherTenantMember, fab);

    let mut cookies = HashMap::new();
    for (role, email) in [
        (Opener, "sc@contoso.com"),
        (OtherContact, "sc2@contoso.com"),
        (SharedMember, "shared@contoso.com"),
        (UnsharedMember, "unshared@contoso.com"),
        (ViewAll, "viewer@contoso.com"),
        (WorkspaceAdmin, "wa@contoso.com"),
        (ServicesAdmin, "sa@contoso.com"),
        (Csam, "csam@provider.example"),
        (Ac, "ac@provider.example"),
        (UnassignedCsam, "csam2@provider.example"),
        (Operator, "operator@provider.example"),
        (OtherWorkspaceMember, "fin@contoso.com"),
        (OtherTenantMember, "member@fabrikam.com"),
        (FormerMember, "former@contoso.com"),
    ] {
        cookies.insert(role, app.signed_in(email, "work").await);
    }
    assert_eq!(cookies.len(), ROLES.len() - 1, "every role but Anonymous");
    let today = app::activity::DateRange::parse("", "", time::OffsetDateTime::now_utc().date())
        .expect("range")
        .to_iso();
    // One proactive service delivered to each workspace: the figures of the ones a caller may
    // not see must never reach them.
    for (workspace, name, staff) in [
        (a, SETUP_DELIVERIES[0], Csam),
        (finance, SETUP_DELIVERIES[1], Csam),
        (fabrikam, SETUP_DELIVERIES[2], UnassignedCsam),
    ] {
        let response = call(
            app,
            "record_delivery",
            cookies.get(&staff).map(String::as_str),
            &[
                ("workspace_id", workspace.to_string()),
                ("name", name.to_owned()),
                ("delivered_on", today.clone()),
                ("credits", "2".to_owned()),
            ],
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.body);
    }
    // One open invitation in each workspace, made by its administrator. Their audit entries are
    // moved a day ahead so that they stay among the feed's newest, whatever the cells add.
    for (i, (workspace, admin)) in [
        (a, WorkspaceAdmin),
        (finance, OtherWorkspaceMember),
        (fabrikam, OtherTenantMember),
    ]
    .into_iter()
    .enumerate()
    {
        let response = call(
            app,
            "invite_users",
            cookies.get(&admin).map(String::as_str),
            &[
                ("workspace_id", workspace.to_string()),
                ("emails", SETUP_INVITEES[i].to_owned()),
                ("role", "member".to_owned()),
            ],
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.body);
    }
    app.exec(
        "UPDATE audit_log SET created_at = created_at + 86400 WHERE action = 'invitation.create'",
    )
    .await;
    let missing = call(
        app,
        "case_detail",
        cookies.get(&Opener).map(String::as_str),
        &[
            ("workspace_id", a.to_string()),
            ("case_id", MISSING_CASE.to_string()),
        ],
    )
    .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    let finance_group = group(app, finance, "Finance group", fin).await;
    World {
        a,
        finance,
        fabrikam,
        finance_group,
        cookies,
        accounts,
        not_found: missing.body,
        today,
    }
}

/// A group of `workspace` holding `member`, made directly in the database (set-up, not a call).
async fn group(app: &TestApp, workspace: i64, name: &str, member: i64) -> i64 {
    let id = app
        .count(&format!(
            "INSERT INTO workspace_groups (workspace_id, name, name_canonical, created_at) \
             VALUES ({workspace}, '{name}', '{}', 0) RETURNING id",
            name.to_lowercase()
        ))
        .await;
    app.exec(&format!(
        "INSERT INTO group_members (group_id, account_id, created_at) VALUES ({id}, {member}, 0)"
    ))
    .await;
    id
}

/// A new case in workspace A, opened by `Opener`, shared with `SharedMember`, and shared with
/// `FormerMember` while still a member of A, who is then removed from A (as Manage Users'
/// "Remove" does: the membership row goes, nothing else).
async fn fresh_case(app: &TestApp, w: &World, n: usize) -> i64 {
    let opened = call(
        app,
        "open_case",
        w.cookie(Opener),
        &[
            ("workspace_id", w.a.to_string()),
            ("title", format!("{TITLE} {n}")),
            ("description", "It does not work.".to_owned()),
            ("severity", "b".to_owned()),
            ("product_area", "Exchange".to_owned()),
            ("contact_method", "email".to_owned()),
        ],
    )
    .await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    let case = json(&opened).as_i64().expect("the case id");
    let shared = call(
        app,
        "share_case",
        w.cookie(Opener),
        &[
            ("workspace_id", w.a.to_string()),
            ("case_id", case.to_string()),
            ("email", "shared@contoso.com".to_owned()),
        ],
    )
    .await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    let former = w.account(FormerMember);
    member(app, w.a, former, &[]).await;
    let shared = call(
        app,
        "share_case",
        w.cookie(Opener),
        &[
            ("workspace_id", w.a.to_string()),
            ("case_id", case.to_string()),
            ("email", "former@contoso.com".to_owned()),
        ],
    )
    .await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    app.exec(&format!(
        "DELETE FROM memberships WHERE workspace_id = {} AND account_id = {former}",
        w.a
    ))
    .await;
    case
}

/// Everything a call could write, and the cell's case.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Snapshot {
    cases: i64,
    case_events: i64,
    case_shares: i64,
    deliveries: i64,
    outbox: i64,
    audit: i64,
    /// Σ case_counts.n and Σ case_months (opened + closed): Customer Activity's aggregates.
    counted: i64,
    months: i64,
    memberships: i64,
    groups: i64,
    group_members: i64,
    case_group_shares: i64,
    case_status: String,
    case_closed: i64,
}

impl Snapshot {
    /// The fields that differ from `expected`: `name: got (expected …)`.
    fn diff(&self, expected: &Snapshot) -> String {
        let mut out = Vec::new();
        macro_rules! fields {
            ($($field:ident),*) => {$(
                if self.$field != expected.$field {
                    out.push(format!(
                        "{}: {:?} (expected {:?})",
                        stringify!($field),
                        self.$field,
                        expected.$field
                    ));
                }
            )*};
        }
        fields!(
            cases,
            case_events,
            case_shares,
            deliveries,
            outbox,
            audit,
            counted,
            months,
            memberships,
            groups,
            group_members,
            case_group_shares,
            case_status,
            case_closed
        );
        out.join(", ")
    }
}

async fn snapshot(app: &TestApp, case: i64) -> Snapshot {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM cases) AS cases, \
           (SELECT COUNT(*) FROM case_events) AS case_events, \
           (SELECT COUNT(*) FROM case_shares) AS case_shares, \
           (SELECT COUNT(*) FROM proactive_deliveries) AS deliveries, \
           (SELECT COUNT(*) FROM outbox) AS outbox, \
           (SELECT COUNT(*) FROM audit_log) AS audit, \
           (SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_counts) AS counted, \
           (SELECT CAST(COALESCE(SUM(opened + closed), 0) AS BIGINT) FROM case_months) AS months, \
           (SELECT COUNT(*) FROM memberships) AS memberships, \
           (SELECT COUNT(*) FROM workspace_groups) AS groups, \
           (SELECT COUNT(*) FROM group_members) AS group_members, \
           (SELECT COUNT(*) FROM case_group_shares) AS case_group_shares, \
           (SELECT status FROM cases WHERE id = $1) AS case_status, \
           (SELECT CAST(CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END AS BIGINT) \
              FROM cases WHERE id = $1) AS case_closed",
    )
    .bind(case)
    .fetch_one(app.state.db.pool())
    .await
    .expect("snapshot");
    let n = |name: &str| row.try_get::<i64, _>(name).expect(name);
    Snapshot {
        cases: n("cases"),
        case_events: n("case_events"),
        case_shares: n("case_shares"),
        deliveries: n("deliveries"),
        outbox: n("outbox"),
        audit: n("audit"),
        counted: n("counted"),
        months: n("months"),
        memberships: n("memberships"),
        groups: n("groups"),
        group_members: n("group_members"),
        case_group_shares: n("case_group_shares"),
        case_status: row.try_get("case_status").expect("case_status"),
        case_closed: n("case_closed"),
    }
}

/// The database after a successful call, from the one before it.
fn effect(function: Function, role: Role, before: &Snapshot) -> Snapshot {
    let mut after = before.clone();
    // The case's opener and the member it is shared with hear of a note or a status change,
    // except the one who made it; the former member, outside the workspace now, hears nothing.
    let involved = if matches!(role, Opener | SharedMember) {
        1
    } else {
        2
    };
    match function {
        OpenCase => {
            after.cases += 1;
            after.audit += 1;
            after.outbox += 1;
            after.counted += 1;
            after.months += 1;
        }
        AddCaseNote => {
            after.case_events += 1;
            after.audit += 1;
            after.outbox += involved;
        }
        CloseCase | AdvanceCase => {
            after.case_events += 1;
            after.audit += 1;
            after.outbox += involved;
            if function == CloseCase {
                after.case_status = "closed".to_owned();
                after.case_closed = 1;
                after.months += 1;
            } else {
                after.case_status = "in_progress".to_owned();
            }
        }
        RecordCaseTime => {
            after.case_events += 1;
            after.audit += 1;
        }
        ShareCase | ShareCaseOutside => {
            after.case_shares += 1;
            after.audit += 1;
            after.outbox += 1;
        }
        RecordDelivery => {
            after.deliveries += 1;
            after.audit += 1;
        }
        // The group's one member (the shared member, who may not share) is told.
        ShareCaseWithGroup | ShareCaseWithOtherGroup => {
            after.case_group_shares += 1;
            after.audit += 1;
            after.outbox += 1;
        }
        CreateGroup => {
            after.groups += 1;
            after.audit += 1;
        }
        AddGroupMember => {
            after.group_members += 1;
            after.audit += 1;
        }
        RemoveGroupMember => {
            after.group_members -= 1;
            after.audit += 1;
        }
        DeleteGroup => {
            after.groups -= 1;
            after.group_members -= 1;
            after.audit += 1;
        }
        ListCases | CaseDetail | CustomerActivity | ExportCsv | ListGroups => {}
    }
    after
}

/// Makes the call of one cell.
async fn perform(
    app: &TestApp,
    w: &World,
    role: Role,
    function: Function,
    target: Target,
    (case, group): (i64, i64),
) -> TestResponse {
    let cookie = w.cookie(role);
    let case_id = if target == Missing {
        MISSING_CASE
    } else {
        case
    }
    .to_string();
    let on_case = |extra: &[(&'static str, &str)]| {
        let mut form = vec![
            ("workspace_id", w.workspace(role, target).to_string()),
            ("case_id", case_id.clone()),
        ];
        form.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        form
    };
    let activity_workspace = || match target {
        All => "all".to_owned(),
        _ => w.workspace(role, target).to_string(),
    };
    match function {
        OpenCase => {
            let form = [
                ("workspace_id", w.workspace(role, target).to_string()),
                ("title", "Opened in the matrix".to_owned()),
                ("description", "Something is broken.".to_owned()),
                ("severity", "c".to_owned()),
                ("product_area", "Exchange".to_owned()),
                ("contact_method", "email".to_owned()),
            ];
            call(app, "open_case", cookie, &form).await
        }
        ListCases => {
            let form = [
                ("workspace_id", w.workspace(role, target).to_string()),
                ("status", String::new()),
                ("severity", String::new()),
                ("mine", "false".to_owned()),
                ("search", String::new()),
                ("page", "1".to_owned()),
            ];
            call(app, "list_cases", cookie, &form).await
        }
        CaseDetail => call(app, "case_detail", cookie, &on_case(&[])).await,
        AddCaseNote => {
            let form = on_case(&[("body", "A note from the matrix")]);
            call(app, "add_case_note", cookie, &form).await
        }
        CloseCase => {
            let form = on_case(&[("status", "closed")]);
            call(app, "set_case_status", cookie, &form).await
        }
        AdvanceCase => {
            let form = on_case(&[("status", "in_progress")]);
            call(app, "set_case_status", cookie, &form).await
        }
        RecordCaseTime => {
            let form = on_case(&[("minutes", "30"), ("note", "")]);
            call(app, "record_case_time", cookie, &form).await
        }
        ShareCase => {
            let form = on_case(&[("email", "unshared@contoso.com")]);
            call(app, "share_case", cookie, &form).await
        }
        ShareCaseOutside => {
            let form = on_case(&[("email", "fin@contoso.com")]);
            call(app, "share_case", cookie, &form).await
        }
        CustomerActivity => {
            let form = [
                ("workspace", activity_workspace()),
                ("from", String::new()),
                ("to", String::new()),
            ];
            call(app, "customer_activity", cookie, &form).await
        }
        RecordDelivery => {
            let form = [
                ("workspace_id", w.workspace(role, target).to_string()),
                ("name", "Matrix delivery".to_owned()),
                ("delivered_on", w.today.clone()),
                ("credits", "1".to_owned()),
            ];
            call(app, "record_delivery", cookie, &form).await
        }
        ExportCsv => {
            let path = format!(
                "/activity/export.csv?workspace={}&from=&to=",
                activity_workspace()
            );
            app.get(&path, cookie).await
        }
        ShareCaseWithGroup => {
            let form = on_case(&[("group_id", &group.to_string())]);
            call(app, "share_case_with_group", cookie, &form).await
        }
        ShareCaseWithOtherGroup => {
            let form = on_case(&[("group_id", &w.finance_group.to_string())]);
            call(app, "share_case_with_group", cookie, &form).await
        }
        ListGroups | CreateGroup | AddGroupMember | RemoveGroupMember | DeleteGroup => {
            let mut form = vec![("workspace_id", w.workspace(role, target).to_string())];
            let on_group = [("group_id", group.to_string())];
            let (name, extra): (&str, Vec<(&str, String)>) = match function {
                ListGroups => ("list_groups", vec![]),
                CreateGroup => ("create_group", vec![("name", format!("Created {case}"))]),
                AddGroupMember => (
                    "add_group_member",
                    vec![
                        on_group[0].clone(),
                        ("email", "unshared@contoso.com".to_owned()),
                    ],
                ),
                RemoveGroupMember => (
                    "remove_group_member",
                    vec![
                        on_group[0].clone(),
                        ("account_id", w.account(SharedMember).to_string()),
                    ],
                ),
                _ => ("delete_group", vec![on_group[0].clone()]),
            };
            form.extend(extra);
            call(app, name, cookie, &form).await
        }
    }
}

/// `Err` with a message unless `cond`.
fn in_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        "NULL".to_owned()
    } else {
        ids.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a successful read shows the caller.
#[allow(clippy::too_many_arguments)]
async fn check_read(
    app: &TestApp,
    w: &World,
    role: Role,
    function: Function,
    target: Target,
    case: i64,
    expect: Expect,
    response: &TestResponse,
) -> Result<(), String> {
    match function {
        ListCases => {
            let page = json(response);
            let workspace = w.workspace(role, target);
            let ids: Vec<i64> = page["rows"]
                .as_array()
                .ok_or("rows")?
                .iter()
                .map(|r| r["id"].as_i64().unwrap_or(-1))
                .collect();
            ensure!(
                ids.contains(&case) == (expect == OK),
                "the case is {} the list {ids:?}",
                if expect == OK { "missing from" } else { "in" }
            );
            ensure!(
                page["workspace_id"] == workspace,
                "workspace_id {}",
                page["workspace_id"]
            );
            let elsewhere = app
                .count(&format!(
                    "SELECT COUNT(*) FROM cases WHERE id IN ({}) AND workspace_id <> {workspace}",
                    in_list(&ids)
                ))
                .await;
            ensure!(
                elsewhere == 0,
                "{elsewhere} listed cases are in another workspace"
            );
            let me = w.account(role);
            let visible = if w.sees_all(role, workspace) {
                app.count(&format!(
                    "SELECT COUNT(*) FROM cases WHERE workspace_id = {workspace}"
                ))
                .await
            } else {
                app.count(&format!(
                    "SELECT COUNT(*) FROM cases c WHERE c.workspace_id = {workspace} \
                     AND (c.opened_by = {me} OR EXISTS (SELECT 1 FROM case_shares s \
                       WHERE s.case_id = c.id AND s.account_id = {me}))"
                ))
                .await
            };
            ensure!(
                page["total"] == visible,
                "total {} but the caller may see {visible}",
                page["total"]
            );
            ensure!(
                page["can_open"] == (expected(OpenCase, target, role) == OK),
                "can_open {} disagrees with the open_case row",
                page["can_open"]
            );
        }
        CaseDetail => {
            let seen = json(response);
            ensure!(seen["id"] == case, "id {}", seen["id"]);
            ensure!(
                seen["workspace_id"] == w.a,
                "workspace {}",
                seen["workspace_id"]
            );
            ensure!(
                seen["title"].as_str().is_some_and(|t| t.starts_with(TITLE)),
                "title {}",
                seen["title"]
            );
            ensure!(
                seen["shared_with"]
                    .to_string()
                    .contains("shared@contoso.com"),
                "shared_with {}",
                seen["shared_with"]
            );
            ensure!(
                seen["is_opener"] == (role == Opener),
                "is_opener {}",
                seen["is_opener"]
            );
            ensure!(
                seen["can_share"] == (expected(ShareCase, target, role) == OK),
                "can_share {} disagrees with the share_case row",
                seen["can_share"]
            );
            ensure!(
                seen["is_staff"] == (expected(RecordCaseTime, target, role) == OK),
                "is_staff {} disagrees with the record_case_time row",
                seen["is_staff"]
            );
        }
        CustomerActivity => {
            let data = json(response);
            let allowed = w.allowed(role, target);
            let mut offered: Vec<i64> = data["workspaces"]
                .as_array()
                .ok_or("workspaces")?
                .iter()
                .map(|o| o["id"].as_i64().unwrap_or(-1))
                .collect();
            offered.sort_unstable();
            let mut mine = w.workspaces_of(role);
            mine.sort_unstable();
            ensure!(
                offered == mine,
                "offers {offered:?}, the caller's are {mine:?}"
            );
            let selected = match (target, allowed.as_slice()) {
                (All, [one]) => one.to_string(),
                (All, _) => "all".to_owned(),
                (_, [one]) => one.to_string(),
                _ => return Err(format!("one workspace expected, not {allowed:?}")),
            };
            ensure!(
                data["selected"] == selected,
                "selected {}",
                data["selected"]
            );
            let ids = in_list(&allowed);
            let total: i64 = data["by_status"]
                .as_array()
                .ok_or("by_status")?
                .iter()
                .map(|c| c["n"].as_i64().unwrap_or(0))
                .sum();
            let cases = app
                .count(&format!(
                    "SELECT COUNT(*) FROM cases WHERE workspace_id IN ({ids})"
                ))
                .await;
            ensure!(
                total == cases,
                "{total} cases counted, {cases} in {allowed:?}"
            );
            let joined = app
                .count(&format!(
                    "SELECT COUNT(*) FROM memberships WHERE workspace_id IN ({ids})"
                ))
                .await;
            ensure!(
                data["users_joined"] == joined,
                "users_joined {}",
                data["users_joined"]
            );
            let delivered: Vec<&str> = data["deliveries"]
                .as_array()
                .ok_or("deliveries")?
                .iter()
                .filter_map(|d| d["name"].as_str())
                .filter(|n| n.starts_with("Setup"))
                .collect();
            for (i, workspace) in [w.a, w.finance, w.fabrikam].into_iter().enumerate() {
                ensure!(
                    delivered.contains(&SETUP_DELIVERIES[i]) == allowed.contains(&workspace),
                    "deliveries {delivered:?} over {allowed:?}"
                );
            }
            let names: Vec<&str> = allowed.iter().map(|id| w.name_of(*id)).collect();
            for entry in data["feed"].as_array().ok_or("feed")? {
                ensure!(
                    entry["workspace"]
                        .as_str()
                        .is_some_and(|n| names.contains(&n)),
                    "feed entry of another workspace: {entry}"
                );
                // Beyond the audit log's readers, only what this page or the case shows anyway.
                let workspace = allowed
                    .iter()
                    .find(|id| entry["workspace"].as_str() == Some(w.name_of(**id)))
                    .copied()
                    .unwrap_or_default();
                let action = entry["action"].as_str().unwrap_or_default();
                ensure!(
                    w.reads_audit(role, workspace)
                        || action.starts_with("case.")
                        || matches!(action, "delivery.record" | "benefit.add"),
                    "{role:?} reads the audit entry {entry}"
                );
            }
            w.check_audit_subset(role, target, &response.body)?;
            let can_record = matches!(allowed.as_slice(), [one] if w.is_staff_of(role, *one));
            ensure!(
                data["can_record"] == can_record,
                "can_record {}",
                data["can_record"]
            );
        }
        ExportCsv => {
            ensure!(
                response.header("content-type") == Some("text/csv; charset=utf-8"),
                "content-type {:?}",
                response.header("content-type")
            );
            let allowed = w.allowed(role, target);
            for (i, workspace) in [w.a, w.finance, w.fabrikam].into_iter().enumerate() {
                let shown = allowed.contains(&workspace);
                ensure!(
                    response.body.contains(NAMES[i]) == shown,
                    "the workspace \"{}\" is {} the export:\n{}",
                    NAMES[i],
                    if shown { "missing from" } else { "in" },
                    response.body
                );
                ensure!(
                    response.body.contains(SETUP_DELIVERIES[i]) == shown,
                    "the delivery \"{}\" is {} the export",
                    SETUP_DELIVERIES[i],
                    if shown { "missing from" } else { "in" }
                );
            }
            w.check_audit_subset(role, target, &response.body)?;
        }
        ListGroups => {
            let data = json(response);
            let workspace = w.workspace(role, target);
            let ids: Vec<i64> = data["groups"]
                .as_array()
                .ok_or("groups")?
                .iter()
                .map(|g| g["id"].as_i64().unwrap_or(-1))
                .collect();
            let theirs = app
                .count(&format!(
                    "SELECT COUNT(*) FROM workspace_groups WHERE workspace_id = {workspace}"
                ))
                .await;
            let elsewhere = app
                .count(&format!(
                    "SELECT COUNT(*) FROM workspace_groups WHERE id IN ({}) \
                     AND workspace_id <> {workspace}",
                    in_list(&ids)
                ))
                .await;
            ensure!(
                elsewhere == 0 && i64::try_from(ids.len()).ok() == Some(theirs),
                "lists {ids:?}: {elsewhere} of another workspace, {theirs} in this one"
            );
        }
        _ => {}
    }
    Ok(())
}

/// What a successful write did beyond the counts.
async fn check_write(
    app: &TestApp,
    w: &World,
    role: Role,
    function: Function,
    target: Target,
    case: i64,
    response: &TestResponse,
) -> Result<(), String> {
    if target == All {
        return Ok(());
    }
    let workspace = w.workspace(role, target);
    let me = w.account(role);
    let sql = match function {
        OpenCase => {
            let id = json(response).as_i64().ok_or("the case id")?;
            format!(
                "SELECT COUNT(*) FROM cases WHERE id = {id} AND workspace_id = {workspace} \
                 AND opened_by = {me}"
            )
        }
        AddCaseNote => format!(
            "SELECT COUNT(*) FROM case_events WHERE case_id = {case} AND kind = 'note' \
             AND author = {me}"
        ),
        RecordCaseTime => format!(
            "SELECT COUNT(*) FROM case_events WHERE case_id = {case} AND kind = 'time' \
             AND minutes = 30 AND staff = 1 AND author = {me}"
        ),
        ShareCase => format!(
            "SELECT COUNT(*) FROM case_shares WHERE case_id = {case} AND account_id = {}",
            w.account(UnsharedMember)
        ),
        RecordDelivery => format!(
            "SELECT COUNT(*) FROM proactive_deliveries WHERE workspace_id = {workspace} \
             AND name = 'Matrix delivery' AND recorded_by = {me}"
        ),
        ShareCaseWithGroup => format!(
            "SELECT COUNT(*) FROM case_group_shares s JOIN workspace_groups g ON g.id = s.group_id \
             WHERE s.case_id = {case} AND g.workspace_id = {}",
            w.a
        ),
        CreateGroup => format!(
            "SELECT COUNT(*) FROM workspace_groups WHERE workspace_id = {workspace} \
             AND name = 'Created {case}'"
        ),
        AddGroupMember => format!(
            "SELECT COUNT(*) FROM group_members gm JOIN workspace_groups g ON g.id = gm.group_id \
             WHERE g.workspace_id = {workspace} AND gm.account_id = {}",
            w.account(UnsharedMember)
        ),
        _ => return Ok(()),
    };
    let n = app.count(&sql).await;
    ensure!(n == 1, "the write is not where it belongs ({n} rows)");
    Ok(())
}

/// Runs one cell; `Err` names what went wrong.
async fn cell(
    app: &TestApp,
    w: &World,
    role: Role,
    function: Function,
    target: Target,
    expect: Expect,
    n: usize,
) -> Result<(), String> {
    let case = fresh_case(app, w, n).await;
    // The groups of earlier cells go (a workspace holds at most 100), so the cell's group is
    // A's only one.
    app.exec(&format!(
        "DELETE FROM workspace_groups WHERE workspace_id = {} OR name LIKE 'Created %'",
        w.a
    ))
    .await;
    let group = group(app, w.a, &format!("Group {n}"), w.account(SharedMember)).await;
    let before = snapshot(app, case).await;
    let response = perform(app, w, role, function, target, (case, group)).await;
    let after = snapshot(app, case).await;
    let wanted = match expect {
        Expect::Ok | Expect::Hidden => 200,
        Expect::Status(status) => status,
    };
    ensure!(
        response.status == wanted,
        "expected {wanted}, got {}: {}",
        response.status,
        response.body
    );
    if wanted == 200 {
        let wanted = effect(function, role, &before);
        ensure!(
            after == wanted,
            "the database after the call differs: {}",
            after.diff(&wanted)
        );
        check_read(app, w, role, function, target, case, expect, &response).await?;
        check_write(app, w, role, function, target, case, &response).await?;
        return Ok(());
    }
    // Refused: nothing written, nothing of the case shown.
    ensure!(
        after == before,
        "a refused call changed the database: {}",
        after.diff(&before)
    );
    ensure!(
        !response.body.contains(TITLE),
        "a refusal shows the case: {}",
        response.body
    );
    match (wanted, function) {
        (303, _) => ensure!(
            response
                .header("location")
                .is_some_and(|l| l.starts_with("/sign-in")),
            "redirects to {:?}",
            response.header("location")
        ),
        // A case or workspace the caller may not see answers exactly like a missing one.
        (404, ExportCsv) => ensure!(
            response.body == "We could not find that.",
            "404 body {}",
            response.body
        ),
        (404, _) => ensure!(
            response.body == w.not_found,
            "404 body {} differs from a missing case's {}",
            response.body,
            w.not_found
        ),
        (422, ShareCaseWithOtherGroup) => ensure!(
            response.body.contains("\"group_id\""),
            "the field error names no field: {}",
            response.body
        ),
        (422, _) => ensure!(
            response.body.contains("\"email\""),
            "the field error names no field: {}",
            response.body
        ),
        _ => {}
    }
    Ok(())
}

on_both_engines!(authorization_matrix, |app| {
    let w = world(&app).await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for (function, target, row) in MATRIX {
        for (role, expect) in ROLES.iter().zip(row) {
            cells += 1;
            if let Err(message) = cell(&app, &w, *role, *function, *target, *expect, cells).await {
                failures.push(format!(
                    "{role:?} × {function:?} × {target:?} (expected {expect:?}): {message}"
                ));
            }
        }
    }
    assert_eq!(cells, MATRIX.len() * ROLES.len());
    assert!(
        failures.is_empty(),
        "{} of {cells} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
});
