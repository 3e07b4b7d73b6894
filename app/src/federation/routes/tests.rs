//! The OpenID callback's parameters come from whoever crafted the link: any address reads
//! without a panic, each value arrives exactly as encoded, and anything ambiguous (a repeated
//! key) reads as nothing, so the callback refuses it as an expired login.

use super::callback_query;
use axum::http::Uri;
use proptest::prelude::*;

fn read(query: &str) -> Option<(Option<String>, Option<String>, Option<String>)> {
    let uri: Uri = format!("{}?{query}", super::CALLBACK_PATH).parse().ok()?;
    let q = callback_query(&uri);
    Some((q.code, q.state, q.error))
}

fn encoded(key: &str, value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| format!("{key}={}", urlencoding::encode(v)))
}

#[test]
fn a_repeated_state_reads_as_none() {
    assert_eq!(read("code=c&state=a&state=b"), Some((None, None, None)));
    assert_eq!(
        read("code=c%20d&state=s&iss=x"),
        Some((Some("c d".to_owned()), Some("s".to_owned()), None))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_query_reads_without_panic(query in "[A-Za-z0-9%&=+;._~/?-]{0,200}") {
        let first = read(&query);
        prop_assert_eq!(first, read(&query));
    }

    #[test]
    fn values_arrive_exactly_as_sent(
        code in proptest::option::of(any::<String>()),
        state in proptest::option::of(any::<String>()),
        error in proptest::option::of(any::<String>()),
        extra in proptest::option::of("[a-z_]{1,8}"),
    ) {
        let extra = extra.filter(|k| !["code", "state", "error"].contains(&k.as_str()));
        let parts: Vec<String> = [
            encoded("code", &code),
            extra.map(|k| format!("{k}=ignored")),
            encoded("state", &state),
            encoded("error", &error),
        ]
        .into_iter()
        .flatten()
        .collect();
        prop_assert_eq!(read(&parts.join("&")), Some((code, state, error)));
    }

    #[test]
    fn a_repeated_key_reads_as_nothing(a in "[A-Za-z0-9_-]{0,43}", b in "[A-Za-z0-9_-]{0,43}") {
        let (code, state, error) = read(&format!("state={a}&code=x&state={b}")).expect("valid uri");
        prop_assert!(code.is_none() && state.is_none() && error.is_none());
    }
}
