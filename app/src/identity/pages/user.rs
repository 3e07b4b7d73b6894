//! A user's page: their details, the edit form, Disable / Enable / Delete (Delete asks first),
//! and their roles and licenses (`user_parts`).

use super::user_parts::{LicensesSection, RolesSection};
use crate::{
    accounts::pages::RequireUser,
    components::{
        banner_message, field_messages, format_date, Breadcrumbs, Confirm, ErrorBanner,
        ErrorNotice, TextField,
    },
    identity::{
        org_user, DeleteOrgUser, DisableOrgUser, EditOrgUser, EnableOrgUser, OrgUserData,
        UserAssignLicense, UserAssignRole, UserRemoveLicense, UserRemoveRole, UserStatus,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The page's actions; any of them changing refetches the user.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub edit: ServerAction<EditOrgUser>,
    pub disable: ServerAction<DisableOrgUser>,
    pub enable: ServerAction<EnableOrgUser>,
    pub delete: ServerAction<DeleteOrgUser>,
    pub assign_role: ServerAction<UserAssignRole>,
    pub remove_role: ServerAction<UserRemoveRole>,
    pub assign_license: ServerAction<UserAssignLicense>,
    pub remove_license: ServerAction<UserRemoveLicense>,
}

impl Actions {
    fn version(&self) -> usize {
        self.edit.version().get()
            + self.disable.version().get()
            + self.enable.version().get()
            + self.delete.version().get()
            + self.assign_role.version().get()
            + self.remove_role.version().get()
            + self.assign_license.version().get()
            + self.remove_license.version().get()
    }

    /// The last refusal of a button's action (the forms with fields show theirs beside them).
    fn refusal(&self) -> Option<String> {
        let err = |e: Option<Result<(), crate::error::AppError>>| {
            e.and_then(Result::err).map(|e| e.to_string())
        };
        err(self.disable.value().get())
            .or_else(|| err(self.enable.value().get()))
            .or_else(|| err(self.delete.value().get()))
            .or_else(|| err(self.remove_role.value().get()))
            .or_else(|| err(self.remove_license.value().get()))
    }
}

#[component]
pub fn OrgUserPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let actions = Actions {
        edit: ServerAction::new(),
        disable: ServerAction::new(),
        enable: ServerAction::new(),
        delete: ServerAction::new(),
        assign_role: ServerAction::new(),
        remove_role: ServerAction::new(),
        assign_license: ServerAction::new(),
        remove_license: ServerAction::new(),
    };
    let user = Resource::new(move || (id(), actions.version()), |(id, _)| org_user(id));
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the user…"</p> }>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(data) => view! { <UserView data actions /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

fn done_text(code: &str) -> &'static str {
    match code {
        "added" => "The user was added. They got a mail with a link to set their password.",
        "disabled" => "The account was disabled and every session of it ended.",
        "enabled" => "The account was enabled.",
        "role-assigned" => "The role was assigned.",
        "role-removed" => "The role was removed.",
        "license-assigned" => "The license was assigned.",
        "license-removed" => "The license was removed.",
        _ => "Your change was saved.",
    }
}

#[component]
fn UserView(data: OrgUserData, actions: Actions) -> impl IntoView {
    let query = use_query_map();
    let done = move || query.read().get("done").map(|d| done_text(&d));
    let refusal = Signal::derive(move || actions.refusal());
    let user = data.user.clone();
    let may_change = data.protected.is_none();
    view! {
        <Breadcrumbs
            trail=vec![
                (data.organization.clone(), "/services".to_owned()),
                ("Identity".to_owned(), "/organization".to_owned()),
                ("Users".to_owned(), "/organization/users".to_owned()),
            ]
            here=user.name.clone()
        />
        <h1>{user.name.clone()}</h1>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <ErrorBanner message=refusal />
        {data.protected.clone().map(|reason| view! { <p class="banner banner-info" role="note">{reason}</p> })}
        <section aria-labelledby="details-heading" class="card">
            <h2 id="details-heading">"Details"</h2>
            <dl>
                <dt>"Email address"</dt>
                <dd>{user.email.clone()}</dd>
                <dt>"Status"</dt>
                <dd>{user.status.label()}</dd>
                <dt>"Added"</dt>
                <dd>{format_date(Some(user.created_at))}</dd>
            </dl>
        </section>
        {may_change.then(|| view! { <EditForm data=data.clone() action=actions.edit /> })}
        {(may_change && !data.is_self).then(|| view! { <StatusActions data=data.clone() actions /> })}
        <RolesSection data=data.clone() assign=actions.assign_role remove=actions.remove_role />
        <LicensesSection data assign=actions.assign_license remove=actions.remove_license />
    }
}

#[component]
fn EditForm(data: OrgUserData, action: ServerAction<EditOrgUser>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <section aria-labelledby="edit-heading" class="card">
            <h2 id="edit-heading">"Edit"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["display_name"]))
            }) />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="id" value=data.user.id.to_string() />
                <TextField label="Name" name="display_name" value=data.user.name.clone() required=true error=field("display_name") />
                <p class="hint">"The email address is the account's sign-in name and does not change."</p>
                <button type="submit" class="primary">"Save"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StatusActions(data: OrgUserData, actions: Actions) -> impl IntoView {
    let id = data.user.id;
    let name = data.user.name.clone();
    let global = data.caller_is_global;
    let disabled = data.user.status == UserStatus::Disabled;
    let toggle = if disabled {
        view! {
            <ActionForm action=actions.enable attr:class="inline">
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit">"Enable the account"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=actions.disable attr:class="inline">
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit">"Disable the account"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="account-heading" class="card">
            <h2 id="account-heading">"Account"</h2>
            <p class="hint">
                "Disabling signs the person out everywhere at once; they cannot sign in until the account is enabled again."
            </p>
            {toggle}
            <Confirm
                key=format!("delete-{id}")
                ask="Delete"
                what=format!("the account of {name}")
                question=format!("Delete the account of {name}?")
                consequence="The account, its roles, memberships and licenses go for good; its licenses return to their subscriptions. This cannot be undone."
            >
                <ActionForm action=actions.delete attr:class="inline">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="danger">"Delete the account"</button>
                </ActionForm>
            </Confirm>
            // Only a Global Administrator may (the server refuses anyone else with 403).
            {global.then(|| view! { <ResetSecondFactor id name=name.clone() /> })}
        </section>
    }
}

/// A lost device: a Global Administrator removes the person's two-step verification (audited);
/// they set it up again at their next sign-in.
#[component]
fn ResetSecondFactor(id: i64, name: String) -> impl IntoView {
    let action = ServerAction::<crate::accounts::two_factor::ResetUserSecondFactor>::new();
    let refusal = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    view! {
        <p class="hint">
            "Lost their phone? A Global Administrator can reset their two-step verification; this also signs them out everywhere."
        </p>
        {move || refusal().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        {move || {
            matches!(action.value().get(), Some(Ok(())))
                .then(|| view! { <p class="notice" role="status">"Two-step verification was reset."</p> })
        }}
        <Confirm
            key=format!("second-factor-{id}")
            ask="Reset two-step verification"
            what=format!("of {name}")
            question=format!("Reset the two-step verification of {name}?")
            consequence="Their authenticator app and recovery codes stop working and they are signed out; they sign in with their password and set it up again."
        >
            <ActionForm action=action attr:class="inline">
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="danger">"Reset two-step verification"</button>
            </ActionForm>
        </Confirm>
    }
}
