//! OneTrip notify: delivers one outgoing notification over a real transport.
//!
//! The outbox table and the worker that drains it live in the application
//! layer; this crate only sends a single [`Outgoing`] message and reports the
//! outcome, so the worker can decide what to record.
//!
//! # Delivery semantics
//!
//! Delivery is **at least once**. The worker records a message as sent only
//! after [`Transport::send`] returns `Ok`; if the process dies between the
//! send and that record, the message is sent again on restart. To let the
//! receiving side drop such duplicates, every message carries the outbox
//! row's stable [`Outgoing::idempotency_key`]: e-mail sends it as the
//! `Message-ID` (`<key@onetrip>`), the SMS gateway receives it both as the
//! `Idempotency-Key` request header and in the JSON body.
//!
//! Failures come in two kinds ([`SendError`]):
//!
//! * [`SendError::Permanent`]: retrying cannot help (malformed address,
//!   rejected recipient, SMTP 5xx, HTTP 4xx other than 408/429, a channel
//!   without a configured transport). The worker should mark the row failed.
//! * [`SendError::Transient`]: the receiver may accept the message later
//!   (timeouts, refused connections, SMTP 4xx, HTTP 408/429/5xx). The worker
//!   should retry after [`backoff_micros`], giving up after [`MAX_ATTEMPTS`].

mod sms;
mod smtp;

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

pub use sms::{SmsConfig, SmsHttpTransport};
pub use smtp::{SmtpConfig, SmtpTransport};

/// How many delivery attempts the worker makes before it gives up on a
/// message and marks it failed for good.
pub const MAX_ATTEMPTS: u32 = 8;

/// Delay before the first retry (30 s), in microseconds.
const BACKOFF_BASE_MICROS: i64 = 30 * 1_000_000;
/// Longest delay between two attempts (1 h), in microseconds.
const BACKOFF_CAP_MICROS: i64 = 3_600 * 1_000_000;

/// The retry delay, in microseconds, after `attempts` failed attempts.
///
/// The delay doubles with every failure starting at 30 s and is capped at
/// one hour: 30 s, 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, then 1 h for
/// every further failure. `attempts` of 0 is treated as 1. With
/// [`MAX_ATTEMPTS`] attempts the seven waits between them add up to
/// 3 810 s (about 1 h 4 min) before the worker gives up.
pub fn backoff_micros(attempts: u32) -> i64 {
    let exponent = attempts.saturating_sub(1).min(16);
    BACKOFF_BASE_MICROS
        .saturating_mul(1_i64 << exponent)
        .min(BACKOFF_CAP_MICROS)
}

/// The channel a notification goes out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail over SMTP.
    Email,
    /// Text message through an HTTP SMS gateway.
    Sms,
}

impl Channel {
    /// The stable code used in storage and configuration: `"email"` or `"sms"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    /// Parses a stored channel code; `None` for anything but `"email"` / `"sms"`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(Self::Email),
            "sms" => Some(Self::Sms),
            _ => None,
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message to send.
///
/// `idempotency_key` is stable for one outbox row: it is sent as the e-mail
/// Message-ID (`<key@onetrip>`) and as the SMS request's `Idempotency-Key`
/// header, so a receiver can drop a duplicate if the sender crashes after
/// sending but before recording it. It must be non-empty printable ASCII
/// without spaces, `<`, `>`, `@`, `"` or `\`; otherwise sending fails
/// permanently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Which transport carries the message.
    pub channel: Channel,
    /// E-mail address (`a@b.cn` or `名字 <a@b.cn>`) or phone number.
    pub recipient: String,
    /// E-mail subject; not sent by SMS.
    pub subject: String,
    /// Plain-text body (UTF-8).
    pub body: String,
    /// Stable key of the outbox row, used to de-duplicate at the receiver.
    pub idempotency_key: String,
}

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Retrying cannot help: bad address, rejected recipient, permanent
    /// SMTP/HTTP refusal, missing configuration. Do not retry.
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
    /// The receiver may accept the message later: timeouts, refused
    /// connections, temporary SMTP/HTTP errors. Retry with backoff.
    #[error("transient delivery failure: {0}")]
    Transient(String),
}

impl SendError {
    /// True for [`SendError::Permanent`].
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_))
    }

    /// True for [`SendError::Transient`].
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient(_))
    }

    /// The human-readable reason, without the kind prefix.
    pub fn reason(&self) -> &str {
        match self {
            Self::Permanent(s) | Self::Transient(s) => s,
        }
    }
}

/// Something that can deliver one message.
#[async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `msg` once; `Ok` means the receiving server accepted it.
    async fn send(&self, msg: &Outgoing) -> Result<(), SendError>;
}

/// Chooses the transport by channel.
///
/// A channel without a configured transport gives
/// `Permanent("channel not configured")`.
#[derive(Debug, Clone, Default)]
pub struct Transports {
    /// Transport for [`Channel::Email`], if configured.
    pub email: Option<Arc<dyn Transport>>,
    /// Transport for [`Channel::Sms`], if configured.
    pub sms: Option<Arc<dyn Transport>>,
}

impl Transports {
    /// Sends `msg` through the transport configured for its channel.
    pub async fn send(&self, msg: &Outgoing) -> Result<(), SendError> {
        let transport = match msg.channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
        };
        let Some(transport) = transport else {
            return Err(SendError::Permanent("channel not configured".to_owned()));
        };
        let result = transport.send(msg).await;
        match &result {
            Ok(()) => tracing::debug!(
                channel = msg.channel.as_str(),
                key = %msg.idempotency_key,
                "notification sent"
            ),
            Err(e) => tracing::debug!(
                channel = msg.channel.as_str(),
                key = %msg.idempotency_key,
                error = %e,
                "notification not sent"
            ),
        }
        result
    }
}

/// Checks that an idempotency key can travel in a Message-ID and an HTTP
/// header unchanged.
pub(crate) fn check_idempotency_key(key: &str) -> Result<(), SendError> {
    let ok = !key.is_empty()
        && key.len() <= 200
        && key
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'@' | b'"' | b'\\'));
    if ok {
        Ok(())
    } else {
        Err(SendError::Permanent(format!(
            "invalid idempotency key {key:?}: must be 1-200 printable ASCII characters without <>@\"\\"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_round_trips() {
        for c in [Channel::Email, Channel::Sms] {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
    }

    #[test]
    fn idempotency_key_rules() {
        assert!(check_idempotency_key("outbox-42.a_b").is_ok());
        for bad in ["", "a b", "a@b", "<a>", "键"] {
            assert!(check_idempotency_key(bad).is_err(), "{bad:?}");
        }
    }
}
