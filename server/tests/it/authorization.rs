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

mod act;
mod check;
mod run;
mod world;

use act::*;
use check::*;
use world::*;
