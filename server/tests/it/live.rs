//! Live updates over HTTP (`GET /events`), on SQLite and PostgreSQL: a topic is authorized like
//! the page it watches (signed out 401; another workspace's case, a case the caller may not see
//! and a missing one answer the same 404), and a stream carries ids only. On PostgreSQL an event
//! raised through one instance reaches a stream opened on another.

use crate::common::{Engine, TestApp};
use app::{
    auth::audit::Actor,
    workspaces::service::{self, AgreementInput},
};
use axum::{body::Body, http::Request, response::Response};
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

/// An active agreement's Default Workspace.
async fn workspace(app: &TestApp, organization: &str, admin: &str) -> i64 {
    let domain = format!("{}.com", organization.to_lowercase());
    app.create_organization(organization, &domain).await;
    let agreement = service::create_agreement(
        &app.state,
        AgreementInput {
            organization,
            agreement_type: "premier",
            services_admins: vec![admin],
            contact_limit: Some("50"),
            ..AgreementInput::default()
        },
        Actor::CommandLine,
        "127.0.0.1",
    )
    .await
    .expect("agreement");
    service::activate(&app.state, agreement, Actor::CommandLine, None, "127.0.0.1")
        .await
        .expect("activate")
}

/// A signed-in work account, member of `workspace` (`flags`: "admin", "contact").
async fn member(app: &TestApp, workspace: i64, email: &str, flags: &[&str]) -> String {
    let account = app.create_account("work", email, "Person").await;
    let flag = |f: &str| i64::from(flags.contains(&f));
    app.exec(&format!(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
         view_all_cases, created_at, updated_at) VALUES ({workspace}, {account}, {}, {}, 0, 0, 0)",
        flag("admin"),
        flag("contact"),
    ))
    .await;
    app.signed_in(email, "work").await
}

