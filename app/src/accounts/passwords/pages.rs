//! "Forgot your password?" and the page a mailed password link opens. Both are plain forms that
//! work without JavaScript; the link's page changes nothing until its form is posted (a mail
//! scanner that follows the link uses nothing up).

use super::{password_link, Purpose, RequestPasswordReset, SetNewPassword};
use crate::components::{banner_message, field_messages, ErrorBanner, TextField};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The answer, whether or not the address has an account.
pub const SENT: &str = "If an account uses this address, we've sent it a link to choose a new \
    password. The link works once, for one hour. Check your spam folder if nothing arrives.";

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some_and(|v| v == "1");
    let directory = move || query.read().get("directory").filter(|d| !d.is_empty());
    let email = move || query.read().get("email").unwrap_or_default();
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <main class="auth-card" id="main">
            <h1>"Forgot your password?"</h1>
            {move || {
                directory()
                    .map(|domain| {
                        view! {
                            <div class="banner banner-warn" role="status">
                                <p>
                                    "Work accounts of " <strong>{domain}</strong>
                                    " sign in through their organization's directory. Reset your password there, or ask your IT department."
                                </p>
                                <p>
                                    "A Global Administrator keeps a password for Services Hub: if that is you, we've sent you a link."
                                </p>
                            </div>
                        }
                    })
            }}
            {move || {
                (sent() && directory().is_none())
                    .then(|| view! { <div class="banner banner-ok" role="status">{SENT}</div> })
            }}
            <p>"Enter the email address of your account. We'll send you a link to choose a new password."</p>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["email"]))
            }) />
            <ActionForm action=action attr:class="stack">
                <TextField
                    label="Email address"
                    name="email"
                    input_type="email"
                    value=email()
                    autocomplete="email"
                    required=true
                    autofocus=true
                    error=field("email")
                />
                <button type="submit" class="primary">"Send me a link"</button>
            </ActionForm>
            <p><a href="/sign-in">"Back to sign in"</a></p>
        </main>
    }
}

/// `/reset-password?token=…` and `/set-password?token=…`: one page, worded by what the link is
/// for (read from the link itself, not from the address bar).
#[component]
pub fn PasswordLinkPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let done = move || query.read().get("done").is_some_and(|v| v == "1");
    let sign_in = move || {
        let q = query.read();
        format!(
            "/sign-in?identifier={}&kind={}",
            urlencoding::encode(&q.get("identifier").unwrap_or_default()),
            urlencoding::encode(&q.get("kind").unwrap_or_default())
        )
    };
    let link = Resource::new(token, |token| async move {
        if token.is_empty() {
            Ok(None)
        } else {
            password_link(token).await
        }
    });
    view! {
        <main class="auth-card" id="main">
            <Show
                when=done
                fallback=move || {
                    view! {
                        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                            {move || Suspend::new(async move {
                                match link.await {
                                    Ok(Some(purpose)) => {
                                        PasswordForm(token(), purpose).into_any()
                                    }
                                    Ok(None) => DeadLink().into_any(),
                                    Err(error) => {
                                        view! {
                                            <h1>"Choose a password"</h1>
                                            <div class="banner banner-error" role="alert">
                                                {error.to_string()}
                                            </div>
                                        }
                                            .into_any()
                                    }
                                }
                            })}
                        </Suspense>
                    }
                }
            >
                <h1>"Your password is set"</h1>
                <div class="banner banner-ok" role="status">
                    "Your new password works now. Every session of your account was signed out: sign in with the new password."
                </div>
                <p><a class="button primary" href=sign_in>"Sign in"</a></p>
            </Show>
        </main>
    }
}

#[allow(non_snake_case)]
fn DeadLink() -> impl IntoView {
    view! {
        <h1>"This link no longer works"</h1>
        <div class="banner banner-error" role="alert">
            "This link has expired or was already used. A reset link works once, for one hour."
        </div>
        <p><a href="/forgot-password">"Ask for a new link"</a></p>
    }
}

#[allow(non_snake_case)]
fn PasswordForm(token: String, purpose: Purpose) -> impl IntoView {
    let action = ServerAction::<SetNewPassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let (title, intro) = match purpose {
        Purpose::Reset => (
            "Choose a new password",
            "Setting a new password signs your account out everywhere.",
        ),
        Purpose::Welcome => (
            "Set your password",
            "Welcome to Services Hub. Choose the password you will sign in with.",
        ),
    };
    view! {
        <h1>{title}</h1>
        <p>{intro}</p>
        <ErrorBanner message=Signal::derive(move || {
            error.get().and_then(|e| banner_message(&e, &["new_password", "confirm_password"]))
        }) />
        {move || {
            error
                .get()
                .filter(|e| matches!(e, crate::error::AppError::Conflict(_)))
                .map(|_| view! { <p><a href="/forgot-password">"Ask for a new link"</a></p> })
        }}
        <ActionForm action=action attr:class="stack">
            <input type="hidden" name="token" value=token />
            <TextField
                label="New password"
                name="new_password"
                input_type="password"
                autocomplete="new-password"
                required=true
                autofocus=true
                error=field("new_password")
                hint="8 to 128 characters; any characters, spaces too. Common passwords are refused."
            />
            <TextField
                label="Type it again"
                name="confirm_password"
                input_type="password"
                autocomplete="new-password"
                required=true
                error=field("confirm_password")
            />
            <button type="submit" class="primary">"Save password"</button>
        </ActionForm>
    }
}
