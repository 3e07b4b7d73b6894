//! The Administrative roles page of an organization: what each role means, who holds which, and
//! for a Global Administrator the forms to assign and remove roles. Every form posts, so it
//! works before hydration too.

use crate::{
    accounts::pages::RequireUser,
    auth::kinds::OrgRole,
    components::{
        banner_message, field_messages, Breadcrumbs, Confirm, EmptyState, ErrorBanner, ErrorNotice,
        SelectField, TableBox, TextField,
    },
    organizations::{organization_roles, Administrator, AssignRole, OrgRoles, RemoveRole},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct Actions {
    assign: ServerAction<AssignRole>,
    remove: ServerAction<RemoveRole>,
}

#[component]
pub fn OrgRolesPage() -> impl IntoView {
    let actions = Actions {
        assign: ServerAction::new(),
        remove: ServerAction::new(),
    };
    let roles = Resource::new(
        move || actions.assign.version().get() + actions.remove.version().get(),
        |_| organization_roles(),
    );
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the administrative roles…"</p> }>
                    {move || Suspend::new(async move {
                        match roles.await {
                            Ok(data) => view! { <RolesView data actions /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn RolesView(data: OrgRoles, actions: Actions) -> impl IntoView {
    // Read tracked: with JavaScript the redirect's `?done=` arrives after the refetched list.
    let query = use_query_map();
    let done = move || {
        query.read().get("done").map(|d| match d.as_str() {
            "assigned" => "The role was assigned.",
            "held" => "That person already holds that role: nothing changed.",
            "removed" => "The role was removed.",
            "unchanged" => "That person no longer held that role: nothing changed.",
            _ => "Your change was saved.",
        })
    };
    let remove_error = Signal::derive(move || {
        actions
            .remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let can_manage = data.can_manage;
    let mine = if data.my_roles.is_empty() {
        String::new()
    } else {
        let labels: Vec<&str> = data.my_roles.iter().map(|r| r.label()).collect();
        format!("You are {}.", labels.join(", "))
    };
    view! {
        <Breadcrumbs trail=vec![(data.organization_name.clone(), "/services".to_owned())] here="Administrative roles" />
        <h1>"Administrative roles"</h1>
        <p class="hint">
            {mine} " Have two to four Global Administrators, so someone can always get in."
        </p>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <section aria-labelledby="meanings-heading" class="card">
            <h2 id="meanings-heading">"What each role may do"</h2>
            <dl>
                {OrgRole::ALL
                    .into_iter()
                    .map(|role| view! { <dt>{role.label()}</dt> <dd>{role.means()}</dd> })
                    .collect_view()}
            </dl>
        </section>
        <section aria-labelledby="admins-heading" class="card">
            <h2 id="admins-heading">"Administrators"</h2>
            <ErrorBanner message=remove_error />
            <AdministratorsTable administrators=data.administrators can_manage actions />
            {(!can_manage)
                .then(|| {
                    view! {
                        <p class="hint">
                            "Only a Global Administrator assigns or removes administrative roles."
                        </p>
                    }
                })}
        </section>
        {can_manage.then(|| view! { <AssignForm action=actions.assign /> })}
    }
}

#[component]
fn AdministratorsTable(
    administrators: Vec<Administrator>,
    can_manage: bool,
    actions: Actions,
) -> impl IntoView {
    if administrators.is_empty() {
        return view! { <EmptyState text="Nobody holds an administrative role yet." /> }.into_any();
    }
    view! {
        <TableBox label="Administrators and their roles">
            <table class="data" aria-labelledby="admins-heading">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email address"</th>
                        <th scope="col">"Roles"</th>
                    </tr>
                </thead>
                <tbody>
                    {administrators
                        .into_iter()
                        .map(|admin| view! { <AdministratorRow admin can_manage actions /> })
                        .collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
    .into_any()
}

#[component]
fn AdministratorRow(admin: Administrator, can_manage: bool, actions: Actions) -> impl IntoView {
    let roles = admin
        .roles
        .iter()
        .map(|role| {
            let remove = can_manage.then(|| {
                view! { <RemoveRoleButton account_id=admin.account_id name=admin.name.clone() role=*role action=actions.remove /> }
            });
            view! { <li>{role.label()} " " {remove}</li> }
        })
        .collect_view();
    view! {
        <tr>
            <td>{admin.name.clone()}</td>
            <td>{admin.email.clone()}</td>
            <td>
                <ul class="roles">{roles}</ul>
            </td>
        </tr>
    }
}

/// "Remove" beside a role: asks first, naming the person and the role.
#[component]
fn RemoveRoleButton(
    account_id: i64,
    name: String,
    role: OrgRole,
    action: ServerAction<RemoveRole>,
) -> impl IntoView {
    let label = role.label();
    let what = format!("the {label} role of {name}");
    let question = format!("Remove the {label} role from {name}?");
    let consequence = format!(
        "{name} keeps their account and any other role; what this role allows stops at once."
    );
    let hidden = format!(" from {name}");
    view! {
        <Confirm
            key=format!("remove-{account_id}-{}", role.as_str())
            ask="Remove"
            what
            question
            consequence
        >
            {remove_form(account_id, role, hidden.clone(), action)}
        </Confirm>
    }
}

/// The form that really removes a role, inside its question.
fn remove_form(
    account_id: i64,
    role: OrgRole,
    hidden: String,
    action: ServerAction<RemoveRole>,
) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline">
            <input type="hidden" name="account_id" value=account_id.to_string() />
            <input type="hidden" name="role" value=role.as_str() />
            <button type="submit" class="danger">
                {format!("Remove the {} role", role.label())}
                <span class="visually-hidden">{hidden}</span>
            </button>
        </ActionForm>
    }
}

/// Gives a work account of the organization, named by its address, a role.
#[component]
fn AssignForm(action: ServerAction<AssignRole>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let options = OrgRole::ALL
        .into_iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="assign-heading" class="card">
            <h2 id="assign-heading">"Assign a role"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["email", "role"]))
            }) />
            <ActionForm action attr:class="stack">
                <TextField
                    label="Email address of a work account of your organization"
                    name="email"
                    input_type="email"
                    autocomplete="off"
                    required=true
                    error=field("email")
                />
                <SelectField label="Role" name="role" options selected="user" error=field("role") />
                <button type="submit" class="primary">"Assign the role"</button>
            </ActionForm>
        </section>
    }
}
