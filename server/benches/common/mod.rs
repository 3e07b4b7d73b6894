//! What both benchmarks share: requests through the real router, and the summary line.
#![allow(dead_code)]

use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

pub struct Bench {
    pub router: Router,
}

impl Bench {
    pub async fn send(&self, request: Request<Body>) -> (u16, String, Option<String>) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("services-hub-session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (
            status,
            String::from_utf8_lossy(&body).into_owned(),
            cookie.or(location),
        )
    }

    pub async fn call(&self, function: &str, form: &[(&str, &str)], cookie: &str) -> (u16, String) {
        let body = serde_urlencoded::to_string(form).expect("form");
        let request = Request::post(format!("/api/{function}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("cookie", cookie)
            .body(Body::from(body))
            .expect("request");
        let (status, body, _) = self.send(request).await;
        (status, body)
    }
}

pub fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "{label:<48} median {:>8.2} ms   p95 {:>8.2} ms   ({} runs)",
        ms(median),
        ms(p95),
        times.len()
    );
}
