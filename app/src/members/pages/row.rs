//! One row of the table, with the actions that act on that person. Removing a member and
//! revoking an invitation ask first; nobody is offered to remove themselves.

use crate::{
    components::{format_date, Confirm},
    members::{RowKind, UserRow, UserStatus},
};
use leptos::prelude::*;

use super::Actions;

/// A row action: a small form posting hidden fields, with a button whose accessible name says
/// which person it acts on. (A macro: `ActionForm`'s bounds are long to spell out generically.)
macro_rules! row_form {
    ($action:expr, $fields:expr, $text:expr, $who:expr, $class:expr $(,)?) => {{
        let fields: Vec<(&'static str, String)> = $fields;
        let who: String = $who;
        view! {
            <ActionForm action=$action attr:class="inline">
                {fields
                    .into_iter()
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                <button type="submit" class=$class>
                    {$text}
                    <span class="visually-hidden">{format!(" for {who}")}</span>
                </button>
            </ActionForm>
        }
    }};
}

#[component]
pub(super) fn UserRowView(
    row: UserRow,
    ws: i64,
    workspace: String,
    actions: Actions,
) -> impl IntoView {
    let id = row.id.to_string();
    let ws_s = ws.to_string();
    let who = row.email.clone();
    let is_member = row.kind == RowKind::Member;
    let contact = if row.support_contact { "On" } else { "Off" };
    let contact_toggle = is_member.then(|| {
        let (text, on) = if row.support_contact {
            ("Turn Off", "off")
        } else {
            ("Turn On", "on")
        };
        row_form!(
            actions.contact,
            vec![
                ("workspace_id", ws_s.clone()),
                ("membership_id", id.clone()),
                ("on", on.to_owned()),
            ],
            text,
            format!("Support Contact of {who}"),
            "small",
        )
    });
    let view_all_toggle = is_member.then(|| {
        let (state, text, on) = if row.view_all_cases {
            (
                "Sees every support case of the workspace",
                "Limit to own and shared cases",
                "off",
            )
        } else {
            ("Sees own and shared cases", "Let see every case", "on")
        };
        view! {
            <br />
            <span class="hint">{state}</span>
            " "
            {row_form!(
                actions.view_all,
                vec![
                    ("workspace_id", ws_s.clone()),
                    ("membership_id", id.clone()),
                    ("on", on.to_owned()),
                ],
                text,
                format!("support requests of {who}"),
                "small",
            )}
        }
    });
    let name = if row.name.is_empty() {
        "—".to_owned()
    } else if row.is_you {
        format!("{} (you)", row.name)
    } else {
        row.name.clone()
    };
    let row_actions = row_actions(&row, ws_s, id, who, workspace, actions);
    view! {
        <tr>
            <td>{name}</td>
            // The account kind under the address: one column fewer, so the table (and its
            // actions) fits a laptop's width.
            <td>
                {row.email.clone()}
                {row
                    .account_kind
                    .map(|k| view! { <br /><span class="hint">{k.label()}</span> })}
            </td>
            <td>
                {row.roles.join(", ")}
                {view_all_toggle}
            </td>
            <td>
                <span class=if row.support_contact { "pill on" } else { "pill" }>{contact}</span>
                {contact_toggle}
            </td>
            <td>{row.status.label()}</td>
            <td>{format_date(row.invited_on)}</td>
            <td>{format_date(row.last_sign_in)}</td>
            <td>
                <div class="row-actions">{row_actions}</div>
            </td>
        </tr>
    }
}

/// A member's actions (administrator, remove), or an open invitation's (resend, revoke).
fn row_actions(
    row: &UserRow,
    ws_s: String,
    id: String,
    who: String,
    workspace: String,
    actions: Actions,
) -> AnyView {
    if row.kind == RowKind::Member {
        let (admin_text, admin_on) = if row.is_workspace_admin {
            ("Unmake Workspace Administrator", "off")
        } else {
            ("Make Workspace Administrator", "on")
        };
        // Taking away one's own access is not offered: another administrator does it.
        let remove = (!row.is_you).then(|| {
            let (ws_s, id, who2) = (ws_s.clone(), id.clone(), who.clone());
            view! {
                <Confirm
                    key=format!("remove-{id}")
                    ask="Remove"
                    what=who.clone()
                    question=format!("Remove {who} from {workspace}?")
                    consequence="They lose access to this workspace at once: its support cases, Customer Activity and groups. The cases they opened stay, and they can be invited again."
                >
                    {row_form!(
                        actions.remove,
                        vec![("workspace_id", ws_s.clone()), ("membership_id", id.clone())],
                        "Remove member",
                        who2.clone(),
                        "danger",
                    )}
                </Confirm>
            }
        });
        view! {
            {row_form!(
                actions.admin,
                vec![("workspace_id", ws_s.clone()), ("membership_id", id.clone()), ("on", admin_on.to_owned())],
                admin_text,
                who.clone(),
                "small",
            )}
            {remove}
        }
        .into_any()
    } else {
        let open = matches!(row.status, UserStatus::Invited | UserStatus::Expired);
        open.then(|| {
            let who2 = who.clone();
            let (ws2, id2) = (ws_s.clone(), id.clone());
            view! {
                {row_form!(
                    actions.resend,
                    vec![("workspace_id", ws_s.clone()), ("invitation_id", id.clone())],
                    "Resend",
                    who.clone(),
                    "small",
                )}
                <Confirm
                    key=format!("revoke-{id}")
                    ask="Revoke"
                    what=who.clone()
                    question=format!("Revoke the invitation of {who}?")
                    consequence="The link in their email stops working at once. You can invite them again later."
                >
                    {row_form!(
                        actions.revoke,
                        vec![("workspace_id", ws2.clone()), ("invitation_id", id2.clone())],
                        "Revoke invitation",
                        who2.clone(),
                        "danger",
                    )}
                </Confirm>
            }
        })
        .into_any()
    }
}
