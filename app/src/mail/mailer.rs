//! Where mail goes: an SMTP server, or a folder of `.eml` files.

use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use std::path::PathBuf;

use super::SMTP_TIMEOUT;
use crate::state::now;

/// `Services Hub <no-reply@HOST>`, HOST being the public base URL's host (`localhost` when the
/// URL has none usable), so replies and SPF point at the installation's own name.
pub fn from_address(base_url: &str) -> String {
    let host = url_host(base_url).unwrap_or_default();
    let candidate = format!("Services Hub <no-reply@{host}>");
    if !host.is_empty() && candidate.parse::<Mailbox>().is_ok() {
        candidate
    } else {
        "Services Hub <no-reply@localhost>".to_owned()
    }
}

/// The host of `scheme://user@host:port/path`, lowercased; an IPv6 host keeps its brackets.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if host_port.starts_with('[') {
        &host_port[..=host_port.find(']')?]
    } else {
        host_port.split(':').next()?
    };
    Some(host.to_ascii_lowercase())
}

/// Where mail goes.
#[derive(Clone, Debug)]
pub enum Mailer {
    /// One `.eml` file per message in this folder (the embedded default).
    Folder(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    /// SMTP when `smtp_url` is given (`smtp://host:25`, `smtp://user:pass@host?tls=required`,
    /// `smtps://user:pass@host`), otherwise the mail folder. The error never repeats the URL,
    /// which may hold a password. Call it inside the Tokio runtime: the SMTP pool starts a task.
    pub fn from_settings(mail_dir: &str, smtp_url: Option<&str>) -> Result<Mailer, String> {
        match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Mailer::Smtp(builder.timeout(Some(SMTP_TIMEOUT)).build()))
                .map_err(|e| one_line(&format!("SERVICES_HUB_SMTP_URL is not usable: {e}"))),
            None => Ok(Mailer::Folder(PathBuf::from(mail_dir))),
        }
    }

    /// Delivers one message; `id` (the outbox row) names the file in the folder variant.
    pub async fn send(
        &self,
        id: i64,
        from: &str,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), String> {
        let message = build_message(from, to, subject, body)?;
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Folder(dir) => {
                let dir = dir.clone();
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_eml(&dir, id, &bytes))
                    .await
                    .map_err(|e| format!("mail folder writer failed: {e}"))?
            }
        }
    }
}

fn build_message(from: &str, to: &str, subject: &str, body: &str) -> Result<Message, String> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| format!("bad sender address: {e}"))?;
    let to: Mailbox = to
        .parse()
        .map_err(|e| format!("bad recipient address: {e}"))?;
    // lettre adds no Message-ID and not every relay does; mail without one looks like spam.
    // Named after the sender's domain, so the id says which installation sent it.
    let message_id = format!(
        "<{}@{}>",
        uuid::Uuid::new_v4().simple(),
        from.email.domain()
    );
    Message::builder()
        .message_id(Some(message_id))
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_owned())
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// Writes under a dot-name first and renames, so a reader never sees half a message.
fn write_eml(dir: &std::path::Path, id: i64, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let describe = |e: std::io::Error| format!("mail folder {}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(describe)?;
    let name = format!("{id}-{}.eml", now());
    let temp = dir.join(format!(".{name}.tmp"));
    let mut file = std::fs::File::create(&temp).map_err(describe)?;
    file.write_all(bytes).map_err(describe)?;
    file.sync_all().map_err(describe)?;
    drop(file);
    std::fs::rename(&temp, dir.join(&name)).map_err(describe)
}

pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_comes_from_the_base_url_host() {
        assert_eq!(
            from_address("https://hub.example.com:8443/x"),
            "Services Hub <no-reply@hub.example.com>"
        );
        assert_eq!(
            from_address("http://127.0.0.1:3000"),
            "Services Hub <no-reply@127.0.0.1>"
        );
        assert_eq!(
            from_address("not a url"),
            "Services Hub <no-reply@localhost>"
        );
    }
}
