//! The invitation mail. Links are built from the configured base URL, never the Host header.

pub struct InvitationMail<'a> {
    pub base_url: &'a str,
    pub token: &'a str,
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

pub fn body(mail: &InvitationMail<'_>) -> String {
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
    format!(
        "{greeting}\n\n{inviter} invited you to the workspace \"{workspace}\" of {organization} in \
         Services Hub.\n\nComplete your registration here:\n{base}/invitations/accept?token={token}\n\n\
         This invitation is for {email} only and cannot be forwarded: it works only for an account \
         with this address. It expires on {expires} (UTC). A separate invitation is required for \
         each workspace.\n\n-- Services Hub\n",
        inviter = mail.inviter,
        workspace = mail.workspace,
        organization = mail.organization,
        base = mail.base_url,
        token = mail.token,
        email = mail.email,
    )
}
