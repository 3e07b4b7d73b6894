use super::dns_server::start;
use super::*;

const CHANGES: [&str; 3] = ["verify_domain", "make_primary_domain", "remove_domain"];

on_both_engines!(
    every_administrator_reads_the_domains,
    config = start,
    |app| {
        let w = world(&app).await;
        let anonymous = app.call("organization_domains", &[], None, &[]).await;
        assert_eq!(anonymous.status, 401, "{}", anonymous.body);
        for cookie in [&w.nobody, &w.staff] {
            let refused = app
                .call("organization_domains", &[], Some(cookie), &[])
                .await;
            assert_eq!(refused.status, 403, "{}", refused.body);
            let page = app.get("/organization/domains", Some(cookie)).await;
            assert_eq!(page.status, 403, "{}", page.body);
            assert!(!page.body.contains("Your domains"), "{}", page.body);
        }
        for (cookie, can_manage) in [
            (&w.global, true),
            (&w.billing, false),
            (&w.user_admin, false),
        ] {
            let list = domains(&app, cookie).await;
            assert_eq!(list.organization_name, "Contoso");
            assert_eq!(list.can_manage, can_manage);
            let names: Vec<&str> = list.domains.iter().map(|d| d.domain.as_str()).collect();
            assert_eq!(names, vec!["contoso.com"]);
            let page = app.get("/organization/domains", Some(cookie)).await;
            assert_eq!(page.status, 200, "{}", page.body);
            assert_eq!(
                page.body.contains("Add a domain"),
                can_manage,
                "{}",
                page.body
            );
        }
        // Fabrikam's Global Administrator sees Fabrikam's domains only.
        let theirs = domains(&app, &w.other_global).await;
        assert_eq!(theirs.organization_name, "Fabrikam");
        assert!(theirs.domains.iter().all(|d| d.domain == "fabrikam.com"));
        let page = app.get("/organization/domains", None).await;
        assert_ne!(page.status, 200, "{}", page.body);
    }
);

on_both_engines!(
    only_a_global_administrator_changes_domains,
    config = start,
    |app| {
        let w = world(&app).await;
        add(&app, Some(&w.global), "extra.example").await;
        let ours = domain_id(&app, w.contoso, "extra.example").await;
        let theirs = domain_id(&app, w.fabrikam, "fabrikam.com").await;
        let before = snapshot(&app).await;
        let refused = add(&app, None, "other.example").await;
        assert_eq!(refused.status, 401, "{}", refused.body);
        for cookie in [&w.billing, &w.user_admin, &w.nobody, &w.staff] {
            let refused = add(&app, Some(cookie), "other.example").await;
            assert_eq!(refused.status, 403, "{}", refused.body);
        }
        for function in CHANGES {
            let refused = on_domain(&app, function, None, ours).await;
            assert_eq!(refused.status, 401, "{function}: {}", refused.body);
            for cookie in [&w.billing, &w.user_admin, &w.nobody, &w.staff] {
                let refused = on_domain(&app, function, Some(cookie), ours).await;
                assert_eq!(refused.status, 403, "{function}: {}", refused.body);
            }
            // Another organization's domain, and one that does not exist: the same 404.
            let other = on_domain(&app, function, Some(&w.global), theirs).await;
            let missing = on_domain(&app, function, Some(&w.global), 999_999).await;
            assert_eq!(other.status, 404, "{function}: {}", other.body);
            assert_eq!(missing.status, 404, "{function}: {}", missing.body);
            assert_eq!(other.body, missing.body, "{function}");
            // Fabrikam's administrator cannot reach Contoso's domain either.
            let other = on_domain(&app, function, Some(&w.other_global), ours).await;
            assert_eq!(other.status, 404, "{function}: {}", other.body);
        }
        assert_eq!(snapshot(&app).await, before);
    }
);
