//! Form building blocks shared by every page: a label on every field, the field's message next
//! to it, and one banner for errors that belong to no field.

use crate::error::AppError;
use leptos::prelude::*;

/// A labelled text input with its message. `error` names the message for this field, if any.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(into, optional)] value: String,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=input_type
                name=name
                value=value
                autocomplete=autocomplete
                required=required
                autofocus=autofocus
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            />
            <FieldMessage id=error_id error />
        </div>
    }
}

/// A labelled select whose options are (value, text) pairs.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! {
                            <option value=value selected=is_selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=error_id error />
        </div>
    }
}

/// The message under a field, announced when it appears.
#[component]
fn FieldMessage(id: String, error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p class="field-error" id=id.clone() role="alert">
                    {message}
                </p>
            }
        })
    }
}

/// Per-field messages of an action's last error: `field("email")` is the message for `email`.
pub fn field_messages(
    error: Signal<Option<AppError>>,
) -> impl Fn(&'static str) -> Signal<Option<String>> + Copy {
    move |name| Signal::derive(move || error.get().and_then(|e| e.field_message(name)))
}

/// The message of an error that is not about one of the given fields (internal errors, rate
/// limits, a form that arrived incomplete).
pub fn banner_message(error: &AppError, fields: &[&str]) -> Option<String> {
    match error {
        AppError::Validation(errors) => errors
            .iter()
            .find(|e| !fields.contains(&e.field.as_str()))
            .map(|e| e.message.clone()),
        other => Some(other.to_string()),
    }
}

#[component]
pub fn ErrorBanner(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <div class="banner banner-error" role="alert">{m}</div> })
    }
}
