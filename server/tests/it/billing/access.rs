//! Who reads an invoice: the PDF download and the online view, for Global and Billing
//! Administrators of the invoice's own organization only.

use super::*;
use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A GET whose body is kept as bytes (a PDF is not text).
async fn download(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
) -> (u16, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, headers, body.to_vec())
}

/// The text of a PDF as `pdftotext` reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, bytes).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils; scripts/install.sh --test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 text")
}

on_both_engines!(the_pdf_is_for_billing_and_global_administrators, |app| {
    let w = world(&app).await;
    let lines = vec![
        line(LineKind::Purchase, "Contoso 365 E3, 12 months", 10, 12345),
        line(LineKind::Credit, "Welcome credit", 1, -500),
    ];
    let id = issued(&app, w.org, w.subscription, lines).await;
    let path = format!("/invoices/{id}/pdf");
    for cookie in [&w.billing, &w.global] {
        let (status, headers, body) = download(&app, &path, Some(cookie)).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(
            headers["content-disposition"],
            r#"attachment; filename="SH-000001.pdf""#
        );
        assert_eq!(headers["cache-control"], "no-store");
        assert!(body.starts_with(b"%PDF-"));
        let text = pdf_text(&body);
        for expected in [
            "Services Hub",
            "Invoice SH-000001",
            "Contoso",
            "Contoso 365 E3, 12 months",
            "€123.45",
            "€1,234.50",
            "-€5.00",
            "€1,229.50",
            "Total",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
    }
    for cookie in [&w.user_admin, &w.nobody] {
        let (status, ..) = download(&app, &path, Some(cookie)).await;
        assert_eq!(status, 403);
    }
    // Another organization's invoice answers like a missing one.
    let (status, _, other) = download(&app, &path, Some(&w.other_billing)).await;
    let (missing, _, nothing) =
        download(&app, "/invoices/999999/pdf", Some(&w.other_billing)).await;
    assert_eq!((status, missing), (404, 404));
    assert_eq!(other, nothing);
    let (status, headers, _) = download(&app, &path, None).await;
    assert_eq!(status, 303);
    assert_eq!(
        headers["location"],
        format!("/sign-in?next=%2Finvoices%2F{id}")
    );
});

on_both_engines!(
    the_invoice_view_is_for_billing_and_global_administrators,
    |app| {
        let w = world(&app).await;
        let lines = vec![line(
            LineKind::QuantityChange,
            "Five more licenses",
            5,
            1200,
        )];
        let id = issued(&app, w.org, w.subscription, lines).await.to_string();
        let form = [("invoice_id", id.as_str())];
        for cookie in [&w.billing, &w.global] {
            let view = app.call("invoice", &form, Some(cookie), &[]).await;
            assert_eq!(view.status, 200, "{}", view.body);
            for expected in [
                r#""number":"SH-000001""#,
                r#""bill_to":"Contoso""#,
                r#""status":"Issued""#,
                r#""kind_label":"Quantity change""#,
                r#""total_label":"€60.00""#,
                r#""service_name":"Contoso 365""#,
                r#""offer_name":"Contoso 365 E3""#,
            ] {
                assert!(view.body.contains(expected), "{expected} in {}", view.body);
            }
        }
        for cookie in [&w.user_admin, &w.nobody] {
            assert_eq!(
                app.call("invoice", &form, Some(cookie), &[]).await.status,
                403
            );
        }
        let other = app
            .call("invoice", &form, Some(&w.other_billing), &[])
            .await;
        let missing = app
            .call(
                "invoice",
                &[("invoice_id", "999999")],
                Some(&w.other_billing),
                &[],
            )
            .await;
        assert_eq!((other.status, missing.status), (404, 404));
        assert_eq!(other.body, missing.body);
        assert_eq!(app.call("invoice", &form, None, &[]).await.status, 401);

        // The page, rendered on the server (it works without JavaScript).
        let page = app.get(&format!("/invoices/{id}"), Some(&w.billing)).await;
        assert_eq!(page.status, 200);
        for expected in [
            "Invoice SH-000001",
            "Bill to",
            "Five more licenses",
            "€60.00",
            "Download PDF",
        ] {
            assert!(page.body.contains(expected), "{expected}");
        }
        assert!(page.body.contains(&format!("/invoices/{id}/pdf")));
        let page = app
            .get(&format!("/invoices/{id}"), Some(&w.other_billing))
            .await;
        assert_eq!(page.status, 404);
        assert!(!page.body.contains("SH-000001"));
        let page = app
            .get(&format!("/invoices/{id}"), Some(&w.user_admin))
            .await;
        assert_eq!(page.status, 403);
    }
);
