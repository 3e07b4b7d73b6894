//! The Services page: per service the organization holds, its licenses (total, in use,
//! remaining, drawn as a bar), the nearest expiry and a status with what it means.

use super::status_text;
use crate::{
    accounts::pages::RequireUser,
    components::{format_date, EmptyState, ErrorNotice, TableBox},
    services::{services_overview, ServiceSummary, ServicesData},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn ServicesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| services_overview());
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Suspense fallback=|| view! { <p>"Loading services…"</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(data) => view! { <Overview data /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </RequireUser>
    }
}

#[component]
fn Overview(data: ServicesData) -> impl IntoView {
    let query = use_query_map();
    let welcome = move || {
        let q = query.read();
        if q.get("confirmed").is_some() {
            Some("Your email address is confirmed. You can buy services now.")
        } else if q.get("welcome").is_some() {
            Some("Welcome! Your organization's account is ready and you are its Global Administrator.")
        } else {
            None
        }
    };
    view! {
        <h1>"Services"</h1>
        <p class="lead">{format!("What {} holds: licenses, their use and their state.", data.organization)}</p>
        {move || welcome().map(|w| view! { <div class="banner banner-ok" role="status">{w}</div> })}
        {data.must_confirm.then(|| view! {
            <div class="banner" role="note">
                "Confirm your email address with the link we mailed you: until then you can try services but not buy them."
            </div>
        })}
        {data.can_buy.then(|| view! { <p><A href="/catalogue" attr:class="button">"Sign up for services"</A></p> })}
        {if data.services.is_empty() {
            view! {
                <EmptyState text="Your organization has no services yet. Choose one in the catalogue: many can be tried free." />
                <p><A href="/catalogue">"Open the catalogue"</A></p>
            }
            .into_any()
        } else {
            view! { <ServicesTable services=data.services /> }.into_any()
        }}
    }
}

#[component]
fn ServicesTable(services: Vec<ServiceSummary>) -> impl IntoView {
    view! {
        <TableBox label="Services">
            <table class="data services" aria-label="Services">
                <thead>
                    <tr>
                        <th scope="col">"Service"</th>
                        <th scope="col">"Licenses"</th>
                        <th scope="col">"Remaining"</th>
                        <th scope="col">"Nearest expiry"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {services
                        .into_iter()
                        .map(|s| {
                            let remaining = s.remaining();
                            view! {
                                <tr>
                                    <th scope="row">
                                        <A href=format!("/services/{}", s.service_id)>{s.name.clone()}</A>
                                        {s.volume.then(|| view! { <span class="tag">"Volume license agreement"</span> })}
                                    </th>
                                    <td><LicenseBar in_use=s.in_use total=s.total /></td>
                                    <td>{remaining}</td>
                                    <td>{format_date(s.nearest_expiry)}</td>
                                    <td>{status_text(s.status)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
}

/// "7 of 10 in use" with a bar of the same: SVG attributes, so the page's style policy allows it.
#[component]
pub fn LicenseBar(in_use: i64, total: i64) -> impl IntoView {
    let width = if total > 0 {
        (in_use.min(total) * 100 / total).to_string()
    } else {
        "0".to_owned()
    };
    let words = format!("{in_use} of {total} in use");
    view! {
        <div class="license-bar">
            <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect class="bar-total" x="0" y="0" width="100" height="8" />
                <rect class="bar-used" x="0" y="0" width=width height="8" />
            </svg>
            <span>{words}</span>
        </div>
    }
}
