//! E-mail announcements of notifications (issue 5): when an SMTP server is configured, each user
//! who gave an address gets one short e-mail per round saying how many notifications wait, in
//! their language, and nothing else: no contact, case, name, region or line. The message could be
//! read by anyone between here and the inbox, so it must say nothing an adversary could use.

use anyhow::Context;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use ozodi_i18n::Lang;
use ozodi_web::AppState;

use crate::config::MailSettings;

/// The configured SMTP server and sender.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// Checks the settings (URL, sender address); connects only when sending.
    pub fn new(settings: &MailSettings) -> anyhow::Result<Mailer> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
            .context("smtp_url is not a valid smtp:// or smtps:// URL")?;
        if let Some(password) = &settings.password {
            let user =
                url_user(&settings.url).context("smtp_password_file is set but smtp_url names no user")?;
            builder = builder.credentials(Credentials::new(user, password.clone()));
        }
        let from = settings.from.parse().context("smtp_from is not a valid e-mail address")?;
        Ok(Mailer { transport: builder.timeout(Some(std::time::Duration::from_secs(30))).build(), from })
    }

    /// Announces every user's waiting notifications; returns how many e-mails went out. A user
    /// whose e-mail failed is tried again next round; the others are marked announced.
    pub async fn send_pending(&self, state: &AppState) -> anyhow::Result<usize> {
        let Some(store) = state.store() else { return Ok(0) };
        let mut sent = 0;
        for pending in store.pending_emails().await? {
            let lang = pending.language.as_deref().and_then(Lang::parse).unwrap_or(Lang::Ru);
            let to: Mailbox = match pending.email.parse() {
                Ok(to) => to,
                Err(_) => {
                    // Not deliverable: mark it, or it would be retried forever.
                    tracing::warn!(user = %pending.user, "a notification address is not valid; skipped");
                    store.mark_emailed(pending.user, pending.up_to, state.now()).await?;
                    continue;
                }
            };
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(lang.t("email-subject"))
                .header(ContentType::TEXT_PLAIN)
                .body(lang.t_counts("email-body", &[("count", pending.count)]))?;
            match self.transport.send(message).await {
                Ok(_) => {
                    store.mark_emailed(pending.user, pending.up_to, state.now()).await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(user = %pending.user, error = %e, "an e-mail announcement failed; retried in 30 s")
                }
            }
        }
        Ok(sent)
    }
}

/// The user name of an `smtp://user@host` URL, percent-decoded.
fn url_user(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let user = userinfo.split(':').next()?;
    let decoded = percent_encoding::percent_decode_str(user).decode_utf8().ok()?.into_owned();
    (!decoded.is_empty()).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_comes_from_the_url() {
        assert_eq!(url_user("smtps://alerts@mail.example.org:465").as_deref(), Some("alerts"));
        assert_eq!(url_user("smtp://a%40b.tj@mail.example.org:587?tls=required").as_deref(), Some("a@b.tj"));
        assert_eq!(url_user("smtp://mail.example.org:25"), None);
    }
}
