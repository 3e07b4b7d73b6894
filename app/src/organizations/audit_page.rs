//! The organization's audit log (its Global Administrators): roles, subscriptions, licenses and
//! sign-up, newest first, 50 to a page (plain links, so it works before hydration). The entries
//! come from the audit domain, which reads the log.

use crate::{
    accounts::pages::RequireUser,
    audit::{organization_audit_log, pages::AuditEntries, OrganizationAuditPage},
    components::{count, Breadcrumbs, EmptyState, ErrorNotice},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OrgAuditPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    };
    let log = Resource::new(page, organization_audit_log);
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the audit log…"</p> }>
                    {move || Suspend::new(async move {
                        match log.await {
                            Ok(data) => view! { <OrgAuditView data /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

fn page_link(page: i64) -> String {
    format!("/organization/audit?page={page}")
}

#[component]
fn OrgAuditView(data: OrganizationAuditPage) -> impl IntoView {
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let page = data.page;
    view! {
        <Breadcrumbs trail=vec![(data.organization_name.clone(), "/services".to_owned())] here="Audit log" />
        <h1 id="audit-heading">"Audit log"</h1>
        <p class="hint">
            {format!(
                "{} of {}: roles, subscriptions and licenses, newest first. Times are in UTC.",
                count(data.total, "entry", "entries"),
                data.organization_name,
            )}
        </p>
        {if data.rows.is_empty() {
            view! { <EmptyState text="Nothing has been recorded for your organization yet." /> }
                .into_any()
        } else {
            view! { <AuditEntries rows=data.rows /> }.into_any()
        }}
        <nav aria-label="Pages" class="pager">
            {(page > 1).then(|| view! { <a href=page_link(page - 1)>"Previous page"</a> })}
            <span>{format!("Page {page} of {last_page}")}</span>
            {(page < last_page).then(|| view! { <a href=page_link(page + 1)>"Next page"</a> })}
        </nav>
    }
}
