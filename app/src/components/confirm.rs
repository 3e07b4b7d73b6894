//! The question before a destructive action. The button that asks is a link to the same page
//! with `?confirm=<key>`; that page shows the question, the form that really acts and a way
//! out. So it works before hydration and without JavaScript (the server renders the question),
//! and cancelling is a plain link that changes nothing.

use leptos::{html, prelude::*};
use leptos_router::hooks::{use_location, use_query_map};

/// Asks before `children` (the form with its danger button) can be sent. `key` is unique on
/// the page ("remove-42"); `what` names the person or thing in the asking button's accessible
/// name; `question` is the heading of the question ("Remove Megan Bowen from Contoso?").
#[component]
pub fn Confirm(
    #[prop(into)] key: String,
    ask: &'static str,
    #[prop(into)] what: String,
    #[prop(into)] question: String,
    #[prop(into)] consequence: String,
    children: ChildrenFn,
) -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    // The page's address with `confirm` set to `key` (asking) or taken away (cancelling); a
    // notice of the last change (`done`) has had its moment by then.
    let address = move |confirm: Option<String>| {
        let mut params = query.get();
        params.remove("confirm");
        params.remove("done");
        if let Some(key) = confirm {
            params.replace("confirm", key);
        }
        let search = params.to_query_string();
        let search = search.trim_start_matches('?');
        let path = location.pathname.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let is_open = {
        let key = key.clone();
        move || query.read().get("confirm").as_deref() == Some(key.as_str())
    };
    let children = StoredValue::new(children);
    let heading = format!("confirm-{key}-heading");
    let body = format!("confirm-{key}-body");
    let named = format!(" {what}");
    let box_ref = NodeRef::<html::Div>::new();
    // With JavaScript the question appears without a page load: focus goes to it, as it
    // would to a dialog.
    Effect::new(move || {
        if let Some(question) = box_ref.get() {
            let _ = question.focus();
        }
    });
    move || {
        if is_open() {
            view! {
                <div
                    class="confirm"
                    id="confirm"
                    role="group"
                    aria-labelledby=heading.clone()
                    aria-describedby=body.clone()
                    tabindex="-1"
                    node_ref=box_ref
                >
                    <h2 id=heading.clone()>{question.clone()}</h2>
                    <p id=body.clone()>{consequence.clone()}</p>
                    <div class="confirm-actions">
                        {children.read_value()()}
                        <a href=address(None) class="button secondary">
                            "Cancel"
                        </a>
                    </div>
                </div>
            }
            .into_any()
        } else {
            let named = named.clone();
            view! {
                // A plain link (the router still follows it without a reload): `A` would mark it
                // as the current page, since it points at this very page.
                <a href=format!("{}#confirm", address(Some(key.clone()))) class="button secondary small">
                    {ask}
                    <span class="visually-hidden">{named}</span>
                </a>
            }
            .into_any()
        }
    }
}
