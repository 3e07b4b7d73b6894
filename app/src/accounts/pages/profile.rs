//! "Edit Profile": the signed-in user's own name, phone, language, time zone and the email
//! address that receives notices (which may differ from the sign-in address).

use crate::{
    accounts::pages::{RequireUser, SessionEpoch},
    accounts::{
        my_profile,
        types::{LANGUAGES, TIME_ZONES},
        ChangePassword, Profile, SaveProfile,
    },
    components::{banner_message, field_messages, ErrorBanner, SelectField, TextField},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const FIELDS: &[&str] = &[
    "display_name",
    "phone",
    "language",
    "time_zone",
    "notification_email",
];

#[component]
pub fn ProfilePage(
    /// Parts of the page that other domains own (the licenses the person holds).
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    let state = profile_state();
    let change_password = ServerAction::<ChangePassword>::new();
    let children = StoredValue::new(children);
    view! {
        <RequireUser>
            <main class="page" id="main">
                <ProfileForm state />
                <super::password::ChangePasswordForm action=change_password />
                <section class="card" aria-labelledby="two-factor-heading">
                    <h2 id="two-factor-heading">"Two-step verification"</h2>
                    <p>"Ask for a code from an authenticator app as well as your password when you sign in."</p>
                    <p><a href="/profile/two-factor">"Manage two-step verification"</a></p>
                </section>
                {children.read_value().as_ref().map(|c| c())}
            </main>
        </RequireUser>
    }
}

/// The action and the profile are created once per page, outside the sign-in check's
/// suspense: that suspense renders its children more than once on the server, and a resource
/// created inside it would be fetched again each time.
#[derive(Clone, Copy)]
struct ProfileState {
    action: ServerAction<SaveProfile>,
    profile: Resource<Result<Profile, crate::error::AppError>>,
}

fn profile_state() -> ProfileState {
    let action = ServerAction::<SaveProfile>::new();
    let saves = RwSignal::new(0u32);
    let profile = Resource::new(move || saves.get(), |_| my_profile());
    // Here, not in the form: the form is re-created when the header's user refetches, and an
    // effect created with it would see the same success again and loop.
    let epoch = expect_context::<SessionEpoch>();
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            saves.update(|n| *n += 1);
            epoch.bump();
        }
    });
    ProfileState { action, profile }
}

#[component]
fn ProfileForm(state: ProfileState) -> impl IntoView {
    let ProfileState { action, profile } = state;
    let query = use_query_map();
    let saved = move || {
        matches!(action.value().get(), Some(Ok(())))
            || (action.value().get().is_none() && query.read().get("saved").is_some())
    };
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    // Quick step 2 after registering from an invitation: "Complete your profile", then on.
    let welcome = query.read_untracked().get("welcome").is_some();
    let next = StoredValue::new(query.read_untracked().get("next").unwrap_or_default());

    view! {
        <section aria-labelledby="profile-heading">
            <h1 id="profile-heading">{if welcome { "Complete your profile" } else { "Edit Profile" }}</h1>
            {welcome
                .then(|| {
                    view! {
                        <p>
                            "Welcome to Services Hub. Check your name, add a phone number, and choose the address that receives notices."
                        </p>
                    }
                })}
            {move || {
                saved()
                    .then(|| {
                        view! {
                            <div class="banner banner-ok" role="status">
                                "Your profile has been saved."
                            </div>
                        }
                    })
            }}
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, FIELDS))
            }) />
            <Suspense fallback=|| view! { <p>"Loading your profile…"</p> }>
                {move || Suspend::new(async move {
                    profile
                        .await
                        .map(|p: Profile| {
                            let languages = LANGUAGES
                                .iter()
                                .map(|(v, t)| ((*v).to_owned(), (*t).to_owned()))
                                .collect();
                            let zones = TIME_ZONES
                                .iter()
                                .map(|z| ((*z).to_owned(), (*z).replace('_', " ")))
                                .collect();
                            view! {
                                <dl class="facts">
                                    <dt>"Sign-in email"</dt>
                                    <dd>{p.email.clone()}</dd>
                                    <dt>"Account kind"</dt>
                                    <dd>{p.kind.label()}</dd>
                                </dl>
                                <ActionForm action=action attr:class="stack">
                                    <input type="hidden" name="next" value=next.get_value() />
                                    <TextField
                                        label="Display name"
                                        name="display_name"
                                        value=p.display_name
                                        autocomplete="name"
                                        required=true
                                        error=field("display_name")
                                    />
                                    <TextField
                                        label="Phone number"
                                        name="phone"
                                        input_type="tel"
                                        value=p.phone
                                        autocomplete="tel"
                                        error=field("phone")
                                    />
                                    <SelectField
                                        label="Language"
                                        name="language"
                                        options=languages
                                        selected=p.language
                                        error=field("language")
                                    />
                                    <SelectField
                                        label="Time zone"
                                        name="time_zone"
                                        options=zones
                                        selected=p.time_zone
                                        error=field("time_zone")
                                    />
                                    <TextField
                                        label="Notification email"
                                        name="notification_email"
                                        input_type="text"
                                        value=p.notification_email
                                        autocomplete="email"
                                        error=field("notification_email")
                                    />
                                    <p class="hint">
                                        "All notices from Services Hub go to this address. Leave it empty to use your sign-in email."
                                    </p>
                                    <button type="submit" class="primary">
                                        {if welcome { "Save and continue" } else { "Save profile" }}
                                    </button>
                                </ActionForm>
                            }
                        })
                })}
            </Suspense>
        </section>
    }
}
