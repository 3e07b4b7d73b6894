//! The services pages: the public catalogue and sign-up, the address confirmation, the
//! Services page, a service's detail, the operator's offers and the licenses on a profile.
//! Every change is a form that posts, so each page works before hydration too.

mod catalogue;
mod detail;
mod licenses;
mod manage;
mod offers;
mod overview;
mod signup;

pub use catalogue::CataloguePage;
pub use detail::ServicePage;
pub use licenses::MyLicenses;
pub use offers::StaffOffersPage;
pub use overview::ServicesPage;
pub use signup::{ConfirmEmailPage, SignUpPage};

use crate::services::Status;
use leptos::prelude::*;

/// A status as a label with the sentence of what it means.
fn status_text(status: Status) -> impl IntoView {
    view! {
        <span class=format!("status status-{}", status.as_str())>{status.label()}</span>
        <span class="status-means">{status.means()}</span>
    }
}

/// The notice after a change (`?done=`), in words.
fn done_message(done: &str) -> &'static str {
    match done {
        "bought" => "The subscription was added.",
        "upgraded" => "The trial was upgraded to a paid subscription.",
        "quantity" => "The number of licenses was changed.",
        "recurring" => "Recurring billing was changed.",
        "cancelled" => "The subscription was cancelled.",
        "renewed" => "The subscription was renewed.",
        "assigned" => "The license was assigned.",
        "unassigned" => "The license was taken back.",
        "created" => "The offer was created.",
        _ => "Your change was saved.",
    }
}

/// Makes a service's page read its data again after a change made in place (with JavaScript
/// the change's redirect lands on the same route, which a resource keyed by the address alone
/// would not fetch again).
#[derive(Clone, Copy)]
pub struct Refresh(RwSignal<usize>);

impl Refresh {
    /// Bumps the page's data whenever `action` succeeds.
    fn after<A>(self, action: ServerAction<A>)
    where
        A: leptos::server_fn::ServerFn<Output = (), Error = crate::error::AppError>
            + Clone
            + Send
            + Sync
            + 'static,
    {
        Effect::new(move || {
            if let Some(Ok(())) = action.value().get() {
                self.0.update(|n| *n += 1);
            }
        });
    }
}

/// The notice of the last change, if the address carries one.
fn done_banner() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || {
        query.read().get("done").map(|d| {
            view! { <div class="banner banner-ok" role="status">{done_message(&d)}</div> }
        })
    }
}
