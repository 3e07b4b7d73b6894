use super::dns_server::{publish, start};
use super::*;

/// Adds `domain` to Contoso and proves it through the test DNS server.
async fn verified(app: &TestApp, w: &World, domain: &str) -> i64 {
    assert_eq!(add(app, Some(&w.global), domain).await.status, 200);
    let found = entry(app, &w.global, domain).await;
    publish(app, &found.txt_host, &[found.txt_value.as_str()]);
    let checked = on_domain(app, "verify_domain", Some(&w.global), found.id).await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert!(entry(app, &w.global, domain).await.verified_at.is_some());
    found.id
}

on_both_engines!(
    bad_domains_are_refused_and_change_nothing,
    config = start,
    |app| {
        let w = world(&app).await;
        let before = snapshot(&app).await;
        for bad in ["", "contoso", "not a domain", "-x.example", "1.2.3.4"] {
            let refused = add(&app, Some(&w.global), bad).await;
            assert_eq!(refused.status, 422, "{bad}: {}", refused.body);
            assert!(
                refused.body.contains("\"field\":\"domain\""),
                "{}",
                refused.body
            );
        }
        // The organization has it already (any letter case).
        let refused = add(&app, Some(&w.global), "CONTOSO.com").await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains("has this domain already"),
            "{}",
            refused.body
        );
        // Fabrikam verified its own domain (created by the operator): Contoso cannot add it.
        let refused = add(&app, Some(&w.global), "fabrikam.com").await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_eq!(snapshot(&app).await, before);
    }
);

on_both_engines!(a_verified_domain_becomes_primary, config = start, |app| {
    let w = world(&app).await;
    let contoso_com = domain_id(&app, w.contoso, "contoso.com").await;
    assert!(entry(&app, &w.global, "contoso.com").await.is_primary);
    // An unverified domain cannot be primary.
    add(&app, Some(&w.global), "pending.example").await;
    let pending = domain_id(&app, w.contoso, "pending.example").await;
    let before = snapshot(&app).await;
    let refused = on_domain(&app, "make_primary_domain", Some(&w.global), pending).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("Only a verified domain"),
        "{}",
        refused.body
    );
    assert_eq!(snapshot(&app).await, before);
    // A verified one can; the old primary is primary no more.
    let id = verified(&app, &w, "contoso.example").await;
    let made = on_domain(&app, "make_primary_domain", Some(&w.global), id).await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(
        made.header("location"),
        Some("/organization/domains?done=primary")
    );
    let list = domains(&app, &w.global).await;
    let primaries: Vec<&str> = list
        .domains
        .iter()
        .filter(|d| d.is_primary)
        .map(|d| d.domain.as_str())
        .collect();
    assert_eq!(primaries, vec!["contoso.example"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'domain.primary'")
            .await,
        1
    );
    let again = on_domain(&app, "make_primary_domain", Some(&w.global), id).await;
    assert_eq!(
        again.header("location"),
        Some("/organization/domains?done=unchanged")
    );
    // The page says which is primary, and offers Make primary for the other verified one.
    let page = app.get("/organization/domains", Some(&w.global)).await;
    assert!(page.body.contains("Make primary"), "{}", page.body);
    // The old primary can now be removed, were it not used (it is: see the next test).
    let refused = on_domain(&app, "remove_domain", Some(&w.global), contoso_com).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
});

on_both_engines!(
    removing_a_domain_in_use_is_refused_with_its_accounts,
    config = start,
    |app| {
        let w = world(&app).await;
        let contoso_com = domain_id(&app, w.contoso, "contoso.com").await;
        let before = snapshot(&app).await;
        // The primary domain is never removed.
        let refused = on_domain(&app, "remove_domain", Some(&w.global), contoso_com).await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(
            refused.body.contains("is your primary domain"),
            "{}",
            refused.body
        );
        assert_eq!(snapshot(&app).await, before);

        // A domain with 22 work accounts on it: refused, naming the first twenty and the count.
        let id = verified(&app, &w, "crowded.example").await;
        for n in 0..22 {
            app.create_account(
                "work",
                &format!("p{n:02}@crowded.example"),
                &format!("Person {n}"),
            )
            .await;
        }
        // Another organization's people and personal accounts do not count.
        app.create_account("personal", "pat@crowded.example", "Pat")
            .await;
        let before = snapshot(&app).await;
        let refused = on_domain(&app, "remove_domain", Some(&w.global), id).await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(
            refused
                .body
                .contains("22 work accounts of your organization use it"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("p00@crowded.example"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("p19@crowded.example"),
            "{}",
            refused.body
        );
        assert!(
            !refused.body.contains("p20@crowded.example"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("and 2 more"), "{}", refused.body);
        assert!(!refused.body.contains("pat@"), "{}", refused.body);
        assert_eq!(snapshot(&app).await, before);

        // An unused domain is removed, after the question on the page.
        add(&app, Some(&w.global), "spare.example").await;
        let spare = domain_id(&app, w.contoso, "spare.example").await;
        let asked = app
            .get(
                &format!("/organization/domains?confirm=remove-{spare}"),
                Some(&w.global),
            )
            .await;
        assert!(
            asked
                .body
                .contains("Remove spare.example from your organization?"),
            "{}",
            asked.body
        );
        let removed = on_domain(&app, "remove_domain", Some(&w.global), spare).await;
        assert_eq!(removed.status, 200, "{}", removed.body);
        assert_eq!(
            removed.header("location"),
            Some("/organization/domains?done=removed")
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM organization_domains WHERE domain = 'spare.example'")
                .await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'domain.remove'")
                .await,
            1
        );
    }
);
