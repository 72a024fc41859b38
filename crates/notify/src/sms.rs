//! Text messages through an HTTP SMS gateway.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::StatusCode;
use serde::Deserialize;

use crate::{Outgoing, SendError, Transport, check_idempotency_key};

/// How much of a refusing gateway's response body is kept in the error.
const MAX_ERROR_BODY_CHARS: usize = 200;

fn default_sign() -> String {
    "【一网通办】".to_owned()
}

fn default_timeout_ms() -> u64 {
    5000
}

/// Settings for [`SmsHttpTransport`].
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct SmsConfig {
    /// Gateway endpoint that accepts the JSON POST, e.g.
    /// `http://sms-gw.internal/v1/send`. Only `http://` is supported: the
    /// crate is built without a TLS backend, so the gateway must sit on the
    /// local network (or behind a local TLS-terminating proxy).
    pub url: String,
    /// Bearer token sent as `Authorization: Bearer <token>`, if any.
    #[serde(default)]
    pub token: Option<String>,
    /// 短信签名 placed in the request's `sign` field, e.g. `【一网通办】`.
    #[serde(default = "default_sign")]
    pub sign: String,
    /// Time limit for the whole request, in milliseconds.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

impl fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsConfig")
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("sign", &self.sign)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// Sends [`Outgoing`] text messages by POSTing JSON to an SMS gateway.
///
/// The request body is `{"to": recipient, "text": body, "sign": sign,
/// "key": idempotency_key}` with an `Idempotency-Key` header carrying the
/// same key. A 2xx reply means sent; 4xx other than 408/429 is
/// [`SendError::Permanent`]; 408, 429, 5xx, any other status, network errors
/// and timeouts are [`SendError::Transient`].
pub struct SmsHttpTransport {
    client: reqwest::Client,
    url: reqwest::Url,
    token: Option<String>,
    sign: String,
}

impl fmt::Debug for SmsHttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsHttpTransport")
            .field("url", &self.url.as_str())
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("sign", &self.sign)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Serialize)]
struct SmsRequest<'a> {
    to: &'a str,
    text: &'a str,
    sign: &'a str,
    key: &'a str,
}

impl SmsHttpTransport {
    /// Builds the transport; no connection is made until the first send.
    ///
    /// Fails with [`SendError::Permanent`] when the URL does not parse or is
    /// not `http://`.
    pub fn new(cfg: &SmsConfig) -> Result<Self, SendError> {
        let url = reqwest::Url::parse(&cfg.url)
            .map_err(|e| SendError::Permanent(format!("invalid sms url {:?}: {e}", cfg.url)))?;
        if url.scheme() != "http" {
            return Err(SendError::Permanent(format!(
                "unsupported sms url scheme {:?}: only http is available",
                url.scheme()
            )));
        }
        let timeout = Duration::from_millis(cfg.timeout_ms);
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| SendError::Permanent(format!("cannot build http client: {e}")))?;
        Ok(Self {
            client,
            url,
            token: cfg.token.clone(),
            sign: cfg.sign.clone(),
        })
    }
}

/// Classifies a gateway reply status.
fn classify(status: StatusCode) -> Result<(), bool> {
    if status.is_success() {
        Ok(())
    } else if status.is_client_error()
        && status != StatusCode::REQUEST_TIMEOUT
        && status != StatusCode::TOO_MANY_REQUESTS
    {
        Err(true)
    } else {
        Err(false)
    }
}

#[async_trait]
impl Transport for SmsHttpTransport {
    async fn send(&self, msg: &Outgoing) -> Result<(), SendError> {
        check_idempotency_key(&msg.idempotency_key)?;
        let to = msg.recipient.trim();
        if to.is_empty() {
            return Err(SendError::Permanent("empty sms recipient".to_owned()));
        }
        let mut request = self
            .client
            .post(self.url.clone())
            .header("Idempotency-Key", msg.idempotency_key.as_str())
            .json(&SmsRequest {
                to,
                text: &msg.body,
                sign: &self.sign,
                key: &msg.idempotency_key,
            });
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| {
            let what = if e.is_timeout() {
                "timed out"
            } else {
                "failed"
            };
            SendError::Transient(format!("sms request to {} {what}: {e}", self.url))
        })?;
        let status = response.status();
        match classify(status) {
            Ok(()) => Ok(()),
            Err(permanent) => {
                // The body is only for diagnostics; failing to read it does
                // not change the outcome.
                let body = response.text().await.unwrap_or_default();
                let body: String = body.chars().take(MAX_ERROR_BODY_CHARS).collect();
                let reason = format!("sms gateway {} answered {status}: {body}", self.url);
                Err(if permanent {
                    SendError::Permanent(reason)
                } else {
                    SendError::Transient(reason)
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_classes() {
        assert_eq!(classify(StatusCode::OK), Ok(()));
        assert_eq!(classify(StatusCode::ACCEPTED), Ok(()));
        assert_eq!(classify(StatusCode::BAD_REQUEST), Err(true));
        assert_eq!(classify(StatusCode::UNAUTHORIZED), Err(true));
        assert_eq!(classify(StatusCode::REQUEST_TIMEOUT), Err(false));
        assert_eq!(classify(StatusCode::TOO_MANY_REQUESTS), Err(false));
        assert_eq!(classify(StatusCode::SERVICE_UNAVAILABLE), Err(false));
        assert_eq!(classify(StatusCode::INTERNAL_SERVER_ERROR), Err(false));
    }

    #[test]
    fn rejects_non_http_urls() {
        let cfg = SmsConfig {
            url: "https://example.invalid/send".to_owned(),
            token: None,
            sign: default_sign(),
            timeout_ms: 1000,
        };
        assert!(SmsHttpTransport::new(&cfg).is_err_and(|e| e.is_permanent()));
    }
}
