//! Manage Users of the organization: the search (a prefix of a name or an address), sortable
//! headings and page links — all plain GET, read from indexes on the server — and the form that
//! adds a user.

use crate::{
    accounts::pages::RequireUser,
    components::{
        banner_message, count, field_messages, format_date, Breadcrumbs, EmptyState, ErrorBanner,
        ErrorNotice, TableBox, TextField,
    },
    identity::{org_users, AddOrgUser, OrgUserRow, OrgUsersData, UserSort},
};
use leptos::prelude::*;
use leptos_router::{hooks::use_query_map, params::ParamsMap};

/// The list's state as the address holds it.
#[derive(Clone, Debug, PartialEq)]
struct ListQuery {
    q: String,
    sort: UserSort,
    desc: bool,
    page: i64,
}

impl ListQuery {
    fn link(&self, sort: UserSort, desc: bool, page: i64) -> String {
        format!(
            "/organization/users?q={}&sort={}&desc={}&page={page}",
            urlencoding::encode(&self.q),
            sort.as_str(),
            if desc { "1" } else { "0" }
        )
    }
}

fn list_query(q: &ParamsMap) -> ListQuery {
    ListQuery {
        q: q.get("q").unwrap_or_default(),
        sort: UserSort::parse(&q.get("sort").unwrap_or_default()),
        desc: q.get("desc").is_some_and(|d| d == "1"),
        page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    }
}

#[component]
pub fn OrgUsersPage() -> impl IntoView {
    let query = use_query_map();
    let add = ServerAction::<AddOrgUser>::new();
    let params = move || query.with(list_query);
    let users = Resource::new(params, |p| {
        org_users(p.q, p.sort.as_str().to_owned(), p.desc, p.page)
    });
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the users…"</p> }>
                    {move || Suspend::new(async move {
                        match users.await {
                            Ok(data) => {
                                let list = query.with_untracked(list_query);
                                view! { <UsersView data list add /> }.into_any()
                            }
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn UsersView(data: OrgUsersData, list: ListQuery, add: ServerAction<AddOrgUser>) -> impl IntoView {
    let query = use_query_map();
    let done = move || {
        query.read().get("done").map(|d| match d.as_str() {
            "deleted" => "The user was deleted.",
            _ => "Your change was saved.",
        })
    };
    let domains = data.domains.clone();
    view! {
        <Breadcrumbs
            trail=vec![
                (data.organization.clone(), "/services".to_owned()),
                ("Identity".to_owned(), "/organization".to_owned()),
            ]
            here="Users"
        />
        <h1 id="users-heading">"Users"</h1>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <form method="get" class="search" role="search">
            <label for="field-q">"Search users"</label>
            <input id="field-q" type="search" name="q" value=list.q.clone() />
            <input type="hidden" name="sort" value=list.sort.as_str() />
            <input type="hidden" name="desc" value=if list.desc { "1" } else { "0" } />
            <button type="submit">"Search"</button>
            <span class="hint">{count(data.total, "user", "users")}</span>
        </form>
        <UsersTable data list />
        <AddForm add domains />
    }
}

#[component]
fn UsersTable(data: OrgUsersData, list: ListQuery) -> AnyView {
    if data.rows.is_empty() {
        let text = if list.q.trim().is_empty() {
            "Your organization has no users yet. Add one below.".to_owned()
        } else {
            format!(
                "Nobody matches “{}”. Search looks at the start of a name or of an address.",
                list.q
            )
        };
        return view! { <EmptyState text /> }.into_any();
    }
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let header = {
        let list = list.clone();
        move |key: UserSort| {
            let active = key == list.sort;
            let (aria, arrow) = match (active, list.desc) {
                (true, true) => ("descending", "↓"),
                (true, false) => ("ascending", "↑"),
                (false, _) => ("none", "↕"),
            };
            let href = list.link(key, active && !list.desc, 1);
            view! {
                <th scope="col" aria-sort=aria>
                    <a href=href>
                        {key.label()}
                        <span class="sort-arrow" aria-hidden="true">{format!(" {arrow}")}</span>
                    </a>
                </th>
            }
        }
    };
    let page = data.page;
    view! {
        <TableBox label="Users of your organization">
            <table class="data users" aria-labelledby="users-heading">
                <thead>
                    <tr>
                        {header(UserSort::Name)}
                        {header(UserSort::Email)}
                        {header(UserSort::Status)}
                        <th scope="col">"Roles"</th>
                        <th scope="col">"Licenses"</th>
                        {header(UserSort::Created)}
                    </tr>
                </thead>
                <tbody>{data.rows.into_iter().map(|row| view! { <UserRow row /> }).collect_view()}</tbody>
            </table>
        </TableBox>
        <nav aria-label="Pages" class="pager">
            {(page > 1).then(|| view! { <a href=list.link(list.sort, list.desc, page - 1)>"Previous page"</a> })}
            <span>{format!("Page {page} of {last_page}")}</span>
            {(page < last_page).then(|| view! { <a href=list.link(list.sort, list.desc, page + 1)>"Next page"</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn UserRow(row: OrgUserRow) -> impl IntoView {
    let roles = if row.roles.is_empty() {
        "—".to_owned()
    } else {
        row.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <tr>
            <td><a href=format!("/organization/users/{}", row.id)>{row.name}</a></td>
            <td>{row.email}</td>
            <td>{row.status.label()}</td>
            <td>{roles}</td>
            <td>{row.licenses}</td>
            <td>{format_date(Some(row.created_at))}</td>
        </tr>
    }
}

#[component]
fn AddForm(add: ServerAction<AddOrgUser>, domains: Vec<String>) -> impl IntoView {
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let field = field_messages(error);
    let hint = if domains.is_empty() {
        "Your organization has no domain yet: add one on the Domains page first.".to_owned()
    } else {
        format!(
            "The address must be on one of your domains: {}.",
            domains.join(", ")
        )
    };
    view! {
        <section aria-labelledby="add-heading" class="card">
            <h2 id="add-heading">"Add a user"</h2>
            <p class="hint">{hint} " The new user gets a mail with a link to set their password."</p>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["display_name", "email"]))
            }) />
            <ActionForm action=add attr:class="stack">
                <TextField label="Name" name="display_name" autocomplete="off" required=true error=field("display_name") />
                <TextField label="Email address" name="email" input_type="email" autocomplete="off" required=true error=field("email") />
                <button type="submit" class="primary">"Add the user"</button>
            </ActionForm>
        </section>
    }
}
