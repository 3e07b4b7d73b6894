//! "Sign in" in three steps that each work without JavaScript: the identifier (a GET form, since
//! it changes nothing), the choice of account kind when an address has both, then the password.

use crate::{
    accounts::pages::SessionEpoch,
    accounts::{sign_in_options, types::AccountKind, AccountChoices, SignIn},
    components::{banner_message, field_messages, ErrorBanner, TextField},
    federation::pages::{DirectoryButton, DirectoryNotice},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let identifier = move || query.read().get("identifier").unwrap_or_default();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    let chosen = move || {
        query
            .read()
            .get("kind")
            .and_then(|k| AccountKind::parse(&k))
    };
    let options = Resource::new(identifier, |identifier| async move {
        if identifier.trim().is_empty() {
            Ok(None)
        } else {
            sign_in_options(identifier).await.map(Some)
        }
    });

    // A work address of a federated domain signs in at its directory (crate::federation), unless
    // a Global Administrator asks for the password (`password=1`), their way back in.
    let directory = Resource::new(identifier, |identifier| async move {
        if identifier.trim().is_empty() {
            Ok(false)
        } else {
            crate::federation::directory_for(identifier).await
        }
    });
    let password_asked = move || query.read().get("password").is_some_and(|v| v == "1");

    // Signing out lands here with `?signed_out=1`: the page says it happened.
    let signed_out = move || query.read().get("signed_out").is_some_and(|v| v == "1");
    view! {
        <main class="auth-card" id="main">
            <h1>"Sign in"</h1>
            {move || {
                signed_out()
                    .then(|| {
                        view! {
                            <div class="banner banner-ok" role="status">
                                "You have signed out. Sign in again to continue."
                            </div>
                        }
                    })
            }}
            <DirectoryNotice />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let federated = directory.await.unwrap_or(false) && !password_asked();
                    let step = match options.await {
                        Ok(None) => IdentifierStep(identifier(), next(), None).into_any(),
                        Err(error) => {
                            let message = error
                                .field_message("identifier")
                                .unwrap_or_else(|| error.to_string());
                            IdentifierStep(identifier(), next(), Some(message)).into_any()
                        }
                        Ok(Some(AccountChoices { kinds })) => {
                            match chosen().filter(|k| kinds.contains(k)) {
                                Some(kind) => PasswordOrDirectory(identifier(), kind, next(), federated),
                                None if kinds.len() > 1 => {
                                    KindChooser(identifier(), kinds, next()).into_any()
                                }
                                None => {
                                    let kind = kinds.first().copied().unwrap_or(AccountKind::Personal);
                                    PasswordOrDirectory(identifier(), kind, next(), federated)
                                }
                            }
                        }
                    };
                    step
                })}
            </Suspense>
        </main>
    }
}

#[allow(non_snake_case)]
fn IdentifierStep(identifier: String, next: String, error: Option<String>) -> impl IntoView {
    view! {
        <p>"Enter the email address or phone number of your account."</p>
        <form method="get" action="/sign-in" class="stack">
            <input type="hidden" name="next" value=next />
            <TextField
                label="Email address or phone number"
                name="identifier"
                input_type="text"
                value=identifier
                autocomplete="username"
                required=true
                autofocus=true
                error=Signal::derive(move || error.clone())
            />
            <button type="submit" class="primary">"Next"</button>
        </form>
    }
}

#[allow(non_snake_case)]
fn KindChooser(identifier: String, kinds: Vec<AccountKind>, next: String) -> impl IntoView {
    view! {
        <p>
            "It looks like " <strong>{identifier.clone()}</strong>
            " is used with more than one account. Which one do you want to use?"
        </p>
        <form method="get" action="/sign-in" class="chooser">
            <input type="hidden" name="identifier" value=identifier />
            <input type="hidden" name="next" value=next.clone() />
            {kinds
                .into_iter()
                .map(|kind| {
                    let explained = match kind {
                        AccountKind::Work => "Created for you by your organization's IT department; you use it at work or school.",
                        AccountKind::Personal => "Created by you for your own use, with an address such as outlook.com or gmail.com.",
                    };
                    view! {
                        <button type="submit" name="kind" value=kind.as_str() class="choice">
                            <span class="choice-name">{kind.label()}</span>
                            <span class="choice-hint">{explained}</span>
                        </button>
                    }
                })
                .collect_view()}
        </form>
        <p><a href=format!("/sign-in?next={}", encode(&next))>"Use another account"</a></p>
    }
}

#[allow(non_snake_case)]
fn PasswordStep(identifier: String, kind: AccountKind, next: String) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let epoch = expect_context::<SessionEpoch>();
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            epoch.bump();
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let change = format!("/sign-in?next={}", encode(&next));
    let forgot = if identifier.contains('@') {
        format!("/forgot-password?email={}", encode(&identifier))
    } else {
        "/forgot-password".to_owned()
    };
    view! {
        <p class="identity">
            <strong>{identifier.clone()}</strong>
            <span class="kind">{kind.label()}</span>
            <a href=change>"Use another account"</a>
        </p>
        <ErrorBanner message=Signal::derive(move || {
            error.get().and_then(|e| banner_message(&e, &["password", "identifier"]))
        }) />
        <ActionForm action=action attr:class="stack">
            <input type="hidden" name="identifier" value=identifier />
            <input type="hidden" name="kind" value=kind.as_str() />
            <input type="hidden" name="next" value=next />
            {move || {
                field("identifier")
                    .get()
                    .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
            }}
            <TextField
                label="Password"
                name="password"
                input_type="password"
                autocomplete="current-password"
                required=true
                autofocus=true
                error=field("password")
            />
            <button type="submit" class="primary">"Sign in"</button>
        </ActionForm>
        // Forgot your password? (accounts::passwords): the address travels along, to save typing.
        <p><a href=forgot>"Forgot your password?"</a></p>
    }
}

/// A work account of a federated domain: the directory first, the password only on request
/// (a Global Administrator's way back in; the server refuses it to everyone else).
#[allow(non_snake_case)]
fn PasswordOrDirectory(
    identifier: String,
    kind: AccountKind,
    next: String,
    federated: bool,
) -> AnyView {
    if !(federated && kind == AccountKind::Work) {
        return PasswordStep(identifier, kind, next).into_any();
    }
    let password = format!(
        "/sign-in?identifier={}&kind=work&password=1&next={}",
        encode(&identifier),
        encode(&next)
    );
    let change = format!("/sign-in?next={}", encode(&next));
    view! {
        <p class="identity">
            <strong>{identifier.clone()}</strong>
            <span class="kind">{kind.label()}</span>
            <a href=change>"Use another account"</a>
        </p>
        <p>"Your organization signs you in through its directory."</p>
        <DirectoryButton email=identifier next />
        <p class="hint">"Global Administrator? " <a href=password>"Sign in with your password"</a></p>
    }
    .into_any()
}

/// Percent-encodes a query value (the `next` path).
pub fn encode(value: &str) -> String {
    urlencoding::encode(value).into_owned()
}
