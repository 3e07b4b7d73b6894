//! The staff console (`/staff`): the operator creates organizations and agreements; every staff
//! member sees the agreements they work on, each a link to its own page
//! (`/staff/agreements/:id`), where it is activated and gets workspaces and benefits. Every form
//! posts without JavaScript and lands on a page with `?done=…`.

mod agreement;
mod create;
mod forms;
mod list;

pub use agreement::StaffAgreementPage;

use crate::{
    accounts::pages::RequireUser,
    components::ErrorNotice,
    error::AppError,
    workspaces::{staff_console, CreateAgreementStaff, CreateOrganizationStaff, StaffConsole},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use create::{AgreementForm, OrganizationForm};
use list::AgreementTable;

/// Bumped after any change on the page, so its data is fetched again.
#[derive(Clone, Copy)]
struct Changes(RwSignal<u32>);

impl Changes {
    fn new() -> Self {
        Changes(RwSignal::new(0))
    }

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
    let console = Resource::new(
        move || (organization.version().get(), agreement.version().get()),
        |_| staff_console(),
    );
    let done = move || query.read().get("done");
    view! {
        <RequireUser>
            <main class="page" id="main">
                <h1>"Staff console"</h1>
                {move || done().map(|d| view! { <DoneNotice done=d /> })}
                <Transition fallback=|| view! { <p>"Loading the agreements…"</p> }>
                    {move || Suspend::new(async move {
                        match console.await {
                            Ok(data) => {
                                view! { <ConsoleView data organization agreement /> }.into_any()
                            }
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

/// The notice of the change a form just made (`?done=…` after its redirect).
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
        _ => "The change was saved.",
    };
    view! { <div class="banner banner-ok" role="status">{text}</div> }
}

#[component]
fn ConsoleView(
    data: StaffConsole,
    organization: ServerAction<CreateOrganizationStaff>,
    agreement: ServerAction<CreateAgreementStaff>,
) -> impl IntoView {
    let StaffConsole {
        role,
        is_operator,
        agreements,
        organizations,
        too_many_organizations,
        ..
    } = data;
    let empty = if is_operator {
        "There are no agreements yet. Create one with the form above."
    } else {
        "No agreement names you as its Customer Success Account Manager or Account Coordinator yet."
    };
    view! {
        <p>"You are signed in as " <strong>{role}</strong> "."</p>
        {is_operator
            .then(|| {
                view! {
                    <OrganizationForm action=organization />
                    <AgreementForm action=agreement organizations too_many_organizations />
                }
            })}
        <h2 id="agreements-heading">
            {if is_operator { "All agreements" } else { "Agreements assigned to you" }}
        </h2>
        <AgreementTable agreements empty />
    }
}
