//! Federation over OpenID Connect against a real provider: npm's oidc-provider
//! (end2end/oidc/provider.mjs) started per test on a free loopback port, driven like a browser
//! (its own login form, redirects read, not followed). Sign-in lands as the right account; a
//! wrong nonce, a wrong issuer, an expired token and a replayed code are refused; the same
//! address from another issuer is another identity; Test sign-in changes nothing; the secret
//! is sealed; and the authorization matrix of the page and routes.

mod flow;
mod matrix;
mod refusals;

use crate::common::{TestApp, TestResponse};
use axum::{body::Body, http::Request};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The test provider's client and users (end2end/oidc/provider.mjs).
pub(super) const CLIENT_ID: &str = "services-hub";
pub(super) const CLIENT_SECRET: &str = "services-hub-test-secret";
pub(super) const DIRECTORY_PASSWORD: &str = "Directory-Password-2026";
/// The test app's base URL is http://127.0.0.1:3000 (common.rs).
pub(super) const CALLBACK: &str = "http://127.0.0.1:3000/federation/callback";

/// A running provider; killed when dropped.
pub(super) struct Provider {
    child: Child,
    pub issuer: String,
    pub url: String,
}

impl Provider {
    pub fn start(extra: &[&str]) -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .args(["--port", "0", "--redirect", CALLBACK])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node must be installed (scripts/install.sh)");
        let mut line = String::new();
        let mut output = BufReader::new(child.stdout.take().expect("stdout"));
        output.read_line(&mut line).expect("provider output");
        // Whatever it prints later is read and dropped: a closed pipe would end the provider.
        std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
        let mut words = line.split_whitespace().skip(1);
        let (Some(issuer), Some(port)) = (words.next(), words.next()) else {
            let _ = child.kill();
            panic!("the provider did not start (is end2end/node_modules/oidc-provider installed? scripts/install.sh): {line:?}");
        };
        Self {
            issuer: issuer.to_owned(),
            url: format!("http://127.0.0.1:{port}"),
            child,
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser at the provider: cookies kept by name, redirects returned, not followed.
pub(super) struct Browser {
    http: reqwest::Client,
    jar: Vec<(String, String)>,
    base: String,
}

pub(super) struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            jar: Vec::new(),
            base: base.to_owned(),
        }
    }

    fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.base)
        } else {
            url.to_owned()
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let cookie = self
            .jar
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let request = if cookie.is_empty() {
            request
        } else {
            request.header("cookie", cookie)
        };
        let response = request.send().await.expect("provider answers");
        for value in response.headers().get_all("set-cookie") {
            let pair = value
                .to_str()
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.jar.retain(|(n, _)| n != name);
                self.jar.push((name.to_owned(), value.to_owned()));
            }
        }
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(|l| self.absolute(l));
        Answer {
            status,
            location,
            body: response.text().await.unwrap_or_default(),
        }
    }

    pub async fn get(&mut self, url: &str) -> Answer {
        let request = self.http.get(self.absolute(url));
        self.send(request).await
    }

    pub async fn post(&mut self, url: &str, form: &[(&str, &str)]) -> Answer {
        let request = self.http.post(self.absolute(url)).form(form);
        self.send(request).await
    }
}

/// The binding cookie (`name=value`) a start response sets.
pub(super) fn binding_cookie(response: &TestResponse) -> String {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("services-hub-federation="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no binding cookie: {:?}", response.headers))
}

/// Where the directory sends the browser back: the callback's path and query, and the cookie
/// the start set.
pub(super) struct Returned {
    pub callback: String,
    pub cookie: String,
}

/// Follows a start (303 to the provider) through the provider's own login form as `login`.
pub(super) async fn log_in_at_directory(
    provider: &Provider,
    start: &TestResponse,
    login: &str,
) -> Returned {
    assert_eq!(start.status, 303, "start: {}", start.body);
    let cookie = binding_cookie(start);
    let authorize = start
        .header("location")
        .expect("to the directory")
        .to_owned();
    assert!(authorize.starts_with(&provider.url), "{authorize}");
    for part in [
        "code_challenge_method=S256",
        "code_challenge=",
        "nonce=",
        "state=",
        "client_id=services-hub",
    ] {
        assert!(authorize.contains(part), "{part} missing from {authorize}");
    }
    let mut browser = Browser::new(&provider.url);
    let to_form = browser.get(&authorize).await;
    let form_url = to_form
        .location
        .unwrap_or_else(|| panic!("to the login form: {} {}", to_form.status, to_form.body));
    let form = browser.get(&form_url).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains("Sign in to the directory"),
        "{}",
        form.body
    );
    let wrong = browser
        .post(&form_url, &[("login", login), ("password", "wrong")])
        .await;
    assert!(
        wrong.body.contains("Wrong user name or password"),
        "{}",
        wrong.body
    );
    let signed = browser
        .post(
            &form_url,
            &[("login", login), ("password", DIRECTORY_PASSWORD)],
        )
        .await;
    let mut next = signed
        .location
        .unwrap_or_else(|| panic!("after the form: {} {}", signed.status, signed.body));
    // The provider resumes the authorization and redirects to the portal's callback.
    for _ in 0..5 {
        if next.starts_with(CALLBACK) {
            break;
        }
        let answer = browser.get(&next).await;
        next = answer
            .location
            .unwrap_or_else(|| panic!("resuming: {} {}", answer.status, answer.body));
    }
    assert!(next.starts_with(CALLBACK), "{next}");
    Returned {
        callback: next.trim_start_matches("http://127.0.0.1:3000").to_owned(),
        cookie,
    }
}

