#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Channel dispatch in `Transports`, and the retry schedule.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use onetrip_notify::{
    Channel, MAX_ATTEMPTS, Outgoing, SendError, Transport, Transports, backoff_micros,
};

/// A stand-in transport that records which keys it was asked to send. It
/// stands in for the real transports only to observe the routing done by
/// `Transports`, which is the code under test here.
#[derive(Debug, Default)]
struct Recorder {
    keys: Mutex<Vec<String>>,
}

#[async_trait]
impl Transport for Recorder {
    async fn send(&self, msg: &Outgoing) -> Result<(), SendError> {
        self.keys.lock().unwrap().push(msg.idempotency_key.clone());
        Ok(())
    }
}

fn msg(channel: Channel, key: &str) -> Outgoing {
    Outgoing {
        channel,
        recipient: "x".to_owned(),
        subject: String::new(),
        body: String::new(),
        idempotency_key: key.to_owned(),
    }
}

#[tokio::test]
async fn routes_by_channel() {
    let email = Arc::new(Recorder::default());
    let sms = Arc::new(Recorder::default());
    let transports = Transports {
        email: Some(email.clone()),
        sms: Some(sms.clone()),
    };
    transports.send(&msg(Channel::Email, "e1")).await.unwrap();
    transports.send(&msg(Channel::Sms, "s1")).await.unwrap();
    transports.send(&msg(Channel::Email, "e2")).await.unwrap();
    assert_eq!(*email.keys.lock().unwrap(), ["e1", "e2"]);
    assert_eq!(*sms.keys.lock().unwrap(), ["s1"]);
}

#[tokio::test]
async fn unconfigured_channel_is_permanent() {
    let email = Arc::new(Recorder::default());
    let transports = Transports {
        email: Some(email.clone()),
        sms: None,
    };
    let err = transports.send(&msg(Channel::Sms, "s1")).await.unwrap_err();
    assert_eq!(
        err,
        SendError::Permanent("channel not configured".to_owned())
    );
    let err = Transports::default()
        .send(&msg(Channel::Email, "e1"))
        .await
        .unwrap_err();
    assert!(err.is_permanent());
    assert!(email.keys.lock().unwrap().is_empty());
}

#[test]
fn backoff_doubles_from_30s_and_caps_at_one_hour() {
    const S: i64 = 1_000_000;
    let seq: Vec<i64> = (1..=10).map(backoff_micros).collect();
    assert_eq!(
        seq,
        [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600].map(|s| s * S)
    );
    assert_eq!(backoff_micros(0), 30 * S);
    assert_eq!(backoff_micros(40), 3600 * S);
    assert_eq!(backoff_micros(u32::MAX), 3600 * S);
    let total: i64 = (1..MAX_ATTEMPTS).map(backoff_micros).sum();
    assert_eq!(total, 3810 * S);
}

#[test]
fn channel_codes() {
    assert_eq!(Channel::Email.as_str(), "email");
    assert_eq!(Channel::Sms.as_str(), "sms");
    assert_eq!(Channel::parse("sms"), Some(Channel::Sms));
    assert_eq!(Channel::parse("EMAIL"), None);
    assert_eq!(Channel::Email.to_string(), "email");
}
