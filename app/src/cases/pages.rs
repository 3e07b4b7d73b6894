//! The case list (filters as a GET form, plain page links, the "Open a case" form for support
//! contacts) and a case's page (its timeline and the forms acting on it). Every form posts, so
//! it works before hydration too.

mod case;
mod list;

pub use case::CasePage;
pub use list::CasesPage;

use crate::{
    cases::{CaseStatus, Severity},
    components::FieldMessage,
};
use leptos::prelude::*;

fn severity_options(any: bool) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = Vec::new();
    if any {
        options.push((String::new(), "Any severity".to_owned()));
    }
    options.extend(
        Severity::ALL
            .into_iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned())),
    );
    options
}

fn status_options(any: bool) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = Vec::new();
    if any {
        options.push((String::new(), "Any status".to_owned()));
    }
    options.extend(
        CaseStatus::ALL
            .into_iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned())),
    );
    options
}

fn no_error() -> Signal<Option<String>> {
    Signal::derive(|| None)
}

/// A labelled `<textarea>`, empty (leptos does not escape textarea children, so none are given).
#[component]
fn TextArea(
    label: &'static str,
    name: &'static str,
    form: &'static str,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = crate::components::field_id(form, name);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                rows="5"
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            ></textarea>
            <FieldMessage id=error_id error />
        </div>
    }
}
