//! E-mail over SMTP to a relay on the local network.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

use crate::{Outgoing, SendError, Transport, check_idempotency_key};

/// Settings for [`SmtpTransport`].
///
/// The connection is plain SMTP (no TLS): it is meant for a relay on the
/// local network, which takes care of onward delivery.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SmtpConfig {
    /// Relay host name or IP address.
    pub host: String,
    /// Relay port.
    pub port: u16,
    /// Sender mailbox, e.g. `OneTrip 政务服务 <noreply@onetrip.local>`.
    pub from: String,
    /// AUTH user name; no authentication when `None`.
    pub username: Option<String>,
    /// AUTH password (empty when `None` but a user name is set).
    pub password: Option<String>,
    /// Time limit for one whole send (connect, SMTP dialogue and data), in
    /// milliseconds.
    pub timeout_ms: u64,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".to_owned(),
            port: 25,
            from: "OneTrip 政务服务 <noreply@onetrip.local>".to_owned(),
            username: None,
            password: None,
            timeout_ms: 5000,
        }
    }
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// Sends [`Outgoing`] e-mail through an SMTP relay.
///
/// Each message is a UTF-8 plain-text mail whose `Message-ID` is
/// `<idempotency_key@onetrip>`. SMTP 5xx replies and malformed addresses are
/// [`SendError::Permanent`]; 4xx replies, timeouts and connection failures are
/// [`SendError::Transient`].
pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    endpoint: String,
    /// Deadline for one whole send. lettre's own timeout covers the TCP
    /// connect but not every read (a relay that accepts and never greets
    /// would hang it), so the send is also bounded from outside.
    timeout: Duration,
}

impl fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTransport")
            .field("endpoint", &self.endpoint)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// Builds the transport; no connection is made until the first send.
    ///
    /// Fails with [`SendError::Permanent`] when `from` is not a valid mailbox
    /// or the host is empty.
    pub fn new(cfg: &SmtpConfig) -> Result<Self, SendError> {
        if cfg.host.trim().is_empty() {
            return Err(SendError::Permanent("smtp host is empty".to_owned()));
        }
        let from: Mailbox = cfg.from.parse().map_err(|e| {
            SendError::Permanent(format!("invalid from address {:?}: {e}", cfg.from))
        })?;
        let timeout = Duration::from_millis(cfg.timeout_ms);
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.clone())
            .port(cfg.port)
            .timeout(Some(timeout));
        if let Some(user) = &cfg.username {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                cfg.password.clone().unwrap_or_default(),
            ));
        }
        Ok(Self {
            inner: builder.build(),
            from,
            endpoint: format!("{}:{}", cfg.host, cfg.port),
            timeout,
        })
    }

    /// Builds the RFC 5322 message for `msg`.
    fn build_message(&self, msg: &Outgoing) -> Result<Message, SendError> {
        check_idempotency_key(&msg.idempotency_key)?;
        let to: Mailbox = msg.recipient.trim().parse().map_err(|e| {
            SendError::Permanent(format!("invalid e-mail address {:?}: {e}", msg.recipient))
        })?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(msg.subject.clone())
            .message_id(Some(format!("<{}@onetrip>", msg.idempotency_key)))
            .date_now()
            .header(ContentType::TEXT_PLAIN)
            .body(msg.body.clone())
            .map_err(|e| SendError::Permanent(format!("cannot build e-mail: {e}")))
    }
}

#[async_trait]
impl Transport for SmtpTransport {
    async fn send(&self, msg: &Outgoing) -> Result<(), SendError> {
        let message = self.build_message(msg)?;
        let Ok(result) = tokio::time::timeout(self.timeout, self.inner.send(message)).await else {
            return Err(SendError::Transient(format!(
                "smtp {} timed out after {} ms",
                self.endpoint,
                self.timeout.as_millis()
            )));
        };
        match result {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(format!(
                "smtp {} refused: {e}",
                self.endpoint
            ))),
            Err(e) if e.is_timeout() => Err(SendError::Transient(format!(
                "smtp {} timed out: {e}",
                self.endpoint
            ))),
            Err(e) => Err(SendError::Transient(format!("smtp {}: {e}", self.endpoint))),
        }
    }
}