async fn open_case(app: &TestApp, cookie: &str, workspace: i64, title: &str) -> i64 {
    let workspace = workspace.to_string();
    let response = app
        .call(
            "open_case",
            &[
                ("workspace_id", workspace.as_str()),
                ("title", title),
                ("description", "It does not work."),
                ("severity", "b"),
                ("product_area", "Exchange"),
                ("contact_method", "email"),
            ],
            Some(cookie),
            &[],
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    response.body.trim().parse().expect("the case id")
}

async fn add_note(app: &TestApp, cookie: &str, workspace: i64, case: i64, body: &str) {
    let (workspace, case) = (workspace.to_string(), case.to_string());
    let response = app
        .call(
            "add_case_note",
            &[
                ("workspace_id", &workspace),
                ("case_id", &case),
                ("body", body),
            ],
            Some(cookie),
            &[],
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
}

/// Opens `/events?topic=…` and hands back the response with its body still streaming.
async fn subscribe(app: &TestApp, topic: &str, cookie: Option<&str>) -> Response {
    let mut request = Request::get(format!("/events?topic={topic}"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    app.router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response")
}

/// The whole stream read so far up to its next `data:` line, or None after `wait` without one.
async fn next_data(stream: &mut Response, wait: Duration) -> Option<(String, String)> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout_at(deadline, stream.body_mut().frame())
            .await
            .ok()??
            .expect("the stream fails");
        if let Ok(bytes) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
        if let Some(line) = text.lines().find(|l| l.starts_with("data:")) {
            let data = line.trim_start_matches("data:").trim().to_owned();
            return Some((data, text));
        }
    }
}

/// A refused topic: its status and body.
async fn refused(app: &TestApp, topic: &str, cookie: Option<&str>) -> (u16, String) {
    let response = subscribe(app, topic, cookie).await;
    let status = response.status().as_u16();
    // A stream that opened never ends: report it rather than wait for its end.
    if status == 200 {
        return (status, "an open stream".to_owned());
    }
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

on_both_engines!(a_case_stream_carries_the_case_id_only, |app| {
    let contoso = workspace(&app, "Contoso", "sa@contoso.com").await;
    let opener = member(&app, contoso, "sc@contoso.com", &["contact"]).await;
    let admin = member(&app, contoso, "wa@contoso.com", &["admin"]).await;
    let case = open_case(&app, &opener, contoso, "Mail is down").await;
    let other = open_case(&app, &opener, contoso, "Printer jams").await;

    let mut stream = subscribe(&app, &format!("case:{contoso}:{case}"), Some(&opener)).await;
    assert_eq!(stream.status(), 200);
    assert_eq!(
        stream
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    // Another case's note is not this topic's business; this case's note is, by id alone.
    add_note(&app, &admin, contoso, other, "Unrelated words").await;
    add_note(&app, &admin, contoso, case, "Secret words about the outage").await;
    let (data, text) = next_data(&mut stream, Duration::from_secs(10))
        .await
        .expect("an event for the case");
    assert_eq!(data, format!(r#"{{"case":{case}}}"#));
    assert!(
        !text.contains("Secret") && !text.contains("Unrelated"),
        "{text}"
    );

    // The case list of the workspace hears that something changed there, not what.
    let mut list = subscribe(&app, &format!("cases:{contoso}"), Some(&opener)).await;
    assert_eq!(list.status(), 200);
    open_case(&app, &opener, contoso, "A third").await;
    let (data, _) = next_data(&mut list, Duration::from_secs(10))
        .await
        .expect("an event for the list");
    assert_eq!(data, format!(r#"{{"workspace":{contoso}}}"#));
});

on_both_engines!(a_topic_is_authorized_like_its_page, |app| {
    let contoso = workspace(&app, "Contoso", "sa@contoso.com").await;
    let fabrikam = workspace(&app, "Fabrikam", "sa@fabrikam.com").await;
    let opener = member(&app, contoso, "sc@contoso.com", &["contact"]).await;
    let plain = member(&app, contoso, "member@contoso.com", &[]).await;
    let outsider = member(&app, fabrikam, "sc@fabrikam.com", &["contact", "admin"]).await;
    let case = open_case(&app, &opener, contoso, "Mail is down").await;
    let theirs = open_case(&app, &outsider, fabrikam, "Their case").await;

    let missing = refused(
        &app,
        &format!("case:{contoso}:{}", theirs + case + 100),
        Some(&opener),
    )
    .await;
    assert_eq!(missing.0, 404, "{}", missing.1);
    // Another workspace's case, named with its own workspace or with the caller's: as missing.
    for topic in [
        format!("case:{fabrikam}:{theirs}"),
        format!("case:{contoso}:{theirs}"),
        format!("case:{}:{case}", fabrikam + contoso + 100),
        format!("cases:{fabrikam}"),
        "case:abc".to_owned(),
    ] {
        assert_eq!(
            refused(&app, &topic, Some(&opener)).await,
            missing,
            "{topic}"
        );
    }
    // A member who may not see the case (not its opener, not shared): as missing too.
    assert_eq!(
        refused(&app, &format!("case:{contoso}:{case}"), Some(&plain)).await,
        missing
    );
    // Manage Users needs its permission, as the page does.
    assert_eq!(
        refused(&app, &format!("members:{contoso}"), Some(&plain))
            .await
            .0,
        403
    );
    // Signed out.
    assert_eq!(
        refused(&app, &format!("case:{contoso}:{case}"), None)
            .await
            .0,
        401
    );
});

on_both_engines!(manage_users_hears_an_invitation, |app| {
    let contoso = workspace(&app, "Contoso", "sa@contoso.com").await;
    let admin = member(&app, contoso, "wa@contoso.com", &["admin"]).await;
    let other_admin = member(&app, contoso, "wa2@contoso.com", &["admin"]).await;
    let mut stream = subscribe(&app, &format!("members:{contoso}"), Some(&admin)).await;
    assert_eq!(stream.status(), 200);
    let ws = contoso.to_string();
    let invited = app
        .call(
            "invite_users",
            &[
                ("workspace_id", ws.as_str()),
                ("emails", "new@contoso.com"),
                ("role", "member"),
            ],
            Some(&other_admin),
            &[],
        )
        .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    let (data, text) = next_data(&mut stream, Duration::from_secs(10))
        .await
        .expect("an event for Manage Users");
    assert_eq!(data, format!(r#"{{"workspace":{contoso}}}"#));
    assert!(!text.contains("new@contoso.com"), "{text}");
});

/// Two instances on one PostgreSQL database: the stream is open on B, the note is added
/// through A, and B's browser hears it (LISTEN/NOTIFY).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_on_one_instance_reaches_a_stream_on_another() {
    let a = TestApp::new(Engine::Postgres).await;
    let b = a.instance(services_hub::DbOptions::default()).await;
    let contoso = workspace(&a, "Contoso", "sa@contoso.com").await;
    let opener = member(&a, contoso, "sc@contoso.com", &["contact"]).await;
    let admin = member(&a, contoso, "wa@contoso.com", &["admin"]).await;
    let case = open_case(&a, &opener, contoso, "Mail is down").await;

    let mut stream = subscribe(&b, &format!("case:{contoso}:{case}"), Some(&opener)).await;
    assert_eq!(stream.status(), 200);
    add_note(&a, &admin, contoso, case, "Seen from the other instance").await;
    let (data, _) = next_data(&mut stream, Duration::from_secs(10))
        .await
        .expect("the event crossed instances");
    assert_eq!(data, format!(r#"{{"case":{case}}}"#));
    drop(stream);
    b.state.db.pool().close().await;
    a.finish().await;
}

// The invitation mails of a send leave the outbox in rounds; Manage Users shows how far they
// have got, and the mail worker announces each step to the page's stream.
on_both_engines!(manage_users_follows_a_send_as_its_mails_leave, |app| {
    let contoso = workspace(&app, "Contoso", "sa@contoso.com").await;
    let admin = member(&app, contoso, "wa@contoso.com", &["admin"]).await;
    let ws = contoso.to_string();
    // The services administrator's invitation, from the activation, leaves first: it counts as
    // one of the last hour's invitation mails, already sent.
    app.deliver_mail().await;
    let progress = |app: TestApp, cookie: String| {
        let ws = ws.clone();
        async move {
            let page = app
                .call(
                    "list_users",
                    &[
                        ("workspace_id", ws.as_str()),
                        ("search", ""),
                        ("sort", "name"),
                        ("descending", "false"),
                        ("page", "1"),
                    ],
                    Some(&cookie),
                    &[],
                )
                .await;
            assert_eq!(page.status, 200, "{}", page.body);
            let json: serde_json::Value = serde_json::from_str(&page.body).expect("json");
            json["mail_progress"].clone()
        }
    };
    let invited = app
        .call(
            "invite_users",
            &[
                ("workspace_id", ws.as_str()),
                (
                    "emails",
                    "n1@contoso.com, n2@contoso.com, n3@contoso.com, n4@contoso.com, n5@contoso.com",
                ),
                ("role", "member"),
            ],
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    assert_eq!(
        progress(app.clone(), admin.clone()).await,
        serde_json::json!([1, 6])
    );

    // One round of two: the page says 3 of 6.
    let mailer = app::mail::Mailer::from_settings(app.mail_folder().to_str().unwrap(), None)
        .expect("mailer");
    let from = "Services Hub <no-reply@127.0.0.1>";
    assert_eq!(
        app::mail::deliver_due(&app.state.db, &mailer, from, 2)
            .await
            .expect("deliver"),
        2
    );
    assert_eq!(
        progress(app.clone(), admin.clone()).await,
        serde_json::json!([3, 6])
    );

    // The worker sends the rest and tells the open page, which then shows no send in progress.
    let mut stream = subscribe(&app, &format!("members:{contoso}"), Some(&admin)).await;
    assert_eq!(stream.status(), 200);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let worker = app::mail::spawn_worker(
        app.state.db.clone(),
        mailer,
        from.to_owned(),
        stopping,
        app.state.events.clone(),
    );
    let (data, _) = next_data(&mut stream, Duration::from_secs(15))
        .await
        .expect("the worker announces the mails that left");
    assert_eq!(data, format!(r#"{{"workspace":{contoso}}}"#));
    let _ = stop.send(true);
    worker.await.expect("the worker stops");
    assert_eq!(progress(app.clone(), admin).await, serde_json::Value::Null);
});
