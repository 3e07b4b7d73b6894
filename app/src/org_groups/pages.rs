//! The organization's groups: the list (searched and paged on the server), the form that creates
//! one and "Delete", which asks first. A group's own page is `pages/detail.rs`. Every form posts
//! and the search is a GET form, so the pages work before hydration too.

mod detail;

pub use detail::OrgGroupPage;

use crate::{
    accounts::pages::RequireUser,
    components::{
        banner_message, count, field_messages, Breadcrumbs, Confirm, EmptyState, ErrorBanner,
        ErrorNotice, TableBox, TextField,
    },
    org_groups::{org_groups, CreateOrgGroup, DeleteOrgGroup, OrgGroupList, OrgGroupRow},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

/// The notice after a change (`?done=`), in words.
pub(crate) fn done_message(done: &str) -> &'static str {
    match done {
        "created" => "The group was created.",
        "saved" => "The group was saved.",
        "unchanged" => "Nothing changed.",
        "deleted" => "The group was deleted. Its members keep their accounts.",
        "added" => "The member was added.",
        "held" => "That person is already a member: nothing changed.",
        "removed" => "The member was removed from the group.",
        _ => "Your change was saved.",
    }
}

pub(crate) fn done_banner() -> impl IntoView {
    let query = use_query_map();
    move || {
        query.read().get("done").map(|d| {
            view! { <div class="banner banner-ok" role="status">{done_message(&d)}</div> }
        })
    }
}

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateOrgGroup>,
    delete: ServerAction<DeleteOrgGroup>,
}

#[component]
pub fn OrgGroupsPage() -> impl IntoView {
    let query = use_query_map();
    let actions = Actions {
        create: ServerAction::new(),
        delete: ServerAction::new(),
    };
    let params = move || {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1_i64),
        )
    };
    let list = Resource::new(
        move || {
            (
                params(),
                actions.create.version().get() + actions.delete.version().get(),
            )
        },
        |((search, page), _)| org_groups(search, page),
    );
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the groups…"</p> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Ok(data) => view! { <GroupsView data actions /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn GroupsView(data: OrgGroupList, actions: Actions) -> impl IntoView {
    let query = use_query_map();
    let search = query.read_untracked().get("q").unwrap_or_default();
    let delete_error = Signal::derive(move || {
        actions
            .delete
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let link = {
        let search = search.clone();
        move |page: i64| {
            format!(
                "/organization/groups?q={}&page={page}",
                urlencoding::encode(&search)
            )
        }
    };
    let prev = (data.page > 1).then(|| link(data.page - 1));
    let next = (data.page < last_page).then(|| link(data.page + 1));
    let empty = if search.is_empty() {
        "Your organization has no groups yet. Create one below, then add its members."
    } else {
        "No group's name starts with that. Check the spelling or clear the search."
    };
    view! {
        <Breadcrumbs trail=vec![(data.organization_name.clone(), "/organization".to_owned())] here="Groups" />
        <h1>"Groups"</h1>
        <p class="lead">
            "Groups gather your organization's people, so you can find and manage them together."
        </p>
        {done_banner()}
        <form method="get" action="/organization/groups" class="filters" role="search">
            <div class="field">
                <label for="field-q">"Search groups by the start of the name"</label>
                <input id="field-q" type="search" name="q" value=search.clone() />
            </div>
            <button type="submit">"Search"</button>
        </form>
        <p class="hint">{count(data.total, "group", "groups")}</p>
        <ErrorBanner message=delete_error />
        {if data.groups.is_empty() {
            view! { <EmptyState text=empty /> }.into_any()
        } else {
            view! { <GroupTable groups=data.groups action=actions.delete /> }.into_any()
        }}
        <nav aria-label="Pages" class="pager">
            {prev.map(|href| view! { <a href=href>"Previous page"</a> })}
            <span>{format!("Page {} of {last_page}", data.page)}</span>
            {next.map(|href| view! { <a href=href>"Next page"</a> })}
        </nav>
        <CreateForm action=actions.create />
    }
}

#[component]
fn GroupTable(groups: Vec<OrgGroupRow>, action: ServerAction<DeleteOrgGroup>) -> impl IntoView {
    view! {
        <TableBox label="Groups of your organization">
            <table class="data" aria-label="Groups">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Members"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {groups
                        .into_iter()
                        .map(|g| {
                            let id = g.id;
                            let name = g.name.clone();
                            let hidden = format!(" {name}");
                            view! {
                                <tr>
                                    <th scope="row">
                                        <A href=format!("/organization/groups/{id}")>{g.name.clone()}</A>
                                    </th>
                                    <td>{g.description.clone()}</td>
                                    <td>{count(g.members, "member", "members")}</td>
                                    <td>
                                        <Confirm
                                            key=format!("delete-{id}")
                                            ask="Delete"
                                            what=format!("the group {name}")
                                            question=format!("Delete the group {name}?")
                                            consequence="Its members keep their accounts and everything else; only the group goes."
                                        >
                                            {delete_form(id, hidden.clone(), action)}
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

/// The form that really deletes a group, inside its question.
fn delete_form(id: i64, hidden: String, action: ServerAction<DeleteOrgGroup>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline">
            <input type="hidden" name="group_id" value=id.to_string() />
            <button type="submit" class="danger">
                "Delete the group"
                <span class="visually-hidden">{hidden}</span>
            </button>
        </ActionForm>
    }
}

#[component]
fn CreateForm(action: ServerAction<CreateOrgGroup>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <section aria-labelledby="create-heading" class="card">
            <h2 id="create-heading">"Create a group"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["name", "description"]))
            }) />
            <ActionForm action attr:class="stack">
                <TextField label="Group name" name="name" form="create" required=true error=field("name") />
                <TextField
                    label="Description (optional)"
                    name="description"
                    form="create"
                    error=field("description")
                    hint="What the group is for, in one line."
                />
                <button type="submit" class="primary">"Create the group"</button>
            </ActionForm>
        </section>
    }
}
