//! Help over HTTP, on both engines: the FAQ rendered from the repository's Markdown (public),
//! feedback stored with its author and organization and read by the operator only, the light
//! hourly limit, and "Contact support" answering the workspaces where the caller opens cases —
//! whose case form then opens the request.

use crate::common::{TestApp, TestResponse};
use app::{
    auth::audit::Actor,
    help::{FeedbackInboxData, SupportChoices},
    workspaces::service::{self, AgreementInput},
};

async fn feedback(
    app: &TestApp,
    cookie: Option<&str>,
    category: &str,
    message: &str,
) -> TestResponse {
    app.call(
        "send_feedback",
        &[
            ("category", category),
            ("message", message),
            ("about", "/services"),
        ],
        cookie,
        &[],
    )
    .await
}

on_both_engines!(the_faq_is_public_and_has_a_table_of_contents, |app| {
    let page = app.get("/help", None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        "<h1>Help</h1>",
        "id=\"toc-heading\"",
        "<h2 id=\"frequently-asked-questions\">Frequently asked questions</h2>",
        "<h2 id=\"troubleshooting\">Troubleshooting</h2>",
        "<h3 id=\"my-account-is-locked\">My account is locked</h3>",
        "href=\"#my-account-is-locked\"",
        "href=\"#verifying-a-domain-the-txt-record\"",
        "<strong>Forgot your password?</strong>",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let api = app.call("help_pages", &[], None, &[]).await;
    assert_eq!(api.status, 200, "{}", api.body);
    assert!(api.body.contains("Troubleshooting"));
});

on_both_engines!(feedback_is_stored_and_read_by_the_operator_only, |app| {
    let w = crate::organizations::world(&app).await;
    let anonymous = feedback(&app, None, "idea", "Hello").await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    // Bad input: a message at its field, all fields at once, nothing stored.
    let long = "x".repeat(2001);
    for (category, message, fields) in [
        ("idea", "   ", &["message"][..]),
        ("idea", long.as_str(), &["message"][..]),
        ("rant", "", &["category", "message"][..]),
    ] {
        let refused = feedback(&app, Some(&w.nobody), category, message).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        for field in fields {
            assert!(
                refused.body.contains(&format!("\"field\":\"{field}\"")),
                "{field}: {}",
                refused.body
            );
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback").await, 0);

    let sent = feedback(
        &app,
        Some(&w.nobody),
        "problem",
        "The invoice PDF is blank.",
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(sent.header("location"), Some("/help/feedback?done=sent"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM feedback WHERE organization_id = {} AND category = 'problem' \
             AND page = '/services' AND author = 'Nora Norole <nora@contoso.com>'",
            w.contoso
        ))
        .await,
        1
    );
    // The staff have no organization: stored without one.
    let sent = feedback(&app, Some(&w.staff), "praise", "Great console.").await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback WHERE organization_id IS NULL")
            .await,
        1
    );
    let page = app.get("/help/feedback?done=sent", Some(&w.nobody)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Thank you: your message was sent"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<label for=\"field-message\""));

    // The operator reads them, newest first; nobody else does.
    assert_eq!(
        app.call("feedback_inbox", &[("page", "1")], None, &[])
            .await
            .status,
        401
    );
    for cookie in [&w.global, &w.other_global] {
        let refused = app
            .call("feedback_inbox", &[("page", "1")], Some(cookie), &[])
            .await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(!refused.body.contains("blank"));
        let page = app.get("/staff/feedback", Some(cookie)).await;
        assert_eq!(page.status, 403, "{}", page.body);
        assert!(!page.body.contains("blank"));
    }
    app.exec("UPDATE feedback SET created_at = created_at - 10 WHERE category = 'problem'")
        .await;
    let inbox = app
        .call("feedback_inbox", &[("page", "1")], Some(&w.staff), &[])
        .await;
    assert_eq!(inbox.status, 200, "{}", inbox.body);
    let inbox: FeedbackInboxData = serde_json::from_str(&inbox.body).expect("inbox");
    let messages: Vec<&str> = inbox.items.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(messages, ["Great console.", "The invoice PDF is blank."]);
    assert_eq!(inbox.items[1].organization.as_deref(), Some("Contoso"));
    let page = app.get("/staff/feedback", Some(&w.staff)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        "The invoice PDF is blank.",
        "Nora Norole",
        "Contoso",
        "A problem with the portal · /services",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
});

on_both_engines!(feedback_is_limited_per_account_and_hour, |app| {
    let w = crate::organizations::world(&app).await;
    for n in 0..app::help::FEEDBACK_PER_HOUR {
        let sent = feedback(&app, Some(&w.nobody), "idea", &format!("Idea {n}")).await;
        assert_eq!(sent.status, 200, "{}", sent.body);
    }
    let refused = feedback(&app, Some(&w.nobody), "idea", "One more").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains("in the last hour"),
        "{}",
        refused.body
    );
    // Someone else is not limited by it, and an hour later the person may write again.
    let other = feedback(&app, Some(&w.global), "idea", "Mine").await;
    assert_eq!(other.status, 200, "{}", other.body);
    app.exec("UPDATE feedback SET created_at = created_at - 3601")
        .await;
    let later = feedback(&app, Some(&w.nobody), "idea", "One more").await;
    assert_eq!(later.status, 200, "{}", later.body);
});

on_both_engines!(contact_support_leads_to_the_case_form, |app| {
    let w = crate::organizations::world(&app).await;
    let agreement = service::create_agreement(
        &app.state,
        AgreementInput {
            organization: "Contoso",
            agreement_type: "premier",
            services_admins: vec!["megan@contoso.com"],
            contact_limit: Some("50"),
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
    // Nora is a support contact there; Bill a plain member.
    for (account, contact) in [(w.nora, 1), (w.bill, 0)] {
        app.exec(&format!(
            "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
             view_all_cases, created_at, updated_at) VALUES ({workspace}, {account}, 0, {contact}, 0, 0, 0)"
        ))
        .await;
    }
    let choices = |response: TestResponse| -> SupportChoices {
        assert_eq!(response.status, 200, "{}", response.body);
        serde_json::from_str(&response.body).expect("choices")
    };
    assert_eq!(
        app.call("support_options", &[], None, &[]).await.status,
        401
    );
    let nora = choices(app.call("support_options", &[], Some(&w.nobody), &[]).await);
    assert_eq!(nora.workspaces.len(), 1);
    assert_eq!(
        (nora.workspaces[0].id, nora.workspaces[0].can_open),
        (workspace, true)
    );
    let bill = choices(
        app.call("support_options", &[], Some(&w.billing), &[])
            .await,
    );
    assert_eq!(bill.workspaces.len(), 1);
    assert!(!bill.workspaces[0].can_open);
    assert_eq!(bill.administrators, ["Megan Bowen (megan@contoso.com)"]);
    // Another organization's people see none of Contoso's workspaces, only who to ask at home.
    let kim = choices(
        app.call("support_options", &[], Some(&w.other_global), &[])
            .await,
    );
    assert!(kim.workspaces.is_empty());
    assert_eq!(kim.organization.as_deref(), Some("Fabrikam"));
    assert_eq!(kim.administrators, ["Kim Fabrikam (kim@fabrikam.com)"]);

    // The page links the support contact to the workspace's case form, which opens the request.
    let page = app.get("/help/contact", Some(&w.nobody)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let form = format!("/workspaces/{workspace}/cases?new=1#open-heading");
    assert!(page.body.contains(&form), "{}", page.body);
    let page = app.get(&form, Some(&w.nobody)).await;
    assert!(page.body.contains("New support request"), "{}", page.body);
    let workspace_id = workspace.to_string();
    let opened = app
        .call(
            "open_case",
            &[
                ("workspace_id", workspace_id.as_str()),
                ("title", "Support request"),
                ("description", "Sign-in fails for our finance team."),
                ("severity", "c"),
                ("product_area", "Sign-in"),
                ("contact_method", "email"),
            ],
            Some(&w.nobody),
            &[],
        )
        .await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 1);
    let page = app.get("/help/contact", Some(&w.other_global)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        !page.body.contains(&format!("/workspaces/{workspace}")),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Kim Fabrikam (kim@fabrikam.com)"),
        "{}",
        page.body
    );
});
