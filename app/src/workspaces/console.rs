//! The staff console (`/staff`): the operator creates organizations and agreements and
//! activates them; an agreement's CSAM or AC activates it, adds workspaces and benefits. Every
//! form posts without JavaScript and lands back here with `?done=…`.

use crate::{
    accounts::pages::RequireUser,
    components::{
        banner_message, described_by, field_messages, ErrorBanner, ErrorNotice, FieldMessage,
        SelectField, TextField,
    },
    error::AppError,
    workspaces::{
        staff_console, ActivateAgreement, AddBenefit, AgreementStatus, BenefitKind,
        ConsoleAgreement, CreateAgreementStaff, CreateOrganizationStaff, CreateWorkspace,
        StaffConsole,
    },
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

const ORGANIZATION_FIELDS: &[&str] = &["name", "domain"];
const AGREEMENT_FIELDS: &[&str] = &[
    "organization",
    "type",
    "services_admin",
    "support_contact",
    "csam",
    "ac",
    "contact_limit",
    "start",
    "end",
    "benefit_kind",
    "benefit_name",
    "benefit_allotment",
];
const WORKSPACE_FIELDS: &[&str] = &["name", "admin_email"];
const BENEFIT_FIELDS: &[&str] = &["workspace_id", "kind", "name", "allotment"];

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

#[component]
fn OrganizationForm(action: ServerAction<CreateOrganizationStaff>) -> impl IntoView {
    let error = last_error(action);
    let field = field_messages(error);
    view! {
        <section class="card" aria-labelledby="organization-heading">
            <h2 id="organization-heading">"New organization"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, ORGANIZATION_FIELDS))
            }) />
            <ActionForm action attr:class="stack">
                <TextField
                    label="Organization name"
                    name="name"
                    form="organization"
                    autocomplete="off"
                    required=true
                    error=field("name")
                />
                <TextField
                    label="Email domain"
                    name="domain"
                    form="organization"
                    autocomplete="off"
                    hint="The domain of the organization's work accounts, for example contoso.com."
                    required=true
                    error=field("domain")
                />
                <button type="submit" class="primary">"Create organization"</button>
            </ActionForm>
        </section>
    }
}

/// A labelled, empty textarea for a list of addresses (never pre-filled with untrusted text).
#[component]
fn AddressListField(
    label: &'static str,
    name: &'static str,
    hint: &'static str,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = described_by(&hint_id, hint, &error_id, error);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                rows="2"
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            ></textarea>
            <p class="hint" id=hint_id>{hint}</p>
            <FieldMessage id=error_id error />
        </div>
    }
}

#[component]
fn AgreementForm(action: ServerAction<CreateAgreementStaff>) -> impl IntoView {
    let error = last_error(action);
    let field = field_messages(error);
    let types = vec![
        ("unified".to_owned(), "Unified".to_owned()),
        ("premier".to_owned(), "Premier".to_owned()),
    ];
    // The service names a bad benefit by its part; both benefits are in one group here.
    let benefit_error = Signal::derive(move || {
        error.get().and_then(|e| {
            ["benefit_allotment", "benefit_kind", "benefit_name"]
                .into_iter()
                .find_map(|f| e.field_message(f))
        })
    });
    view! {
        <section class="card" aria-labelledby="agreement-heading">
            <h2 id="agreement-heading">"New agreement"</h2>
            <p class="hint">
                "The agreement starts as a draft; activating it creates its Default Workspace and invites its people."
            </p>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, AGREEMENT_FIELDS))
            }) />
            <ActionForm action attr:class="stack">
                <TextField
                    label="Organization"
                    name="organization"
                    autocomplete="off"
                    hint="The organization's name, exactly as it was created."
                    required=true
                    error=field("organization")
                />
                <SelectField
                    label="Agreement type"
                    name="agreement_type"
                    options=types
                    selected="unified"
                    error=field("type")
                />
                <AddressListField
                    label="Services Administrators"
                    name="services_admins"
                    hint="Email addresses, separated by commas or on separate lines. At least one."
                    required=true
                    error=field("services_admin")
                />
                <AddressListField
                    label="Named support contacts"
                    name="support_contacts"
                    hint="Email addresses, separated by commas or on separate lines. Optional."
                    error=field("support_contact")
                />
                <TextField
                    label="Customer Success Account Manager"
                    name="csam"
                    input_type="email"
                    autocomplete="off"
                    hint="The email address of a staff account with the CSAM role. Optional."
                    error=field("csam")
                />
                <TextField
                    label="Account Coordinator"
                    name="ac"
                    input_type="email"
                    autocomplete="off"
                    hint="The email address of a staff account with the AC role. Optional."
                    error=field("ac")
                />
                <TextField
                    label="Support contact limit"
                    name="contact_limit"
                    input_type="number"
                    value="5"
                    hint="How many support contacts the agreement allows, 1 to 1000."
                    required=true
                    error=field("contact_limit")
                />
                <TextField
                    label="Start date"
                    name="start"
                    input_type="date"
                    hint="YYYY-MM-DD. Empty: today."
                    error=field("start")
                />
                <TextField
                    label="End date"
                    name="end"
                    input_type="date"
                    hint="YYYY-MM-DD. Empty: a year after the start."
                    error=field("end")
                />
                <fieldset class="stack">
                    <legend>"Benefits (leave empty for none)"</legend>
                    <TextField
                        label="Reactive support hours"
                        name="reactive_hours"
                        input_type="number"
                        error=Signal::derive(|| None::<String>)
                    />
                    <TextField
                        label="Proactive service credits"
                        name="proactive_credits"
                        input_type="number"
                        error=Signal::derive(|| None::<String>)
                    />
                    <FieldMessage id="field-benefits-error".to_owned() error=benefit_error />
                </fieldset>
                <button type="submit" class="primary">"Create agreement"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AgreementCard(
    agreement: ConsoleAgreement,
    is_operator: bool,
    is_agreement_staff: bool,
    changes: Changes,
) -> impl IntoView {
    let id = agreement.id;
    let heading = format!("agreement-{id}");
    let labelled = heading.clone();
    let title = format!(
        "{} — {} agreement #{id}",
        agreement.organization,
        agreement.agreement_type.label()
    );
    let workspaces = if agreement.workspaces.is_empty() {
        view! { <dd>"None yet"</dd> }.into_any()
    } else {
        view! {
            <dd>
                <ul>
                    {agreement
                        .workspaces
                        .iter()
                        .map(|w| {
                            let name = w.name.clone();
                            if is_agreement_staff {
                                view! {
                                    <li>
                                        <A href=format!("/workspaces/{}", w.id)>{name}</A>
                                    </li>
                                }
                                    .into_any()
                            } else {
                                view! { <li>{name}</li> }.into_any()
                            }
                        })
                        .collect_view()}
                </ul>
            </dd>
        }
        .into_any()
    };
    let draft = agreement.status == AgreementStatus::Draft;
    let active = agreement.status == AgreementStatus::Active;
    let can_activate = draft && (is_operator || is_agreement_staff);
    let who = agreement.organization.clone();
    view! {
        <section class="card" aria-labelledby=labelled>
            <h3 id=heading>{title}</h3>
            <dl class="facts">
                <dt>"Status"</dt>
                <dd>{agreement.status.label()}</dd>
                <dt>"Term"</dt>
                <dd>{format!("{} to {}", agreement.starts_on, agreement.ends_on)}</dd>
                <dt>"Support contact limit"</dt>
                <dd>{agreement.contact_limit}</dd>
                <dt>"Workspaces"</dt>
                {workspaces}
            </dl>
            {can_activate.then(|| view! { <ActivateForm id who=who.clone() changes /> })}
            {(is_agreement_staff && active)
                .then(|| view! { <WorkspaceForm id changes /> })}
            {(is_agreement_staff && !agreement.workspaces.is_empty())
                .then(|| {
                    let options = agreement
                        .workspaces
                        .iter()
                        .map(|w| (w.id.to_string(), w.name.clone()))
                        .collect::<Vec<_>>();
                    view! { <BenefitForm id options changes /> }
                })}
        </section>
    }
}

