//! One agreement's page in the staff console (`/staff/agreements/:id`): its facts and people,
//! its workspaces and benefits, and the forms of its staff: activate it, add a workspace, add a
//! benefit to a workspace.

use crate::{
    accounts::pages::RequireUser,
    components::{Breadcrumbs, EmptyState, ErrorNotice, TableBox},
    error::AppError,
    workspaces::{staff_agreement, AgreementBenefit, AgreementStatus, StaffAgreement},
};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

use super::{
    forms::{ActivateForm, BenefitForm, WorkspaceForm},
    list::{agreement_title, term},
    Changes, DoneNotice,
};

#[component]
pub fn StaffAgreementPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // 0 matches no agreement: a malformed id answers like a missing one.
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let changes = Changes::new();
    let agreement = Resource::new(
        move || (id(), changes.0.get()),
        |(id, _)| staff_agreement(id),
    );
    let done = move || query.read().get("done");
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the agreement…"</p> }>
                    {move || Suspend::new(async move {
                        match agreement.await {
                            Ok(data) => {
                                view! {
                                    <AgreementView data done=Signal::derive(done) changes />
                                }
                                    .into_any()
                            }
                            Err(AppError::NotFound) => view! { <AgreementNotFound /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

/// A missing agreement, or one the caller has no part in (the same answer, status 404), in the
/// staff's words.
#[component]
fn AgreementNotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <div class="error-page">
            <h1>"Agreement not found"</h1>
            <p role="alert">
                "There is no agreement at this address, or it is not one you work on. The staff console lists yours."
            </p>
            <ul class="links-back">
                <li><A href="/staff">"Go to the staff console"</A></li>
            </ul>
        </div>
    }
}

#[component]
fn AgreementView(
    data: StaffAgreement,
    done: Signal<Option<String>>,
    changes: Changes,
) -> impl IntoView {
    let id = data.id;
    let title = agreement_title(&data.organization, data.agreement_type, id);
    let draft = data.status == AgreementStatus::Draft;
    let active = data.status == AgreementStatus::Active;
    let people = |list: &[String]| {
        if list.is_empty() {
            "None".to_owned()
        } else {
            list.join(", ")
        }
    };
    let activate = data.can_activate.then(|| {
        view! {
            <ActivateForm
                id
                organization=data.organization.clone()
                agreement_type=data.agreement_type
                admins=data.services_admins.len()
                contacts=data.support_contacts.len()
                changes
            />
        }
    });
    let options = data
        .workspaces
        .iter()
        .map(|w| (w.id.to_string(), w.name.clone()))
        .collect::<Vec<_>>();
    let workspace_form =
        (data.can_manage && active).then(|| view! { <WorkspaceForm id changes /> });
    let benefit_form =
        (data.can_manage && !options.is_empty()).then(|| view! { <BenefitForm options changes /> });
    view! {
        <Breadcrumbs
            trail=vec![("Staff console".to_owned(), "/staff".to_owned())]
            here=title.clone()
        />
        <h1>{title}</h1>
        {move || done.get().map(|d| view! { <DoneNotice done=d /> })}
        <dl class="facts">
            <dt>"Status"</dt>
            <dd>{data.status.label()}</dd>
            <dt>"Term"</dt>
            <dd>{term(&data.starts_on, &data.ends_on)}</dd>
            <dt>"Support contact limit"</dt>
            <dd>{data.contact_limit}</dd>
            <dt>"Customer Success Account Manager"</dt>
            <dd>{data.csam.clone().unwrap_or_else(|| "Not assigned".to_owned())}</dd>
            <dt>"Account Coordinator"</dt>
            <dd>{data.ac.clone().unwrap_or_else(|| "Not assigned".to_owned())}</dd>
            <dt>"Services Administrators"</dt>
            <dd>{people(&data.services_admins)}</dd>
            <dt>"Named support contacts"</dt>
            <dd>{people(&data.support_contacts)}</dd>
        </dl>
        {activate}
        <h2 id="workspaces-heading">"Workspaces"</h2>
        <Workspaces workspaces=data.workspaces.clone() draft can_open=data.can_manage />
        {workspace_form}
        <h2 id="benefits-heading">"Benefits"</h2>
        <Benefits benefits=data.benefits draft />
        {benefit_form}
    }
}

/// The agreement's workspaces; its staff open them.
#[component]
fn Workspaces(
    workspaces: Vec<crate::workspaces::ConsoleWorkspace>,
    draft: bool,
    can_open: bool,
) -> impl IntoView {
    if workspaces.is_empty() {
        let text = if draft {
            "The agreement has no workspace yet: activating it creates its Default Workspace."
        } else {
            "The agreement has no workspace."
        };
        return view! { <EmptyState text /> }.into_any();
    }
    view! {
        <ul aria-labelledby="workspaces-heading">
            {workspaces
                .into_iter()
                .map(|w| {
                    if can_open {
                        view! { <li><A href=format!("/workspaces/{}", w.id)>{w.name}</A></li> }
                            .into_any()
                    } else {
                        view! { <li>{w.name}</li> }.into_any()
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The agreement's benefits and the workspace each is assigned to.
#[component]
fn Benefits(benefits: Vec<AgreementBenefit>, draft: bool) -> impl IntoView {
    if benefits.is_empty() {
        return view! { <EmptyState text="The agreement has no benefits yet." /> }.into_any();
    }
    view! {
        {draft
            .then(|| {
                view! {
                    <p class="hint">
                        "Activating the agreement assigns these benefits to its Default Workspace."
                    </p>
                }
            })}
        <TableBox label="Benefits">
            <table class="data" aria-labelledby="benefits-heading">
                <thead>
                    <tr>
                        <th scope="col">"Benefit"</th>
                        <th scope="col">"Workspace"</th>
                        <th scope="col" class="num">"Allotment"</th>
                    </tr>
                </thead>
                <tbody>
                    {benefits
                        .into_iter()
                        .map(|b| {
                            view! {
                                <tr>
                                    <td>{b.kind.with_name(&b.name)}</td>
                                    <td>
                                        {b.workspace.clone().unwrap_or_else(|| "Not assigned yet".to_owned())}
                                    </td>
                                    <td class="num">{b.allotment}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
    .into_any()
}
