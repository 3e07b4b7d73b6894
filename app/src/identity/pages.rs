//! The Identity page and Manage Users of an organization. Every form posts (`ActionForm`), the
//! search, sort and pages are GET forms and links, so each page works before hydration.

mod info;
mod user;
mod user_parts;
mod users;

pub use info::IdentityPage;
pub use user::OrgUserPage;
pub use users::OrgUsersPage;

/// Text for an element's inner HTML: leptos does not escape a textarea's children, so the
/// address goes in escaped (a textarea shows `&lt;` as `<`).
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn textarea_text_cannot_close_its_element() {
        assert_eq!(
            super::escape_html("a</textarea><b>&"),
            "a&lt;/textarea&gt;&lt;b&gt;&amp;"
        );
    }
}
