//! "Manage Users": the table, its search, sort and pages (plain links and a GET form, so it works
//! before hydration), the invite form and the row actions (forms that post).

mod invite;
mod row;
mod table;

use crate::{
    accounts::pages::RequireUser,
    components::workspace_id_param,
    components::{Breadcrumbs, Confirm, ErrorBanner, ErrorNotice},
    invitations::{InviteUsers, ResendInvitation, RevokeInvitation},
    members::{
        list_users, RemoveMember, SetSupportContact, SetViewAllCases, SetWorkspaceAdmin, UserPage,
    },
    workspaces::SetPersonalPolicy,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use invite::{InviteForm, UploadForm};
use table::{SearchForm, UsersTable};

/// The actions of the page; any of them changing refetches the table.
#[derive(Clone, Copy)]
struct Actions {
    invite: ServerAction<InviteUsers>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    contact: ServerAction<SetSupportContact>,
    admin: ServerAction<SetWorkspaceAdmin>,
    remove: ServerAction<RemoveMember>,
    view_all: ServerAction<SetViewAllCases>,
    policy: ServerAction<SetPersonalPolicy>,
}

impl Actions {
    fn new() -> Self {
        Self {
            invite: ServerAction::new(),
            resend: ServerAction::new(),
            revoke: ServerAction::new(),
            contact: ServerAction::new(),
            admin: ServerAction::new(),
            remove: ServerAction::new(),
            view_all: ServerAction::new(),
            policy: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.invite.version().get()
            + self.resend.version().get()
            + self.revoke.version().get()
            + self.contact.version().get()
            + self.admin.version().get()
            + self.remove.version().get()
            + self.view_all.version().get()
            + self.policy.version().get()
    }

    /// The last error of a row action, for the banner above the table.
    fn row_error(&self) -> Option<String> {
        let err = |e: Option<Result<(), crate::error::AppError>>| {
            e.and_then(Result::err).map(|e| e.to_string())
        };
        err(self.contact.value().get())
            .or_else(|| err(self.admin.value().get()))
            .or_else(|| err(self.remove.value().get()))
            .or_else(|| err(self.view_all.value().get()))
            .or_else(|| err(self.resend.value().get()))
            .or_else(|| err(self.revoke.value().get()))
            .or_else(|| err(self.policy.value().get()))
    }
}

#[component]
pub fn ManageUsersPage() -> impl IntoView {
    let id = workspace_id_param();
    let query = use_query_map();
    let actions = Actions::new();
    let params = move || {
        let q = query.read();
        (
            id(),
            q.get("q").unwrap_or_default(),
            q.get("sort").unwrap_or_else(|| "name".to_owned()),
            q.get("desc").is_some_and(|d| d == "1"),
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1),
            actions.version(),
        )
    };
    // Another administrator's change fetches the table again (events::client).
    let live = crate::events::client::live_updates(move || {
        crate::events::Topic::parse(&format!("members:{}", id()))
    });
    let page = Resource::new(
        move || (params(), live.get()),
        |((id, q, sort, desc, page, _), _)| list_users(id, q, sort, desc, page),
    );
    let done = move || query.read().get("done");
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading users…"</p> }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(data) => view! { <UsersView data actions done=done() /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn UsersView(data: UserPage, actions: Actions, done: Option<String>) -> impl IntoView {
    let ws = data.workspace_id;
    let notice = done.map(|d| match d.as_str() {
        "resent" => "The invitation was sent again; the earlier link no longer works.",
        "revoked" => "The invitation was revoked.",
        "removed" => "The member was removed from this workspace.",
        "invited" => "The invitations were sent.",
        _ => "Your change was saved.",
    });
    let name = data.workspace_name.clone();
    let workspace = name.clone();
    let agreement = data.agreement_type.label();
    let (allow, in_use, limit) = (
        data.allow_personal,
        data.contacts_in_use,
        data.contact_limit,
    );
    let for_search = data.clone();
    view! {
        <Breadcrumbs trail=vec![(name, format!("/workspaces/{ws}"))] here="Manage Users" />
        <h1>"Manage Users"</h1>
        {notice.map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <ErrorBanner message=Signal::derive(move || actions.row_error()) />
        <p class="hint">
            {format!("Support contacts: {in_use} of {limit} in use (pending invitations count).")}
        </p>
        {data.mail_progress.map(|(sent, total)| view! {
            <p class="hint" role="status">
                <label for="invitation-mail-progress">
                    {format!("Invitation mails sent: {sent} of {total}")}
                </label>
                " "
                <progress id="invitation-mail-progress" max=total value=sent>
                    {format!("{sent} of {total}")}
                </progress>
            </p>
        })}
        <InviteForm ws actions />
        <UploadForm ws />
        <PolicyForm ws allow agreement workspace actions />
        <h2 id="users-heading">"Members and invitations"</h2>
        <SearchForm data=for_search />
        <UsersTable data actions />
    }
}

#[component]
fn PolicyForm(
    ws: i64,
    allow: bool,
    agreement: &'static str,
    workspace: String,
    actions: Actions,
) -> impl IntoView {
    let (state, button, value) = if allow {
        (
            "Personal accounts are allowed in this workspace.",
            "Refuse personal accounts",
            "no",
        )
    } else {
        (
            "Personal accounts are not allowed in this workspace.",
            "Allow personal accounts",
            "yes",
        )
    };
    view! {
        <section aria-labelledby="policy-heading" class="card">
            <h2 id="policy-heading">"Account kinds"</h2>
            <p>
                {state} " "
                {format!(
                    "({agreement} agreement: Premier workspaces accept work or school and personal accounts; Unified workspaces accept only work or school accounts unless you allow personal ones.)"
                )}
            </p>
            {if allow {
                // Refusing shuts people out: it asks first. Allowing does not.
                view! {
                    <Confirm
                        key="refuse-personal"
                        ask=button
                        what=String::new()
                        question=format!("Refuse personal accounts in {workspace}?")
                        consequence="Members who signed in with a personal account can no longer open this workspace, and open invitations can only be accepted with a work or school account."
                    >
                        <PolicyButton ws value button actions />
                    </Confirm>
                }
                    .into_any()
            } else {
                view! { <PolicyButton ws value button actions /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn PolicyButton(
    ws: i64,
    value: &'static str,
    button: &'static str,
    actions: Actions,
) -> impl IntoView {
    view! {
        <ActionForm action=actions.policy attr:class="inline">
            <input type="hidden" name="workspace_id" value=ws.to_string() />
            <input type="hidden" name="allow" value=value />
            <button type="submit" class=if value == "no" { "danger" } else { "" }>{button}</button>
        </ActionForm>
    }
}
