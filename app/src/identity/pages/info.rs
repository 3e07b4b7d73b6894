//! The Identity page: the organization's information (a Global Administrator edits it) and the
//! links to its sub-pages.

use crate::{
    accounts::{pages::RequireUser, types::LANGUAGES},
    components::{
        banner_message, field_id, field_messages, Breadcrumbs, ErrorBanner, ErrorNotice,
        FieldMessage, SelectField, TextField,
    },
    identity::{organization_info, OrgInfo, UpdateOrganization},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn IdentityPage() -> impl IntoView {
    let save = ServerAction::<UpdateOrganization>::new();
    let info = Resource::new(move || save.version().get(), |_| organization_info());
    view! {
        <RequireUser>
            <main class="page" id="main">
                <Transition fallback=|| view! { <p>"Loading your organization…"</p> }>
                    {move || Suspend::new(async move {
                        match info.await {
                            Ok(data) => view! { <InfoView data save /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </main>
        </RequireUser>
    }
}

fn language_name(code: &str) -> &str {
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
        .unwrap_or(code)
}

#[component]
fn InfoView(data: OrgInfo, save: ServerAction<UpdateOrganization>) -> impl IntoView {
    let query = use_query_map();
    let done = move || {
        query
            .read()
            .get("done")
            .map(|_| "Your organization's information was saved.")
    };
    let domains = if data.domains.is_empty() {
        "none yet".to_owned()
    } else {
        data.domains.join(", ")
    };
    let address = if data.address.is_empty() {
        "Not given yet".to_owned()
    } else {
        data.address.clone()
    };
    let contact = if data.technical_contact.is_empty() {
        "Not given yet".to_owned()
    } else {
        data.technical_contact.clone()
    };
    let can_edit = data.can_edit;
    let users = data.can_manage_users;
    view! {
        <Breadcrumbs trail=vec![(data.name.clone(), "/services".to_owned())] here="Identity" />
        <h1>"Identity"</h1>
        {move || done().map(|n| view! { <div class="banner banner-ok" role="status">{n}</div> })}
        <nav aria-labelledby="identity-parts" class="card">
            <h2 id="identity-parts">"Manage your organization"</h2>
            <ul>
                {users.then(|| view! { <li><a href="/organization/users">"Users"</a></li> })}
                {users.then(|| view! { <li><a href="/organization/groups">"Groups"</a></li> })}
                {can_edit.then(|| view! { <li><a href="/organization/domains">"Domains"</a></li> })}
                {can_edit.then(|| view! { <li><a href="/organization/federation">"Federation"</a></li> })}
                <li><a href="/organization/roles">"Administrative roles"</a></li>
            </ul>
        </nav>
        <section aria-labelledby="info-heading" class="card">
            <h2 id="info-heading">"Organization information"</h2>
            <dl>
                <dt>"Name"</dt>
                <dd>{data.name.clone()}</dd>
                <dt>"Postal address"</dt>
                <dd class="address">{address}</dd>
                <dt>"Technical contact"</dt>
                <dd>{contact}</dd>
                <dt>"Preferred language"</dt>
                <dd>{language_name(&data.language).to_owned()}</dd>
                <dt>"Domains"</dt>
                <dd>{domains}</dd>
            </dl>
            <p class="hint">"Renaming your organization never changes its domains."</p>
        </section>
        {if can_edit {
            view! { <InfoForm data save /> }.into_any()
        } else {
            view! {
                <p class="hint">"Only a Global Administrator changes the organization's information."</p>
            }
                .into_any()
        }}
    }
}

#[component]
fn InfoForm(data: OrgInfo, save: ServerAction<UpdateOrganization>) -> impl IntoView {
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let field = field_messages(error);
    let languages = LANGUAGES
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect::<Vec<_>>();
    let address_id = field_id("", "address");
    let address_error = format!("{address_id}-error");
    let address_message = field("address");
    let described = address_error.clone();
    view! {
        <section aria-labelledby="edit-heading" class="card">
            <h2 id="edit-heading">"Change the information"</h2>
            <ErrorBanner message=Signal::derive(move || {
                error
                    .get()
                    .and_then(|e| {
                        banner_message(&e, &["name", "address", "technical_contact", "language"])
                    })
            }) />
            <ActionForm action=save attr:class="stack">
                <TextField label="Organization name" name="name" value=data.name.clone() required=true error=field("name") />
                <div class="field">
                    <label for=address_id.clone()>"Postal address"</label>
                    <textarea
                        id=address_id
                        name="address"
                        rows="4"
                        required=true
                        aria-invalid=move || address_message.get().is_some().then_some("true")
                        aria-describedby=move || address_message.get().is_some().then(|| described.clone())
                        inner_html=super::escape_html(&data.address)
                    ></textarea>
                    <FieldMessage id=address_error error=address_message />
                </div>
                <TextField
                    label="Technical contact (email address)"
                    name="technical_contact"
                    input_type="email"
                    value=data.technical_contact.clone()
                    required=true
                    error=field("technical_contact")
                />
                <SelectField label="Preferred language" name="language" options=languages selected=data.language.clone() error=field("language") />
                <button type="submit" class="primary">"Save"</button>
            </ActionForm>
        </section>
    }
}
