//! The form the agreement's staff use to record a proactive service on Customer Activity.

use crate::{
    activity::RecordDelivery,
    components::{banner_message, field_messages, ErrorBanner, TextField},
};
use leptos::prelude::*;

/// Staff (the agreement's CSAM or AC) record a proactive service delivered.
#[component]
pub(super) fn RecordDeliveryForm(
    workspace_id: i64,
    action: ServerAction<RecordDelivery>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field = field_messages(error);
    let banner = Signal::derive(move || {
        error
            .get()
            .and_then(|e| banner_message(&e, &["name", "delivered_on", "credits", "hours"]))
    });
    view! {
        <h3>"Record a proactive service"</h3>
        <ActionForm action attr:class="stack">
            <ErrorBanner message=banner />
            <input type="hidden" name="workspace_id" value=workspace_id />
            <TextField label="Service" name="name" form="delivery" required=true error=field("name") />
            <TextField
                label="Delivered on"
                name="delivered_on"
                form="delivery"
                input_type="date"
                required=true
                error=field("delivered_on")
            />
            <TextField
                label="Credits used"
                name="credits"
                form="delivery"
                input_type="number"
                required=true
                error=field("credits")
            />
            <TextField
                label="Hours delivered (optional)"
                name="hours"
                form="delivery"
                hint="For a service measured in hours, for example 1.5."
                error=field("hours")
            />
            <button type="submit" class="primary">"Record the service"</button>
        </ActionForm>
    }
}
