//! The Groups page of a workspace (its administrators): create and delete groups, add members by
//! address, take them out. Every form posts, so it works before hydration too.

use crate::{
    accounts::pages::RequireUser,
    components::workspace_id_param,
    components::{
        banner_message, field_messages, Breadcrumbs, Confirm, EmptyState, ErrorBanner, ErrorNotice,
        TextField,
    },
    groups::{
        list_groups, AddGroupMember, CreateGroup, DeleteGroup, Group, GroupList, RemoveGroupMember,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateGroup>,
    delete: ServerAction<DeleteGroup>,
    add: ServerAction<AddGroupMember>,
    remove: ServerAction<RemoveGroupMember>,
}

impl Actions {
    fn version(&self) -> usize {
        self.create.version().get()
            + self.delete.version().get()
            + self.add.version().get()
            + self.remove.version().get()
    }

    /// The last error of an action on a group (shown above the groups: the add form is
    /// repeated per group, so its message cannot sit under one field).
    fn group_error(&self) -> Option<String> {
        let err = |e: Option<Result<(), crate::error::AppError>>| {
            e.and_then(Result::err)
                .map(|e| match e.field_message("email") {
                    Some(message) => message,
                    None => e.to_string(),
                })
        };
        err(self.add.value().get())
            .or_else(|| err(self.delete.value().get()))
            .or_else(|| err(self.remove.value().get()))
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let id = workspace_id_param();
    let actions = Actions {
        create: ServerAction::new(),
        delete: ServerAction::new(),
        add: ServerAction::new(),
        remove: ServerAction::new(),
    };
    let groups = Resource::new(move || (id(), actions.version()), |(id, _)| list_groups(id));
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading groups…"</p> }>
                    {move || Suspend::new(async move {
                        match groups.await {
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
fn GroupsView(data: GroupList, actions: Actions) -> impl IntoView {
    let ws = data.workspace_id;
    // Read tracked: with JavaScript the redirect's `?done=` arrives after the refetched list.
    let query = use_query_map();
    let done = move || {
        query.read().get("done").map(|d| match d.as_str() {
            "created" => "The group was created.",
            "deleted" => "The group was deleted.",
            "added" => "The member was added to the group.",
            "removed" => "The member was taken out of the group.",
            _ => "Your change was saved.",
        })
    };
    let create_error = Signal::derive(move || actions.create.value().get().and_then(Result::err));
    let create_field = field_messages(create_error);
    view! {
        <Breadcrumbs
            trail=vec![(data.workspace_name.clone(), format!("/workspaces/{ws}"))]
            here="Groups"
        />
        <h1>"Groups"</h1>
        <p class="hint">
            "A support case shared with a group is seen by everyone in the group. Groups hold members of this workspace only."
        </p>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <section aria-labelledby="create-heading" class="card">
            <h2 id="create-heading">"Create a group"</h2>
            <ErrorBanner message=Signal::derive(move || {
                create_error.get().and_then(|e| banner_message(&e, &["name"]))
            }) />
            <ActionForm action=actions.create attr:class="stack">
                <input type="hidden" name="workspace_id" value=ws.to_string() />
                <TextField label="Group name" name="name" form="create" required=true error=create_field("name") />
                <button type="submit" class="primary">"Create the group"</button>
            </ActionForm>
        </section>
        <ErrorBanner message=Signal::derive(move || actions.group_error()) />
        {if data.groups.is_empty() {
            view! { <EmptyState text="This workspace has no groups yet. Create one above, then add members to it." /> }
                .into_any()
        } else {
            data.groups
                .into_iter()
                .map(|group| view! { <GroupView ws group actions /> })
                .collect_view()
                .into_any()
        }}
    }
}

/// The hidden fields naming the workspace and the group, in every form of a group.
fn group_fields(ws: i64, group_id: i64) -> impl IntoView {
    view! {
        <input type="hidden" name="workspace_id" value=ws.to_string() />
        <input type="hidden" name="group_id" value=group_id.to_string() />
    }
}

#[component]
fn GroupView(ws: i64, group: Group, actions: Actions) -> impl IntoView {
    let gid = group.id;
    let heading = format!("group-{gid}-heading");
    let name = group.name;
    let members = if group.members.is_empty() {
        view! { <EmptyState text="Nobody is in this group yet." /> }.into_any()
    } else {
        let items = group
            .members
            .into_iter()
            .map(|m| {
                let who = format!("{} <{}> of {name}", m.name, m.email);
                view! {
                    <li>
                        {format!("{} <{}>", m.name, m.email)}
                        " "
                        <ActionForm action=actions.remove attr:class="inline">
                            {group_fields(ws, gid)}
                            <input type="hidden" name="account_id" value=m.account_id.to_string() />
                            <button type="submit" class="small">
                                "Take out"
                                <span class="visually-hidden">{format!(" {who}")}</span>
                            </button>
                        </ActionForm>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="members">{items}</ul> }.into_any()
    };
    // ActionForm's children are a closure that moves what it names: each gets its own copy.
    let (add_label, delete_label) = (format!(" {name}"), format!(" {name}"));
    let (what, question) = (name.clone(), format!("Delete the group {name}?"));
    let labelled_by = heading.clone();
    view! {
        <section aria-labelledby=labelled_by class="card">
            <h2 id=heading>{name}</h2>
            {members}
            <ActionForm action=actions.add attr:class="stack">
                {group_fields(ws, gid)}
                <TextField
                    label="Email address of a member to add"
                    name="email"
                    form=format!("group-{gid}")
                    input_type="email"
                    required=true
                    error=Signal::derive(|| None::<String>)
                />
                <button type="submit">
                    "Add to the group"
                    <span class="visually-hidden">{add_label}</span>
                </button>
            </ActionForm>
            <div class="page-actions">
                <Confirm
                    key=format!("delete-group-{gid}")
                    ask="Delete the group"
                    what
                    question
                    consequence="Its members stay in the workspace; the support cases shared with the group are no longer shared with them through it."
                >
                    {delete_form(ws, gid, delete_label.clone(), actions.delete)}
                </Confirm>
            </div>
        </section>
    }
}

/// The form that really deletes a group, inside its question.
fn delete_form(
    ws: i64,
    gid: i64,
    label: String,
    action: ServerAction<DeleteGroup>,
) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline">
            {group_fields(ws, gid)}
            <button type="submit" class="danger">
                "Delete the group"
                <span class="visually-hidden">{label}</span>
            </button>
        </ActionForm>
    }
}
