//! Several server instances on one database (issue 15): each test builds a second state and
//! router on the first one's database (`TestApp::instance`), as a second process would, and
//! checks that what must hold across instances does: the per-address limits and the lockout,
//! migrations started at once, the background jobs' claims. Also the pool's 503 and the health
//! probe under a burst of sign-ins.

use crate::common::{postgres_admin_url, TestApp, PASSWORD};
use services_hub::DbOptions;
use std::time::Duration;

mod jobs;
mod pool;

/// A second instance with the default pool.
async fn second(app: &TestApp) -> TestApp {
    app.instance(DbOptions::default()).await
}

async fn close(instance: TestApp) {
    instance.state.db.pool().close().await;
}

/// A sign-in with a wrong password from `client` (the test router's peer is a trusted proxy).
async fn attempt(app: &TestApp, client: &str) -> u16 {
    app.call(
        "sign_in",
        &[
            ("identifier", "nobody@example.org"),
            ("kind", "personal"),
            ("password", "whatever12"),
        ],
        None,
        &[("x-forwarded-for", client)],
    )
    .await
    .status
}

async fn lookup(app: &TestApp, client: &str) -> u16 {
    app.call(
        "sign_in_options",
        &[("identifier", "megan@contoso.com")],
        None,
        &[("x-forwarded-for", client)],
    )
    .await
    .status
}

on_both_engines!(
    the_address_limits_count_across_instances,
    config = |config| {
        config.sign_in_attempts_per_minute = 4;
        config.trusted_proxies = vec![[127, 0, 0, 1].into()];
    },
    |app| {
        let other = second(&app).await;
        // A window that ran out long ago goes at an instance's first check.
        app.exec(
            "INSERT INTO rate_limits (key, window_start, count) VALUES ('sign-in:10.9.9.9', 1, 7)",
        )
        .await;

        // Four attempts, alternating between the instances, then both refuse the address.
        for i in 0..4 {
            let instance = if i % 2 == 0 { &app } else { &other };
            assert_eq!(attempt(instance, "10.0.0.1").await, 422, "attempt {i}");
        }
        assert_eq!(attempt(&app, "10.0.0.1").await, 429);
        assert_eq!(attempt(&other, "10.0.0.1").await, 429);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM rate_limits WHERE key = 'sign-in:10.9.9.9'")
                .await,
            0,
            "the expired window was deleted"
        );
        // Another address has its own count; look-ups have theirs too.
        assert_eq!(attempt(&other, "10.0.0.2").await, 422);
        for i in 0..4 {
            let instance = if i % 2 == 0 { &other } else { &app };
            assert_eq!(lookup(instance, "10.0.0.1").await, 200, "look-up {i}");
        }
        assert_eq!(lookup(&app, "10.0.0.1").await, 429);
        assert_eq!(lookup(&other, "10.0.0.1").await, 429);

        // Once the window has run out, the address may try again (and counts from 1).
        app.exec("UPDATE rate_limits SET window_start = window_start - 61")
            .await;
        assert_eq!(attempt(&other, "10.0.0.1").await, 422);
        assert_eq!(
            app.count("SELECT count FROM rate_limits WHERE key = 'sign-in:10.0.0.1'")
                .await,
            1
        );
        close(other).await;
    }
);

on_both_engines!(
    parallel_attempts_on_two_instances_stop_at_the_quota,
    config = |config| {
        config.sign_in_attempts_per_minute = 10;
        config.trusted_proxies = vec![[127, 0, 0, 1].into()];
    },
    |app| {
        let other = second(&app).await;
        let tries = (0..30).map(|i| {
            let instance = if i % 2 == 0 {
                app.clone()
            } else {
                other.clone()
            };
            async move { attempt(&instance, "10.0.0.7").await }
        });
        let statuses = futures::future::join_all(tries).await;
        let allowed = statuses.iter().filter(|s| **s == 422).count();
        let refused = statuses.iter().filter(|s| **s == 429).count();
        assert_eq!((allowed, refused), (10, 20), "{statuses:?}");
        close(other).await;
    }
);

