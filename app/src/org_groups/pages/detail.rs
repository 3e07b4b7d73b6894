//! One group of the organization: its members (paged), the form that adds a work account of the
//! organization by its address, "Remove" (asks first) and the form that renames or describes it.

use super::done_banner;
use crate::{
    accounts::pages::RequireUser,
    components::{
        banner_message, count, field_messages, Breadcrumbs, Confirm, EmptyState, ErrorBanner,
        ErrorNotice, TableBox, TextField,
    },
    org_groups::{
        org_group, AddOrgGroupMember, EditOrgGroup, OrgGroupDetail, OrgGroupMember,
        RemoveOrgGroupMember,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AddOrgGroupMember>,
    remove: ServerAction<RemoveOrgGroupMember>,
    edit: ServerAction<EditOrgGroup>,
}

#[component]
pub fn OrgGroupPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let actions = Actions {
        add: ServerAction::new(),
        remove: ServerAction::new(),
        edit: ServerAction::new(),
    };
    let key = move || {
        let id = params
            .read()
            .get("id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0_i64);
        let page = query
            .read()
            .get("page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1_i64);
        let changes = actions.add.version().get()
            + actions.remove.version().get()
            + actions.edit.version().get();
        (id, page, changes)
    };
    let data = Resource::new(key, |(id, page, _)| org_group(id, page));
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the group…"</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(data) => view! { <GroupView data actions /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn GroupView(data: OrgGroupDetail, actions: Actions) -> impl IntoView {
    let id = data.id;
    let remove_error = Signal::derive(move || {
        actions
            .remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let link = move |page: i64| format!("/organization/groups/{id}?page={page}");
    let prev = (data.page > 1).then(|| link(data.page - 1));
    let next = (data.page < last_page).then(|| link(data.page + 1));
    let members = if data.members.is_empty() {
        view! { <EmptyState text="This group has no members yet. Add one below by their email address." /> }
            .into_any()
    } else {
        view! { <MemberTable id group=data.name.clone() members=data.members action=actions.remove /> }
            .into_any()
    };
    view! {
        <Breadcrumbs
            trail=vec![
                (data.organization_name.clone(), "/organization".to_owned()),
                ("Groups".to_owned(), "/organization/groups".to_owned()),
            ]
            here=data.name.clone()
        />
        <h1>{data.name.clone()}</h1>
        {(!data.description.is_empty()).then(|| view! { <p class="lead">{data.description.clone()}</p> })}
        {done_banner()}
        <section aria-labelledby="members-heading" class="card">
            <h2 id="members-heading">"Members"</h2>
            <p class="hint">{count(data.total, "member", "members")}</p>
            <ErrorBanner message=remove_error />
            {members}
            <nav aria-label="Pages" class="pager">
                {prev.map(|href| view! { <a href=href>"Previous page"</a> })}
                <span>{format!("Page {} of {last_page}", data.page)}</span>
                {next.map(|href| view! { <a href=href>"Next page"</a> })}
            </nav>
        </section>
        <AddForm id action=actions.add />
        <EditForm id name=data.name description=data.description action=actions.edit />
    }
}

#[component]
fn MemberTable(
    id: i64,
    group: String,
    members: Vec<OrgGroupMember>,
    action: ServerAction<RemoveOrgGroupMember>,
) -> impl IntoView {
    view! {
        <TableBox label="Members of the group">
            <table class="data" aria-labelledby="members-heading">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email address"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {members
                        .into_iter()
                        .map(|m| {
                            let who = m.name.clone();
                            let hidden = format!(" {who}");
                            view! {
                                <tr>
                                    <th scope="row">{m.name.clone()}</th>
                                    <td>{m.email.clone()}</td>
                                    <td>
                                        <Confirm
                                            key=format!("remove-{}", m.account_id)
                                            ask="Remove"
                                            what=format!("{who} from the group")
                                            question=format!("Remove {who} from {group}?")
                                            consequence=format!("{who} keeps their account; only their place in this group goes.")
                                        >
                                            {remove_form(id, m.account_id, hidden.clone(), action)}
                                        </Confirm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
}

/// The form that really removes a member, inside its question.
fn remove_form(
    id: i64,
    account_id: i64,
    hidden: String,
    action: ServerAction<RemoveOrgGroupMember>,
) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline">
            <input type="hidden" name="group_id" value=id.to_string() />
            <input type="hidden" name="account_id" value=account_id.to_string() />
            <button type="submit" class="danger">
                "Remove from the group"
                <span class="visually-hidden">{hidden}</span>
            </button>
        </ActionForm>
    }
}

#[component]
fn AddForm(id: i64, action: ServerAction<AddOrgGroupMember>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <section aria-labelledby="add-heading" class="card">
            <h2 id="add-heading">"Add a member"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["email"]))
            }) />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="group_id" value=id.to_string() />
                <TextField
                    label="Email address of a work account of your organization"
                    name="email"
                    form="add"
                    input_type="email"
                    autocomplete="off"
                    required=true
                    error=field("email")
                />
                <button type="submit" class="primary">"Add to the group"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditForm(
    id: i64,
    name: String,
    description: String,
    action: ServerAction<EditOrgGroup>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <section aria-labelledby="edit-heading" class="card">
            <h2 id="edit-heading">"Name and description"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["name", "description"]))
            }) />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="group_id" value=id.to_string() />
                <TextField label="Group name" name="name" form="edit" value=name required=true error=field("name") />
                <TextField
                    label="Description (optional)"
                    name="description"
                    form="edit"
                    value=description
                    error=field("description")
                />
                <button type="submit">"Save"</button>
            </ActionForm>
        </section>
    }
}
