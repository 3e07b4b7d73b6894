//! The operator's forms: a new organization and a new agreement.

use crate::{
    components::{
        banner_message, described_by, field_messages, EmptyState, ErrorBanner, FieldMessage,
        SelectField, TextField,
    },
    workspaces::{CreateAgreementStaff, CreateOrganizationStaff},
};
use leptos::prelude::*;

use super::last_error;

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

#[component]
pub(super) fn OrganizationForm(action: ServerAction<CreateOrganizationStaff>) -> impl IntoView {
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

/// The organization of a new agreement: a list of the existing ones by name (the value sent is
/// the name, as the command line takes it), or the name typed when there are too many to list.
#[component]
fn OrganizationChoice(
    organizations: Vec<String>,
    too_many: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    if too_many {
        return view! {
            <TextField
                label="Organization"
                name="organization"
                autocomplete="off"
                hint="The organization's name, exactly as it was created."
                required=true
                error
            />
        }
        .into_any();
    }
    let id = "field-organization";
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id>"Organization"</label>
            <select
                id=id
                name="organization"
                required=true
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            >
                // Nothing is chosen for the operator: an agreement for the wrong customer is
                // worse than a form that asks.
                <option value="">"Choose an organization"</option>
                {organizations
                    .into_iter()
                    .map(|name| {
                        let value = name.clone();
                        view! { <option value=value>{name}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=error_id error />
        </div>
    }
    .into_any()
}

#[component]
pub(super) fn AgreementForm(
    action: ServerAction<CreateAgreementStaff>,
    organizations: Vec<String>,
    too_many_organizations: bool,
) -> impl IntoView {
    if organizations.is_empty() && !too_many_organizations {
        return view! {
            <section class="card" aria-labelledby="agreement-heading">
                <h2 id="agreement-heading">"New agreement"</h2>
                <EmptyState text="An agreement belongs to an organization, and there is none yet. Create the organization first." />
            </section>
        }
        .into_any();
    }
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
                <OrganizationChoice
                    organizations
                    too_many=too_many_organizations
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
    .into_any()
}
