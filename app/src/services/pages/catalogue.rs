//! "Sign up for services": the public catalogue. A Global or Billing Administrator takes an
//! offer here; a visitor goes on to sign their organization up.

use super::done_banner;
use crate::{
    components::{banner_message, field_messages, ErrorBanner, ErrorNotice, TextField},
    services::{catalogue, CatalogueData, Offer, TakeOffer},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| catalogue());
    view! {
        <main class="page" id="main">
            <h1>"Sign up for services"</h1>
            <p class="lead">
                "The services your provider offers. Try one free where a trial is offered, or buy licenses for your organization."
            </p>
            {done_banner()}
            <Suspense fallback=|| view! { <p>"Loading the catalogue…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <Offers data /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Offers(data: CatalogueData) -> impl IntoView {
    if data.offers.is_empty() {
        return view! {
            <p class="empty">"Nothing is offered yet. Your provider's operator adds offers here."</p>
        }
        .into_any();
    }
    let note = if data.must_confirm {
        Some("Confirm your email address with the link we mailed you before buying. You can start trials now.")
    } else if data.signed_in && !data.can_buy {
        Some("Only your organization's Global Administrators and Billing Administrators can take offers.")
    } else {
        None
    };
    view! {
        {note.map(|n| view! { <div class="banner" role="note">{n}</div> })}
        <ul class="offers">
            {data
                .offers
                .into_iter()
                .map(|offer| view! { <OfferCard offer can_buy=data.can_buy signed_in=data.signed_in /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn OfferCard(offer: Offer, can_buy: bool, signed_in: bool) -> impl IntoView {
    let heading = format!("offer-{}", offer.id);
    let labelled_by = heading.clone();
    let trial = (offer.trial_days > 0).then(|| format!("Free trial: {} days", offer.trial_days));
    let actions = if can_buy {
        view! { <TakeForms offer=offer.clone() /> }.into_any()
    } else if !signed_in {
        let href = format!("/sign-up?offer={}", offer.id);
        let text = if offer.trial_days > 0 {
            "Try it free: sign your organization up"
        } else {
            "Sign your organization up"
        };
        view! {
            <p>
                <A href=href attr:class="button primary">{text}</A>
                " "
                <A href="/sign-in?next=%2Fcatalogue">"Sign in"</A>
                " if your organization has an account."
            </p>
        }
        .into_any()
    } else {
        ().into_any()
    };
    view! {
        <li class="card offer" aria-labelledby=labelled_by>
            <h2 id=heading>{offer.name.clone()}</h2>
            <p class="hint">{offer.service.clone()}</p>
            <p>{offer.description.clone()}</p>
            <p class="price">{offer.price_label()}</p>
            {trial.map(|t| view! { <p>{t}</p> })}
            {offer.volume.then(|| view! { <p>"Volume license agreement"</p> })}
            {actions}
        </li>
    }
}

/// The trial button and the purchase form of one offer, each with its own action so an error
/// shows under this offer only.
#[component]
fn TakeForms(offer: Offer) -> impl IntoView {
    let trial = ServerAction::<TakeOffer>::new();
    let buy = ServerAction::<TakeOffer>::new();
    let buy_error = Signal::derive(move || buy.value().get().and_then(Result::err));
    let trial_error = Signal::derive(move || trial.value().get().and_then(Result::err));
    let field = field_messages(buy_error);
    let form = format!("offer-{}", offer.id);
    let id = offer.id.to_string();
    let trial_name = format!(" of {}", offer.name);
    let buy_name = format!(" {}", offer.name);
    view! {
        <ErrorBanner message=Signal::derive(move || {
            trial_error.get().map(|e| e.to_string()).or_else(|| buy_error.get().and_then(|e| banner_message(&e, &["quantity"])))
        }) />
        {(offer.trial_days > 0).then(|| {
            let id = id.clone();
            view! {
                <ActionForm action=trial attr:class="inline">
                    <input type="hidden" name="offer_id" value=id />
                    <input type="hidden" name="trial" value="true" />
                    <input type="hidden" name="quantity" value="" />
                    <button type="submit">
                        "Start free trial" <span class="visually-hidden">{trial_name}</span>
                    </button>
                </ActionForm>
            }
        })}
        <ActionForm action=buy attr:class="stack">
            <input type="hidden" name="offer_id" value=id />
            <input type="hidden" name="trial" value="false" />
            <TextField label="Number of licenses" name="quantity" input_type="number" value="1" form=form error=field("quantity") />
            <button type="submit" class="primary">
                "Buy" <span class="visually-hidden">{buy_name}</span>
            </button>
        </ActionForm>
    }
}
