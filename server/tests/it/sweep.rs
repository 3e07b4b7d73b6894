//! Signed out, every door is shut: each registered server function answers 401 and each page or
//! plain route that needs a user sends the visitor to "Sign in", except the ones public on
//! purpose, listed below with the reason for each. The server functions and pages are
//! enumerated, not listed by hand, so a new one that forgets to check its caller fails here.

use crate::common::{TestApp, TestResponse};
use axum::{body::Body, http::Request};
use leptos::server_fn::axum::server_fn_paths;

/// Server functions that a signed-out caller may use, with what they answer to the sweep's
/// arguments (`FORM`). One line each: why it is public.
const PUBLIC_SERVER_FNS: &[(&str, u16)] = &[
    // The header asks who is signed in on every page; signed out the answer is `null`.
    ("/api/current_user", 200),
    // Sign-in step 1: which kinds of account an address has (its own per-address budget; "x" is
    // no address).
    ("/api/sign_in_options", 422),
    // Sign-in step 2 is what a signed-out visitor does ("x" is no address).
    ("/api/sign_in", 422),
    // Signing out without a session still clears the cookie and lands on "Sign in".
    ("/api/sign_out", 200),
    // The invitation link shows its workspace and address before anyone signs in ("x": none).
    ("/api/invitation_preview", 404),
    // A new account is created from the invitation link itself ("x" is too short a password).
    ("/api/register_from_invitation", 422),
    // "Sign up for services": the public catalogue of offers.
    ("/api/catalogue", 200),
    // A visitor signs their organization up ("x" is no organization name, no address).
    ("/api/sign_up", 422),
    // The link of the sign-up's confirmation mail ("x" is no such link).
    ("/api/confirm_email", 409),
    // Help's FAQ and troubleshooting, for someone who cannot sign in too.
    ("/api/help_pages", 200),
    // "Forgot your password?" is for someone who cannot sign in ("x" is no address).
    ("/api/request_password_reset", 422),
    // A mailed password link says whether it still works, read-only ("x" is no such link: null).
    ("/api/password_link", 200),
    // The mailed link's form sets the password; the token is the credential ("x": no such link).
    ("/api/set_new_password", 409),
    // Sign-in: whether an address signs in at its organization's directory ("x": no address).
    ("/api/directory_for", 200),
];

/// Pages anyone may open (the path as the router lists it). One line each: why.
const PUBLIC_PAGES: &[(&str, u16)] = &[
    // Where every signed-out visitor is sent.
    ("/sign-in", 200),
    // The invitation link lands here before its holder has an account (no token: "not found").
    ("/invitations/accept", 404),
    // The catalogue, sign-up and the confirmation link are for visitors.
    ("/catalogue", 200),
    ("/sign-up", 200),
    ("/confirm-email", 200),
    // Help's FAQ and troubleshooting: what to do when signing in fails.
    ("/help", 200),
    // "Forgot your password?" and the pages mailed password links open (reset, new user).
    ("/forgot-password", 200),
    ("/reset-password", 200),
    ("/set-password", 200),
    // The second step of sign-in: a form only; its function answers 401 without a pending
    // session.
    ("/sign-in/verify", 200),
];

/// The routes `server/src/lib.rs` adds beside the pages and server functions, each called
/// signed out: (method, route, the path called, status, where it sends the visitor).
const PLAIN_ROUTES: &[(&str, &str, &str, u16, Option<&str>)] = &[
    // Server functions: enumerated one by one below.
    ("POST", "/api/{*fn_name}", "", 0, None),
    // The bulk-invitation upload: to "Sign in", and back to Manage Users after.
    (
        "POST",
        "/workspaces/{id}/users/import",
        "/workspaces/1/users/import",
        303,
        Some("/sign-in?next=%2Fworkspaces%2F1%2Fusers"),
    ),
    // The Customer Activity download: to "Sign in", and back to the page after.
    (
        "GET",
        "/activity/export.csv",
        "/activity/export.csv?workspace=1&from=2026-01-01&to=2026-01-31",
        303,
        Some("/sign-in?next=%2Factivity"),
    ),
    // Live updates: a stream the browser opens itself, so no redirect, just 401.
    ("GET", "/events", "/events?topic=cases:1", 401, None),
    // An invoice's PDF: to "Sign in", and back to the invoice's page after.
    (
        "GET",
        "/invoices/{id}/pdf",
        "/invoices/1/pdf",
        303,
        Some("/sign-in?next=%2Finvoices%2F1"),
    ),
    // Federation. Signing in at the directory starts signed out (public; no address: back to
    // "Sign in"); the directory sends the browser back to the callback before anyone is
    // signed in (public; no login under way: "Sign in" says it expired). Test sign-in needs a
    // Global Administrator: to "Sign in", and back to the Federation page after.
    (
        "GET",
        "/federation/start",
        "/federation/start",
        303,
        Some("/sign-in"),
    ),
    (
        "GET",
        "/federation/callback",
        "/federation/callback",
        303,
        Some("/sign-in?federation_error=expired"),
    ),
    (
        "GET",
        "/federation/test",
        "/federation/test",
        303,
        Some("/sign-in?next=%2Forganization%2Ffederation"),
    ),
    // Public: load balancers and the operator probe it (it says only "ok").
    ("GET", "/healthz", "/healthz", 200, None),
];
// Static files (/pkg/…, /favicon.ico) are public too: the fallback serves them from the site
// root, and they hold nothing but the application's own code and style.

