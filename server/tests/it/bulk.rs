//! Bulk invitations from a comma-delimited file over HTTP: the multipart upload and its guards,
//! the dry run's report, and the one-transaction send, on SQLite and PostgreSQL.

use crate::common::{TestApp, TestResponse, PASSWORD};
use app::{
    auth::audit::Actor,
    workspaces::service::{self, AgreementInput},
};
use axum::{body::Body, http::Request};
use serde_json::Value;

const BOUNDARY: &str = "----services-hub-test-boundary";

/// Contoso's active Premier agreement with a contact limit of 3; returns the Default Workspace
/// and the Services Administrator's session.
async fn setup(app: &TestApp) -> (i64, String) {
    app.create_organization("Contoso", "contoso.com").await;
    let agreement = service::create_agreement(
        &app.state,
        AgreementInput {
            organization: "Contoso",
            agreement_type: "premier",
            services_admins: vec!["sa@contoso.com"],
            contact_limit: Some("3"),
            ..AgreementInput::default()
        },
        Actor::CommandLine,
        "127.0.0.1",
    )
    .await
    .expect("agreement");
    let workspace = service::activate(&app.state, agreement, Actor::CommandLine, None, "127.0.0.1")
        .await
        .expect("activate");
    let account = app
        .create_account("work", "sa@contoso.com", "Sam Admin")
        .await;
    assert!(
        app::invitations::service::accept_for_account(&app.state, workspace, account)
            .await
            .expect("accept")
    );
    let cookie = app.signed_in("sa@contoso.com", "work").await;
    (workspace, cookie)
}