#[component]
fn ActivateForm(id: i64, who: String, changes: Changes) -> impl IntoView {
    let action = ServerAction::<ActivateAgreement>::new();
    changes.after_success(action);
    let error = last_error(action);
    view! {
        <ErrorBanner message=Signal::derive(move || error.get().map(|e| e.to_string())) />
        <ActionForm action attr:class="inline">
            <input type="hidden" name="agreement_id" value=id.to_string() />
            <button type="submit" class="primary">
                "Activate agreement"
                <span class="visually-hidden">{format!(" of {who}")}</span>
            </button>
        </ActionForm>
    }
}

#[component]
fn WorkspaceForm(id: i64, changes: Changes) -> impl IntoView {
    let action = ServerAction::<CreateWorkspace>::new();
    changes.after_success(action);
    let error = last_error(action);
    let field = field_messages(error);
    let form = format!("workspace-{id}");
    let heading = format!("{form}-heading");
    let labelled = heading.clone();
    view! {
        <div class="section" role="group" aria-labelledby=labelled>
            <h4 id=heading>"Add a workspace"</h4>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, WORKSPACE_FIELDS))
            }) />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="agreement_id" value=id.to_string() />
                <TextField
                    label="Workspace name"
                    name="name"
                    form=form.clone()
                    autocomplete="off"
                    required=true
                    error=field("name")
                />
                <TextField
                    label="Workspace Administrator's email address"
                    name="admin_email"
                    input_type="email"
                    form=form.clone()
                    autocomplete="off"
                    hint="This person is invited as the new workspace's administrator."
                    required=true
                    error=field("admin_email")
                />
                <button type="submit" class="primary">"Create workspace"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn BenefitForm(id: i64, options: Vec<(String, String)>, changes: Changes) -> impl IntoView {
    let action = ServerAction::<AddBenefit>::new();
    changes.after_success(action);
    let error = last_error(action);
    let field = field_messages(error);
    let form = format!("benefit-{id}");
    let heading = format!("{form}-heading");
    let labelled = heading.clone();
    let selected = options.first().map(|o| o.0.clone()).unwrap_or_default();
    let kinds = BenefitKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect::<Vec<_>>();
    view! {
        <div class="section" role="group" aria-labelledby=labelled>
            <h4 id=heading>"Add a benefit"</h4>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, BENEFIT_FIELDS))
            }) />
            <ActionForm action attr:class="stack">
                <SelectField
                    label="Workspace"
                    name="workspace_id"
                    options
                    selected
                    form=form.clone()
                    error=field("workspace_id")
                />
                <SelectField
                    label="Kind"
                    name="kind"
                    options=kinds
                    selected="add_on"
                    form=form.clone()
                    error=field("kind")
                />
                <TextField
                    label="Benefit name"
                    name="name"
                    form=form.clone()
                    autocomplete="off"
                    required=true
                    error=field("name")
                />
                <TextField
                    label="Allotment"
                    name="allotment"
                    input_type="number"
                    form=form.clone()
                    hint="Hours, credits or units: a whole number from 0 to 100000."
                    required=true
                    error=field("allotment")
                />
                <button type="submit" class="primary">"Add benefit"</button>
            </ActionForm>
        </div>
    }
}
