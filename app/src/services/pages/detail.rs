//! A service's page: its subscriptions with their "Manage" forms, the assignment of its
//! licenses, and its invoices.

use super::{
    done_banner,
    manage::{AssignForm, ManageSubscription, TakeBack},
    overview::LicenseBar,
    status_text,
};
use crate::{
    accounts::pages::RequireUser,
    billing::InvoiceSummary,
    components::{count, format_date, Breadcrumbs, EmptyState, ErrorNotice, TableBox},
    services::{service_detail, ServiceData, Subscription},
};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0_i64)
    };
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1_i64)
    };
    let refresh = super::Refresh(RwSignal::new(0));
    let data = Resource::new(
        move || (id(), page(), refresh.0.get()),
        |(id, page, _)| service_detail(id, page),
    );
    view! {
        <RequireUser>
            <main class="page" id="main">
                // A Transition keeps the page on screen while it is read again after a change.
                <Transition fallback=|| view! { <p>"Loading the service…"</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(data) => view! { <Detail data refresh /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn Detail(data: ServiceData, refresh: super::Refresh) -> impl IntoView {
    let total: i64 = data
        .subscriptions
        .iter()
        .filter(|s| s.status.usable())
        .map(|s| s.quantity)
        .sum();
    let used: i64 = data
        .subscriptions
        .iter()
        .filter(|s| s.status.usable())
        .map(|s| s.assigned)
        .sum();
    let usable: Vec<Subscription> = data
        .subscriptions
        .iter()
        .filter(|s| s.status.usable())
        .cloned()
        .collect();
    view! {
        <Breadcrumbs trail=vec![("Services".to_owned(), "/services".to_owned())] here=data.name.clone() />
        <h1>{data.name.clone()}</h1>
        {done_banner()}
        <LicenseBar in_use=used total />
        {data.must_confirm.then(|| view! {
            <div class="banner" role="note">"Confirm your email address with the link we mailed you before upgrading, renewing or buying."</div>
        })}
        <section aria-labelledby="subscriptions-heading">
            <h2 id="subscriptions-heading">"Subscriptions"</h2>
            <Subscriptions subscriptions=data.subscriptions.clone() />
            {data.can_manage.then(|| {
                data.subscriptions
                    .iter()
                    .filter(|s| s.status != crate::services::Status::Cancelled)
                    .cloned()
                    .map(|sub| view! { <ManageSubscription sub refresh /> })
                    .collect_view()
            })}
        </section>
        {data.can_assign.then(|| view! {
            <Licenses
                usable
                assignments=data.assignments.clone()
                total=data.assignments_total
                page=data.page
                pages=data.pages
                service_id=data.service_id
                refresh
            />
        })}
        {data.invoices.map(|invoices| view! { <Invoices invoices /> })}
    }
}

#[component]
fn Subscriptions(subscriptions: Vec<Subscription>) -> impl IntoView {
    view! {
        <TableBox label="Subscriptions">
            <table class="data" aria-labelledby="subscriptions-heading">
                <thead>
                    <tr>
                        <th scope="col">"Offer"</th>
                        <th scope="col">"Quantity"</th>
                        <th scope="col">"Assigned"</th>
                        <th scope="col">"Term"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Recurring billing"</th>
                    </tr>
                </thead>
                <tbody>
                    {subscriptions
                        .into_iter()
                        .map(|s| view! {
                            <tr>
                                <th scope="row">
                                    {s.offer.clone()}
                                    <span class="hint">{format!(" {}", s.price_label)}</span>
                                    {s.volume.then(|| view! { <span class="tag">"Volume license agreement"</span> })}
                                </th>
                                <td>{s.quantity}</td>
                                <td>{s.assigned}</td>
                                <td>{format!("{} – {}", format_date(Some(s.starts_at)), format_date(Some(s.ends_at)))}</td>
                                <td>
                                    {status_text(s.status)}
                                    {s.cancel_reason.clone().map(|r| view! { <span class="status-means">{format!("Reason: {r}")}</span> })}
                                </td>
                                <td>{if s.recurring { "On" } else { "Off" }}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
}

#[component]
fn Licenses(
    usable: Vec<Subscription>,
    assignments: Vec<crate::services::Assignment>,
    total: i64,
    page: i64,
    pages: i64,
    service_id: i64,
    refresh: super::Refresh,
) -> impl IntoView {
    let pager = (pages > 1).then(|| {
        let link = move |p: i64, text: &'static str| view! { <A href=format!("/services/{service_id}?page={p}")>{text}</A> };
        view! {
            <nav aria-label="Pages of assigned licenses" class="pager">
                {(page > 1).then(|| link(page - 1, "Previous page"))}
                <span>{format!(" Page {page} of {pages} ")}</span>
                {(page < pages).then(|| link(page + 1, "Next page"))}
            </nav>
        }
    });
    view! {
        <section aria-labelledby="licenses-heading">
            <h2 id="licenses-heading">"Licenses"</h2>
            <p>{format!("{} assigned.", count(total, "license", "licenses"))}</p>
            {usable.into_iter().map(|sub| view! { <AssignForm sub refresh /> }).collect_view()}
            {if assignments.is_empty() {
                view! { <EmptyState text="No license of this service is assigned yet. Assign one above by the user's address." /> }.into_any()
            } else {
                view! {
                    <TableBox label="Assigned licenses">
                        <table class="data" aria-label="Assigned licenses">
                            <thead>
                                <tr>
                                    <th scope="col">"User"</th>
                                    <th scope="col">"Email"</th>
                                    <th scope="col">"Offer"</th>
                                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {assignments.into_iter().map(|a| view! {
                                    <tr>
                                        <th scope="row">{a.name.clone()}</th>
                                        <td>{a.email.clone()}</td>
                                        <td>{a.offer.clone()}</td>
                                        <td><TakeBack assignment=a refresh /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableBox>
                    {pager}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Invoices(invoices: Vec<InvoiceSummary>) -> impl IntoView {
    view! {
        <section aria-labelledby="invoices-heading">
            <h2 id="invoices-heading">"Invoices"</h2>
            {if invoices.is_empty() {
                view! { <EmptyState text="No invoices yet: trials are free; a purchase, renewal or change of quantity makes one." /> }.into_any()
            } else {
                view! {
                    <TableBox label="Invoices">
                        <table class="data" aria-labelledby="invoices-heading">
                            <thead>
                                <tr>
                                    <th scope="col">"Invoice"</th>
                                    <th scope="col">"Issued"</th>
                                    <th scope="col">"Total"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"PDF"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {invoices.into_iter().map(|i| {
                                    let pdf_name = format!(" of {}", i.number);
                                    view! {
                                    <tr>
                                        <th scope="row"><A href=format!("/invoices/{}", i.id)>{i.number.clone()}</A></th>
                                        <td>{format_date(Some(i.issued_at))}</td>
                                        <td>{i.total_label.clone()}</td>
                                        <td>{i.status.clone()}</td>
                                        <td>
                                            <a href=format!("/invoices/{}/pdf", i.id) rel="external" download="">
                                                "Download PDF" <span class="visually-hidden">{pdf_name}</span>
                                            </a>
                                        </td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                        </table>
                    </TableBox>
                }.into_any()
            }}
        </section>
    }
}
