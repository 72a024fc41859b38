//! Delivering the outbox.
//!
//! Rules: a notification is written to the outbox in the same transaction
//! as the change it reports, so it exists exactly when the change does. A
//! worker claims due rows under a lease (rows claimed by a live worker are
//! skipped, on PostgreSQL with `SKIP LOCKED`), sends each, and records the
//! outcome: sent; a transient failure retried with exponential backoff;
//! a permanent failure, or the last allowed attempt, marked failed. In-app
//! messages are written to the recipient's inbox in the same transaction
//! that marks them sent, so they arrive exactly once. E-mail and SMS carry
//! the outbox id as Message-ID / Idempotency-Key, so a resend after a crash
//! between sending and recording can be recognised by the receiver.

use std::sync::Arc;

use onetrip_notify::{
    Channel, MAX_ATTEMPTS, Outgoing, SendError, SmsConfig, SmsHttpTransport, SmtpConfig,
    SmtpTransport, Transports, backoff_micros,
};
use onetrip_store::DeliveryOutcome;
use serde::Serialize;

use crate::App;
use crate::config::NotifyConfig;
use crate::error::{AppError, AppResult};

/// How long a claim lasts before another worker may take the row over.
const CLAIM_MICROS: i64 = 2 * 60 * 1_000_000;

/// What one delivery round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    /// Rows claimed.
    pub claimed: usize,
    /// Sent.
    pub sent: usize,
    /// To be retried.
    pub retried: usize,
    /// Given up.
    pub failed: usize,
}

/// Builds the configured transports (an empty host or URL leaves a channel off).
pub fn transports(cfg: &NotifyConfig) -> AppResult<Transports> {
    let internal = |e: SendError| AppError::Internal(format!("notify: {e}"));
    let email = if cfg.smtp_host.trim().is_empty() {
        None
    } else {
        let smtp = SmtpConfig {
            host: cfg.smtp_host.clone(),
            port: cfg.smtp_port,
            from: cfg.smtp_from.clone(),
            username: (!cfg.smtp_username.is_empty()).then(|| cfg.smtp_username.clone()),
            password: (!cfg.smtp_password.is_empty()).then(|| cfg.smtp_password.clone()),
            timeout_ms: cfg.timeout_ms,
        };
        Some(Arc::new(SmtpTransport::new(&smtp).map_err(internal)?)
            as Arc<dyn onetrip_notify::Transport>)
    };
    let sms = if cfg.sms_url.trim().is_empty() {
        None
    } else {
        let c = SmsConfig {
            url: cfg.sms_url.clone(),
            token: (!cfg.sms_token.is_empty()).then(|| cfg.sms_token.clone()),
            sign: cfg.sms_sign.clone(),
            timeout_ms: cfg.timeout_ms,
        };
        Some(Arc::new(SmsHttpTransport::new(&c).map_err(internal)?)
            as Arc<dyn onetrip_notify::Transport>)
    };
    Ok(Transports { email, sms })
}

impl App {
    /// Delivers up to `limit` due outbox rows as worker `holder`.
    pub async fn deliver_outbox(
        &self,
        transports: &Transports,
        holder: &str,
        limit: i64,
    ) -> AppResult<DeliveryReport> {
        let now = self.now();
        let batch = self
            .store
            .claim_outbox(holder, now, CLAIM_MICROS, limit)
            .await?;
        let mut report = DeliveryReport {
            claimed: batch.len(),
            ..DeliveryReport::default()
        };
        for row in batch {
            let result = match row.channel.as_str() {
                "in_app" => Ok(()),
                other => match Channel::parse(other) {
                    Some(channel) => {
                        transports
                            .send(&Outgoing {
                                channel,
                                recipient: row.recipient.clone(),
                                subject: row.subject.clone(),
                                body: row.body.clone(),
                                idempotency_key: format!("outbox-{}", row.id),
                            })
                            .await
                    }
                    None => Err(SendError::Permanent(format!("unknown channel {other}"))),
                },
            };
            let attempts = u32::try_from(row.attempts + 1).unwrap_or(u32::MAX);
            let outcome = match result {
                Ok(()) => {
                    report.sent += 1;
                    DeliveryOutcome::Sent
                }
                Err(SendError::Transient(e)) if attempts < MAX_ATTEMPTS => {
                    report.retried += 1;
                    DeliveryOutcome::Retry {
                        error: e,
                        next_attempt_at: self.now() + backoff_micros(attempts),
                    }
                }
                Err(e) => {
                    report.failed += 1;
                    DeliveryOutcome::Failed {
                        error: e.reason().to_owned(),
                    }
                }
            };
            self.store
                .complete_outbox(&self.ctx("system"), row.id, holder, &outcome)
                .await?;
        }
        Ok(report)
    }
}
