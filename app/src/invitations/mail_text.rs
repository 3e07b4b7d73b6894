//! The invitation mail. Links are built from the configured base URL, never the Host header.
//!
//! The text is stored in the outbox without the link's token: `body` says where the token goes,
//! and the mail worker makes one and puts it there only when it delivers the message
//! (`mail::deliver_due`), so neither the outbox nor a backup of it ever holds a usable link.

pub struct InvitationMail<'a> {
    pub base_url: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub workspace: &'a str,
    pub organization: &'a str,
    pub inviter: &'a str,
    pub expires_at: i64,
}

pub fn subject(workspace: &str) -> String {
    format!("You are invited to the Services Hub workspace \"{workspace}\"")
}

/// The text without the token, and where the token goes (in characters from the start, which
/// both engines' string functions count the same way).
pub fn body(mail: &InvitationMail<'_>) -> (String, i64) {
    let greeting = if mail.name.is_empty() {
        "Hello,".to_owned()
    } else {
        format!("Hello {},", mail.name)
    };
    let expires = time::OffsetDateTime::from_unix_timestamp(mail.expires_at)
        .map(|t| {
            let d = t.date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        })
        .unwrap_or_default();
    let before = format!(
        "{greeting}\n\n{inviter} invited you to the workspace \"{workspace}\" of {organization} in \
         Services Hub.\n\nComplete your registration here:\n{base}/invitations/accept?token=",
        inviter = mail.inviter,
        workspace = mail.workspace,
        organization = mail.organization,
        base = mail.base_url,
    );
    let after = format!(
        "\n\nThis invitation is for {email} only and cannot be forwarded: it works only for an \
         account with this address. It expires on {expires} (UTC). A separate invitation is \
         required for each workspace.\n\n-- Services Hub\n",
        email = mail.email,
    );
    let token_at = before.chars().count() as i64;
    (before + &after, token_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_right_after_the_link() {
        let (body, at) = body(&InvitationMail {
            base_url: "https://hub.example",
            email: "zoë@example.com",
            name: "Zoë Ångström",
            workspace: "Überblick",
            organization: "Contoso",
            inviter: "Megan",
            expires_at: 0,
        });
        assert!(!body.contains("TOKEN"));
        let sent = crate::mail::with_secret(&body, at, "TOKEN");
        assert!(
            sent.contains("https://hub.example/invitations/accept?token=TOKEN\n\nThis invitation"),
            "{sent}"
        );
    }
}