/// GET /federation/start as a signed-out browser (the sign-in page's link).
pub(super) async fn start(app: &TestApp, email: &str) -> TestResponse {
    let query =
        serde_urlencoded::to_string([("email", email), ("next", "/profile")]).expect("query");
    app.get(&format!("/federation/start?{query}"), None).await
}

/// The whole round trip of a sign-in: start with `email`, log in at the directory as `login`,
/// and come back to the portal's callback (with the browser's binding cookie).
pub(super) async fn sign_in_through(
    app: &TestApp,
    provider: &Provider,
    email: &str,
    login: &str,
) -> TestResponse {
    let returned = log_in_at_directory(provider, &start(app, email).await, login).await;
    app.get(&returned.callback, Some(&returned.cookie)).await
}

/// GET /federation/test as an administrator following the page's link.
pub(super) async fn start_test(app: &TestApp, cookie: &str, domain_id: i64) -> TestResponse {
    app.request(
        Request::get(format!("/federation/test?domain_id={domain_id}"))
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

/// Northwind (northwind.example, verified) with its Global Administrator Nadia signed in.
pub(super) struct Northwind {
    pub id: i64,
    pub domain_id: i64,
    pub nadia: i64,
    pub admin: String,
}

pub(super) async fn northwind(app: &TestApp) -> Northwind {
    let id = app
        .create_organization("Northwind", "northwind.example")
        .await;
    let nadia = app
        .create_account("work", "nadia@northwind.example", "Nadia Admin")
        .await;
    app.exec(&format!(
        "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
         VALUES ({nadia}, {id}, 'global', 1)"
    ))
    .await;
    let domain_id = app
        .count(&format!(
            "SELECT id FROM organization_domains WHERE organization_id = {id}"
        ))
        .await;
    let admin = app.signed_in("nadia@northwind.example", "work").await;
    Northwind {
        id,
        domain_id,
        nadia,
        admin,
    }
}

/// Saves the directory of Northwind's domain through the page's server function.
pub(super) async fn configure(app: &TestApp, n: &Northwind, issuer: &str, create_accounts: bool) {
    let domain_id = n.domain_id.to_string();
    let mut form = vec![
        ("domain_id", domain_id.as_str()),
        ("issuer", issuer),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ];
    if create_accounts {
        form.push(("create_accounts", "on"));
    }
    let saved = app
        .call("save_federation", &form, Some(&n.admin), &[])
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
}

pub(super) async fn switch(app: &TestApp, n: &Northwind, on: &str) {
    let domain_id = n.domain_id.to_string();
    let switched = app
        .call(
            "switch_federation",
            &[("domain_id", &domain_id), ("on", on)],
            Some(&n.admin),
            &[],
        )
        .await;
    assert_eq!(switched.status, 200, "{}", switched.body);
}

/// The email of the account a session cookie belongs to.
pub(super) async fn signed_in_as(app: &TestApp, session: &str) -> String {
    let who = app.call("current_user", &[], Some(session), &[]).await;
    let value: serde_json::Value = serde_json::from_str(&who.body).expect("json");
    value["email"].as_str().unwrap_or_default().to_owned()
}

/// Where a refused callback sends the browser.
pub(super) fn refused_with(response: &TestResponse, reason: &str) {
    assert_eq!(response.status, 303, "{}", response.body);
    assert_eq!(
        response.header("location"),
        Some(format!("/sign-in?federation_error={reason}").as_str())
    );
    assert!(
        response.session_cookie().is_none(),
        "a refusal starts no session"
    );
}
