//! The staff console (`/staff`): the operator creates organizations and agreements and
//! activates them; an agreement's CSAM or AC activates it, adds workspaces and benefits. Every
//! form posts without JavaScript and lands back here with `?done=…`.

mod agreement;
mod create;

use crate::{
    accounts::pages::RequireUser,
    components::ErrorNotice,
    error::AppError,
    workspaces::{staff_console, CreateAgreementStaff, CreateOrganizationStaff, StaffConsole},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use agreement::AgreementCard;
use create::{AgreementForm, OrganizationForm};

/// Bumped after any change on the page, so the list of agreements is fetched again.
#[derive(Clone, Copy)]
struct Changes(RwSignal<u32>);

impl Changes {
    fn after_success<T>(self, action: ServerAction<T>)
    where
        T: leptos::server_fn::ServerFn<Output = (), Error = AppError>
            + Send
            + Sync
            + Clone
            + 'static,
    {
        Effect::new(move || {
            if let Some(Ok(())) = action.value().get() {
                self.0.update(|n| *n += 1);
            }
        });
    }
}

/// The error of an action's last call.
fn last_error<T>(action: ServerAction<T>) -> Signal<Option<AppError>>
where
    T: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Send + Sync + Clone + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

#[component]
pub fn StaffConsolePage() -> impl IntoView {
    let query = use_query_map();
    // Created here, outside the sign-in check's suspense, so each is fetched once per render.
    let organization = ServerAction::<CreateOrganizationStaff>::new();
    let agreement = ServerAction::<CreateAgreementStaff>::new();
    let changes = Changes(RwSignal::new(0));
    let console = Resource::new(
        move || {
            (
                organization.version().get(),
                agreement.version().get(),
                changes.0.get(),
            )
        },
        |_| staff_console(),
    );
    let done = move || query.read().get("done");
    view! {
        <RequireUser>
            <main class="page" id="main">
                <h1>"Staff console"</h1>
                {move || done().map(|d| view! { <DoneNotice done=d /> })}
                <Transition fallback=|| view! { <p>"Loading your agreements…"</p> }>
                    {move || Suspend::new(async move {
                        match console.await {
                            Ok(data) => {
                                view! { <ConsoleView data organization agreement changes /> }
                                    .into_any()
                            }
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

#[component]
fn DoneNotice(done: String) -> impl IntoView {
    let text = match done.as_str() {
        "organization" => "The organization was created.",
        "agreement" => {
            "The agreement was created as a draft. Activate it to create its Default Workspace and invite its people."
        }
        "activated" => {
            "The agreement is active: its Default Workspace was created and its Services Administrators and support contacts were invited."
        }
        "workspace" => "The workspace was created and its Workspace Administrator invited.",
        "benefit" => "The benefit was added to the workspace.",
        _ => "Your change was saved.",
    };
    view! { <div class="banner banner-ok" role="status">{text}</div> }
}

#[component]
fn ConsoleView(
    data: StaffConsole,
    organization: ServerAction<CreateOrganizationStaff>,
    agreement: ServerAction<CreateAgreementStaff>,
    changes: Changes,
) -> impl IntoView {
    let StaffConsole {
        role,
        is_operator,
        is_agreement_staff,
        agreements,
    } = data;
    let count = agreements.len();
    view! {
        <p>"You are signed in as " <strong>{role}</strong> "."</p>
        {is_operator
            .then(|| {
                view! {
                    <OrganizationForm action=organization />
                    <AgreementForm action=agreement />
                }
            })}
        <h2 id="agreements-heading">
            {if is_operator { "All agreements" } else { "Your agreements" }}
        </h2>
        {if agreements.is_empty() {
            view! {
                <p>
                    {if is_operator {
                        "There are no agreements yet."
                    } else {
                        "No agreement names you as its Customer Success Account Manager or Account Coordinator yet."
                    }}
                </p>
            }
                .into_any()
        } else {
            view! {
                <p class="hint">{format!("{count} agreements, newest first.")}</p>
                {agreements
                    .into_iter()
                    .map(|a| {
                        view! {
                            <AgreementCard
                                agreement=a
                                is_operator
                                is_agreement_staff
                                changes
                            />
                        }
                    })
                    .collect_view()}
            }
                .into_any()
        }}
    }
}
