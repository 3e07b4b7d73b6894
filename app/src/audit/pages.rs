//! A workspace's audit log: a table of entries, newest first, 50 to a page (plain links, so it
//! works before hydration).

use crate::{
    accounts::pages::RequireUser,
    audit::{audit_log, AuditPage, AuditRow},
    components::workspace_id_param,
    components::{format_date_time, ErrorNotice},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

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
    view! {
        <p class="breadcrumb">
            <A href=format!("/workspaces/{ws}")>{data.workspace_name.clone()}</A>
        </p>
        <h1 id="audit-heading">"Audit log"</h1>
        <p class="hint">
            {format!(
                "{} entries, newest first. Times are in UTC.",
                data.total
            )}
        </p>
        {if data.rows.is_empty() {
            view! { <p>"Nothing has been recorded for this workspace yet."</p> }.into_any()
        } else {
            view! {
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
                        {data.rows.into_iter().map(|row| view! { <AuditRowView row /> }).collect_view()}
                    </tbody>
                </table>
            }
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

#[component]
fn AuditRowView(row: AuditRow) -> impl IntoView {
    let object = match row.object_id {
        Some(id) => format!("{} #{id}", row.object_type),
        None => row.object_type.clone(),
    };
    let when = format_date_time(row.at);
    let machine = format!("{}Z", when.trim_end_matches(" UTC").replace(' ', "T"));
    view! {
        <tr>
            <td>
                <time datetime=machine>{when}</time>
            </td>
            <td>{row.who}</td>
            <td>
                <code>{row.action}</code>
            </td>
            <td>{object}</td>
            <td>{row.detail}</td>
            <td>{row.ip}</td>
        </tr>
    }
}
