//! The Federation page of an organization (Global Administrators): for each verified domain,
//! the directory's issuer, client id and secret, "Test sign-in" and the switch. Every form
//! posts, so the page works before hydration too. "Test sign-in" is a plain link to
//! /federation/test (`rel="external"`: the server answers it, not the router), since it leaves
//! for the directory's own sign-in page.

use crate::{
    components::{
        banner_message, field_messages, format_date_time, Breadcrumbs, Confirm, EmptyState,
        ErrorBanner, ErrorNotice, TableBox, TextField,
    },
    federation::{
        federation_data, DirectoryConnection, FederationSettings, SaveFederation, SwitchFederation,
        TestOutcome,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveFederation>,
    switch: ServerAction<SwitchFederation>,
}

#[component]
pub fn FederationPage() -> impl IntoView {
    let actions = Actions {
        save: ServerAction::new(),
        switch: ServerAction::new(),
    };
    let data = Resource::new(
        move || actions.save.version().get() + actions.switch.version().get(),
        |_| federation_data(),
    );
    view! {
        <main class="page" id="main">
            <Transition fallback=|| view! { <p>"Loading federation…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <FederationView data actions /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn FederationView(data: FederationSettings, actions: Actions) -> impl IntoView {
    let query = use_query_map();
    let done = move || {
        query.read().get("done").map(|d| match d.as_str() {
            "saved" => "The directory was saved.",
            "on" => "Federation is on: people of this domain now sign in at the directory.",
            "off" => "Federation is off: people of this domain sign in with their password.",
            _ => "Your change was saved.",
        })
    };
    let switch_error = Signal::derive(move || {
        actions
            .switch
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let body = if data.domains.is_empty() {
        view! {
            <EmptyState text="Your organization has no verified domain yet. Verify a domain on the Domains page first: only a verified domain can be federated." />
        }
        .into_any()
    } else {
        data.domains
            .into_iter()
            .map(|connection| view! { <DomainCard connection actions /> })
            .collect_view()
            .into_any()
    };
    view! {
        <Breadcrumbs trail=vec![(data.organization_name.clone(), "/services".to_owned())] here="Federation" />
        <h1>"Federation"</h1>
        <p class="hint">
            "Connect a verified domain to your organization's directory (OpenID Connect): people "
            "with an address of that domain then sign in there. Global Administrators can still "
            "sign in with their password, so someone can always get in."
        </p>
        <p>
            "Register this redirect URI with your directory: " <code>{data.callback_url.clone()}</code>
        </p>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <ErrorBanner message=switch_error />
        {body}
    }
}

#[component]
fn DomainCard(connection: DirectoryConnection, actions: Actions) -> impl IntoView {
    let id = connection.domain_id;
    let heading = format!("domain-{id}-heading");
    let status = match (connection.configured, connection.enabled) {
        (false, _) => "Not connected",
        (true, false) => "Connected, switched off",
        (true, true) => "On: people of this domain sign in at the directory",
    };
    view! {
        <section aria-labelledby=heading.clone() class="card">
            <h2 id=heading.clone()>{connection.domain.clone()}</h2>
            <p><strong>"Status: "</strong>{status}</p>
            <SaveForm connection=connection.clone() action=actions.save />
            {connection.configured.then(|| view! { <TestSignIn connection=connection.clone() /> })}
            {connection.configured.then(|| view! { <SwitchForm connection=connection.clone() action=actions.switch /> })}
        </section>
    }
}

#[component]
fn SaveForm(
    connection: DirectoryConnection,
    action: ServerAction<SaveFederation>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let form = format!("d{}", connection.domain_id);
    let secret_form = form.clone();
    let configured = connection.configured;
    // Counts successful saves.
    let saved = Memo::new(move |before: Option<&u32>| {
        let before = before.copied().unwrap_or(0);
        match action.value().get() {
            Some(Ok(_)) => before + 1,
            _ => before,
        }
    });
    let check_id = format!("field-{form}-create_accounts");
    let secret_hint = if connection.configured {
        "A secret is saved; it is never shown again. Enter a new one to replace it, or leave this empty."
    } else {
        "Kept sealed: it is never shown again."
    };
    view! {
        <ErrorBanner message=Signal::derive(move || {
            error.get().and_then(|e| banner_message(&e, &["issuer", "client_id", "client_secret"]))
        }) />
        <ActionForm action attr:class="stack">
            <input type="hidden" name="domain_id" value=connection.domain_id.to_string() />
            <TextField label="Issuer URL" name="issuer" input_type="url" value=connection.issuer.clone()
                required=true error=field("issuer") form=form.clone()
                hint="As the directory publishes it, e.g. https://login.example.com/tenant" />
            <TextField label="Client id" name="client_id" value=connection.client_id.clone()
                required=true error=field("client_id") form=form.clone() />
            // Drawn anew after each successful save, so the secret typed does not linger in
            // the hydrated page's field (without JavaScript the page reloads anyway).
            {move || {
                saved.get();
                view! {
                    <TextField label="Client secret" name="client_secret" input_type="password"
                        autocomplete="new-password" required=!configured
                        error=field("client_secret") form=secret_form.clone() hint=secret_hint />
                }
            }}
            <div class="field checkbox">
                <input type="checkbox" id=check_id.clone() name="create_accounts" value="on"
                    checked=connection.create_accounts />
                <label for=check_id>"Create accounts on first sign-in"</label>
            </div>
            <button type="submit" class="primary">"Save the directory"</button>
        </ActionForm>
    }
}

/// "Test sign-in": the administrator signs in at the directory; the claims come back here.
#[component]
fn TestSignIn(connection: DirectoryConnection) -> impl IntoView {
    let query = use_query_map();
    let domain_id = connection.domain_id;
    let just_tested = move || query.read().get("tested") == Some(domain_id.to_string());
    let outcome = connection.last_test.clone();
    view! {
        <p>
            <a class="button" rel="external" href=format!("/federation/test?domain_id={domain_id}")>
                {format!("Test sign-in for {}", connection.domain)}
            </a>
        </p>
        <p class="hint">"Nothing is switched on and no account is linked by a test."</p>
        {move || just_tested().then(|| view! { <div class="banner banner-ok" role="status">"The test sign-in came back: see its result below."</div> })}
        {outcome.map(|outcome| view! { <TestResult outcome domain_id /> })}
    }
}

#[component]
fn TestResult(outcome: TestOutcome, domain_id: i64) -> impl IntoView {
    let when = format_date_time(outcome.at);
    if let Some(error) = outcome.error {
        return view! {
            <p role="status">{format!("The last test sign-in ({when}) failed: {error}")}</p>
        }
        .into_any();
    }
    view! {
        <h3 id=format!("claims-{domain_id}")>{format!("Claims from the last test sign-in ({when})")}</h3>
        <TableBox label="Claims from the last test sign-in">
            <table class="data" aria-labelledby=format!("claims-{domain_id}")>
                <thead><tr><th scope="col">"Claim"</th><th scope="col">"Value"</th></tr></thead>
                <tbody>
                    {outcome.claims.into_iter().map(|(name, value)| view! {
                        <tr><th scope="row">{name}</th><td>{value}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
    .into_any()
}

#[component]
fn SwitchForm(
    connection: DirectoryConnection,
    action: ServerAction<SwitchFederation>,
) -> impl IntoView {
    let domain = connection.domain.clone();
    let id = connection.domain_id;
    let (ask, key, question, consequence, value) = if connection.enabled {
        (
            "Switch off",
            format!("off-{id}"),
            format!("Switch federation off for {domain}?"),
            "People of this domain sign in with a password again; those who never had one use \"Forgot your password?\".".to_owned(),
            "off",
        )
    } else {
        (
            "Switch on",
            format!("on-{id}"),
            format!("Switch federation on for {domain}?"),
            format!("From now on, people with an address at {domain} sign in at the directory. Run a test sign-in first."),
            "on",
        )
    };
    view! {
        <Confirm key ask what=domain.clone() question consequence>
            {
                let label = format!("{ask} federation for {domain}");
                view! {
                    <ActionForm action attr:class="inline">
                        <input type="hidden" name="domain_id" value=id.to_string() />
                        <input type="hidden" name="on" value=value />
                        <button type="submit" class="danger">{label}</button>
                    </ActionForm>
                }
            }
        </Confirm>
    }
}

/// On "Sign in": why a sign-in through the directory came back refused (`federation_error`).
#[component]
pub fn DirectoryNotice() -> impl IntoView {
    let query = use_query_map();
    let message = move || {
        query.read().get("federation_error").map(|reason| match reason.as_str() {
            "unreachable" => "Your organization's directory could not be reached. Try again later.",
            "outside_domain" => "Your directory did not give an address of your organization's domain, so you could not be signed in. Ask your administrator.",
            "account_exists" => "An account with your address already exists and could not be linked to your directory sign-in. Ask your administrator.",
            "no_account" => "You have no account yet, and your organization does not create accounts at sign-in. Ask your administrator to add you.",
            "disabled" => "Your account is disabled. Ask your administrator.",
            "expired" => "That sign-in has expired or was already used. Sign in again.",
            _ => "Your directory's sign-in could not be accepted. Sign in again, or ask your administrator.",
        })
    };
    view! { {move || message().map(|m| view! { <div class="banner banner-error" role="alert">{m}</div> })} }
}

/// On "Sign in", for an address of a federated domain: the way to the directory (a link the
/// server answers with a redirect there).
#[component]
pub fn DirectoryButton(email: String, next: String) -> impl IntoView {
    let href = format!(
        "/federation/start?email={}&next={}",
        urlencoding::encode(&email),
        urlencoding::encode(&next)
    );
    view! {
        <p>
            <a class="button primary" rel="external" href=href>
                "Sign in with your organization's directory"
            </a>
        </p>
    }
}
