use super::*;

#[test]
fn email_canonical_lowercases_domain_and_local_for_matching_only() {
    let email = EmailAddress::parse("  Alice@EXAMPLE.com ").expect("valid");
    assert_eq!(email.as_str(), "Alice@example.com");
    assert_eq!(email.canonical(), "alice@example.com");
    let plain = EmailAddress::parse("alice@example.com").expect("valid");
    assert_eq!(email.canonical(), plain.canonical());
}

#[test]
fn plus_tags_dots_and_lookalikes_stay_distinct() {
    let alice = EmailAddress::parse("alice@example.com").expect("valid");
    for other in [
        "alice+x@example.com",
        "a.lice@example.com",
        "alıce@example.com",
    ] {
        let other = EmailAddress::parse(other).expect("valid");
        assert_ne!(other.canonical(), alice.canonical(), "{other:?}");
    }
}

#[test]
fn international_domains_are_idna_encoded() {
    let email = EmailAddress::parse("user@Bücher.example").expect("valid");
    assert_eq!(email.as_str(), "user@xn--bcher-kva.example");
    assert_eq!(email.domain(), "xn--bcher-kva.example");
}

#[test]
fn malformed_emails_are_refused() {
    let long_local = format!("{}@example.com", "a".repeat(65));
    let long_total = format!("{}@{}.com", "a".repeat(60), "b".repeat(200));
    for bad in [
        "",
        "   ",
        "plain",
        "@example.com",
        "alice@",
        "alice@localhost",
        "a b@example.com",
        "alice@exa mple.com",
        "alice@-example.com",
        "alice@example.123",
        ".alice@example.com",
        "al..ice@example.com",
        "alice@@example.com",
        long_local.as_str(),
        long_total.as_str(),
    ] {
        assert!(
            EmailAddress::parse(bad).is_err(),
            "{bad:?} should be refused"
        );
    }
}

#[test]
fn phone_numbers_keep_only_digits_after_the_country_sign() {
    assert_eq!(
        PhoneNumber::parse("+1 (425) 555-0100")
            .expect("valid")
            .as_str(),
        "+14255550100"
    );
    assert_eq!(
        PhoneNumber::parse("0049 30 1234567")
            .expect("valid")
            .as_str(),
        "+49301234567"
    );
    for bad in [
        "4255550100",
        "+12",
        "+1 425 555 0100 0000 0000",
        "+1 425 abc",
        "",
    ] {
        assert!(PhoneNumber::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn identifier_detects_email_or_phone() {
    assert!(matches!(
        SignInIdentifier::parse("megan@contoso.com"),
        Ok(SignInIdentifier::Email(_))
    ));
    assert!(matches!(
        SignInIdentifier::parse("+1 425 555 0100"),
        Ok(SignInIdentifier::Phone(_))
    ));
    assert!(SignInIdentifier::parse("not-an-email").is_err());
    assert!(SignInIdentifier::parse(&"a".repeat(300)).is_err());
}

#[test]
fn passwords_table() {
    let cases: &[(&str, bool)] = &[
        ("", false),
        ("short", false),
        ("1234567", false),
        ("password", false),
        ("Password1", false),
        ("correct horse battery", true),
        ("ünïcödé-pässwörd", true),
        ("        ", true),
    ];
    for (input, ok) in cases {
        assert_eq!(NewPassword::parse(input).is_ok(), *ok, "{input:?}");
    }
    assert!(NewPassword::parse(&"x".repeat(128)).is_ok());
    assert!(NewPassword::parse(&"x".repeat(129)).is_err());
    // 128 multi-byte characters are 128 characters, not 256 bytes: no truncation, no refusal.
    assert!(NewPassword::parse(&"é".repeat(128)).is_ok());
}

#[test]
fn names_are_trimmed_and_bounded() {
    assert_eq!(
        DisplayName::parse("  Megan  ").expect("valid").as_str(),
        "Megan"
    );
    assert!(DisplayName::parse("").is_err());
    assert!(DisplayName::parse(&"n".repeat(201)).is_err());
    assert!(DisplayName::parse("bad\u{0}name").is_err());
}

#[test]
fn profile_choices_are_from_the_lists() {
    assert!(parse_language("de").is_ok());
    assert!(parse_language("xx").is_err());
    assert!(parse_time_zone("Europe/Berlin").is_ok());
    assert!(parse_time_zone("Mars/Olympus").is_err());
}

proptest::proptest! {
    // Untrusted input never panics the parsers, and a parsed address parses to itself.
    #[test]
    fn parsers_never_panic(input in "\\PC{0,300}") {
        let _ = SignInIdentifier::parse(&input);
        let _ = PhoneNumber::parse(&input);
        let _ = DisplayName::parse(&input);
        let _ = NewPassword::parse(&input);
        if let Ok(email) = EmailAddress::parse(&input) {
            let again = EmailAddress::parse(email.as_str()).expect("stable");
            proptest::prop_assert_eq!(again, email);
        }
    }

    #[test]
    fn emails_with_any_case_match(local in "[a-z0-9._+-]{1,20}", domain in "[a-z]{1,10}\\.[a-z]{2,5}") {
        let lower = format!("{local}@{domain}");
        if let Ok(email) = EmailAddress::parse(&lower) {
            let upper = EmailAddress::parse(&lower.to_uppercase()).expect("valid");
            proptest::prop_assert_eq!(upper.canonical(), email.canonical());
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    // The canonical form is a fixed point: parsing it again gives it back, so the same person
    // is found whichever of their spellings comes in.
    #[test]
    fn canonical_form_is_idempotent(input in "[A-Za-z0-9._%+-]{1,20}@[A-Za-z0-9-]{1,12}\\.[A-Za-z]{2,6}") {
        if let Ok(email) = EmailAddress::parse(&input) {
            let again = EmailAddress::parse(email.canonical()).expect("the canonical form is valid");
            proptest::prop_assert_eq!(again.canonical(), email.canonical());
            let mixed: String = input.chars().enumerate()
                .map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                .collect();
            let mixed = EmailAddress::parse(&mixed).expect("case does not change validity");
            proptest::prop_assert_eq!(mixed.canonical(), email.canonical());
        }
    }
}
