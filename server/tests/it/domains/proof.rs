use super::dns_server::{publish, start, unpublish};
use super::*;
use app::domains::{recheck, types::CheckOutcome};

on_both_engines!(
    verify_answers_not_found_different_and_verified,
    config = start,
    |app| {
        let w = world(&app).await;
        let added = add(&app, Some(&w.global), " Tailspin.Example. ").await;
        assert_eq!(added.status, 200, "{}", added.body);
        let id = domain_id(&app, w.contoso, "tailspin.example").await;
        assert_eq!(
            added.header("location"),
            Some(format!("/organization/domains?done=added#domain-{id}").as_str())
        );
        let domain = entry(&app, &w.global, "tailspin.example").await;
        assert_eq!(domain.verified_at, None);
        assert!(!domain.is_primary);
        assert_eq!(
            domain.txt_host,
            "_services-hub-verification.tailspin.example"
        );
        let token = domain
            .txt_value
            .strip_prefix("services-hub-verification=")
            .expect("value");
        assert_eq!(token.len(), 32, "128 bits in hex");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'domain.add'")
                .await,
            1
        );
        // The page shows the exact record to publish and the Verify button.
        let page = app.get("/organization/domains", Some(&w.global)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for expected in [
            "Verify tailspin.example",
            "_services-hub-verification.tailspin.example",
            domain.txt_value.as_str(),
            "Unverified",
            "Primary",
            "Add a domain",
            "<label for=\"field-domain\"",
        ] {
            assert!(page.body.contains(expected), "{expected}: {}", page.body);
        }

        // Nothing published: not found.
        let checked = on_domain(&app, "verify_domain", Some(&w.global), id).await;
        assert_eq!(checked.status, 200, "{}", checked.body);
        assert_eq!(
            checked.header("location"),
            Some(format!("/organization/domains?done=not_found#domain-{id}").as_str())
        );
        let domain = entry(&app, &w.global, "tailspin.example").await;
        assert_eq!(domain.last_outcome, Some(CheckOutcome::NotFound));
        assert_eq!(domain.verified_at, None);

        // Another value at the host: found but different, and the page shows what it saw.
        publish(
            &app,
            &domain.txt_host,
            &["services-hub-verification=not-this-one", "v=spf1 -all"],
        );
        on_domain(&app, "verify_domain", Some(&w.global), id).await;
        let domain = entry(&app, &w.global, "tailspin.example").await;
        assert_eq!(domain.last_outcome, Some(CheckOutcome::Different));
        assert_eq!(domain.verified_at, None);
        let mut seen = domain.last_seen.clone();
        seen.sort();
        assert_eq!(
            seen,
            vec!["services-hub-verification=not-this-one", "v=spf1 -all"]
        );
        let page = app.get("/organization/domains", Some(&w.global)).await;
        assert!(
            page.body.contains("services-hub-verification=not-this-one"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("its value is different"),
            "{}",
            page.body
        );

        // The right value (beside others): verified, once, in the log.
        publish(
            &app,
            &domain.txt_host,
            &["v=spf1 -all", domain.txt_value.as_str()],
        );
        let checked = on_domain(&app, "verify_domain", Some(&w.global), id).await;
        assert_eq!(
            checked.header("location"),
            Some(format!("/organization/domains?done=verified#domain-{id}").as_str())
        );
        let domain = entry(&app, &w.global, "tailspin.example").await;
        assert!(domain.verified_at.is_some());
        assert_eq!(domain.last_outcome, Some(CheckOutcome::Verified));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'domain.verify'")
                .await,
            1
        );
        let page = app.get("/organization/domains", Some(&w.global)).await;
        assert!(page.body.contains("Verified on"), "{}", page.body);
        assert!(
            !page.body.contains("Verify tailspin.example"),
            "{}",
            page.body
        );
    }
);

