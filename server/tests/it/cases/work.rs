//! Time, status, and the list's filters and pages.

use super::*;

on_both_engines!(time_and_status, |app| {
    let w = world(&app).await;
    let id = open_ok(&app, &w.contact, w.workspace, "Slow queries", "b").await;
    let form = |minutes: &str| {
        vec![
            ("workspace_id", w.workspace.to_string()),
            ("case_id", id.to_string()),
            ("minutes", minutes.to_owned()),
            ("note", "Looked at the plans".to_owned()),
        ]
    };
    for cookie in [&w.contact, &w.member, &w.wa, &w.sa] {
        let refused = call(&app, "record_case_time", cookie, &form("30")).await;
        assert!(
            refused.status == 403 || refused.status == 404,
            "{}",
            refused.body
        );
    }
    let refused = call(&app, "record_case_time", &w.contact, &form("30")).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    for bad in ["0", "1441", "abc"] {
        let refused = call(&app, "record_case_time", &w.csam, &form(bad)).await;
        assert_eq!(refused.status, 422, "{bad}: {}", refused.body);
        assert!(refused.body.contains("\"minutes\""), "{}", refused.body);
    }
    let hidden = call(&app, "record_case_time", &w.other_csam, &form("30")).await;
    assert_eq!(hidden.status, 404, "{}", hidden.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_events").await, 0);
    let recorded = call(&app, "record_case_time", &w.csam, &form("45")).await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_events WHERE case_id = {id} AND kind = 'time' \
             AND minutes = 45 AND staff = 1"
        ))
        .await,
        1
    );
    let seen = json(&detail(&app, &w.contact, w.workspace, id).await);
    assert_eq!(seen["total_minutes"], 45);

    let status = |cookie: String, status: &'static str| {
        let app = app.clone();
        let ws = w.workspace;
        async move {
            call(
                &app,
                "set_case_status",
                &cookie,
                &[
                    ("workspace_id", ws.to_string()),
                    ("case_id", id.to_string()),
                    ("status", status.to_owned()),
                ],
            )
            .await
        }
    };
    // Staff move it along; the opener may not, except to close or reopen.
    let moved = status(w.csam.clone(), "in_progress").await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert!(app
        .latest_mail("sc@contoso.com")
        .await
        .contains("In progress"));
    let refused = status(w.contact.clone(), "resolved").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = status(w.wa.clone(), "closed").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let bad = status(w.csam.clone(), "open").await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let closed = status(w.contact.clone(), "closed").await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM cases WHERE id = {id} AND status = 'closed' \
             AND closed_at IS NOT NULL"
        ))
        .await,
        1
    );
    let reopened = status(w.contact.clone(), "new").await;
    assert_eq!(reopened.status, 200, "{}", reopened.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM cases WHERE id = {id} AND status = 'new' AND closed_at IS NULL"
        ))
        .await,
        1
    );
    let seen = json(&detail(&app, &w.contact, w.workspace, id).await);
    let kinds: Vec<&str> = seen["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["time", "status", "status", "status"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('case.status', 'case.time')")
            .await,
        4
    );
});

