//! The licenses a person holds, on their own profile.

use crate::services::my_licenses;
use leptos::prelude::*;

#[component]
pub fn MyLicenses() -> impl IntoView {
    let licenses = Resource::new(|| (), |_| my_licenses());
    view! {
        <section aria-labelledby="licenses-heading" class="card">
            <h2 id="licenses-heading">"Your licenses"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match licenses.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">"You hold no licenses. Your organization's administrators assign them."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul>
                                {list.into_iter().map(|l| view! {
                                    <li>{format!("{} — {} ({})", l.service, l.offer, l.status.label())}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
