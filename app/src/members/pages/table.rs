//! The table of users: its search form, sortable headings and page links.

use crate::{
    components::{count, EmptyState, TableBox},
    members::{SortKey, UserPage},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{row::UserRowView, Actions};

#[component]
pub(super) fn SearchForm(data: UserPage) -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked().get("q").unwrap_or_default();
    let sort = query
        .read_untracked()
        .get("sort")
        .unwrap_or_else(|| "name".to_owned());
    let desc = query.read_untracked().get("desc").unwrap_or_default();
    view! {
        <form method="get" class="search" role="search">
            <label for="field-q">"Search users"</label>
            <input id="field-q" type="search" name="q" value=q />
            <input type="hidden" name="sort" value=sort />
            <input type="hidden" name="desc" value=desc />
            <button type="submit">"Search"</button>
            <span class="hint">{count(data.total, "person", "people")} " and open invitations in all"</span>
        </form>
    }
}

fn page_link(ws: i64, q: &str, sort: &str, desc: bool, page: i64) -> String {
    format!(
        "/workspaces/{ws}/users?q={}&sort={sort}&desc={}&page={page}",
        urlencoding::encode(q),
        if desc { "1" } else { "0" }
    )
}

#[component]
pub(super) fn UsersTable(data: UserPage, actions: Actions) -> AnyView {
    let query = use_query_map();
    let q = query.read_untracked().get("q").unwrap_or_default();
    let sort = SortKey::parse(&query.read_untracked().get("sort").unwrap_or_default());
    let desc = query.read_untracked().get("desc").is_some_and(|d| d == "1");
    let ws = data.workspace_id;
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let workspace = data.workspace_name.clone();
    if data.rows.is_empty() {
        let text = if q.trim().is_empty() {
            "This workspace has no members or invitations yet. Invite people above.".to_owned()
        } else {
            format!("Nobody here matches “{q}”. Search looks at the start of a name, of the last name, of an address or of its domain.")
        };
        return view! { <EmptyState text /> }.into_any();
    }
    let header_q = q.clone();
    let header = move |key: SortKey| {
        let q = &header_q;
        let active = key == sort;
        let next_desc = active && !desc;
        // The arrow is for the eye; `aria-sort` tells assistive technology the same.
        let (aria, arrow) = match (active, desc) {
            (true, true) => ("descending", "↓"),
            (true, false) => ("ascending", "↑"),
            (false, _) => ("none", "↕"),
        };
        let href = page_link(ws, q, key.as_str(), next_desc, 1);
        view! {
            <th scope="col" aria-sort=aria>
                <a href=href>
                    {key.label()}
                    <span class="sort-arrow" aria-hidden="true">{format!(" {arrow}")}</span>
                </a>
            </th>
        }
    };
    view! {
        <TableBox label="Members and invitations">
        <table class="data users" aria-labelledby="users-heading">
            <thead>
                <tr>
                    {header(SortKey::Name)}
                    {header(SortKey::Email)}
                    <th scope="col">"Roles"</th>
                    <th scope="col">"Support Contact"</th>
                    {header(SortKey::Status)}
                    {header(SortKey::InvitedOn)}
                    {header(SortKey::LastSignIn)}
                    <th scope="col">"Actions"</th>
                </tr>
            </thead>
            <tbody>
                {data
                    .rows
                    .into_iter()
                    .map(|row| {
                        view! { <UserRowView row ws workspace=workspace.clone() actions /> }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </TableBox>
        <nav aria-label="Pages" class="pager">
            {(data.page > 1)
                .then(|| {
                    view! {
                        <a href=page_link(ws, &q, sort.as_str(), desc, data.page - 1)>"Previous page"</a>
                    }
                })}
            <span>{format!("Page {} of {last_page}", data.page)}</span>
            {(data.page < last_page)
                .then(|| {
                    view! {
                        <a href=page_link(ws, &q, sort.as_str(), desc, data.page + 1)>"Next page"</a>
                    }
                })}
        </nav>
    }
    .into_any()
}