on_both_engines!(list_filters_searches_and_pages, |app| {
    let w = world(&app).await;
    let mut mine = Vec::new();
    for n in 0..27 {
        let severity = ["a", "b", "c"][n % 3];
        mine.push(
            open_ok(
                &app,
                &w.contact,
                w.workspace,
                &format!("Issue {n}"),
                severity,
            )
            .await,
        );
    }
    let other = open_ok(&app, &w.contact2, w.workspace, "Printer 100%_done", "a").await;
    app.exec(&format!(
        "UPDATE cases SET status = 'resolved' WHERE id IN ({}, {})",
        mine[0], mine[1]
    ))
    .await;
    // The administrator sees all 28, 25 on the first page, 3 on the second.
    let first = list(&app, &w.wa, w.workspace, "", "", false, "", 1).await;
    assert_eq!(first["total"], 28);
    assert_eq!(ids(&first).len(), 25);
    let second = list(&app, &w.wa, w.workspace, "", "", false, "", 2).await;
    assert_eq!(ids(&second).len(), 3);
    assert_eq!(second["page"], 2);
    let past = list(&app, &w.wa, w.workspace, "", "", false, "", 99).await;
    assert_eq!(past["page"], 2);
    // Filters.
    let resolved = list(&app, &w.wa, w.workspace, "resolved", "", false, "", 1).await;
    let mut got = ids(&resolved);
    got.sort_unstable();
    assert_eq!(got, vec![mine[0], mine[1]]);
    let severe = list(&app, &w.wa, w.workspace, "", "a", false, "", 1).await;
    assert_eq!(severe["total"], 10);
    let own = list(&app, &w.contact2, w.workspace, "", "", true, "", 1).await;
    assert_eq!(ids(&own), vec![other]);
    let own = list(&app, &w.wa, w.workspace, "", "", true, "", 1).await;
    assert_eq!(own["total"], 0);
    let contact_all = list(&app, &w.contact, w.workspace, "", "", false, "", 1).await;
    assert_eq!(
        contact_all["total"], 27,
        "the other contact's case is not theirs"
    );
    // Search on titles, wildcards taken literally.
    let found = list(&app, &w.wa, w.workspace, "", "", false, "100%_", 1).await;
    assert_eq!(ids(&found), vec![other]);
    let found = list(&app, &w.wa, w.workspace, "", "", false, "issue 2", 1).await;
    assert_eq!(found["total"], 8, "Issue 2 and Issue 20..26");
    let none = list(&app, &w.wa, w.workspace, "", "", false, "%", 1).await;
    assert_eq!(none["total"], 1, "only the title with a literal %");
    // The pages render on the server for a signed-in member.
    let page = app
        .get(
            &format!("/workspaces/{}/cases", w.workspace),
            Some(&w.contact),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("New support request"),
        "support contacts see the form"
    );
    let page = app
        .get(
            &format!("/workspaces/{}/cases", w.workspace),
            Some(&w.member),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Only support contacts open support cases"));
    let page = app
        .get(
            &format!("/workspaces/{}/cases/{}", w.workspace, mine[2]),
            Some(&w.contact),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Issue 2"));
    let page = app
        .get(
            &format!("/workspaces/{}/cases/{}", w.workspace, mine[2]),
            Some(&w.member),
        )
        .await;
    assert_eq!(page.status, 404);
    let page = app
        .get(&format!("/workspaces/{}", w.workspace), Some(&w.member))
        .await;
    assert!(page
        .body
        .contains(&format!("/workspaces/{}/cases", w.workspace)));
});

on_both_engines!(
    view_all_support_requests_is_granted_in_manage_users,
    |app| {
        let w = world(&app).await;
        let case = open_ok(&app, &w.contact, w.workspace, "Disk full", "c").await;
        assert_eq!(detail(&app, &w.member, w.workspace, case).await.status, 404);
        let membership = app
            .count(&format!(
                "SELECT m.id FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE a.email = 'member@contoso.com' AND m.workspace_id = {}",
                w.workspace
            ))
            .await;
        let grant = |cookie: String, on: &'static str| {
            let app = app.clone();
            async move {
                call(
                    &app,
                    "set_view_all_cases",
                    &cookie,
                    &[
                        ("workspace_id", w.workspace.to_string()),
                        ("membership_id", membership.to_string()),
                        ("on", on.to_owned()),
                    ],
                )
                .await
            }
        };
        // A plain member cannot grant it to themselves; another organization's admin gets 404.
        assert_eq!(grant(w.member.clone(), "on").await.status, 403);
        assert_eq!(grant(w.fabrikam_member.clone(), "on").await.status, 404);
        assert_eq!(detail(&app, &w.member, w.workspace, case).await.status, 404);
        // The Workspace Administrator grants it: the member now sees every case, and the
        // change is in the audit log; taking it back hides the case again.
        assert_eq!(grant(w.wa.clone(), "on").await.status, 200);
        assert_eq!(detail(&app, &w.member, w.workspace, case).await.status, 200);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.view_all_cases_on'")
                .await,
            1
        );
        assert_eq!(grant(w.sa.clone(), "off").await.status, 200);
        assert_eq!(detail(&app, &w.member, w.workspace, case).await.status, 404);
    }
);
