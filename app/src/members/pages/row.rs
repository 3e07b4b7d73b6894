//! One row of the table, with the actions that act on that person.

use crate::{
    components::format_date,
    members::{RowKind, UserRow},
};
use leptos::prelude::*;

use super::Actions;

/// A row action: a small form posting hidden fields, with a button whose accessible name says
/// which person it acts on. (A macro: `ActionForm`'s bounds are long to spell out generically.)
macro_rules! row_form {
    ($action:expr, $fields:expr, $text:expr, $who:expr $(,)?) => {{
        let fields: Vec<(&'static str, String)> = $fields;
        let who: String = $who;
        view! {
            <ActionForm action=$action attr:class="inline">
                {fields
                    .into_iter()
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                <button type="submit" class="small">
                    {$text}
                    <span class="visually-hidden">{format!(" for {who}")}</span>
                </button>
            </ActionForm>
        }
    }};
}

#[component]
pub(super) fn UserRowView(row: UserRow, ws: i64, actions: Actions) -> impl IntoView {
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
        )
    });
    let view_all_toggle = is_member.then(|| {
        let (state, text, on) = if row.view_all_cases {
            ("Views all support requests", "Turn Off", "off")
        } else {
            ("Sees own and shared cases", "View all", "on")
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
            )}
        }
    });
    let row_actions = row_actions(&row, ws_s, id, who, actions);
    view! {
        <tr>
            <td>{if row.name.is_empty() { "—".to_owned() } else { row.name.clone() }}</td>
            <td>{row.email.clone()}</td>
            <td>{row.account_kind.map(|k| k.label()).unwrap_or("—")}</td>
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
            <td class="row-actions">{row_actions}</td>
        </tr>
    }
}

/// A member's actions (administrator, remove), or an open invitation's (resend, revoke).
fn row_actions(row: &UserRow, ws_s: String, id: String, who: String, actions: Actions) -> AnyView {
    if row.kind == RowKind::Member {
        let (admin_text, admin_on) = if row.is_workspace_admin {
            ("Unmake Workspace Administrator", "off")
        } else {
            ("Make Workspace Administrator", "on")
        };
        view! {
            {row_form!(
                actions.admin,
                vec![("workspace_id", ws_s.clone()), ("membership_id", id.clone()), ("on", admin_on.to_owned())],
                admin_text,
                who.clone(),
            )}
            {row_form!(
                actions.remove,
                vec![("workspace_id", ws_s.clone()), ("membership_id", id.clone())],
                "Remove",
                who.clone(),
            )}
        }
            .into_any()
    } else {
        let open = matches!(
            row.status,
            crate::members::UserStatus::Invited | crate::members::UserStatus::Expired
        );
        open.then(|| {
            view! {
                {row_form!(
                    actions.resend,
                    vec![("workspace_id", ws_s.clone()), ("invitation_id", id.clone())],
                    "Resend",
                    who.clone(),
                )}
                {row_form!(
                    actions.revoke,
                    vec![("workspace_id", ws_s.clone()), ("invitation_id", id.clone())],
                    "Revoke",
                    who.clone(),
                )}
            }
        })
        .into_any()
    }
}