/// A value for every argument name of every server function, each harmless and well-formed, so
/// that a call is refused for who makes it, never for what it sends. A new argument name missing
/// here shows as 422 ("The form was incomplete") and fails the sweep until it is added.
const FORM: &[(&str, &str)] = &[
    // Ids.
    ("workspace_id", "1"),
    ("case_id", "1"),
    ("membership_id", "1"),
    ("group_id", "1"),
    ("account_id", "1"),
    ("id", "1"),
    ("invitation_id", "1"),
    ("import_id", "1"),
    ("agreement_id", "1"),
    ("invoice_id", "1"),
    ("offer_id", "1"),
    ("subscription_id", "1"),
    ("service_id", "1"),
    ("page", "1"),
    ("workspace", "1"),
    // Switches.
    ("mine", "false"),
    ("trial", "false"),
    ("descending", "false"),
    ("on", "x"),
    ("allow", "x"),
    // Text.
    ("title", "x"),
    ("quantity", "x"),
    ("recurring", "x"),
    ("reason", "x"),
    ("offer[service]", "x"),
    ("offer[name]", "x"),
    ("offer[description]", "x"),
    ("offer[unit]", "x"),
    ("offer[price]", "x"),
    ("offer[currency]", "x"),
    ("offer[period]", "x"),
    ("offer[trial_days]", "x"),
    ("description", "x"),
    ("severity", "x"),
    ("product_area", "x"),
    ("contact_method", "x"),
    ("status", "x"),
    ("search", "x"),
    ("sort", "x"),
    ("body", "x"),
    ("minutes", "x"),
    ("note", "x"),
    ("email", "x"),
    ("emails", "x"),
    ("role", "x"),
    ("support_contact", "x"),
    ("name", "x"),
    ("from", "x"),
    ("to", "x"),
    ("delivered_on", "x"),
    ("credits", "x"),
    ("hours", "x"),
    ("kind", "x"),
    ("allotment", "x"),
    ("identifier", "x"),
    ("password", "x"),
    ("next", "x"),
    ("display_name", "x"),
    ("phone", "x"),
    ("language", "x"),
    ("time_zone", "x"),
    ("notification_email", "x"),
    ("current_password", "x"),
    ("new_password", "x"),
    ("domain", "x"),
    ("organization", "x"),
    ("agreement_type", "x"),
    ("services_admins", "x"),
    ("support_contacts", "x"),
    ("csam", "x"),
    ("ac", "x"),
    ("contact_limit", "x"),
    ("start", "x"),
    ("end", "x"),
    ("reactive_hours", "x"),
    ("proactive_credits", "x"),
    ("admin_email", "x"),
    ("technical_contact", "x"),
    ("address", "x"),
    ("desc", "false"),
    ("q", "x"),
    ("token", "x"),
    // Help's feedback form.
    ("category", "x"),
    ("message", "x"),
    ("about", "x"),
    ("confirm_password", "x"),
    // Federation's page.
    ("domain_id", "1"),
    ("issuer", "x"),
    ("client_id", "x"),
    ("client_secret", "x"),
    ("create_accounts", "x"),
    // Two-step verification's code fields.
    ("code", "x"),
];

/// What a server function answers when its arguments do not parse (`AppError`'s `Args` arm).
const INCOMPLETE: &str =
    r#"{"Validation":[{"field":"form","message":"The form was incomplete. Please try again."}]}"#;

/// A server-function call with no cookie, as the hydrated page makes it.
async fn call(
    app: &TestApp,
    path: &str,
    method: &http::Method,
    form: &[(&str, &str)],
) -> TestResponse {
    let body = serde_urlencoded::to_string(form).expect("form");
    let request = if *method == http::Method::GET {
        Request::get(format!("{path}?{body}")).body(Body::empty())
    } else {
        Request::builder()
            .method(method.clone())
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(Body::from(body))
    };
    app.request(request.expect("request")).await
}

