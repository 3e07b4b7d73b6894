//! The Identity page and Manage Users of an organization over HTTP, on both engines: the
//! organization's information, adding a user (with the mail to set a password), editing,
//! disabling (every session ends), enabling and deleting, roles and the last Global
//! Administrator, what a User Administrator may not touch, the list's search, sort and pages,
//! and who may call each function (roles × own and other organization × anonymous).

mod changes;
mod deletion;
mod list;
mod matrix;

use crate::common::{TestApp, TestResponse};
pub(super) use crate::organizations::world;
use app::identity::{OrgInfo, OrgUserData, OrgUsersData};

pub(super) async fn call(
    app: &TestApp,
    function: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> TestResponse {
    app.call(function, form, cookie, &[]).await
}

pub(super) async fn info(app: &TestApp, cookie: &str) -> OrgInfo {
    let read = call(app, "identity_organization", &[], Some(cookie)).await;
    assert_eq!(read.status, 200, "{}", read.body);
    serde_json::from_str(&read.body).expect("info")
}

pub(super) async fn user(app: &TestApp, cookie: &str, id: i64) -> OrgUserData {
    let read = call(
        app,
        "identity_user",
        &[("id", &id.to_string())],
        Some(cookie),
    )
    .await;
    assert_eq!(read.status, 200, "{}", read.body);
    serde_json::from_str(&read.body).expect("user")
}

pub(super) async fn users(
    app: &TestApp,
    cookie: &str,
    q: &str,
    sort: &str,
    desc: bool,
    page: i64,
) -> OrgUsersData {
    let page = page.to_string();
    let desc = desc.to_string();
    let read = call(
        app,
        "identity_users",
        &[("q", q), ("sort", sort), ("desc", &desc), ("page", &page)],
        Some(cookie),
    )
    .await;
    assert_eq!(read.status, 200, "{}", read.body);
    serde_json::from_str(&read.body).expect("users")
}

/// What a refused change must leave as it was: accounts, their names and states, roles,
/// sessions, the outbox and the log.
pub(super) async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM accounts",
        "SELECT COUNT(*) FROM accounts WHERE disabled_at IS NOT NULL",
        "SELECT COUNT(DISTINCT display_name) FROM accounts",
        "SELECT COUNT(*) FROM organization_roles",
        "SELECT COUNT(*) FROM sessions",
        "SELECT COUNT(*) FROM outbox",
        "SELECT COUNT(*) FROM audit_log",
        "SELECT COUNT(*) FROM organizations WHERE address <> ''",
    ] {
        out.push(app.count(sql).await);
    }
    out
}
