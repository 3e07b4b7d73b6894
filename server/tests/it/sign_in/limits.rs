//! The per-address limits, and the hashing queue under a burst.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_limit_answers_429() {
    let app = TestApp::with_config(crate::common::Engine::Sqlite, |config| {
        config.sign_in_attempts_per_minute = 3;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            app.sign_in("nobody@example.org", "personal", "whatever12")
                .await
                .status,
            422
        );
    }
    let limited = app
        .sign_in("nobody@example.org", "personal", "whatever12")
        .await;
    assert_eq!(limited.status, 429);
    assert!(limited.body.contains("TooManyRequests"), "{}", limited.body);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_sign_ins_does_not_stall_the_health_probe() {
    let app = TestApp::new(crate::common::Engine::Sqlite).await;
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let burst: Vec<_> = (0..100)
        .map(|i| {
            let app = app.clone();
            let finished = finished.clone();
            tokio::spawn(async move {
                let email = format!("nobody{i}@example.org");
                app.sign_in(&email, "personal", "wrong password").await;
                finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
        })
        .collect();
    tokio::task::yield_now().await;
    // Hashing waits behind its semaphore on the blocking pool; the probe runs on the async
    // threads and answers while most of the burst is still queued.
    let health = app
        .request(
            axum::http::Request::get("/healthz")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(health.status, 200);
    assert!(
        finished.load(std::sync::atomic::Ordering::SeqCst) < 100,
        "the probe answered only after the burst"
    );
    for task in burst {
        task.await.expect("sign-in task");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // Without a trusted proxy the header is ignored: every "client" shares the peer's limit.
    let direct = TestApp::with_config(crate::common::Engine::Sqlite, |config| {
        config.sign_in_attempts_per_minute = 2;
    })
    .await;
    let attempt = |app: TestApp, forwarded: &'static str| async move {
        app.call(
            "sign_in",
            &[
                ("identifier", "nobody@example.org"),
                ("kind", "personal"),
                ("password", "whatever12"),
            ],
            None,
            &[("x-forwarded-for", forwarded)],
        )
        .await
        .status
    };
    assert_eq!(attempt(direct.clone(), "10.0.0.1").await, 422);
    assert_eq!(attempt(direct.clone(), "10.0.0.2").await, 422);
    assert_eq!(attempt(direct.clone(), "10.0.0.3").await, 429);
    direct.finish().await;

    // Behind a trusted proxy (the test router's peer is 127.0.0.1) each client has its own.
    let proxied = TestApp::with_config(crate::common::Engine::Sqlite, |config| {
        config.sign_in_attempts_per_minute = 2;
        config.trusted_proxies = vec![[127, 0, 0, 1].into()];
    })
    .await;
    assert_eq!(attempt(proxied.clone(), "10.0.0.1").await, 422);
    assert_eq!(attempt(proxied.clone(), "10.0.0.1").await, 422);
    assert_eq!(attempt(proxied.clone(), "10.0.0.1").await, 429);
    // The last hop is the one the proxy saw; what the client put before it is not trusted.
    assert_eq!(attempt(proxied.clone(), "10.0.0.1, 10.0.0.2").await, 422);
    proxied.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_kind_lookups_are_limited_per_address() {
    let app = TestApp::with_config(crate::common::Engine::Sqlite, |config| {
        config.sign_in_attempts_per_minute = 3;
    })
    .await;
    let lookup = || {
        app.call(
            "sign_in_options",
            &[("identifier", "megan@contoso.com")],
            None,
            &[],
        )
    };
    for _ in 0..3 {
        let allowed = lookup().await;
        assert_eq!(allowed.status, 200, "{}", allowed.body);
    }
    let limited = lookup().await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.body.contains("TooManyRequests"), "{}", limited.body);
    // The page that asks it (without JavaScript) says so too.
    let page = app
        .get("/sign-in?identifier=megan%40contoso.com", None)
        .await;
    assert!(page.body.contains("Too many attempts"), "{}", page.body);
    // Looking up kinds spends no sign-in attempts of its own: signing in still gets its answer.
    assert_eq!(
        app.sign_in("nobody@example.org", "personal", "whatever12")
            .await
            .status,
        422
    );
    app.finish().await;
}
