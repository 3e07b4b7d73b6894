//! One agreement on the console, with what its staff may do: activate it, add workspaces and
//! benefits.

use crate::{
    components::{banner_message, field_messages, ErrorBanner, SelectField, TextField},
    workspaces::{
        ActivateAgreement, AddBenefit, AgreementStatus, BenefitKind, ConsoleAgreement,
        CreateWorkspace,
    },
};
use leptos::prelude::*;
use leptos_router::components::A;

use super::{last_error, Changes};

const WORKSPACE_FIELDS: &[&str] = &["name", "admin_email"];
const BENEFIT_FIELDS: &[&str] = &["workspace_id", "kind", "name", "allotment"];

#[component]
pub(super) fn AgreementCard(
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
