//! "Change password", on the Edit Profile page.

use crate::{
    accounts::ChangePassword,
    components::{banner_message, field_messages, ErrorBanner, TextField},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ChangePasswordForm(action: ServerAction<ChangePassword>) -> impl IntoView {
    let query = use_query_map();
    let changed = move || {
        matches!(action.value().get(), Some(Ok(())))
            || (action.value().get().is_none() && query.read().get("password_changed").is_some())
    };
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <section aria-labelledby="password-heading" class="section">
            <h2 id="password-heading">"Change password"</h2>
            {move || {
                changed()
                    .then(|| {
                        view! {
                            <div class="banner banner-ok" role="status">
                                "Your password has been changed. Your other sessions were signed out."
                            </div>
                        }
                    })
            }}
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["current_password", "new_password"]))
            }) />
            <ActionForm action=action attr:class="stack">
                <TextField
                    label="Current password"
                    name="current_password"
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    error=field("current_password")
                />
                <TextField
                    label="New password"
                    name="new_password"
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    error=field("new_password")
                />
                <p class="hint">"8 to 128 characters; any characters, spaces too. Common passwords are refused."</p>
                <button type="submit" class="primary">"Change password"</button>
            </ActionForm>
        </section>
    }
}
