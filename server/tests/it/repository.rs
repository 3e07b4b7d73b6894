//! The accounts queries on SQLite and PostgreSQL.

use crate::common::PASSWORD;
use app::accounts::{repo, service, types::SignInIdentifier};

on_both_engines!(the_same_email_exists_once_per_kind, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    app.create_account("personal", "Megan@Contoso.com", "Megan Personal")
        .await;
    let again = service::create_account(
        &app.state,
        service::CreateAccount {
            kind: "work",
            email: "MEGAN@contoso.com",
            name: "Dup",
            phone: None,
            organization: None,
            password: PASSWORD,
        },
        app::auth::audit::Actor::CommandLine,
    )
    .await
    .expect_err("duplicate");
    assert!(again
        .field_message("email")
        .is_some_and(|m| m.contains("already exists")));
    let identifier = SignInIdentifier::parse("megan@CONTOSO.COM").expect("identifier");
    let kinds = repo::kinds_for(&app.state.db, &identifier)
        .await
        .expect("kinds");
    assert_eq!(kinds.len(), 2);
    // Exact matching only: a plus tag or a dot makes another address.
    for other in [
        "megan+x@contoso.com",
        "me.gan@contoso.com",
        "egan@contoso.com",
    ] {
        let identifier = SignInIdentifier::parse(other).expect("identifier");
        assert!(
            repo::kinds_for(&app.state.db, &identifier)
                .await
                .expect("kinds")
                .is_empty(),
            "{other}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM accounts").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.create'")
            .await,
        2
    );
});

on_both_engines!(work_accounts_need_their_organizations_domain, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_organization("Fabrikam", "fabrikam.com").await;
    let attempt = |email: &'static str, organization: Option<&'static str>, kind: &'static str| {
        let state = app.state.clone();
        async move {
            service::create_account(
                &state,
                service::CreateAccount {
                    kind,
                    email,
                    name: "Someone",
                    phone: None,
                    organization,
                    password: PASSWORD,
                },
                app::auth::audit::Actor::CommandLine,
            )
            .await
        }
    };
    assert!(attempt("a@example.org", None, "work").await.is_err());
    assert!(attempt("a@contoso.com", Some("Fabrikam"), "work")
        .await
        .is_err());
    assert!(attempt("a@contoso.com", Some("Nowhere"), "work")
        .await
        .is_err());
    assert!(attempt("a@contoso.com", Some("Contoso"), "personal")
        .await
        .is_err());
    assert!(attempt("short@contoso.com", None, "work").await.is_ok());
    assert_eq!(app.count("SELECT COUNT(*) FROM accounts").await, 1);
    let duplicate = service::create_organization(
        &app.state,
        "contoso",
        "other.com",
        app::auth::audit::Actor::CommandLine,
        "local",
    )
    .await;
    assert!(duplicate
        .expect_err("duplicate name")
        .field_message("name")
        .is_some());
    let taken = service::create_organization(
        &app.state,
        "Other",
        "CONTOSO.com",
        app::auth::audit::Actor::CommandLine,
        "local",
    )
    .await;
    assert!(taken
        .expect_err("taken domain")
        .field_message("domain")
        .is_some());
    assert_eq!(app.count("SELECT COUNT(*) FROM organizations").await, 2);
});

on_both_engines!(the_reservation_locks_after_the_limit, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    let id = app
        .create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    for _ in 0..repo::MAX_FAILED_ATTEMPTS {
        assert!(repo::reserve_attempt(&app.state.db, id)
            .await
            .expect("reserve"));
    }
    assert!(!repo::reserve_attempt(&app.state.db, id)
        .await
        .expect("reserve"));
    repo::record_success(&app.state.db, id, None)
        .await
        .expect("reset");
    assert!(repo::reserve_attempt(&app.state.db, id)
        .await
        .expect("reserve"));
});

on_both_engines!(concurrent_writers_all_land, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    let id = app
        .create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    // 50 writers at once: none fails with a busy/locked error and every write is there.
    let writers = (0..50).map(|i| {
        let db = app.state.db.clone();
        async move {
            let mut tx = db.begin_write().await?;
            sqlx::query("INSERT INTO audit_log (actor_label, action, object_type, object_id, ip, created_at) VALUES ($1, 'test.write', 'account', $2, 'local', $3)")
                .bind(format!("writer {i}"))
                .bind(id)
                .bind(i as i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
    });
    let results = futures::future::join_all(writers).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'test.write'")
            .await,
        50
    );
});

on_both_engines!(a_unique_violation_becomes_a_message_at_the_field, |app| {
    // The constraint, not a check before it, decides: a second insert of a taken name is a
    // field message on both engines (what a lost check-then-insert race ends in).
    let insert = || {
        sqlx::query(
            "INSERT INTO organizations (name, name_canonical, created_at, updated_at) \
             VALUES ('Contoso', 'contoso', 0, 0)",
        )
        .execute(app.state.db.pool())
    };
    insert().await.expect("first insert");
    let error = insert()
        .await
        .map_err(app::db::unique_as("name", "That name is taken."))
        .expect_err("the second insert breaks the constraint");
    assert_eq!(error.status(), 422, "{error:?}");
    assert_eq!(
        error.field_message("name").as_deref(),
        Some("That name is taken.")
    );
    // Any other database error stays internal: a reference, never database text.
    let other = sqlx::query("INSERT INTO no_such_table VALUES (1)")
        .execute(app.state.db.pool())
        .await
        .map_err(app::db::unique_as("name", "That name is taken."))
        .expect_err("no table");
    assert_eq!(other.status(), 500, "{other:?}");
    assert!(!other.to_string().contains("no_such_table"), "{other}");
});
