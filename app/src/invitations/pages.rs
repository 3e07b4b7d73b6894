//! The invitation link's page: register, sign in or accept — and the refusals (forwarded link,
//! account-kind policy, expired, revoked, used) in words that say what to do.

use crate::{
    accounts::pages::SessionEpoch,
    accounts::{pages::encode, SignOut},
    components::{
        banner_message, field_messages, respond_with, ErrorBanner, ErrorNotice, TextField,
    },
    invitations::{
        invitation_preview, AcceptInvitation, InvitationDetails, PreviewStatus,
        RegisterFromInvitation,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let preview = Resource::new(token, invitation_preview);
    view! {
        <main class="auth-card" id="main">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(p) => {
                            view! {
                                <h1>"Your invitation"</h1>
                                <PreviewView preview=p token=token() />
                            }
                                .into_any()
                        }
                        Err(crate::error::AppError::NotFound) => {
                            respond_with(&crate::error::AppError::NotFound);
                            view! {
                                <h1>"Your invitation"</h1>
                                <p class="banner banner-error" role="alert">
                                    "This invitation link is not valid. Check that you opened the whole link from the email, or ask your administrator to send the invitation again."
                                </p>
                                <p><a href="/sign-in">"Sign in"</a></p>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn PreviewView(preview: InvitationDetails, token: String) -> impl IntoView {
    let intro = view! {
        <p>
            "You are invited to the workspace " <strong>{preview.workspace_name.clone()}</strong>
            " of " {preview.organization.clone()} " in Services Hub. This invitation is for "
            <strong>{preview.email.clone()}</strong> " and cannot be forwarded."
        </p>
    };
    let body = match preview.status {
        PreviewStatus::Used => {
            view! { <p class="banner banner-error" role="alert">"This invitation has already been used."</p> }
                .into_any()
        }
        PreviewStatus::Revoked => {
            view! {
                <p class="banner banner-error" role="alert">
                    "This invitation was revoked. Ask your administrator for a new one."
                </p>
            }
                .into_any()
        }
        PreviewStatus::Expired => {
            view! {
                <p class="banner banner-error" role="alert">
                    "This invitation has expired. Ask your administrator to send it again."
                </p>
            }
                .into_any()
        }
        PreviewStatus::Open => match (&preview.refused_by_policy, &preview.signed_in_as) {
            (Some(message), _) => {
                view! { <p class="banner banner-error" role="alert">{message.clone()}</p> }.into_any()
            }
            (None, Some(_)) if preview.matches => view! { <AcceptForm token /> }.into_any(),
            (None, Some(other)) => view! { <Forwarded invited=preview.email.clone() signed_in=other.clone() /> }
                .into_any(),
            (None, None) if preview.account_exists => {
                let next = format!("/invitations/accept?token={}", encode(&token));
                let href = format!(
                    "/sign-in?identifier={}&next={}",
                    encode(&preview.email),
                    encode(&next)
                );
                view! {
                    <p>"You already have an account with this address."</p>
                    <p><a class="button primary" href=href>"Sign in to accept"</a></p>
                }
                    .into_any()
            }
            (None, None) => {
                // Someone who already has an account (with this address, or who wants to check)
                // signs in and comes straight back here.
                let next = format!("/invitations/accept?token={}", encode(&token));
                let href = format!(
                    "/sign-in?identifier={}&next={}",
                    encode(&preview.email),
                    encode(&next)
                );
                view! {
                    <RegisterForm token email=preview.email.clone() kind=preview.new_account_kind.label() />
                    <p class="section">
                        <a href=href>"I already have an account — sign in"</a>
                    </p>
                }
                    .into_any()
            }
        },
    };
    view! { {intro} {body} }
}

#[component]
fn AcceptForm(token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ErrorBanner message=Signal::derive(move || error.get().map(|e| e.to_string())) />
        <ActionForm action attr:class="stack">
            <input type="hidden" name="token" value=token />
            <button type="submit" class="primary">"Accept invitation"</button>
        </ActionForm>
    }
}

#[component]
fn Forwarded(invited: String, signed_in: String) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let epoch = expect_context::<SessionEpoch>();
    Effect::new(move || {
        if let Some(Ok(())) = sign_out.value().get() {
            epoch.bump();
        }
    });
    view! {
        <p class="banner banner-error" role="alert">
            {format!(
                "This invitation was sent to {invited} and cannot be forwarded: you are signed in as {signed_in}. Only an account with the invited address can accept it; nothing was granted."
            )}
        </p>
        <ActionForm action=sign_out attr:class="inline">
            <button type="submit">"Sign out and use another account"</button>
        </ActionForm>
    }
}

const REGISTER_FIELDS: &[&str] = &["display_name", "password"];

#[component]
fn RegisterForm(token: String, email: String, kind: &'static str) -> impl IntoView {
    let action = ServerAction::<RegisterFromInvitation>::new();
    let epoch = expect_context::<SessionEpoch>();
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            epoch.bump();
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <h2>"Complete registration"</h2>
        <dl class="facts">
            <dt>"Sign-in email"</dt>
            <dd>{email}</dd>
            <dt>"Account kind"</dt>
            <dd>{kind}</dd>
        </dl>
        <ErrorBanner message=Signal::derive(move || {
            error.get().and_then(|e| banner_message(&e, REGISTER_FIELDS))
        }) />
        <ActionForm action attr:class="stack">
            <input type="hidden" name="token" value=token />
            <TextField
                label="Display name"
                name="display_name"
                autocomplete="name"
                required=true
                error=field("display_name")
            />
            <TextField
                label="Choose a password"
                name="password"
                input_type="password"
                autocomplete="new-password"
                required=true
                error=field("password")
            />
            <p class="hint">"8 to 128 characters; a common password is refused."</p>
            <button type="submit" class="primary">"Create account and accept"</button>
        </ActionForm>
    }
}
