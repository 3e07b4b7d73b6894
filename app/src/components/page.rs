//! Parts of a page: where it sits (breadcrumbs), the error page, a table that fits a phone and
//! the sentence an empty list shows.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

/// Where a page sits below others: each step a link, the page itself last and not a link.
#[component]
pub fn Breadcrumbs(
    /// (text, address) of each page above this one, outermost first.
    trail: Vec<(String, String)>,
    #[prop(into)] here: String,
) -> impl IntoView {
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                {trail
                    .into_iter()
                    // `exact`: a step's address begins this page's, and only the page itself is current.
                    .map(|(text, href)| view! { <li><A href=href exact=true>{text}</A></li> })
                    .collect_view()}
                <li aria-current="page">{here}</li>
            </ol>
        </nav>
    }
}

/// A page-level error (not found, not allowed, a fault): a heading, the reason and a way back;
/// on the server the matching HTTP status, so another tenant's id answers 404 to a browser too.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    respond_with(&error);
    let (title, reason) = match &error {
        AppError::NotFound => (
            "Page not found",
            "There is nothing at this address, or it belongs to a workspace or an organization you are not part of. Check the link you followed, or go back to your own pages.".to_owned(),
        ),
        AppError::Forbidden(why) => ("You can't open this page", why.clone()),
        other => ("Something went wrong", other.to_string()),
    };
    view! {
        <div class="error-page">
            <h1>{title}</h1>
            <p role="alert">{reason}</p>
            <ul class="links-back">
                <li><A href="/">"Go to the main page"</A></li>
                <li><A href="/activity">"Customer Activity of all your workspaces"</A></li>
            </ul>
        </div>
    }
}

/// On the server, gives the page the HTTP status of `error` (a page that shows an error of its
/// own words calls this too). In the browser it does nothing.
pub fn respond_with(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

/// A table that scrolls sideways inside its own box on a narrow screen instead of widening the
/// page. The box is a named region that takes focus, so it can be scrolled with the keyboard.
#[component]
pub fn TableBox(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}

/// What an empty list or search says instead of an empty table.
#[component]
pub fn EmptyState(#[prop(into)] text: String) -> impl IntoView {
    view! { <p class="empty">{text}</p> }
}