on_both_engines!(wrong_passwords_on_two_instances_lock_the_account, |app| {
    let other = second(&app).await;
    app.create_account("personal", "pat@example.org", "Pat Person")
        .await;
    let max = app::accounts::repo::MAX_FAILED_ATTEMPTS;
    for i in 0..max {
        let instance = if i % 2 == 0 { &app } else { &other };
        let wrong = instance
            .sign_in("pat@example.org", "personal", "wrong password")
            .await;
        assert_eq!(wrong.status, 422, "{}", wrong.body);
    }
    // Locked on both: the right password is refused on either instance.
    for instance in [&app, &other] {
        let locked = instance
            .sign_in("pat@example.org", "personal", PASSWORD)
            .await;
        assert_eq!(locked.status, 422, "{}", locked.body);
    }
    assert_eq!(
        app.count("SELECT lockouts FROM accounts WHERE email = 'pat@example.org'")
            .await,
        1
    );
    close(other).await;
});

/// The migration files of an engine: each version must be applied exactly once.
fn migration_count(engine: &str) -> i64 {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(engine);
    std::fs::read_dir(dir)
        .expect("migrations")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count() as i64
}

async fn versions(db: &app::state::Db) -> (i64, i64) {
    sqlx::query_as::<_, (i64, i64)>(
        "SELECT COUNT(*), COUNT(DISTINCT version) FROM _sqlx_migrations WHERE success",
    )
    .fetch_one(db.pool())
    .await
    .expect("migrations table")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_migrate_a_fresh_sqlite_file_at_once() {
    let expected = migration_count("sqlite");
    // A few fresh files: a collision is likely on the first, but not certain.
    for round in 0..3 {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/fresh.db?mode=rwc", dir.path().display());
        let (one, two) = tokio::join!(
            services_hub::open_database(&url),
            services_hub::open_database(&url)
        );
        let (one, two) = (one.expect("first"), two.expect("second"));
        assert_eq!(versions(&one).await, (expected, expected), "round {round}");
        one.pool().close().await;
        two.pool().close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_migrate_a_fresh_postgres_database_at_once() {
    let expected = migration_count("postgres");
    let admin_url = postgres_admin_url();
    sqlx::any::install_default_drivers();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
        .await
        .expect("PostgreSQL must be reachable at TEST_DATABASE_URL");
    for round in 0..3 {
        let name = format!("sh_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create database");
        let base = admin_url.rsplit_once('/').map_or(&*admin_url, |(b, _)| b);
        let url = format!("{base}/{name}");
        let (one, two) = tokio::join!(
            services_hub::open_database(&url),
            services_hub::open_database(&url)
        );
        let result = match (one, two) {
            (Ok(one), Ok(two)) => {
                let counted = versions(&one).await;
                one.pool().close().await;
                two.pool().close().await;
                Ok(counted)
            }
            (one, two) => Err(format!("{:?} / {:?}", one.err(), two.err())),
        };
        sqlx::Executor::execute(
            &mut admin,
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
        )
        .await
        .expect("drop database");
        assert_eq!(result, Ok((expected, expected)), "round {round}");
    }
}

// Security: "100 parallel sign-ins do not stall a health probe", now that each sign-in also
// counts in the database: the probe answers while sign-ins are still running.
on_both_engines!(a_hundred_sign_ins_do_not_stall_the_health_probe, |app| {
    use std::sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    };
    app.create_account("personal", "sam@example.org", "Sam Person")
        .await;
    let finished = Arc::new(AtomicUsize::new(0));
    let burst: Vec<_> = (0..100)
        .map(|i| {
            let (app, finished) = (app.clone(), finished.clone());
            tokio::spawn(async move {
                // Half against a real account (a real verification), half unknown (the dummy).
                let who = if i % 2 == 0 {
                    "sam@example.org".to_owned()
                } else {
                    format!("nobody{i}@example.org")
                };
                app.sign_in(&who, "personal", "wrong password").await;
                finished.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let health = app
        .request(
            axum::http::Request::get("/healthz")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    let done = finished.load(Ordering::SeqCst);
    assert_eq!(health.status, 200, "{}", health.body);
    assert!(done < 100, "the probe answered only after the burst");
    for task in burst {
        task.await.expect("sign-in task");
    }
});
