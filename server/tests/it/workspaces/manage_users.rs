//! Manage Users' list.

use super::*;

async fn list(
    app: &TestApp,
    cookie: &str,
    workspace: i64,
    search: &str,
    sort: &str,
    descending: bool,
    page: i64,
) -> Value {
    let (workspace, page) = (workspace.to_string(), page.to_string());
    let response = app
        .call(
            "list_users",
            &[
                ("workspace_id", workspace.as_str()),
                ("search", search),
                ("sort", sort),
                ("descending", if descending { "true" } else { "false" }),
                ("page", page.as_str()),
            ],
            Some(cookie),
            &[],
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    json(&response)
}

fn emails(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["email"].as_str().expect("email").to_owned())
        .collect()
}

on_both_engines!(manage_users_lists_searches_sorts_and_pages, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    let addresses: Vec<String> = (1..=30)
        .map(|n| format!("user{n:02}@contoso.com"))
        .collect();
    let invited = invite(
        &app,
        &admin,
        deal.workspace,
        &addresses.join(", "),
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    assert_eq!(json(&invited)["invited"], 30);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE status = 'pending'")
            .await,
        30
    );

    // Members and invitations together, sorted by email, descending.
    let first = list(&app, &admin, deal.workspace, "", "email", true, 1).await;
    assert_eq!(first["total"], 31, "{first}");
    assert_eq!(first["rows"].as_array().expect("rows").len(), 25);
    assert_eq!(emails(&first)[0], "user30@contoso.com");
    assert_eq!(emails(&first)[1], "user29@contoso.com");
    let second = list(&app, &admin, deal.workspace, "", "email", true, 2).await;
    assert_eq!(second["page"], 2);
    assert_eq!(
        emails(&second),
        vec![
            "user05@contoso.com",
            "user04@contoso.com",
            "user03@contoso.com",
            "user02@contoso.com",
            "user01@contoso.com",
            "sa@contoso.com",
        ]
    );
    let last = &second["rows"][5];
    assert_eq!(last["kind"], "Member", "{last}");
    assert_eq!(last["status"], "Registered", "{last}");
    assert_eq!(second["rows"][0]["kind"], "Invitation");
    assert_eq!(second["rows"][0]["status"], "Invited");
    // Past the last page answers the last page.
    let beyond = list(&app, &admin, deal.workspace, "", "email", true, 99).await;
    assert_eq!(beyond["page"], 2);

    // Search matches the start of the name, of its last word, of the address or of its
    // domain, case-insensitively; % and _ are characters, not wildcards.
    let found = list(&app, &admin, deal.workspace, "USER0", "email", false, 1).await;
    assert_eq!(found["total"], 9, "{found}");
    assert_eq!(emails(&found)[0], "user01@contoso.com");
    let domain = list(&app, &admin, deal.workspace, "Contoso.", "email", false, 2).await;
    assert_eq!(domain["total"], 31, "{domain}");
    assert_eq!(domain["page"], 2, "{domain}");
    let inside = list(&app, &admin, deal.workspace, "ser0", "email", false, 1).await;
    assert_eq!(inside["total"], 0, "{inside}");
    let percent = list(&app, &admin, deal.workspace, "%", "email", false, 1).await;
    assert_eq!(percent["total"], 0, "{percent}");
    app.exec(
        "UPDATE accounts SET display_name = '100% Sam' WHERE email_canonical = 'sa@contoso.com'",
    )
    .await;
    let literal = list(&app, &admin, deal.workspace, "100% s", "email", false, 1).await;
    assert_eq!(emails(&literal), vec!["sa@contoso.com"], "{literal}");
    let last_word = list(&app, &admin, deal.workspace, " SAM ", "email", false, 1).await;
    assert_eq!(emails(&last_word), vec!["sa@contoso.com"], "{last_word}");
    let percent = list(&app, &admin, deal.workspace, "100%", "email", false, 1).await;
    assert_eq!(emails(&percent), vec!["sa@contoso.com"], "{percent}");
    let underscore = list(&app, &admin, deal.workspace, "user_1", "email", false, 1).await;
    assert_eq!(underscore["total"], 0, "{underscore}");
    let member = list(&app, &admin, deal.workspace, "SA@", "name", false, 1).await;
    assert_eq!(emails(&member), vec!["sa@contoso.com"]);
});

fn statuses(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["status"].as_str().expect("status").to_owned())
        .collect()
}

// The list follows every change of the rows it comes from (a renamed account, an invitation
// accepted, one past its expiry, a sign-in), in every sort; `finish` then proves the roster
// equal to what the members and invitations derive.
on_both_engines!(manage_users_follows_every_change_in_every_sort, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    for email in ["old@contoso.com", "new@contoso.com", "late@contoso.com"] {
        let invited = invite(&app, &admin, deal.workspace, email, "member", false).await;
        assert_eq!(invited.status, 200, "{}", invited.body);
    }
    invite_and_register(&app, &admin, deal.workspace, "joined@contoso.com").await;
    app.exec("UPDATE invitations SET expires_at = 1 WHERE email_canonical = 'late@contoso.com'")
        .await;
    let by_status = list(&app, &admin, deal.workspace, "", "status", false, 1).await;
    assert_eq!(
        statuses(&by_status),
        ["Expired", "Invited", "Invited", "Registered", "Registered"],
        "{by_status}"
    );
    assert_eq!(emails(&by_status)[0], "late@contoso.com");
    let backwards = list(&app, &admin, deal.workspace, "", "status", true, 1).await;
    assert_eq!(
        statuses(&backwards),
        ["Registered", "Registered", "Invited", "Invited", "Expired"],
        "{backwards}"
    );

    // A member who takes an invited address hides its invitation; giving it up shows it again.
    app.exec(
        "UPDATE accounts SET email = 'new@contoso.com', email_canonical = 'new@contoso.com', \
         display_name = 'Zed Newman' WHERE email_canonical = 'joined@contoso.com'",
    )
    .await;
    let renamed = list(&app, &admin, deal.workspace, "", "name", true, 1).await;
    assert_eq!(renamed["total"], 4, "{renamed}");
    assert_eq!(renamed["rows"][0]["name"], "Zed Newman", "{renamed}");
    assert_eq!(renamed["rows"][0]["status"], "Registered", "{renamed}");
    let found = list(&app, &admin, deal.workspace, "newm", "name", false, 1).await;
    assert_eq!(emails(&found), ["new@contoso.com"], "{found}");
    app.exec(
        "UPDATE accounts SET email = 'joined@contoso.com', email_canonical = 'joined@contoso.com' \
         WHERE email_canonical = 'new@contoso.com'",
    )
    .await;
    let back = list(&app, &admin, deal.workspace, "", "email", false, 1).await;
    assert_eq!(
        emails(&back),
        [
            "joined@contoso.com",
            "late@contoso.com",
            "new@contoso.com",
            "old@contoso.com",
            "sa@contoso.com"
        ],
        "{back}"
    );

    // The latest sign-in first, descending; someone who never signed in last.
    app.exec(
        "UPDATE accounts SET last_sign_in_at = 5 WHERE email_canonical = 'joined@contoso.com'",
    )
    .await;
    let _ = app.signed_in("sa@contoso.com", "work").await;
    let recent = list(&app, &admin, deal.workspace, "", "last_sign_in", true, 1).await;
    assert_eq!(
        emails(&recent)[..2],
        ["sa@contoso.com", "joined@contoso.com"],
        "{recent}"
    );
    assert_eq!(recent["rows"][4]["last_sign_in"], Value::Null, "{recent}");
});
