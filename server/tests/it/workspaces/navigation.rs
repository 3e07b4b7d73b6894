//! The shell's navigation: the tools a person's roles open, in their own workspaces only.

use super::*;

/// The navigation as the browser asks for it (`None`: the page names no workspace).
async fn navigation(app: &TestApp, cookie: Option<&str>, workspace: Option<i64>) -> TestResponse {
    let id = workspace.map(|w| w.to_string());
    let form: Vec<(&str, &str)> = id.iter().map(|id| ("workspace_id", id.as_str())).collect();
    app.call("navigation", &form, cookie, &[]).await
}

on_both_engines!(
    the_navigation_offers_what_the_roles_open_and_never_another_tenant,
    |app| {
        let contoso = contoso(&app).await;
        let admin = register(&app, "sa@contoso.com").await;
        let member = invite_and_register(&app, &admin, contoso.workspace, "bob@contoso.com").await;
        app.create_organization("Fabrikam", "fabrikam.com").await;
        let fabrikam = deal(
            &app,
            Terms {
                organization: "Fabrikam",
                services_admins: &["sa@fabrikam.com"],
                ..Terms::default()
            },
        )
        .await;

        // The administrator: every tool of the workspace.
        let seen = navigation(&app, Some(&admin), Some(contoso.workspace)).await;
        assert_eq!(seen.status, 200, "{}", seen.body);
        let seen = json(&seen);
        assert_eq!(seen["current"]["id"], contoso.workspace);
        assert_eq!(seen["current"]["organization"], "Contoso");
        assert_eq!(seen["current"]["can_manage_members"], true);
        assert_eq!(seen["current"]["can_view_audit"], true);

        // A plain member: the workspace, without Manage Users, Groups or the audit log.
        let seen = json(&navigation(&app, Some(&member), None).await);
        assert_eq!(seen["current"]["id"], contoso.workspace);
        assert_eq!(seen["current"]["can_manage_members"], false);
        assert_eq!(seen["current"]["can_view_audit"], false);
        assert_eq!(seen["is_staff"], false);

        // Another tenant's workspace id is not current: the member's own stays, and nothing of
        // Fabrikam is in the answer.
        let asked = navigation(&app, Some(&member), Some(fabrikam.workspace)).await;
        assert_eq!(asked.status, 200, "{}", asked.body);
        assert!(!asked.body.contains("Fabrikam"), "{}", asked.body);
        let asked = json(&asked);
        assert_eq!(asked["current"]["id"], contoso.workspace);
        let ids: Vec<i64> = asked["workspaces"]
            .as_array()
            .expect("workspaces")
            .iter()
            .map(|w| w["id"].as_i64().expect("id"))
            .collect();
        assert_eq!(ids, vec![contoso.workspace]);

        // Signed out: refused like every private function.
        assert_eq!(navigation(&app, None, None).await.status, 401);

        // The pages carry it: the member's shell has no Manage Users link, the administrator's has.
        let users = format!("href=\"/workspaces/{}/users\"", contoso.workspace);
        let page = app
            .get(
                &format!("/workspaces/{}/cases", contoso.workspace),
                Some(&member),
            )
            .await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("aria-label=\"Portal\""),
            "the navigation is on the page"
        );
        assert!(
            !page.body.contains(&users),
            "a member is not offered Manage Users"
        );
        let page = app
            .get(
                &format!("/workspaces/{}/cases", contoso.workspace),
                Some(&admin),
            )
            .await;
        assert!(
            page.body.contains(&users),
            "the administrator is offered Manage Users"
        );
    }
);