fn describe(response: &TestResponse) -> String {
    format!(
        "{} {:?} {}",
        response.status,
        response.header("location"),
        response.body.chars().take(200).collect::<String>()
    )
}

on_both_engines!(signed_out_every_server_function_answers_401, |app| {
    let mut functions: Vec<_> = server_fn_paths().collect();
    functions.sort_by_key(|(path, _)| *path);
    // A broken enumeration must not pass as "nothing to check".
    assert!(
        functions.len() >= 40,
        "only {} server functions",
        functions.len()
    );
    for (public, _) in PUBLIC_SERVER_FNS {
        assert!(
            functions.iter().any(|(path, _)| path == public),
            "{public} is allowed but no longer exists"
        );
    }
    let mut wrong = Vec::new();
    let mut parse_first = Vec::new();
    for (path, method) in &functions {
        // Missing arguments: never success, and never taken as a sign the caller was checked.
        let empty = call(&app, path, method, &[]).await;
        match empty.status {
            401 => {}
            422 if empty.body == INCOMPLETE => parse_first.push(*path),
            _ if PUBLIC_SERVER_FNS.iter().any(|(p, _)| p == path) => {}
            _ => wrong.push(format!("{path} (no arguments): {}", describe(&empty))),
        }
        // Arguments that parse: 401 with the error's JSON, or the public function's answer.
        let filled = call(&app, path, method, FORM).await;
        match PUBLIC_SERVER_FNS.iter().find(|(p, _)| p == path) {
            Some((_, status)) if filled.status == *status => {}
            Some(_) => wrong.push(format!("{path} (public): {}", describe(&filled))),
            None if filled.status == 401 && filled.body == r#""Unauthorized""# => {}
            None => wrong.push(format!("{path}: {}", describe(&filled))),
        }
    }
    assert!(
        wrong.is_empty(),
        "signed out, these did not answer 401:\n{}",
        wrong.join("\n")
    );
    // "Who is signed in?" answers nobody.
    let who = call(&app, "/api/current_user", &http::Method::POST, &[]).await;
    assert_eq!(who.body, "null");
    // The framework parses the arguments before the function runs, so these answer 422 to an
    // empty form before they look at the caller (they learn nothing about anyone); printed for
    // the record.
    println!("422 to an empty form before the caller is checked: {parse_first:?}");
});

on_both_engines!(signed_out_every_private_page_sends_to_sign_in, |app| {
    // The listing every router uses (listing again would suppress resources process-wide).
    let routes = services_hub::routes();
    assert!(routes.len() >= 10, "only {} pages", routes.len());
    let mut wrong = Vec::new();
    for route in &routes {
        // `/workspaces/{id}/cases/{case}` → `/workspaces/1/cases/1`.
        let path = route
            .path()
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') || segment.starts_with(':') {
                    "1"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let page = app.get(&path, None).await;
        let expected = match PUBLIC_PAGES.iter().find(|(p, _)| *p == route.path()) {
            Some((_, status)) => (*status, None),
            None => (
                302,
                Some(format!("/sign-in?next={}", urlencoding::encode(&path))),
            ),
        };
        if (page.status, page.header("location").map(str::to_owned)) != expected {
            wrong.push(format!("{path}: {}", describe(&page)));
        }
    }
    for (public, _) in PUBLIC_PAGES {
        assert!(
            routes.iter().any(|r| r.path() == *public),
            "{public} is allowed but no longer exists"
        );
    }
    assert!(
        wrong.is_empty(),
        "signed out, these pages were not closed:\n{}",
        wrong.join("\n")
    );
});

on_both_engines!(signed_out_every_plain_route_is_closed, |app| {
    // Every `.route("…")` of the router is in PLAIN_ROUTES, so a new one cannot skip the sweep.
    let source = include_str!("../../src/lib.rs");
    let routes: Vec<&str> = source
        .split(".route(")
        .skip(1)
        .filter_map(|rest| rest.split('"').nth(1))
        .collect();
    assert!(routes.len() >= 4, "{routes:?}");
    for route in &routes {
        assert!(
            PLAIN_ROUTES.iter().any(|(_, r, ..)| r == route),
            "{route} is a route of the router that the sweep does not call"
        );
    }
    for (method, _, path, status, location) in PLAIN_ROUTES.iter().filter(|r| r.3 != 0) {
        let request = Request::builder()
            .method(*method)
            .uri(*path)
            .body(Body::empty())
            .expect("request");
        let response = app.request(request).await;
        assert_eq!(
            (response.status, response.header("location")),
            (*status, *location),
            "{method} {path}: {}",
            describe(&response)
        );
    }
});
