//! The site files: served compressed by Accept-Encoding, cached for a year when their names
//! carry a content hash, and a server that cannot find them refuses to start.

use super::*;
use axum::{body::Body, http::Request};
use leptos::config::LeptosOptions;

/// A site folder with the three files a page loads, each with a brotli and a gzip twin.
fn site(dir: &std::path::Path) {
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    for (name, body) in [
        ("services-hub.js", "export default 1;"),
        ("services-hub.wasm", "\0asm"),
        ("services-hub.css", "body {}"),
    ] {
        std::fs::write(pkg.join(name), body).expect("file");
        std::fs::write(pkg.join(format!("{name}.br")), "brotli bytes").expect("br");
        std::fs::write(pkg.join(format!("{name}.gz")), "gzip bytes").expect("gz");
    }
}

fn options(dir: &std::path::Path) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("services-hub")
        .site_root(dir.display().to_string())
        .build()
}

#[test]
fn a_server_without_its_site_files_refuses_to_start() {
    let dir = tempfile::tempdir().expect("dir");
    let refused = services_hub::site::checked(options(dir.path())).expect_err("refused");
    assert!(refused.contains("services-hub.js is missing"), "{refused}");
    assert!(refused.contains("scripts/build.sh"), "{refused}");
    site(dir.path());
    let checked = services_hub::site::checked(options(dir.path())).expect("all there");
    // No hash.txt beside this binary: the plain names, nothing immutable.
    assert!(!checked.hash_files);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_files_come_compressed_and_hashed_ones_are_cached_for_a_year() {
    let app = TestApp::new(Engine::Sqlite).await;
    let dir = tempfile::tempdir().expect("dir");
    site(dir.path());
    for (hashed, cache) in [
        (true, "public, max-age=31536000, immutable"),
        (false, "no-cache"),
    ] {
        let mut options = options(dir.path());
        options.hash_files = hashed;
        let router = services_hub::router(app.state.clone(), options);
        let get = |encoding: &'static str| {
            Request::get("/pkg/services-hub.wasm")
                .header("accept-encoding", encoding)
                .body(Body::empty())
                .expect("request")
        };
        let response = tower::ServiceExt::oneshot(router.clone(), get("gzip, deflate, br"))
            .await
            .expect("response");
        assert_eq!(response.status(), 200);
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().expect("text").to_owned())
        };
        assert_eq!(header("content-encoding").as_deref(), Some("br"));
        assert_eq!(header("content-type").as_deref(), Some("application/wasm"));
        assert_eq!(header("cache-control").as_deref(), Some(cache));
        assert_eq!(header("vary").as_deref(), Some("accept-encoding"));
        let gzip = tower::ServiceExt::oneshot(router.clone(), get("gzip"))
            .await
            .expect("response");
        assert_eq!(gzip.headers()["content-encoding"], "gzip");
        let plain = tower::ServiceExt::oneshot(router, get("identity"))
            .await
            .expect("response");
        assert!(plain.headers().get("content-encoding").is_none());
    }
    // Pages stay out of every cache.
    let page = app.get("/sign-in", None).await;
    assert_eq!(page.headers["cache-control"], "no-store");
    app.finish().await;
}
