//! Random secrets that travel in cookies and links (sessions, invitations): 256 bits from the
//! OS generator, URL-safe; only their SHA-256 is stored, so a database dump opens nothing.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_url_safe_and_distinct() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in unpadded base64");
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(hash_token(&a).len(), 64);
        assert_eq!(hash_token(&a), hash_token(&a));
    }

    // A presented token (cookie, link, form) is untrusted text of any shape: hashing it never
    // panics, always gives the stored form (64 lowercase hex digits), and two different
    // presentations never look up the same row.
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        #[test]
        fn any_presented_token_hashes_to_the_stored_form(token in "\\PC{0,200}") {
            let hash = hash_token(&token);
            proptest::prop_assert_eq!(hash.len(), 64);
            proptest::prop_assert!(hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            proptest::prop_assert_eq!(&hash, &hash_token(&token));
        }

        #[test]
        fn different_tokens_hash_apart(a in proptest::prelude::any::<String>(), b in proptest::prelude::any::<String>()) {
            proptest::prop_assume!(a != b);
            proptest::prop_assert_ne!(hash_token(&a), hash_token(&b));
        }
    }
}
