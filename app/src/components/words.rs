//! Counts in words: "1 case", "2 cases", "Send 1 invitation".

/// The noun for `n`: `plural(1, "case", "cases")` is "case".
pub fn plural(n: i64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `n` and its noun: `count(3, "case", "cases")` is "3 cases".
pub fn count(n: i64, one: &'static str, many: &'static str) -> String {
    format!("{n} {}", plural(n, one, many))
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::count(0, "case", "cases"), "0 cases");
        assert_eq!(super::count(1, "case", "cases"), "1 case");
        assert_eq!(
            super::count(2, "invitation", "invitations"),
            "2 invitations"
        );
    }
}