on_both_engines!(
    a_domain_verified_by_one_organization_is_refused_to_another,
    config = start,
    |app| {
        let w = world(&app).await;
        // Both may add it; only the first to prove it keeps it.
        assert_eq!(
            add(&app, Some(&w.global), "shared.example").await.status,
            200
        );
        assert_eq!(
            add(&app, Some(&w.other_global), "shared.example")
                .await
                .status,
            200
        );
        let contoso_id = domain_id(&app, w.contoso, "shared.example").await;
        let fabrikam_id = domain_id(&app, w.fabrikam, "shared.example").await;
        let theirs = entry(&app, &w.other_global, "shared.example").await;
        let ours = entry(&app, &w.global, "shared.example").await;
        assert_ne!(theirs.txt_value, ours.txt_value, "a value per organization");
        // Both values are published (a domain's owner may have left an old one).
        publish(
            &app,
            &ours.txt_host,
            &[ours.txt_value.as_str(), theirs.txt_value.as_str()],
        );
        let verified = on_domain(&app, "verify_domain", Some(&w.other_global), fabrikam_id).await;
        assert_eq!(verified.status, 200, "{}", verified.body);
        let before = snapshot(&app).await;
        let refused = on_domain(&app, "verify_domain", Some(&w.global), contoso_id).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused
                .body
                .contains("Another organization has verified this domain"),
            "{}",
            refused.body
        );
        assert_eq!(snapshot(&app).await, before);
        // Adding it again elsewhere is refused at once now, and the index holds even past the code.
        let refused = add(&app, Some(&w.global), "shared.example").await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        let twice = sqlx::query("UPDATE organization_domains SET verified_at = 1 WHERE id = $1")
            .bind(contoso_id)
            .execute(app.state.db.pool())
            .await;
        assert!(
            twice.is_err(),
            "the unique index refuses a second verified holder"
        );
        // A new account on that domain belongs to the organization that verified it.
        assert_eq!(
            app::accounts::organization_for_domain(&app.state.db, "shared.example")
                .await
                .expect("lookup"),
            Some(w.fabrikam)
        );
    }
);

on_both_engines!(
    a_domain_added_but_unverified_names_nobody,
    config = start,
    |app| {
        let w = world(&app).await;
        // Contoso adds a domain it does not own: until verified, addresses there are nobody's.
        assert_eq!(
            add(&app, Some(&w.global), "northwind.example").await.status,
            200
        );
        assert_eq!(
            app::accounts::organization_for_domain(&app.state.db, "northwind.example")
                .await
                .expect("lookup"),
            None
        );
        // Its owner can still sign up with it; then new accounts there are the owner's.
        let owner = app
            .create_organization("Northwind", "northwind.example")
            .await;
        assert_eq!(
            app::accounts::organization_for_domain(&app.state.db, "northwind.example")
                .await
                .expect("lookup"),
            Some(owner)
        );
        // A domain an organization was created with is not given to a second one.
        let mut refused = app::accounts::service::create_organization(
            &app.state,
            "Northwind Two",
            "northwind.example",
            app::auth::audit::Actor::CommandLine,
            "local",
        )
        .await
        .expect_err("taken");
        assert!(refused.field_message("domain").is_some(), "{refused:?}");
        refused = app::accounts::service::create_organization(
            &app.state,
            "Contoso Again",
            "contoso.com",
            app::auth::audit::Actor::CommandLine,
            "local",
        )
        .await
        .expect_err("taken");
        assert!(refused.field_message("domain").is_some(), "{refused:?}");
    }
);

on_both_engines!(
    a_dns_server_that_does_not_answer_is_said_so,
    config = |config: &mut app::state::Config| {
        // A loopback port where nothing listens.
        config.dns_server = Some("127.0.0.1:9".parse().expect("address"));
    },
    |app| {
        let w = world(&app).await;
        add(&app, Some(&w.global), "quiet.example").await;
        let id = domain_id(&app, w.contoso, "quiet.example").await;
        let checked = on_domain(&app, "verify_domain", Some(&w.global), id).await;
        assert_eq!(checked.status, 200, "{}", checked.body);
        let domain = entry(&app, &w.global, "quiet.example").await;
        assert_eq!(domain.last_outcome, Some(CheckOutcome::NoAnswer));
        assert_eq!(domain.verified_at, None);
        let page = app.get("/organization/domains", Some(&w.global)).await;
        assert!(
            page.body.contains("The DNS server did not answer"),
            "{}",
            page.body
        );
    }
);

