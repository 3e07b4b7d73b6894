//! Opening a case, and who sees it.

use super::*;

on_both_engines!(a_support_contact_opens_a_case_and_others_cannot, |app| {
    let w = world(&app).await;
    let id = open_ok(&app, &w.contact, w.workspace, "Mailbox unreachable", "b").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM cases WHERE id = {id} AND workspace_id = {} \
             AND severity = 'b' AND status = 'new' AND title = 'Mailbox unreachable'",
            w.workspace
        ))
        .await,
        1
    );
    let mail = app.latest_mail("sc@contoso.com").await;
    assert!(mail.contains("Mailbox unreachable"), "{mail}");
    assert!(
        mail.contains(&format!("/workspaces/{}/cases/{id}", w.workspace)),
        "{mail}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'case.open' AND object_id = {id}"
        ))
        .await,
        1
    );

    // A plain member and an administrator who is no support contact: 403, nothing written.
    let before = app.count("SELECT COUNT(*) FROM outbox").await;
    for cookie in [&w.member, &w.wa] {
        let refused = open(&app, cookie, w.workspace, "Anything", "c").await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(
            refused
                .body
                .contains("Only support contacts can open support cases"),
            "{}",
            refused.body
        );
    }
    // Another tenant's workspace: 404.
    let hidden = open(&app, &w.contact, w.fabrikam, "Anything", "c").await;
    assert_eq!(hidden.status, 404, "{}", hidden.body);

    // Bad input names the field and writes nothing.
    for (title, severity, field) in [
        ("", "a", "title"),
        ("Fine title", "x", "severity"),
        (&"t".repeat(201) as &str, "a", "title"),
    ] {
        let refused = open(&app, &w.contact, w.workspace, title, severity).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains(&format!("\"{field}\"")),
            "{}",
            refused.body
        );
    }
    let title_200 = "t".repeat(200);
    open_ok(&app, &w.contact, w.workspace, &title_200, "c").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'case.open'")
            .await,
        2
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, before + 1);
});

on_both_engines!(visibility_matrix, |app| {
    let w = world(&app).await;
    let id = open_ok(&app, &w.contact, w.workspace, "Secret outage", "a").await;
    let sees = |cookie: String, workspace: i64| {
        let app = app.clone();
        async move {
            let response = detail(&app, &cookie, workspace, id).await;
            let listed = list_response(&app, &cookie, workspace, "", "", false, "", 1).await;
            (response.status, listed)
        }
    };
    // Who sees it in its own workspace.
    for (who, cookie) in [
        ("opener", &w.contact),
        ("workspace admin", &w.wa),
        ("services admin", &w.sa),
        ("assigned csam", &w.csam),
        ("view all", &w.viewer),
    ] {
        let (status, listed) = sees(cookie.clone(), w.workspace).await;
        assert_eq!(status, 200, "{who}");
        assert_eq!(listed.status, 200, "{who}: {}", listed.body);
        let listed = json(&listed);
        assert_eq!(ids(&listed), vec![id], "{who}");
        assert_eq!(listed["total"], 1, "{who}");
    }
    // A member it is not shared with, another support contact: 404, absent from list and count.
    for (who, cookie) in [("member", &w.member), ("other contact", &w.contact2)] {
        let (status, listed) = sees(cookie.clone(), w.workspace).await;
        assert_eq!(status, 404, "{who}");
        let listed = json(&listed);
        assert!(ids(&listed).is_empty(), "{who}");
        assert_eq!(listed["total"], 0, "{who}");
    }
    // Outside the workspace: 404 with the case id, in whichever workspace they name.
    for (who, cookie, workspace) in [
        (
            "finance member, contoso workspace",
            &w.finance_member,
            w.workspace,
        ),
        (
            "finance member, own workspace",
            &w.finance_member,
            w.finance,
        ),
        (
            "fabrikam member, contoso workspace",
            &w.fabrikam_member,
            w.workspace,
        ),
        (
            "fabrikam member, own workspace",
            &w.fabrikam_member,
            w.fabrikam,
        ),
        ("unassigned csam", &w.other_csam, w.workspace),
    ] {
        let response = detail(&app, cookie, workspace, id).await;
        assert_eq!(response.status, 404, "{who}: {}", response.body);
        let note = call(
            &app,
            "add_case_note",
            cookie,
            &[
                ("workspace_id", workspace.to_string()),
                ("case_id", id.to_string()),
                ("body", "let me in".to_owned()),
            ],
        )
        .await;
        assert_eq!(note.status, 404, "{who}: {}", note.body);
    }
    // A member may neither note nor share a case they cannot see.
    let note = call(
        &app,
        "add_case_note",
        &w.member,
        &[
            ("workspace_id", w.workspace.to_string()),
            ("case_id", id.to_string()),
            ("body", "hello".to_owned()),
        ],
    )
    .await;
    assert_eq!(note.status, 404, "{}", note.body);

    // Shared with a member of another workspace or an unknown address: a field error.
    let share = |cookie: String, email: &'static str| {
        let app = app.clone();
        let ws = w.workspace;
        async move {
            call(
                &app,
                "share_case",
                &cookie,
                &[
                    ("workspace_id", ws.to_string()),
                    ("case_id", id.to_string()),
                    ("email", email.to_owned()),
                ],
            )
            .await
        }
    };
    for email in [
        "fin@contoso.com",
        "member@fabrikam.com",
        "nobody@contoso.com",
    ] {
        let refused = share(w.contact.clone(), email).await;
        assert_eq!(refused.status, 422, "{email}: {}", refused.body);
        assert!(refused.body.contains("\"email\""), "{}", refused.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM case_shares").await, 0);
    // The opener shares it with the member, who then sees it.
    let shared = share(w.contact.clone(), "member@contoso.com").await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    assert!(app
        .latest_mail("member@contoso.com")
        .await
        .contains("Secret outage"));
    let (status, listed) = sees(w.member.clone(), w.workspace).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&json(&listed)), vec![id]);
    // Only the opener and administrators share; the member it is shared with cannot.
    let refused = share(w.member.clone(), "sc2@contoso.com").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'case.share'")
            .await,
        1
    );

    // A note by the member reaches the opener, not its author.
    let outbox = app.count("SELECT COUNT(*) FROM outbox").await;
    let note = call(
        &app,
        "add_case_note",
        &w.member,
        &[
            ("workspace_id", w.workspace.to_string()),
            ("case_id", id.to_string()),
            ("body", "Same here".to_owned()),
        ],
    )
    .await;
    assert_eq!(note.status, 200, "{}", note.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, outbox + 1);
    assert!(app
        .latest_mail("sc@contoso.com")
        .await
        .contains("Same here"));
    let empty = call(
        &app,
        "add_case_note",
        &w.member,
        &[
            ("workspace_id", w.workspace.to_string()),
            ("case_id", id.to_string()),
            ("body", "  ".to_owned()),
        ],
    )
    .await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    assert!(empty.body.contains("\"body\""), "{}", empty.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_events WHERE case_id = {id} AND kind = 'note'"
        ))
        .await,
        1
    );
});
