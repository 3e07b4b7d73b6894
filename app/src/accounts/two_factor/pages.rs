//! "Two-step verification" (`/profile/two-factor`) and the sign-in's second step
//! (`/sign-in/verify`). Both are forms that post, so they work before hydration.

use crate::{
    accounts::{
        pages::{RequireUser, SessionEpoch},
        two_factor::{
            two_factor_status, ConfirmTwoFactor, DisableTwoFactor, NewRecoveryCodes,
            SecondFactorState, StartTwoFactor, VerifySecondFactor,
        },
    },
    components::{banner_message, field_messages, Confirm, ErrorBanner, TextField},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The second step of sign-in: the code from the app, or a recovery code.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let action = ServerAction::<VerifySecondFactor>::new();
    let epoch = expect_context::<SessionEpoch>();
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            epoch.bump();
        }
    });
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <main class="page narrow" id="main">
            <h1>"Two-step verification"</h1>
            <p>"Enter the six-digit code your authenticator app shows for Services Hub."</p>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["code"]))
            }) />
            <ActionForm action=action attr:class="stack">
                <input type="hidden" name="next" value=next />
                <TextField
                    label="Code"
                    name="code"
                    autocomplete="one-time-code"
                    required=true
                    autofocus=true
                    hint="Lost your device? Enter one of your recovery codes instead."
                    error=field("code")
                />
                <button type="submit" class="primary">"Verify"</button>
            </ActionForm>
            <p>
                "Signed in with the wrong account? "
                <a href="/sign-in?signed_out=1">"Start again"</a>
            </p>
        </main>
    }
}

/// Recovery codes, shown once after they are made.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="recovery-heading">
            <h2 id="recovery-heading">"Your recovery codes"</h2>
            <p>
                "Keep these somewhere safe. Each works once, instead of a code, if you lose your device. They are shown only now."
            </p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <p><a href="/profile/two-factor">"I have saved them"</a></p>
        </section>
    }
}

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let start = ServerAction::<StartTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let renew = ServerAction::<NewRecoveryCodes>::new();
    let status = Resource::new(
        move || {
            (
                start.version().get(),
                confirm.version().get(),
                disable.version().get(),
                renew.version().get(),
            )
        },
        |_| two_factor_status(),
    );
    let query = use_query_map();
    view! {
        <RequireUser>
            <main class="page" id="main">
                <h1>"Two-step verification"</h1>
                {move || {
                    query
                        .read()
                        .get("required")
                        .map(|_| {
                            view! {
                                <p class="notice" role="status">
                                    {super::REQUIRED_NOTICE}
                                </p>
                            }
                        })
                }}
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(s) => view! { <Status status=s start confirm disable renew /> }.into_any(),
                            Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </RequireUser>
    }
}

#[component]
fn Status(
    status: SecondFactorState,
    start: ServerAction<StartTwoFactor>,
    confirm: ServerAction<ConfirmTwoFactor>,
    disable: ServerAction<DisableTwoFactor>,
    renew: ServerAction<NewRecoveryCodes>,
) -> impl IntoView {
    if !status.new_recovery_codes.is_empty() {
        let codes = status.new_recovery_codes;
        return view! {
            <p class="notice" role="status">"Two-step verification is on."</p>
            <RecoveryCodes codes />
        }
        .into_any();
    }
    if status.enabled {
        let disable_error = Signal::derive(move || disable.value().get().and_then(Result::err));
        let renew_error = Signal::derive(move || renew.value().get().and_then(Result::err));
        let disable_field = field_messages(disable_error);
        let renew_field = field_messages(renew_error);
        let turn_off = (!status.required).then(|| {
            view! {
                <Confirm
                    key="two-factor-off"
                    ask="Turn off"
                    what="two-step verification"
                    question="Turn off two-step verification?"
                    consequence="Signing in will need only your password, and your recovery codes stop working."
                >
                    <ActionForm action=disable attr:class="stack">
                        <ErrorBanner message=Signal::derive(move || {
                            disable_error.get().and_then(|e| banner_message(&e, &["code"]))
                        }) />
                        <TextField label="Current code" name="code" form="off" autocomplete="one-time-code" required=true error=disable_field("code") />
                        <button type="submit" class="danger">"Turn off two-step verification"</button>
                    </ActionForm>
                </Confirm>
            }
        });
        return view! {
            <p>
                <strong>"Status: on."</strong>
                {format!(
                    " Signing in asks for a code from your authenticator app. Recovery codes left: {}.",
                    status.recovery_codes_left
                )}
            </p>
            {status.required.then(|| view! {
                <p class="hint">"Your account administers others, so two-step verification stays on."</p>
            })}
            <section class="card" aria-labelledby="renew-heading">
                <h2 id="renew-heading">"New recovery codes"</h2>
                <ErrorBanner message=Signal::derive(move || {
                    renew_error.get().and_then(|e| banner_message(&e, &["code"]))
                }) />
                <ActionForm action=renew attr:class="stack">
                    <TextField label="Current code" name="code" form="renew" autocomplete="one-time-code" required=true error=renew_field("code") hint="Your old recovery codes stop working." />
                    <button type="submit">"Make new recovery codes"</button>
                </ActionForm>
            </section>
            {turn_off}
        }
        .into_any();
    }
    match status.pending {
        Some(enrollment) => {
            let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
            let field = field_messages(error);
            view! {
                <p><strong>"Status: off."</strong> " Finish setting it up:"</p>
                <ol class="stack">
                    <li>"Open your authenticator app and add an account by scanning this QR code:"</li>
                </ol>
                <div class="qr-code" inner_html=enrollment.qr_svg></div>
                <p>
                    "Cannot scan it? Enter this key in the app instead: "
                    <code class="secret">{enrollment.secret}</code>
                </p>
                <ErrorBanner message=Signal::derive(move || {
                    error.get().and_then(|e| banner_message(&e, &["code"]))
                }) />
                <ActionForm action=confirm attr:class="stack">
                    <TextField label="Code from the app" name="code" form="confirm" autocomplete="one-time-code" required=true error=field("code") hint="Six digits; the app shows a new one every 30 seconds." />
                    <button type="submit" class="primary">"Turn on"</button>
                </ActionForm>
            }
            .into_any()
        }
        None => view! {
            <p>
                <strong>"Status: off."</strong>
                " With two-step verification, signing in asks for your password and a code from an authenticator app on your phone."
            </p>
            <ActionForm action=start attr:class="inline">
                <button type="submit" class="primary">"Set up"</button>
            </ActionForm>
        }
        .into_any(),
    }
}
