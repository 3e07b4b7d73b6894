//! The Domains page: the organization's domains, their status, the TXT record that proves each
//! unverified one with its Verify button, and for a Global Administrator the forms to add a
//! domain, make one primary and remove one. Every form posts, so it works before hydration.

use crate::{
    accounts::pages::RequireUser,
    components::{
        banner_message, field_messages, format_date, format_date_time, Breadcrumbs, Confirm,
        EmptyState, ErrorBanner, ErrorNotice, TableBox, TextField,
    },
    domains::{
        organization_domains, types::CheckOutcome, AddDomain, DomainEntry, DomainsData,
        MakePrimaryDomain, RemoveDomain, VerifyDomain,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AddDomain>,
    verify: ServerAction<VerifyDomain>,
    primary: ServerAction<MakePrimaryDomain>,
    remove: ServerAction<RemoveDomain>,
}

impl Actions {
    fn version(self) -> usize {
        self.add.version().get()
            + self.verify.version().get()
            + self.primary.version().get()
            + self.remove.version().get()
    }
}

#[component]
pub fn DomainsPage() -> impl IntoView {
    let actions = Actions {
        add: ServerAction::new(),
        verify: ServerAction::new(),
        primary: ServerAction::new(),
        remove: ServerAction::new(),
    };
    let domains = Resource::new(move || actions.version(), |_| organization_domains());
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading the domains…"</p> }>
                    {move || Suspend::new(async move {
                        match domains.await {
                            Ok(data) => view! { <DomainsView data actions /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

fn done_message(done: &str) -> &'static str {
    match done {
        "added" => "The domain was added. Publish its TXT record, then verify it.",
        "verified" => "The record was found: the domain is verified.",
        "not_found" => CheckOutcome::NotFound.sentence(),
        "different" => CheckOutcome::Different.sentence(),
        "no_answer" => CheckOutcome::NoAnswer.sentence(),
        "primary" => "The primary domain was changed.",
        "unchanged" => "That domain was the primary one already: nothing changed.",
        "removed" => "The domain was removed.",
        _ => "Your change was saved.",
    }
}

#[component]
fn DomainsView(data: DomainsData, actions: Actions) -> impl IntoView {
    // Read tracked: with JavaScript the redirect's `?done=` arrives after the refetched list.
    let query = use_query_map();
    let done = move || query.read().get("done").map(|d| done_message(&d));
    // A refusal of any change on the list (primary, remove, verify) shows above it.
    let change_error = Signal::derive(move || {
        let primary = actions.primary.value().get().and_then(Result::err);
        let remove = actions.remove.value().get().and_then(Result::err);
        let verify = actions.verify.value().get().and_then(Result::err);
        primary
            .or(remove)
            .or(verify)
            .map(|e: AppError| e.to_string())
    });
    let can_manage = data.can_manage;
    let pending: Vec<DomainEntry> = data
        .domains
        .iter()
        .filter(|d| d.verified_at.is_none() || d.missing_since.is_some())
        .cloned()
        .collect();
    view! {
        <Breadcrumbs trail=vec![(data.organization_name.clone(), "/services".to_owned())] here="Domains" />
        <h1>"Domains"</h1>
        <p class="hint">
            "Your people's work addresses are on these domains. A domain counts as yours once "
            "the TXT record shown for it is published in its DNS and verified here."
        </p>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <section aria-labelledby="domains-heading" class="card">
            <h2 id="domains-heading">"Your domains"</h2>
            <ErrorBanner message=change_error />
            <DomainsTable domains=data.domains can_manage actions />
        </section>
        {pending
            .into_iter()
            .map(|domain| view! { <ProofCard domain can_manage action=actions.verify /> })
            .collect_view()}
        {can_manage.then(|| view! { <AddForm action=actions.add /> })}
        {(!can_manage)
            .then(|| {
                view! { <p class="hint">"Only a Global Administrator adds, verifies or removes domains."</p> }
            })}
    }
}

fn status(domain: &DomainEntry) -> String {
    match (domain.verified_at, domain.missing_since) {
        (Some(_), Some(missing)) => format!(
            "Verified — record missing since {}",
            format_date_time(missing)
        ),
        (Some(at), None) => format!("Verified on {}", format_date(Some(at))),
        (None, _) => format!(
            "Unverified (added {})",
            format_date(Some(domain.created_at))
        ),
    }
}

#[component]
fn DomainsTable(domains: Vec<DomainEntry>, can_manage: bool, actions: Actions) -> impl IntoView {
    if domains.is_empty() {
        return view! { <EmptyState text="Your organization has no domain yet: add one below." /> }
            .into_any();
    }
    view! {
        <TableBox label="Domains of your organization">
            <table class="data" aria-labelledby="domains-heading">
                <thead>
                    <tr>
                        <th scope="col">"Domain"</th>
                        <th scope="col">"Status"</th>
                        {can_manage.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {domains
                        .into_iter()
                        .map(|domain| view! { <DomainRow domain can_manage actions /> })
                        .collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
    .into_any()
}

#[component]
fn DomainRow(domain: DomainEntry, can_manage: bool, actions: Actions) -> impl IntoView {
    let name = domain.domain.clone();
    let primary = domain
        .is_primary
        .then(|| view! { " " <span class="badge">"Primary"</span> });
    let make_primary =
        (can_manage && domain.verified_at.is_some() && !domain.is_primary).then(|| {
            let name = name.clone();
            view! {
                <ActionForm action=actions.primary attr:class="inline">
                    <input type="hidden" name="id" value=domain.id.to_string() />
                    <button type="submit">
                        "Make primary" <span class="visually-hidden">{format!(" {name}")}</span>
                    </button>
                </ActionForm>
            }
        });
    let remove = (can_manage && !domain.is_primary)
        .then(|| view! { <RemoveButton id=domain.id name=name.clone() action=actions.remove /> });
    view! {
        <tr id=format!("domain-{}", domain.id)>
            <td>{name.clone()} {primary}</td>
            <td>{status(&domain)}</td>
            {can_manage.then(|| view! { <td>{make_primary} " " {remove}</td> })}
        </tr>
    }
}

#[component]
fn RemoveButton(id: i64, name: String, action: ServerAction<RemoveDomain>) -> impl IntoView {
    let question = format!("Remove {name} from your organization?");
    let consequence = format!(
        "Its proof is forgotten: to use {name} again, you would add it and publish a new record. \
         A domain that work accounts still use is not removed."
    );
    let hidden = format!(" {name}");
    view! {
        <Confirm key=format!("remove-{id}") ask="Remove" what=name.clone() question consequence>
            {remove_form(id, hidden.clone(), action)}
        </Confirm>
    }
}

/// The form that really removes a domain, inside its question.
fn remove_form(id: i64, hidden: String, action: ServerAction<RemoveDomain>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline">
            <input type="hidden" name="id" value=id.to_string() />
            <button type="submit" class="danger">
                "Remove the domain" <span class="visually-hidden">{hidden}</span>
            </button>
        </ActionForm>
    }
}

/// The record to publish for a domain, what the last check found, and the Verify button.
#[component]
fn ProofCard(
    domain: DomainEntry,
    can_manage: bool,
    action: ServerAction<VerifyDomain>,
) -> impl IntoView {
    let heading = format!("proof-{}-heading", domain.id);
    let verified = domain.verified_at.is_some();
    let title = if verified {
        format!("The record of {} is missing", domain.domain)
    } else {
        format!("Verify {}", domain.domain)
    };
    let outcome = domain.last_outcome.map(|outcome| {
        let when = domain
            .checked_at
            .map(|at| format!(" (checked {})", format_date_time(at)))
            .unwrap_or_default();
        let seen = (!domain.last_seen.is_empty()).then(|| {
            view! {
                <p>"Values found:"</p>
                <ul class="seen">
                    {domain.last_seen.iter().map(|v| view! { <li><code>{v.clone()}</code></li> }).collect_view()}
                </ul>
            }
        });
        view! {
            <div class="last-check" role="status">
                <p>{format!("Last check: {}{when}", outcome.sentence())}</p>
                {seen}
            </div>
        }
    });
    let button = if verified { "Check again" } else { "Verify" };
    let name = domain.domain.clone();
    view! {
        <section aria-labelledby=heading.clone() class="card" id=format!("proof-{}", domain.id)>
            <h2 id=heading.clone()>{title}</h2>
            <p>"Publish this TXT record at the DNS host of the domain, then select " {button} ":"</p>
            <dl class="txt-record">
                <dt>"Type"</dt>
                <dd><code>"TXT"</code></dd>
                <dt>"Host"</dt>
                <dd><code>{domain.txt_host.clone()}</code></dd>
                <dt>"Value"</dt>
                <dd><code>{domain.txt_value.clone()}</code></dd>
            </dl>
            {outcome}
            {can_manage.then(|| view! {
                <ActionForm action attr:class="inline">
                    <input type="hidden" name="id" value=domain.id.to_string() />
                    <button type="submit" class="primary">
                        {button} <span class="visually-hidden">{format!(" {name}")}</span>
                    </button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn AddForm(action: ServerAction<AddDomain>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    view! {
        <section aria-labelledby="add-domain-heading" class="card">
            <h2 id="add-domain-heading">"Add a domain"</h2>
            <ErrorBanner message=Signal::derive(move || error.get().and_then(|e| banner_message(&e, &["domain"]))) />
            <ActionForm action attr:class="stack">
                <TextField
                    label="Domain name"
                    name="domain"
                    autocomplete="off"
                    required=true
                    error=field("domain")
                />
                <button type="submit" class="primary">"Add the domain"</button>
            </ActionForm>
        </section>
    }
}
