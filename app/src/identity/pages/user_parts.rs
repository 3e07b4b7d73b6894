//! A user's administrative roles (a Global Administrator assigns and removes them; the others
//! read) and licenses (assign one of a subscription with licenses left, remove one).

use crate::{
    auth::kinds::OrgRole,
    components::{
        banner_message, field_messages, Confirm, EmptyState, ErrorBanner, SelectField, TableBox,
    },
    identity::{OrgUserData, UserAssignLicense, UserAssignRole, UserRemoveLicense, UserRemoveRole},
};
use leptos::prelude::*;

#[component]
pub(super) fn RolesSection(
    data: OrgUserData,
    assign: ServerAction<UserAssignRole>,
    remove: ServerAction<UserRemoveRole>,
) -> impl IntoView {
    let id = data.user.id;
    let name = data.user.name.clone();
    let global = data.caller_is_global;
    let held = data.user.roles.clone();
    let list = if held.is_empty() {
        view! { <EmptyState text="No administrative role." /> }.into_any()
    } else {
        view! {
            <ul class="roles">
                {held
                    .iter()
                    .map(|role| {
                        let role = *role;
                        let button = global.then(|| {
                            let name = name.clone();
                            view! {
                                <Confirm
                                    key=format!("remove-role-{}", role.as_str())
                                    ask="Remove"
                                    what=format!("the {} role of {name}", role.label())
                                    question=format!("Remove the {} role from {name}?", role.label())
                                    consequence="What the role allows stops at once; the account stays."
                                >
                                    <ActionForm action=remove attr:class="inline">
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <input type="hidden" name="role" value=role.as_str() />
                                        <button type="submit" class="danger">
                                            {format!("Remove the {} role", role.label())}
                                        </button>
                                    </ActionForm>
                                </Confirm>
                            }
                        });
                        view! { <li>{role.label()} " " {button}</li> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let error = Signal::derive(move || assign.value().get().and_then(Result::err));
    let field = field_messages(error);
    let options = OrgRole::ALL
        .into_iter()
        .filter(|r| !held.contains(r))
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect::<Vec<_>>();
    let form = (global && !options.is_empty()).then(|| {
        view! {
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["role"]))
            }) />
            <ActionForm action=assign attr:class="stack">
                <input type="hidden" name="id" value=id.to_string() />
                <SelectField label="Role" name="role" form="role" options selected="user" error=field("role") />
                <button type="submit">"Assign the role"</button>
            </ActionForm>
        }
    });
    view! {
        <section aria-labelledby="roles-heading" class="card">
            <h2 id="roles-heading">"Administrative roles"</h2>
            {list}
            {form}
            {(!global).then(|| view! {
                <p class="hint">"Only a Global Administrator assigns or removes administrative roles."</p>
            })}
        </section>
    }
}

#[component]
pub(super) fn LicensesSection(
    data: OrgUserData,
    assign: ServerAction<UserAssignLicense>,
    remove: ServerAction<UserRemoveLicense>,
) -> impl IntoView {
    let id = data.user.id;
    let name = data.user.name.clone();
    let table = if data.licenses.is_empty() {
        view! { <EmptyState text="No license assigned. Assign one below." /> }.into_any()
    } else {
        view! {
            <TableBox label="Licenses of this user">
                <table class="data" aria-labelledby="licenses-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Service"</th>
                            <th scope="col">"Plan"</th>
                            <th scope="col">"Subscription"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data
                            .licenses
                            .into_iter()
                            .map(|l| {
                                let what = format!("the {} license of {name}", l.offer);
                                view! {
                                    <tr>
                                        <td>{l.service.clone()}</td>
                                        <td>{l.offer.clone()}</td>
                                        <td>{l.status.label()}</td>
                                        <td>
                                            <Confirm
                                                key=format!("remove-license-{}", l.subscription_id)
                                                ask="Remove"
                                                what=what.clone()
                                                question=format!("Remove {what}?")
                                                consequence="The license returns to its subscription; the person loses the service at once."
                                            >
                                                <ActionForm action=remove attr:class="inline">
                                                    <input type="hidden" name="id" value=id.to_string() />
                                                    <input type="hidden" name="subscription_id" value=l.subscription_id.to_string() />
                                                    <button type="submit" class="danger">"Remove the license"</button>
                                                </ActionForm>
                                            </Confirm>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableBox>
        }
        .into_any()
    };
    let error = Signal::derive(move || assign.value().get().and_then(Result::err));
    let field = field_messages(error);
    let options = data
        .open_subscriptions
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                format!("{} — {} ({} left)", s.service, s.offer, s.remaining),
            )
        })
        .collect::<Vec<_>>();
    let form = if options.is_empty() {
        view! { <p class="hint">"No subscription has a license left to assign."</p> }.into_any()
    } else {
        view! {
            <ErrorBanner message=Signal::derive(move || {
                error.get().and_then(|e| banner_message(&e, &["subscription_id"]))
            }) />
            <ActionForm action=assign attr:class="stack">
                <input type="hidden" name="id" value=id.to_string() />
                <SelectField label="Subscription" name="subscription_id" options selected="" error=field("subscription_id") />
                <button type="submit">"Assign a license"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="licenses-heading" class="card">
            <h2 id="licenses-heading">"Licenses"</h2>
            {table}
            {form}
        </section>
    }
}
