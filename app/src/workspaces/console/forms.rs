//! The forms of an agreement's page: activate it (after a question), add a workspace, add a
//! benefit to one of its workspaces. Each lands back on the agreement's page.

use crate::{
    components::{
        banner_message, count, field_messages, Confirm, ErrorBanner, SelectField, TextField,
    },
    workspaces::{ActivateAgreement, AddBenefit, AgreementType, BenefitKind, CreateWorkspace},
};
use leptos::prelude::*;

use super::{last_error, Changes};

const WORKSPACE_FIELDS: &[&str] = &["name", "admin_email"];
const BENEFIT_FIELDS: &[&str] = &["workspace_id", "kind", "name", "allotment"];

/// What activating does, in one sentence: who is invited comes from the agreement's named
/// people.
fn activation_consequence(admins: usize, contacts: usize) -> String {
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    let mut invited = Vec::new();
    if admins > 0 {
        invited.push(count(
            n(admins),
            "Services Administrator",
            "Services Administrators",
        ));
    }
    if contacts > 0 {
        invited.push(count(
            n(contacts),
            "named support contact",
            "named support contacts",
        ));
    }
    let who = if invited.is_empty() {
        "the people it names".to_owned()
    } else {
        format!("its {}", invited.join(" and "))
    };
    format!(
        "Its Default Workspace is created at once, its benefits are assigned to that workspace, and invitations are emailed to {who}. An active agreement cannot be set back to draft."
    )
}

/// "Activate agreement" asks first: the question names the organization and the agreement and
/// says what follows; the form that activates is inside it.
#[component]
pub(super) fn ActivateForm(
    id: i64,
    organization: String,
    agreement_type: AgreementType,
    admins: usize,
    contacts: usize,
    changes: Changes,
) -> impl IntoView {
    let action = ServerAction::<ActivateAgreement>::new();
    changes.after_success(action);
    let error = last_error(action);
    let what = format!("#{id} of {organization}");
    let question = format!(
        "Activate the {} agreement #{id} of {organization}?",
        agreement_type.label()
    );
    // The children are rendered each time the question opens: a copyable handle to the text.
    let hidden = StoredValue::new(format!(" {what}"));
    view! {
        <ErrorBanner message=Signal::derive(move || error.get().map(|e| e.to_string())) />
        <div class="page-actions">
            <Confirm
                key=format!("activate-{id}")
                ask="Activate agreement"
                what
                question
                consequence=activation_consequence(admins, contacts)
            >
                <ActionForm action attr:class="inline">
                    <input type="hidden" name="agreement_id" value=id.to_string() />
                    <button type="submit" class="primary">
                        "Activate agreement"
                        <span class="visually-hidden">{hidden.get_value()}</span>
                    </button>
                </ActionForm>
            </Confirm>
        </div>
    }
}

#[component]
pub(super) fn WorkspaceForm(id: i64, changes: Changes) -> impl IntoView {
    let action = ServerAction::<CreateWorkspace>::new();
    changes.after_success(action);
    let error = last_error(action);
    let field = field_messages(error);
    view! {
        <section class="card" aria-labelledby="workspace-form-heading">
            <h3 id="workspace-form-heading">"Add a workspace"</h3>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, WORKSPACE_FIELDS))
            }) />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="agreement_id" value=id.to_string() />
                <TextField
                    label="Workspace name"
                    name="name"
                    form="workspace"
                    autocomplete="off"
                    required=true
                    error=field("name")
                />
                <TextField
                    label="Workspace Administrator's email address"
                    name="admin_email"
                    input_type="email"
                    form="workspace"
                    autocomplete="off"
                    hint="This person is invited as the new workspace's administrator."
                    required=true
                    error=field("admin_email")
                />
                <button type="submit" class="primary">"Create workspace"</button>
            </ActionForm>
        </section>
    }
}

/// A benefit for one of the agreement's workspaces (`options`: their ids and names).
#[component]
pub(super) fn BenefitForm(options: Vec<(String, String)>, changes: Changes) -> impl IntoView {
    let action = ServerAction::<AddBenefit>::new();
    changes.after_success(action);
    let error = last_error(action);
    let field = field_messages(error);
    let selected = options.first().map(|o| o.0.clone()).unwrap_or_default();
    let kinds = BenefitKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect::<Vec<_>>();
    view! {
        <section class="card" aria-labelledby="benefit-form-heading">
            <h3 id="benefit-form-heading">"Add a benefit"</h3>
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, BENEFIT_FIELDS))
            }) />
            <ActionForm action attr:class="stack">
                <SelectField
                    label="Workspace"
                    name="workspace_id"
                    options
                    selected
                    form="benefit"
                    error=field("workspace_id")
                />
                <SelectField
                    label="Kind"
                    name="kind"
                    options=kinds
                    selected="add_on"
                    form="benefit"
                    error=field("kind")
                />
                <TextField
                    label="Benefit name"
                    name="name"
                    form="benefit"
                    autocomplete="off"
                    required=true
                    error=field("name")
                />
                <TextField
                    label="Allotment"
                    name="allotment"
                    input_type="number"
                    form="benefit"
                    hint="Hours, credits or units: a whole number from 0 to 100000."
                    required=true
                    error=field("allotment")
                />
                <button type="submit" class="primary">"Add benefit"</button>
            </ActionForm>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn activation_names_who_is_invited() {
        let text = super::activation_consequence(1, 2);
        assert!(
            text.contains("its 1 Services Administrator and 2 named support contacts."),
            "{text}"
        );
        let text = super::activation_consequence(2, 0);
        assert!(text.contains("its 2 Services Administrators."), "{text}");
    }
}
