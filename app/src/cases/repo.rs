//! Queries of support cases (server only). Who sees a case is decided in ONE place, the
//! `VISIBLE` predicate, which every read (list, count, detail, the check before a write) uses;
//! it always pins the case to the workspace the guard authorized. Writes run in one
//! transaction with their audit entry and their mail in the outbox.

mod counts;
mod events;
mod notify;
mod open;
mod read;
mod share;
mod visibility;

pub use counts::month_of;
pub use events::{add_note, record_time, set_status};
pub use open::{open, NewCase};
pub use read::{detail, list, Filter};
pub use share::{forget_member, share, share_group};
pub use visibility::{check_visible, member_sees, sees_all};

use crate::auth::{audit::Entry, guard::WorkspaceScope, session::Caller};

/// The audit entry of a change to a case.
fn entry<'a>(
    caller: &'a Caller,
    scope: &WorkspaceScope,
    action: &'a str,
    case_id: i64,
    detail: String,
    ip: &'a str,
) -> Entry<'a> {
    Entry::in_workspace(caller, scope, action, ("case", case_id), detail, ip)
}
