//! Building blocks shared by every page: a label on every field, the field's message next to
//! it, one banner for errors that belong to no field; and (in the submodules) the question
//! before a destructive action, the error page, tables that fit a phone, dates and plurals.

mod confirm;
mod dates;
mod page;
mod words;

pub use confirm::Confirm;
pub use dates::{format_date, format_date_time, format_iso_date, format_month};
pub use page::{respond_with, Breadcrumbs, EmptyState, ErrorNotice, TableBox};
pub use words::{count, plural};

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
    /// Tells apart fields of the same name in several forms of one page (their ids).
    #[prop(into, optional)]
    form: String,
    /// A line of help under the field, tied to it with `aria-describedby`.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let id = field_id(&form, name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(&hint_id, hint, &error_id, error);
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
                aria-describedby=described
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{hint}</p> })}
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
    #[prop(into, optional)] form: String,
) -> impl IntoView {
    let id = field_id(&form, name);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            >
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

/// The id of a field: `field-{name}`, or `field-{form}-{name}` when the page has several forms.
pub fn field_id(form: &str, name: &str) -> String {
    if form.is_empty() {
        format!("field-{name}")
    } else {
        format!("field-{form}-{name}")
    }
}

/// The `aria-describedby` of a field: its hint (if it has one) and its message (while shown).
pub fn described_by(
    hint_id: &str,
    hint: &str,
    error_id: &str,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let hint_id = (!hint.is_empty()).then(|| hint_id.to_owned());
    let error_id = error_id.to_owned();
    move || {
        let error_id = error.get().is_some().then(|| error_id.clone());
        match (hint_id.clone(), error_id) {
            (Some(h), Some(e)) => Some(format!("{h} {e}")),
            (h, e) => h.or(e),
        }
    }
}

/// The message under a field, announced when it appears.
#[component]
pub fn FieldMessage(id: String, error: Signal<Option<String>>) -> impl IntoView {
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

/// The id in `/workspaces/:id…` (0, which matches nothing, when it is not a number).
pub fn workspace_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    }
}
