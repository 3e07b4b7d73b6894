//! The organization's groups over HTTP, on both engines: who reads and changes them (Global and
//! User Administrators of the same organization), another organization's group answering like a
//! missing one, names unique per organization whatever their case, members only from the own
//! organization, every change in the organization's log, and the pages.

mod matrix;

use crate::common::{TestApp, TestResponse};
use app::org_groups::{OrgGroupDetail, OrgGroupList};

pub(super) fn list_of(response: &TestResponse) -> OrgGroupList {
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("groups")
}

pub(super) fn detail_of(response: &TestResponse) -> OrgGroupDetail {
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("group")
}

pub(super) async fn list(app: &TestApp, cookie: Option<&str>, search: &str) -> TestResponse {
    app.call(
        "org_groups",
        &[("search", search), ("page", "1")],
        cookie,
        &[],
    )
    .await
}

pub(super) async fn detail(app: &TestApp, cookie: Option<&str>, group: i64) -> TestResponse {
    let group = group.to_string();
    app.call(
        "org_group",
        &[("group_id", &group), ("page", "1")],
        cookie,
        &[],
    )
    .await
}

pub(super) async fn create(
    app: &TestApp,
    cookie: Option<&str>,
    name: &str,
    description: &str,
) -> TestResponse {
    app.call(
        "create_org_group",
        &[("name", name), ("description", description)],
        cookie,
        &[],
    )
    .await
}

/// Creates a group and answers its id (from the redirect to its page).
pub(super) async fn create_ok(app: &TestApp, cookie: &str, name: &str) -> i64 {
    let done = create(app, Some(cookie), name, "").await;
    assert_eq!(done.status, 200, "{}", done.body);
    let location = done.header("location").expect("location");
    location
        .strip_prefix("/organization/groups/")
        .and_then(|rest| rest.strip_suffix("?done=created"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"))
}

pub(super) async fn edit(
    app: &TestApp,
    cookie: Option<&str>,
    group: i64,
    name: &str,
    description: &str,
) -> TestResponse {
    let group = group.to_string();
    app.call(
        "edit_org_group",
        &[
            ("group_id", &group),
            ("name", name),
            ("description", description),
        ],
        cookie,
        &[],
    )
    .await
}

pub(super) async fn delete(app: &TestApp, cookie: Option<&str>, group: i64) -> TestResponse {
    let group = group.to_string();
    app.call("delete_org_group", &[("group_id", &group)], cookie, &[])
        .await
}

pub(super) async fn add(
    app: &TestApp,
    cookie: Option<&str>,
    group: i64,
    email: &str,
) -> TestResponse {
    let group = group.to_string();
    app.call(
        "add_org_group_member",
        &[("group_id", &group), ("email", email)],
        cookie,
        &[],
    )
    .await
}

pub(super) async fn remove(
    app: &TestApp,
    cookie: Option<&str>,
    group: i64,
    account: i64,
) -> TestResponse {
    let (group, account) = (group.to_string(), account.to_string());
    app.call(
        "remove_org_group_member",
        &[("group_id", &group), ("account_id", &account)],
        cookie,
        &[],
    )
    .await
}

/// What a refused write must leave as it was: groups, memberships and the log.
pub(super) async fn snapshot(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM org_groups").await,
        app.count("SELECT COUNT(*) FROM org_group_members").await,
        app.count("SELECT COUNT(*) FROM audit_log").await,
    )
}