fn multipart(file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(
    app: &TestApp,
    cookie: &str,
    workspace: i64,
    body: Vec<u8>,
    content_type: &str,
) -> TestResponse {
    let request = Request::post(format!("/workspaces/{workspace}/users/import"))
        .header("content-type", content_type)
        .header("content-length", body.len().to_string())
        .header("cookie", cookie)
        .body(Body::from(body))
        .expect("request");
    app.request(request).await
}

async fn upload_file(app: &TestApp, cookie: &str, workspace: i64, file: &[u8]) -> TestResponse {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    upload(app, cookie, workspace, multipart(file), &content_type).await
}

/// The import id from the redirect to the dry run's page.
fn import_id(response: &TestResponse) -> String {
    assert_eq!(response.status, 303, "{}", response.body);
    let location = response.header("location").expect("location");
    location
        .rsplit('/')
        .next()
        .filter(|_| location.contains("/users/import/"))
        .unwrap_or_else(|| panic!("not an import page: {location}"))
        .to_owned()
}

fn json(response: &TestResponse) -> Value {
    serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{e}: {}", response.body))
}

fn count_of(report: &Value, category: &str) -> i64 {
    report["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c[0] == category)
        .map_or(0, |c| c[1].as_i64().unwrap_or(0))
}

on_both_engines!(dry_run_reports_every_category_then_sends_in_one_go, |app| {
    let (workspace, cookie) = setup(&app).await;
    // An existing member, an open invitation, and a personal account's address (refused once the
    // policy says so).
    let ws = workspace.to_string();
    let invited = app
        .call(
            "invite_users",
            &[
                ("workspace_id", &ws),
                ("emails", "open@contoso.com"),
                ("role", "member"),
            ],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    app.exec(&format!(
        "UPDATE workspaces SET allow_personal = 0 WHERE id = {workspace}"
    ))
    .await;
    let file = "\u{feff}Email,Name,Support contact\r\n\
        new1@contoso.com,\"Doe, Jane\",yes\r\n\
        sa@contoso.com,,\r\n\
        open@contoso.com,,\r\n\
        pat@example.net,,\r\n\
        not-an-address,,\r\n\
        New1@CONTOSO.com,,\r\n\
        c2@contoso.com,,yes\r\n\
        c3@contoso.com,,yes\r\n\
        c4@contoso.com,,yes\r\n\
        ice@contoso.com,,no\r\n";
    let id = import_id(&upload_file(&app, &cookie, workspace, file.as_bytes()).await);
    let before = app.count("SELECT COUNT(*) FROM invitations").await;

    let report = app
        .call(
            "check_bulk_file",
            &[("workspace_id", &ws), ("import_id", &id)],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    let report = json(&report);
    assert_eq!(report["lines"], 10);
    assert_eq!(count_of(&report, "Will invite"), 4, "{report}");
    assert_eq!(count_of(&report, "Already a member"), 1, "{report}");
    assert_eq!(count_of(&report, "Already invited"), 1, "{report}");
    assert_eq!(
        count_of(&report, "Refused by the workspace's policy"),
        1,
        "{report}"
    );
    assert_eq!(count_of(&report, "Invalid address"), 1, "{report}");
    assert_eq!(count_of(&report, "Duplicate in file"), 1, "{report}");
    // Three contacts allowed: new1, c2 and c3 take them; c4 is over the limit.
    assert_eq!(
        count_of(&report, "Over the support contact limit"),
        1,
        "{report}"
    );
    assert!(report["problems"].to_string().contains("c4@contoso.com"));
    // The dry run sent nothing.
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, before);

    let sent = app
        .call(
            "send_bulk_invitations",
            &[("workspace_id", &ws), ("import_id", &id)],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(json(&sent)["invited"], 4);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations").await,
        before + 4
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE email = 'new1@contoso.com' AND name = 'Doe, Jane' AND support_contact = 1")
            .await,
        1
    );
    // `ice@` is not blocked by any other address: duplicates are exact.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE email = 'ice@contoso.com'")
            .await,
        1
    );
    // Single use: confirming again sends nothing.
    let again = app
        .call(
            "send_bulk_invitations",
            &[("workspace_id", &ws), ("import_id", &id)],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations").await,
        before + 4
    );
});

on_both_engines!(
    bad_uploads_are_answered_without_a_panic_and_change_nothing,
    |app| {
        let (workspace, cookie) = setup(&app).await;
        // No boundary: 400, not a panic.
        let response = upload(
            &app,
            &cookie,
            workspace,
            b"whatever".to_vec(),
            "multipart/form-data",
        )
        .await;
        assert_eq!(response.status, 400, "{}", response.body);
        // Not multipart at all.
        let response = upload(
            &app,
            &cookie,
            workspace,
            b"a=b".to_vec(),
            "application/x-www-form-urlencoded",
        )
        .await;
        assert_eq!(response.status, 400, "{}", response.body);
        // Over 1 MiB: refused before the body is read, with the reason at the field.
        let big = vec![b'a'; 2 * 1024 * 1024];
        let response = upload_file(&app, &cookie, workspace, &big).await;
        assert_eq!(response.status, 303);
        assert!(response
            .header("location")
            .unwrap_or_default()
            .ends_with("import_error=too_large"));
        // Not UTF-8, and an empty file.
        let response = upload_file(&app, &cookie, workspace, &[0xff, 0xfe, 0x00, b'a']).await;
        assert!(response
            .header("location")
            .unwrap_or_default()
            .ends_with("import_error=not_utf8"));
        let response = upload_file(&app, &cookie, workspace, b"email\n\n").await;
        assert!(response
            .header("location")
            .unwrap_or_default()
            .ends_with("import_error=empty"));
        assert_eq!(app.count("SELECT COUNT(*) FROM bulk_imports").await, 0);
        // Signed out: sent to sign in; a member of no part of it: the guard's answer.
        let response = upload_file(
            &app,
            "services-hub-session=nope",
            workspace,
            b"a@contoso.com",
        )
        .await;
        assert_eq!(response.status, 303);
        assert!(response
            .header("location")
            .unwrap_or_default()
            .starts_with("/sign-in"));
        app.create_account("work", "outsider@contoso.com", "Out Sider")
            .await;
        let outsider = app.signed_in("outsider@contoso.com", "work").await;
        let response = upload_file(&app, &outsider, workspace, b"a@contoso.com").await;
        assert_eq!(response.status, 404, "{}", response.body);
        // Another person's upload answers like a missing one.
        let id = import_id(&upload_file(&app, &cookie, workspace, b"a@contoso.com").await);
        let ws = workspace.to_string();
        let response = app
            .call(
                "check_bulk_file",
                &[("workspace_id", &ws), ("import_id", &id)],
                Some(&outsider),
                &[],
            )
            .await;
        assert_eq!(response.status, 404, "{}", response.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1);
        let _ = PASSWORD;
    }
);

on_both_engines!(ten_thousand_lines_are_invited_in_one_transaction, |app| {
    let (workspace, cookie) = setup(&app).await;
    let file: String = (1..=10_000)
        .map(|i| format!("user{i}@contoso.com,User {i}\n"))
        .collect();
    let id = import_id(&upload_file(&app, &cookie, workspace, file.as_bytes()).await);
    let ws = workspace.to_string();
    let sent = app
        .call(
            "send_bulk_invitations",
            &[("workspace_id", &ws), ("import_id", &id)],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(json(&sent)["invited"], 10_000);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE status = 'pending'")
            .await,
        10_000
    );
    // One mail each, written in the same transaction.
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 10_001);
    // The Manage Users table pages through them on the server.
    let page = app
        .call(
            "list_users",
            &[
                ("workspace_id", &ws),
                ("search", "user9999@"),
                ("sort", "email"),
                ("descending", "false"),
                ("page", "1"),
            ],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let page = json(&page);
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["email"], "user9999@contoso.com");
});

on_both_engines!(an_upload_cut_off_midway_says_so, |app| {
    let (workspace, cookie) = setup(&app).await;
    // The connection ends inside the file: not "too large", and nothing is stored.
    let mut start = multipart(b"a@contoso.com\nb@contoso.com\n");
    start.truncate(start.len() - 30);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(start),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset",
        )),
    ];
    let request = Request::post(format!("/workspaces/{workspace}/users/import"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("cookie", &cookie)
        .body(Body::from_stream(futures::stream::iter(chunks)))
        .expect("request");
    let response = app.request(request).await;
    assert_eq!(response.status, 303, "{}", response.body);
    let location = response.header("location").unwrap_or_default().to_owned();
    assert!(location.ends_with("import_error=interrupted"), "{location}");
    assert_eq!(app.count("SELECT COUNT(*) FROM bulk_imports").await, 0);
    // The page says what happened.
    let page = app.get(&location, Some(&cookie)).await;
    assert!(
        page.body
            .contains("The upload stopped before the whole file arrived"),
        "{}",
        page.body
    );
});
