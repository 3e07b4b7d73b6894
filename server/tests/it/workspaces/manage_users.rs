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

    // Search is case-insensitive; % is a character, not a wildcard.
    let found = list(&app, &admin, deal.workspace, "USER0", "email", false, 1).await;
    assert_eq!(found["total"], 9, "{found}");
    assert_eq!(emails(&found)[0], "user01@contoso.com");
    let percent = list(&app, &admin, deal.workspace, "%", "email", false, 1).await;
    assert_eq!(percent["total"], 0, "{percent}");
    app.exec(
        "UPDATE accounts SET display_name = '100% Sam' WHERE email_canonical = 'sa@contoso.com'",
    )
    .await;
    let literal = list(&app, &admin, deal.workspace, "0% s", "email", false, 1).await;
    assert_eq!(emails(&literal), vec!["sa@contoso.com"], "{literal}");
    let percent = list(&app, &admin, deal.workspace, "%", "email", false, 1).await;
    assert_eq!(emails(&percent), vec!["sa@contoso.com"], "{percent}");
    let underscore = list(&app, &admin, deal.workspace, "user_1", "email", false, 1).await;
    assert_eq!(underscore["total"], 0, "{underscore}");
    let member = list(&app, &admin, deal.workspace, "SA@", "name", false, 1).await;
    assert_eq!(emails(&member), vec!["sa@contoso.com"]);
});
