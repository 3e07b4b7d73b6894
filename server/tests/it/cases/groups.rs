//! Sharing with a group, and sorting on the server.

use super::*;

/// `call` for functions whose answer is checked by status: the form's values as (name, value).
async fn post(app: &TestApp, function: &str, cookie: &str, form: &[(&str, &str)]) -> TestResponse {
    app.call(function, form, Some(cookie), &[]).await
}

on_both_engines!(sharing_with_a_group_of_the_workspace, |app| {
    let w = world(&app).await;
    let ws = w.workspace.to_string();
    let id = open_ok(&app, &w.contact, w.workspace, "VPN drops", "b").await;
    let case = id.to_string();
    // Only the workspace's administrators make groups.
    for (cookie, status) in [(&w.member, 403), (&w.contact, 403), (&w.csam, 403)] {
        let refused = post(
            &app,
            "create_group",
            cookie,
            &[("workspace_id", &ws), ("name", "Network")],
        )
        .await;
        assert_eq!(refused.status, status, "{}", refused.body);
    }
    let refused = post(
        &app,
        "create_group",
        &w.finance_member,
        &[("workspace_id", &ws), ("name", "Network")],
    )
    .await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM workspace_groups").await, 0);
    let blank = post(
        &app,
        "create_group",
        &w.wa,
        &[("workspace_id", &ws), ("name", "  ")],
    )
    .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    assert!(blank.body.contains("\"name\""), "{}", blank.body);
    let made = post(
        &app,
        "create_group",
        &w.wa,
        &[("workspace_id", &ws), ("name", "Network")],
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let taken = post(
        &app,
        "create_group",
        &w.sa,
        &[("workspace_id", &ws), ("name", "NETWORK")],
    )
    .await;
    assert_eq!(taken.status, 422, "{}", taken.body);
    let group = app
        .count("SELECT id FROM workspace_groups WHERE name = 'Network'")
        .await
        .to_string();
    // The Finance workspace's own group, which a Contoso Default Workspace case cannot use.
    let fin = w.finance.to_string();
    let made = post(
        &app,
        "create_group",
        &w.finance_member,
        &[("workspace_id", &fin), ("name", "Finance team")],
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let finance_group = app
        .count("SELECT id FROM workspace_groups WHERE name = 'Finance team'")
        .await
        .to_string();

    // Members: only members of the workspace, by address; another workspace's group is missing.
    for (email, status) in [
        ("fin@contoso.com", 422),
        ("nobody@contoso.com", 422),
        ("member@contoso.com", 200),
        ("member@contoso.com", 422),
    ] {
        let added = post(
            &app,
            "add_group_member",
            &w.wa,
            &[
                ("workspace_id", &ws),
                ("group_id", &group),
                ("email", email),
            ],
        )
        .await;
        assert_eq!(added.status, status, "{email}: {}", added.body);
    }
    let smuggled = post(
        &app,
        "add_group_member",
        &w.wa,
        &[
            ("workspace_id", &ws),
            ("group_id", &finance_group),
            ("email", "member@contoso.com"),
        ],
    )
    .await;
    assert_eq!(smuggled.status, 404, "{}", smuggled.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM group_members").await, 1);
    let listed = post(&app, "list_groups", &w.sa, &[("workspace_id", &ws)]).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let listed = json(&listed);
    assert_eq!(listed["groups"][0]["name"], "Network");
    assert_eq!(
        listed["groups"][0]["members"][0]["email"],
        "member@contoso.com"
    );
    assert!(!listed.to_string().contains("Finance team"), "{listed}");

    // Before sharing, the member does not see the case.
    assert_eq!(detail(&app, &w.member, w.workspace, id).await.status, 404);
    // Who may share: the opener or an administrator; never with another workspace's group.
    let refused = post(
        &app,
        "share_case_with_group",
        &w.contact2,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("group_id", &group),
        ],
    )
    .await;
    assert_eq!(
        refused.status, 404,
        "not visible to another contact: {}",
        refused.body
    );
    let refused = post(
        &app,
        "share_case_with_group",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("group_id", &finance_group),
        ],
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("\"group_id\""), "{}", refused.body);
    let refused = post(
        &app,
        "share_case_with_group",
        &w.contact,
        &[("workspace_id", &ws), ("case_id", &case), ("group_id", "")],
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_group_shares").await, 0);
    let outbox = app.count("SELECT COUNT(*) FROM outbox").await;
    let shared = post(
        &app,
        "share_case_with_group",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("group_id", &group),
        ],
    )
    .await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, outbox + 1);
    assert!(app
        .latest_mail("member@contoso.com")
        .await
        .contains("VPN drops"));
    let again = post(
        &app,
        "share_case_with_group",
        &w.wa,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("group_id", &group),
        ],
    )
    .await;
    assert_eq!(again.status, 422, "{}", again.body);

    // Now the group's member sees it (page and list); the other members still do not.
    let seen = detail(&app, &w.member, w.workspace, id).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(json(&seen)["shared_with_groups"][0], "Network");
    assert_eq!(
        ids(&list(&app, &w.member, w.workspace, "", "", false, "", 1).await),
        vec![id]
    );
    assert_eq!(detail(&app, &w.contact2, w.workspace, id).await.status, 404);
    assert_eq!(
        list(&app, &w.contact2, w.workspace, "", "", false, "", 1).await["total"],
        0
    );
    // A note reaches the group's member as a watcher.
    let outbox = app.count("SELECT COUNT(*) FROM outbox").await;
    let note = post(
        &app,
        "add_case_note",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("body", "Router replaced"),
        ],
    )
    .await;
    assert_eq!(note.status, 200, "{}", note.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, outbox + 1);
    assert!(app
        .latest_mail("member@contoso.com")
        .await
        .contains("Router replaced"));

    // Taken out of the group, the member no longer sees it.
    let member_id = app
        .count("SELECT id FROM accounts WHERE email = 'member@contoso.com'")
        .await
        .to_string();
    let out = post(
        &app,
        "remove_group_member",
        &w.wa,
        &[
            ("workspace_id", &ws),
            ("group_id", &group),
            ("account_id", &member_id),
        ],
    )
    .await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert_eq!(detail(&app, &w.member, w.workspace, id).await.status, 404);
    // Removed from the workspace, a member leaves its groups too.
    let added = post(
        &app,
        "add_group_member",
        &w.wa,
        &[
            ("workspace_id", &ws),
            ("group_id", &group),
            ("email", "member@contoso.com"),
        ],
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.body);
    // Also shared with them by name: removal forgets that too.
    let named = post(
        &app,
        "share_case",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("email", "member@contoso.com"),
        ],
    )
    .await;
    assert_eq!(named.status, 200, "{}", named.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_shares").await, 1);
    let membership = app
        .count(&format!(
            "SELECT id FROM memberships WHERE workspace_id = {ws} AND account_id = {member_id}"
        ))
        .await
        .to_string();
    let removed = post(
        &app,
        "remove_member",
        &w.wa,
        &[("workspace_id", &ws), ("membership_id", &membership)],
    )
    .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM group_members").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_shares").await, 0);
    // Deleting the group takes its shares with it; every step is in the audit log.
    let deleted = post(
        &app,
        "delete_group",
        &w.sa,
        &[("workspace_id", &ws), ("group_id", &group)],
    )
    .await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_group_shares").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'group.%'")
            .await,
        6
    );
});

