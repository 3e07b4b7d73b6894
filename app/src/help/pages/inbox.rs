//! The operator's feedback inbox (staff console): every message, newest first, paged.

use crate::{
    accounts::pages::RequireUser,
    components::{count, format_date_time, Breadcrumbs, EmptyState, ErrorNotice, TableBox},
    help::{feedback_inbox, FeedbackInboxData},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffFeedbackPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1_i64)
    };
    let inbox = Resource::new(page, feedback_inbox);
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Breadcrumbs trail=vec![("Staff console".to_owned(), "/staff".to_owned())] here="Feedback" />
                <h1>"Feedback"</h1>
                <p class="lead">"What people sent from Help › Feedback, newest first."</p>
                <Transition fallback=|| view! { <p>"Loading the feedback…"</p> }>
                    {move || Suspend::new(async move {
                        match inbox.await {
                            Ok(data) => view! { <Inbox data /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn Inbox(data: FeedbackInboxData) -> impl IntoView {
    if data.items.is_empty() {
        return view! { <EmptyState text="No feedback yet. Messages appear here as people send them from Help." /> }
            .into_any();
    }
    let last_page = ((data.total + data.page_size - 1) / data.page_size).max(1);
    let prev = (data.page > 1).then(|| format!("/staff/feedback?page={}", data.page - 1));
    let next = (data.page < last_page).then(|| format!("/staff/feedback?page={}", data.page + 1));
    view! {
        <p class="hint">{count(data.total, "message", "messages")}</p>
        <TableBox label="Feedback messages">
            <table class="data" aria-label="Feedback">
                <thead>
                    <tr>
                        <th scope="col">"Sent"</th>
                        <th scope="col">"From"</th>
                        <th scope="col">"About"</th>
                        <th scope="col">"Message"</th>
                    </tr>
                </thead>
                <tbody>
                    {data
                        .items
                        .into_iter()
                        .map(|f| {
                            let from = match &f.organization {
                                Some(org) => format!("{} · {org}", f.author),
                                None => f.author.clone(),
                            };
                            let about = if f.about.is_empty() {
                                f.category.label().to_owned()
                            } else {
                                format!("{} · {}", f.category.label(), f.about)
                            };
                            view! {
                                <tr>
                                    <td>{format_date_time(f.created_at)}</td>
                                    <td>{from}</td>
                                    <td>{about}</td>
                                    <td class="pre">{f.message}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableBox>
        <nav aria-label="Pages" class="pager">
            {prev.map(|href| view! { <a href=href>"Previous page"</a> })}
            <span>{format!("Page {} of {last_page}", data.page)}</span>
            {next.map(|href| view! { <a href=href>"Next page"</a> })}
        </nav>
    }
    .into_any()
}
