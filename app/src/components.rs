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

/// A page-level error (not found, forbidden, signed out): the message, and on the server the
/// matching HTTP status, so another tenant's id answers 404 to a browser too.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let title = match &error {
        AppError::NotFound => "Not found",
        AppError::Forbidden(_) => "Not allowed",
        _ => "Something went wrong",
    };
    view! {
        <div class="banner banner-error" role="alert">
            <strong>{title}</strong>
            ": "
            {error.to_string()}
        </div>
    }
}

/// A date for people, from Unix seconds (UTC).
pub fn format_date(seconds: Option<i64>) -> String {
    let Some(seconds) = seconds else {
        return "—".to_owned();
    };
    let days = seconds.div_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm): no time zone data needed in the browser.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A moment for people, from Unix seconds: date and time of day in UTC, to the minute.
pub fn format_date_time(seconds: i64) -> String {
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} UTC",
        format_date(Some(seconds)),
        of_day / 3_600,
        of_day % 3_600 / 60
    )
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

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::format_date(Some(0)), "1970-01-01");
        assert_eq!(super::format_date(Some(1_795_478_400)), "2026-11-24");
        assert_eq!(super::format_date(Some(951_782_400)), "2000-02-29");
        assert_eq!(super::format_date(None), "—");
    }

    #[test]
    fn date_times() {
        assert_eq!(super::format_date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(
            super::format_date_time(1_795_478_400 + 13 * 3_600 + 5 * 60 + 59),
            "2026-11-24 13:05 UTC"
        );
        assert_eq!(super::format_date_time(-60), "1969-12-31 23:59 UTC");
    }
}