on_both_engines!(the_list_sorts_on_the_server, |app| {
    let w = world(&app).await;
    let b = open_ok(&app, &w.contact, w.workspace, "beta", "c").await;
    let a = open_ok(&app, &w.contact, w.workspace, "Alpha", "b").await;
    let c = open_ok(&app, &w.contact, w.workspace, "charlie", "a").await;
    // The CSAM moves "beta" on, so it is the most recently updated and not "new".
    let moved = post(
        &app,
        "set_case_status",
        &w.csam,
        &[
            ("workspace_id", &w.workspace.to_string()),
            ("case_id", &b.to_string()),
            ("status", "in_progress"),
        ],
    )
    .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let ws = w.workspace.to_string();
    for (sort, expected) in [
        ("", vec![c, a, b]),
        ("newest", vec![c, a, b]),
        ("oldest", vec![b, a, c]),
        ("title", vec![a, b, c]),
        ("severity", vec![c, a, b]),
        ("status", vec![c, a, b]),
        ("'; DROP TABLE cases; --", vec![c, a, b]),
    ] {
        let listed = post(
            &app,
            "list_cases",
            &w.contact,
            &[
                ("workspace_id", &ws),
                ("status", ""),
                ("severity", ""),
                ("mine", "false"),
                ("search", ""),
                ("page", "1"),
                ("sort", sort),
            ],
        )
        .await;
        assert_eq!(listed.status, 200, "{sort}: {}", listed.body);
        assert_eq!(ids(&json(&listed)), expected, "sort {sort:?}");
    }
    // Recently updated: "beta" changed a minute later (the test runs within one second).
    app.exec(&format!(
        "UPDATE cases SET updated_at = updated_at + 60 WHERE id = {b}"
    ))
    .await;
    let listed = post(
        &app,
        "list_cases",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("status", ""),
            ("severity", ""),
            ("mine", "false"),
            ("search", ""),
            ("page", "1"),
            ("sort", "updated"),
        ],
    )
    .await;
    assert_eq!(ids(&json(&listed))[0], b);
});