on_both_engines!(
    the_recheck_warns_the_global_administrators_once,
    config = start,
    |app| {
        let w = world(&app).await;
        add(&app, Some(&w.global), "proved.example").await;
        let id = domain_id(&app, w.contoso, "proved.example").await;
        let domain = entry(&app, &w.global, "proved.example").await;
        publish(&app, &domain.txt_host, &[domain.txt_value.as_str()]);
        on_domain(&app, "verify_domain", Some(&w.global), id).await;
        let config = app.state.config.clone();
        let db = &app.state.db;
        let now = app::state::now();
        // Not due yet: checked just now.
        assert_eq!(
            recheck::recheck_due(db, &config, now).await.expect("pass"),
            0
        );
        let later = now + recheck::INTERVAL + 60;
        // Due, and still there: nothing to tell. The operator's domains (contoso.com,
        // fabrikam.com) were never proven through DNS: no record to lose, never checked.
        let warnings = "SELECT COUNT(*) FROM outbox WHERE subject LIKE '%proved.example%'";
        assert_eq!(
            recheck::recheck_due(db, &config, later)
                .await
                .expect("pass"),
            1
        );
        assert_eq!(app.count(warnings).await, 0);
        assert_eq!(
            entry(&app, &w.global, "proved.example").await.missing_since,
            None
        );
        // The record disappears: the next due pass mails the Global Administrator, once.
        unpublish(&app, &domain.txt_host);
        let later = later + recheck::INTERVAL + 60;
        assert_eq!(
            recheck::recheck_due(db, &config, later)
                .await
                .expect("pass"),
            1
        );
        assert_eq!(app.count(warnings).await, 1);
        let mail = app.latest_mail("megan@contoso.com").await;
        assert!(mail.contains(&domain.txt_value), "{mail}");
        assert!(mail.contains("/organization/domains"), "{mail}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outbox WHERE to_address = 'bill@contoso.com'")
                .await,
            0,
            "Global Administrators only"
        );
        let missing = entry(&app, &w.global, "proved.example").await;
        assert!(missing.verified_at.is_some(), "stays verified meanwhile");
        assert!(missing.missing_since.is_some());
        let page = app.get("/organization/domains", Some(&w.global)).await;
        assert!(page.body.contains("record missing since"), "{}", page.body);
        // Still gone a day later: no second mail; a pass at the same moment finds nothing due.
        let later = later + recheck::INTERVAL + 60;
        assert_eq!(
            recheck::recheck_due(db, &config, later)
                .await
                .expect("pass"),
            1
        );
        assert_eq!(
            recheck::recheck_due(db, &config, later)
                .await
                .expect("pass"),
            0
        );
        assert_eq!(app.count(warnings).await, 1);
        // Back again: the mark is cleared, and a later disappearance warns again.
        publish(&app, &domain.txt_host, &[domain.txt_value.as_str()]);
        let later = later + recheck::INTERVAL + 60;
        recheck::recheck_due(db, &config, later)
            .await
            .expect("pass");
        assert_eq!(
            entry(&app, &w.global, "proved.example").await.missing_since,
            None
        );
        unpublish(&app, &domain.txt_host);
        let later = later + recheck::INTERVAL + 60;
        recheck::recheck_due(db, &config, later)
            .await
            .expect("pass");
        assert_eq!(app.count(warnings).await, 2);
    }
);

on_both_engines!(
    two_servers_rechecking_at_once_check_each_domain_once,
    config = start,
    |app| {
        let w = world(&app).await;
        for domain in ["a.example", "b.example"] {
            add(&app, Some(&w.global), domain).await;
            let found = entry(&app, &w.global, domain).await;
            publish(&app, &found.txt_host, &[found.txt_value.as_str()]);
            on_domain(&app, "verify_domain", Some(&w.global), found.id).await;
            assert!(entry(&app, &w.global, domain).await.verified_at.is_some());
            unpublish(&app, &found.txt_host);
        }
        let config = app.state.config.clone();
        let later = app::state::now() + recheck::INTERVAL + 60;
        let (a, b) = tokio::join!(
            recheck::recheck_due(&app.state.db, &config, later),
            recheck::recheck_due(&app.state.db, &config, later)
        );
        // Each domain claimed by one pass only, and each disappearance told once.
        assert_eq!(a.expect("pass") + b.expect("pass"), 2);
        for domain in ["a.example", "b.example"] {
            let sql = format!(
                "SELECT COUNT(*) FROM outbox WHERE subject LIKE '%{domain}%' \
                 AND to_address = 'megan@contoso.com'"
            );
            assert_eq!(app.count(&sql).await, 1, "{domain}");
        }
    }
);
