//! The forms on a service's page: "Manage" per subscription (upgrade, change quantity,
//! recurring billing, cancel, renew) and the license forms (assign, take back). Each has its own
//! action, so a message shows under the subscription it is about.

use crate::{
    components::{banner_message, field_messages, Confirm, ErrorBanner, SelectField, TextField},
    error::AppError,
    services::{
        types::CANCEL_REASONS, AssignLicense, Assignment, CancelSubscription, ChangeQuantity,
        Renew, SetRecurring, Status, Subscription, UnassignLicense, Upgrade,
    },
};
use leptos::prelude::*;

fn error_of<A>(action: ServerAction<A>) -> Signal<Option<AppError>>
where
    A: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

#[component]
pub fn ManageSubscription(sub: Subscription, refresh: super::Refresh) -> impl IntoView {
    let upgrade = ServerAction::<Upgrade>::new();
    let quantity = ServerAction::<ChangeQuantity>::new();
    let recurring = ServerAction::<SetRecurring>::new();
    let cancel = ServerAction::<CancelSubscription>::new();
    let renew = ServerAction::<Renew>::new();
    refresh.after(upgrade);
    refresh.after(quantity);
    refresh.after(recurring);
    refresh.after(cancel);
    refresh.after(renew);
    let quantity_error = error_of(quantity);
    let field = field_messages(quantity_error);
    let cancel_field = field_messages(error_of(cancel));
    let others = [
        error_of(upgrade),
        error_of(recurring),
        error_of(cancel),
        error_of(renew),
    ];
    let banner = Signal::derive(move || {
        others
            .iter()
            .find_map(|e| e.get().and_then(|e| banner_message(&e, &["reason"])))
            .or_else(|| {
                quantity_error
                    .get()
                    .and_then(|e| banner_message(&e, &["quantity"]))
            })
    });
    let id = sub.id.to_string();
    let form = format!("sub-{}", sub.id);
    let heading = format!("manage-{}", sub.id);
    let labelled_by = heading.clone();
    let name = sub.offer.clone();
    let hidden = move || view! { <input type="hidden" name="subscription_id" value=id.clone() /> };
    let hidden = StoredValue::new(hidden);
    let forms = match sub.status {
        Status::Trial => view! {
            <p>"Licenses cannot be added to a trial. Upgrade it to a paid subscription to keep it and change its quantity."</p>
            <ActionForm action=upgrade>
                {hidden.read_value()()}
                <button type="submit" class="primary">"Upgrade" <span class="visually-hidden">{format!(" {name}")}</span></button>
            </ActionForm>
        }.into_any(),
        Status::Active => {
            let (next, words) = if sub.recurring { ("off", "Turn recurring billing off") } else { ("on", "Turn recurring billing on") };
            view! {
                <ActionForm action=quantity attr:class="stack">
                    {hidden.read_value()()}
                    <TextField
                        label="New total of licenses"
                        name="quantity"
                        input_type="number"
                        value=sub.quantity.to_string()
                        form=form
                        error=field("quantity")
                        hint="The total after the change, not the number to add."
                    />
                    <button type="submit">"Change quantity"</button>
                </ActionForm>
                <ActionForm action=recurring attr:class="inline">
                    {hidden.read_value()()}
                    <input type="hidden" name="recurring" value=next />
                    <button type="submit">{words}</button>
                </ActionForm>
            }.into_any()
        }
        Status::Expired | Status::Disabled => view! {
            <ActionForm action=renew>
                {hidden.read_value()()}
                <button type="submit" class="primary">"Renew" <span class="visually-hidden">{format!(" {name}")}</span></button>
            </ActionForm>
        }.into_any(),
        _ => ().into_any(),
    };
    let cancellable = matches!(
        sub.status,
        Status::Trial | Status::Active | Status::Expired | Status::Pending
    );
    let reasons: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose a reason".to_owned()))
            .chain(
                CANCEL_REASONS
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
            )
            .collect();
    let reasons = StoredValue::new(reasons);
    let cancel_form = StoredValue::new(format!("cancel-{}", sub.id));
    view! {
        <section class="card manage" aria-labelledby=labelled_by>
            <h3 id=heading>{format!("Manage {}", sub.offer)}</h3>
            <ErrorBanner message=banner />
            {forms}
            {cancellable.then(|| view! {
                <Confirm
                    key=format!("cancel-{}", sub.id)
                    ask="Cancel subscription"
                    what=sub.offer.clone()
                    question=format!("Cancel {}?", sub.offer)
                    consequence="It stops at once and is not renewed; its licenses can no longer be used. Tell us why:"
                >
                    <ActionForm action=cancel attr:class="stack">
                        {hidden.read_value()()}
                        <SelectField
                            label="Reason"
                            name="reason"
                            options=reasons.get_value()
                            selected=""
                            form=cancel_form.get_value()
                            error=cancel_field("reason")
                        />
                        <button type="submit" class="danger">"Cancel the subscription"</button>
                    </ActionForm>
                </Confirm>
            })}
        </section>
    }
}

#[component]
pub fn AssignForm(sub: Subscription, refresh: super::Refresh) -> impl IntoView {
    let assign = ServerAction::<AssignLicense>::new();
    refresh.after(assign);
    let error = error_of(assign);
    let field = field_messages(error);
    let form = format!("assign-{}", sub.id);
    view! {
        <ActionForm action=assign attr:class="stack card">
            <h3>{format!("Assign a license of {}", sub.offer)}</h3>
            <p class="hint">{format!("{} of {} in use.", sub.assigned, sub.quantity)}</p>
            <ErrorBanner message=Signal::derive(move || error.get().and_then(|e| banner_message(&e, &["email"]))) />
            <input type="hidden" name="subscription_id" value=sub.id.to_string() />
            <TextField label="User's email address" name="email" input_type="email" form error=field("email") />
            <button type="submit" class="primary">"Assign license"</button>
        </ActionForm>
    }
}

#[component]
pub fn TakeBack(assignment: Assignment, refresh: super::Refresh) -> impl IntoView {
    let action = ServerAction::<UnassignLicense>::new();
    refresh.after(action);
    let error = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    view! {
        <ErrorBanner message=error />
        <Confirm
            key=format!("unassign-{}-{}", assignment.subscription_id, assignment.account_id)
            ask="Take back"
            what=format!("{}'s license", assignment.name)
            question=format!("Take back {}'s license of {}?", assignment.name, assignment.offer)
            consequence="They can no longer use the service with this license. You can assign it again later."
        >
            <ActionForm action>
                <input type="hidden" name="subscription_id" value=assignment.subscription_id.to_string() />
                <input type="hidden" name="account_id" value=assignment.account_id.to_string() />
                <button type="submit" class="danger">"Take the license back"</button>
            </ActionForm>
        </Confirm>
    }
}
