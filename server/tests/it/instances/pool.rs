//! An exhausted pool answers 503 with `Retry-After` (not 500, and not after a long wait), and
//! the next request after connections come back answers 200.

use super::*;

/// An instance with two connections that gives up on a busy pool after a second.
async fn small(app: &TestApp) -> TestApp {
    app.instance(DbOptions {
        max_connections: 2,
        acquire_timeout: Duration::from_secs(1),
    })
    .await
}

async fn health(app: &TestApp) -> crate::common::TestResponse {
    app.request(
        axum::http::Request::get("/healthz")
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await
}

on_both_engines!(an_exhausted_pool_answers_503_and_recovers, |app| {
    let small = small(&app).await;
    let lookup = || {
        small.call(
            "sign_in_options",
            &[("identifier", "megan@contoso.com")],
            None,
            &[],
        )
    };
    assert_eq!(lookup().await.status, 200);

    // Every connection is taken, as by two long requests.
    let held = (
        small.state.db.pool().acquire().await.expect("first"),
        small.state.db.pool().acquire().await.expect("second"),
    );
    let busy = lookup().await;
    assert_eq!(busy.status, 503, "{}", busy.body);
    assert_eq!(busy.header("retry-after"), Some("2"));
    assert!(busy.body.contains("Unavailable"), "{}", busy.body);
    let page = small
        .get("/sign-in?identifier=megan%40contoso.com", None)
        .await;
    assert!(
        page.body
            .contains("The service is busy or its database is unreachable"),
        "{}",
        page.body
    );
    let probe = health(&small).await;
    assert_eq!(probe.status, 503, "{}", probe.body);
    assert_eq!(probe.header("retry-after"), Some("2"));
    // The first instance has a pool of its own and is not affected.
    assert_eq!(health(&app).await.status, 200);

    drop(held);
    assert_eq!(lookup().await.status, 200);
    assert_eq!(health(&small).await.status, 200);
    close(small).await;
});

on_both_engines!(a_closed_pool_answers_503, |app| {
    let gone = small(&app).await;
    gone.state.db.pool().close().await;
    let answer = gone
        .call(
            "sign_in_options",
            &[("identifier", "megan@contoso.com")],
            None,
            &[],
        )
        .await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(health(&gone).await.status, 503);
});
