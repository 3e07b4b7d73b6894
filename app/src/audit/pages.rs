//! A workspace's audit log: a table of entries, newest first, 50 to a page (plain links, so it
//! works before hydration).

use crate::{
    accounts::pages::RequireUser,
    audit::{action_label, audit_log, machine_time, object_label, AuditPage, AuditRow},
    components::{
        count, format_date_time, workspace_id_param, Breadcrumbs, EmptyState, ErrorNotice, TableBox,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let id = workspace_id_param();
    let query = use_query_map();
    let params = move || {
        (
            id(),
            query
                .read()
                .get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1),
        )
    };
    let log = Resource::new(params, |(id, page)| audit_log(id, page));
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the audit log…"</p> }>
                    {move || Suspend::new(async move {
                        match log.await {
                            Ok(data) => view! { <AuditView data /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

fn page_link(ws: i64, page: i64) -> String {
    format!("/workspaces/{ws}/audit?page={page}")
}

#[component]
fn AuditView(data: AuditPage) -> impl IntoView {
    let ws = data.workspace_id;
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let page = data.page;
    let trail = vec![(data.workspace_name.clone(), format!("/workspaces/{ws}"))];
    view! {
        <Breadcrumbs trail here="Audit log" />
        <h1 id="audit-heading">"Audit log"</h1>
        <p class="hint">
            {format!("{}, newest first. Times are in UTC.", count(data.total, "entry", "entries"))}
        </p>
        {if data.rows.is_empty() {
            view! { <EmptyState text="Nothing has been recorded for this workspace yet." /> }
                .into_any()
        } else {
            view! { <AuditEntries rows=data.rows /> }
            .into_any()
        }}
        <nav aria-label="Pages" class="pager">
            {(page > 1)
                .then(|| view! { <a href=page_link(ws, page - 1)>"Previous page"</a> })}
            <span>{format!("Page {page} of {last_page}")}</span>
            {(page < last_page)
                .then(|| view! { <a href=page_link(ws, page + 1)>"Next page"</a> })}
        </nav>
    }
}

/// The entries of a page of an audit log, as a table labelled by the page's heading
/// (`audit-heading`): the workspace's log and the organization's show them alike.
#[component]
pub fn AuditEntries(rows: Vec<AuditRow>) -> impl IntoView {
    view! {
        <TableBox label="Audit log entries">
            <table class="data audit" aria-labelledby="audit-heading">
                <thead>
                    <tr>
                        <th scope="col">"When (UTC)"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Object"</th>
                        <th scope="col">"Detail"</th>
                        <th scope="col">"From"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <AuditRowView row /> }).collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
}

/// One entry: the action in words, its code (what the log stores, and what an export or a
/// support request quotes) small beneath it.
#[component]
fn AuditRowView(row: AuditRow) -> impl IntoView {
    view! {
        <tr>
            <td>
                <time datetime=machine_time(row.at)>{format_date_time(row.at)}</time>
            </td>
            <td>{row.who}</td>
            <td>
                {action_label(&row.action)}
                <br />
                <code class="hint">{row.action}</code>
            </td>
            <td>{object_label(&row.object_type, row.object_id)}</td>
            <td>{row.detail}</td>
            <td>{row.ip}</td>
        </tr>
    }
}
