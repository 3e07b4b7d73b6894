//! Who may use the Federation page and its routes: the organization's Global Administrator
//! only; its other administrators and people 403; another organization's Global Administrator
//! finds nothing of it (404, like a missing id); staff 403; signed out 401 (the Test sign-in
//! link: to "Sign in").

use super::*;

struct Roles {
    global: String,
    billing: String,
    user_admin: String,
    nobody: String,
    other_global: String,
    staff: String,
}

async fn roles(app: &TestApp, n: &Northwind) -> Roles {
    let fabrikam = app.create_organization("Fabrikam", "fabrikam.com").await;
    let mut ids = Vec::new();
    for (email, name) in [
        ("billie@northwind.example", "Billie Billing"),
        ("ursula@northwind.example", "Ursula Users"),
        ("norm@northwind.example", "Norm Norole"),
        ("kim@fabrikam.com", "Kim Fabrikam"),
    ] {
        ids.push(app.create_account("work", email, name).await);
    }
    for (account, organization, role) in [
        (ids[0], n.id, "billing"),
        (ids[1], n.id, "user"),
        (ids[3], fabrikam, "global"),
    ] {
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
             VALUES ({account}, {organization}, '{role}', 1)"
        ))
        .await;
    }
    app.create_staff("olivia@provider.example", "operator")
        .await;
    Roles {
        global: n.admin.clone(),
        billing: app.signed_in("billie@northwind.example", "work").await,
        user_admin: app.signed_in("ursula@northwind.example", "work").await,
        nobody: app.signed_in("norm@northwind.example", "work").await,
        other_global: app.signed_in("kim@fabrikam.com", "work").await,
        staff: app.signed_in("olivia@provider.example", "work").await,
    }
}

on_both_engines!(
    only_the_organizations_global_administrator_manages_federation,
    |app| {
        let provider = Provider::start(&[]);
        let n = northwind(&app).await;
        let r = roles(&app, &n).await;
        configure(&app, &n, &provider.issuer, false).await;
        let domain_id = n.domain_id.to_string();
        let save: Vec<(&str, &str)> = vec![
            ("domain_id", &domain_id),
            ("issuer", "https://evil.example"),
            ("client_id", "x"),
            ("client_secret", "stolen"),
        ];
        let switch_on: Vec<(&str, &str)> = vec![("domain_id", &domain_id), ("on", "on")];
        for (who, cookie, status) in [
            ("signed out", None, 401),
            ("billing", Some(&r.billing), 403),
            ("user admin", Some(&r.user_admin), 403),
            ("no role", Some(&r.nobody), 403),
            ("staff", Some(&r.staff), 403),
        ] {
            let cookie = cookie.map(String::as_str);
            for (function, form) in [
                ("federation_data", &vec![]),
                ("save_federation", &save),
                ("switch_federation", &switch_on),
            ] {
                let answer = app.call(function, form, cookie, &[]).await;
                assert_eq!(answer.status, status, "{who} {function}: {}", answer.body);
            }
            let test = match cookie {
                Some(cookie) => start_test(&app, cookie, n.domain_id).await,
                None => {
                    app.get(&format!("/federation/test?domain_id={domain_id}"), None)
                        .await
                }
            };
            if cookie.is_none() {
                // The Test sign-in link, signed out: to "Sign in", and back to the page after.
                assert_eq!(test.status, 303, "{who} test: {}", test.body);
                assert_eq!(
                    test.header("location"),
                    Some("/sign-in?next=%2Forganization%2Ffederation")
                );
            } else {
                assert_eq!(test.status, status, "{who} test: {}", test.body);
            }
        }
        // Another organization's Global Administrator: its own (empty) page, and Northwind's
        // domain is not found.
        let page = app
            .call("federation_data", &[], Some(&r.other_global), &[])
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        let data: app::federation::FederationSettings =
            serde_json::from_str(&page.body).expect("data");
        assert_eq!(data.organization_name, "Fabrikam");
        assert!(data.domains.iter().all(|d| d.domain != "northwind.example"));
        for (function, form) in [
            ("save_federation", &save),
            ("switch_federation", &switch_on),
        ] {
            let answer = app.call(function, form, Some(&r.other_global), &[]).await;
            assert_eq!(answer.status, 404, "{function}: {}", answer.body);
        }
        assert_eq!(
            start_test(&app, &r.other_global, n.domain_id).await.status,
            404
        );
        // Started from another site (a link elsewhere), even the right administrator is refused.
        let cross = app
            .request(
                Request::get(format!("/federation/test?domain_id={domain_id}"))
                    .header("sec-fetch-site", "cross-site")
                    .header("cookie", r.global.as_str())
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(cross.status, 403, "{}", cross.body);
        // Nothing changed: Northwind's directory is as Nadia saved it, still off, no login begun.
        assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM federations WHERE issuer = '{}' AND enabled_at IS NULL AND client_id = '{CLIENT_ID}'",
            provider.issuer
        ))
        .await,
        1
    );
        assert_eq!(app.count("SELECT COUNT(*) FROM federation_logins").await, 0);
        // The Global Administrator: reads, saves, switches, tests; each change is in the log.
        let page = app.call("federation_data", &[], Some(&r.global), &[]).await;
        assert_eq!(page.status, 200, "{}", page.body);
        switch(&app, &n, "on").await;
        switch(&app, &n, "off").await;
        assert_eq!(start_test(&app, &r.global, n.domain_id).await.status, 303);
        assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE organization_id = {} AND action IN ('federation.save', 'federation.on', 'federation.off')",
            n.id
        ))
        .await,
        3
    );
        // Bad input changes nothing and says which field.
        let bad = app
            .call(
                "save_federation",
                &[
                    ("domain_id", &domain_id),
                    ("issuer", "http://login.example"),
                    ("client_id", ""),
                    ("client_secret", ""),
                ],
                Some(&r.global),
                &[],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(
            bad.body.contains("issuer") && bad.body.contains("client_id"),
            "{}",
            bad.body
        );
        // The page: Global Administrators only (others see the refusal, not the form).
        let html = app
            .get("/organization/federation", Some(&r.user_admin))
            .await;
        assert!(!html.body.contains("Save the directory"), "{}", html.body);
        let html = app.get("/organization/federation", Some(&r.global)).await;
        assert!(html.body.contains("Save the directory"));
        assert!(html.body.contains(CALLBACK));
    }
);
