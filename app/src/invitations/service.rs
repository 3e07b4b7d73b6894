//! The invitation steps (server only), between the server functions and the queries.

mod accept;
mod invite;
mod manage;
mod plan;

pub use accept::{accept, accept_for_account, preview, register};
pub use invite::{bulk, invite, invite_list};
pub use manage::{resend, revoke};
pub use plan::{plan, Candidate};

use crate::{
    auth::{audit::Actor, guard::WorkspaceScope, session::Caller},
    error::AppError,
    invitations::repo::{self, InviteContext},
    state::{now, AppState},
};

/// Takes `count` addresses from the workspace's budget for today, or says how many are left (at
/// the form's `field`, or as a conflict where there is no field).
async fn draw_budget(
    state: &AppState,
    tx: &mut repo::Tx,
    scope: &WorkspaceScope,
    count: usize,
    field: Option<&str>,
) -> Result<(), AppError> {
    let per_day = state.config.invitations_per_day;
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    match repo::draw_budget(tx, scope.workspace_id, count, per_day).await? {
        Ok(()) => Ok(()),
        Err(left) => {
            let message = format!(
                "This workspace can send {left} more invitation{s} today (at most {per_day} a \
                 day, counted per address); {count} would be too many. Send fewer, or the rest \
                 tomorrow (UTC).",
                s = if left == 1 { "" } else { "s" },
            );
            Err(match field {
                Some(field) => AppError::field(field, message),
                None => AppError::Conflict(message),
            })
        }
    }
}

fn actor(caller: &Caller) -> Actor<'_> {
    Actor::Account {
        id: caller.account_id,
        label: &caller.display_name,
    }
}

pub async fn context<'a>(
    state: &'a AppState,
    scope: &'a WorkspaceScope,
    inviter: Option<&'a Caller>,
    organization_name: &'a str,
    ip: &'a str,
) -> InviteContext<'a> {
    InviteContext {
        workspace_id: scope.workspace_id,
        workspace_name: &scope.workspace_name,
        agreement_id: scope.agreement_id,
        organization_id: scope.organization_id,
        organization_name,
        invited_by: inviter.map(|c| c.account_id),
        inviter_label: inviter.map_or("Your Services Hub administrator", |c| &c.display_name),
        base_url: &state.config.base_url,
        expires_at: now() + state.config.invitation_ttl.as_secs() as i64,
        ip,
    }
}
