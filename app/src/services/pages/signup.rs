//! A visitor signs their organization up; the new Global Administrator confirms their address.

use crate::{
    components::{banner_message, field_messages, ErrorBanner, SelectField, TextField},
    services::{catalogue, ConfirmEmail, SignUp},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let chosen = move || query.read().get("offer").unwrap_or_default();
    let offers = Resource::new(|| (), |_| catalogue());
    let action = ServerAction::<SignUp>::new();
    // Signed in by the sign-up: the header and the pages read who is signed in again.
    let epoch = expect_context::<crate::accounts::pages::SessionEpoch>();
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            epoch.bump();
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <main class="page narrow" id="main">
            <h1>"Sign up your organization"</h1>
            <p class="lead">
                "Create your organization's account. You become its first Global Administrator. Use your work address: its domain becomes your organization's first domain."
            </p>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["organization", "name", "email", "password", "offer"]))
            }) />
            <ActionForm action attr:class="stack card">
                <Suspense fallback=|| view! { <p>"Loading offers…"</p> }>
                    {move || Suspend::new(async move {
                        let options: Vec<(String, String)> = offers
                            .await
                            .map(|c| c.offers)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|o| {
                                let trial = if o.trial_days > 0 {
                                    format!(" — free trial, {} days", o.trial_days)
                                } else {
                                    format!(" — {}", o.price_label())
                                };
                                (o.id.to_string(), format!("{}{trial}", o.name))
                            })
                            .collect();
                        view! {
                            <SelectField label="Offer" name="offer_id" options selected=chosen() error=field("offer") />
                        }
                    })}
                </Suspense>
                <TextField label="Organization name" name="organization" autocomplete="organization" required=true error=field("organization") />
                <TextField label="Your name" name="name" autocomplete="name" required=true error=field("name") />
                <TextField
                    label="Work email"
                    name="email"
                    input_type="email"
                    autocomplete="email"
                    required=true
                    error=field("email")
                    hint="We mail you a link to confirm it. Addresses of personal mail services are not accepted."
                />
                <TextField
                    label="Password"
                    name="password"
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    error=field("password")
                    hint="At least 8 characters, not a well-known password."
                />
                <button type="submit" class="primary">"Sign up"</button>
            </ActionForm>
            <p>"Already have an account? " <A href="/sign-in">"Sign in"</A></p>
        </main>
    }
}

/// The link of the confirmation mail opens this page; the button confirms (a link that changed
/// something by itself would be followed by mail scanners).
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let action = ServerAction::<ConfirmEmail>::new();
    let error = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    view! {
        <main class="page narrow" id="main">
            <h1>"Confirm your email address"</h1>
            <p>"Confirm the address you signed your organization up with. After that you can buy services."</p>
            <ErrorBanner message=error />
            <ActionForm action>
                <input type="hidden" name="token" value=token />
                <button type="submit" class="primary">"Confirm my address"</button>
            </ActionForm>
        </main>
    }
}
