#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! SmsHttpTransport against a minimal HTTP SMS endpoint on loopback.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use onetrip_notify::{Channel, Outgoing, SendError, SmsConfig, SmsHttpTransport, Transport};
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// One request as the endpoint saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: &'static str,
    idempotency_key: Option<String>,
    authorization: Option<String>,
    body: Value,
}

type Log = Arc<Mutex<Vec<Seen>>>;

fn record(log: &Log, path: &'static str, headers: &HeaderMap, body: Value) {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    log.lock().unwrap().push(Seen {
        path,
        idempotency_key: header("idempotency-key"),
        authorization: header("authorization"),
        body,
    });
}

struct Gateway {
    addr: SocketAddr,
    log: Log,
}

impl Gateway {
    async fn start() -> Self {
        let log: Log = Arc::default();
        let app = Router::new()
            .route(
                "/ok",
                post(|State(log): State<Log>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&log, "/ok", &headers, body);
                    (StatusCode::OK, Json(json!({"id": "m-1"})))
                }),
            )
            .route(
                "/bad",
                post(|State(log): State<Log>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&log, "/bad", &headers, body);
                    (StatusCode::BAD_REQUEST, "invalid phone number")
                }),
            )
            .route(
                "/busy",
                post(|State(log): State<Log>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&log, "/busy", &headers, body);
                    (StatusCode::SERVICE_UNAVAILABLE, "maintenance")
                }),
            )
            .route(
                "/throttled",
                post(|State(log): State<Log>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&log, "/throttled", &headers, body);
                    (StatusCode::TOO_MANY_REQUESTS, "slow down")
                }),
            )
            .route(
                "/slow",
                post(|State(log): State<Log>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&log, "/slow", &headers, body);
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    StatusCode::OK
                }),
            )
            .with_state(log.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { addr, log }
    }

    fn config(&self, path: &str) -> SmsConfig {
        SmsConfig {
            url: format!("http://{}{path}", self.addr),
            token: None,
            sign: "【一网通办】".to_owned(),
            timeout_ms: 2000,
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }
}

fn sms(key: &str) -> Outgoing {
    Outgoing {
        channel: Channel::Sms,
        recipient: "13800138000".to_owned(),
        subject: "ignored by sms".to_owned(),
        body: "您的办件（编号 2026-000123）已办结，请携带身份证到 3 号窗口领取。".to_owned(),
        idempotency_key: key.to_owned(),
    }
}

#[tokio::test]
async fn ok_reply_is_sent_with_json_and_idempotency_key() {
    let gw = Gateway::start().await;
    let transport = SmsHttpTransport::new(&gw.config("/ok")).unwrap();
    let msg = sms("outbox-99");

    transport.send(&msg).await.unwrap();

    let seen = gw.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/ok");
    assert_eq!(seen[0].idempotency_key.as_deref(), Some("outbox-99"));
    assert_eq!(seen[0].authorization, None);
    assert_eq!(
        seen[0].body,
        json!({
            "to": "13800138000",
            "text": msg.body,
            "sign": "【一网通办】",
            "key": "outbox-99",
        })
    );
}

#[tokio::test]
async fn bearer_token_is_sent_and_not_shown_in_debug() {
    let gw = Gateway::start().await;
    let cfg = SmsConfig {
        token: Some("tok-abc123".to_owned()),
        ..gw.config("/ok")
    };
    assert!(!format!("{cfg:?}").contains("tok-abc123"));
    let transport = SmsHttpTransport::new(&cfg).unwrap();
    assert!(!format!("{transport:?}").contains("tok-abc123"));

    transport.send(&sms("k1")).await.unwrap();

    assert_eq!(
        gw.seen()[0].authorization.as_deref(),
        Some("Bearer tok-abc123")
    );
}

#[tokio::test]
async fn bad_request_is_permanent() {
    let gw = Gateway::start().await;
    let transport = SmsHttpTransport::new(&gw.config("/bad")).unwrap();
    let err = transport.send(&sms("k2")).await.unwrap_err();
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
    assert!(err.reason().contains("invalid phone number"), "{err}");
    assert_eq!(gw.seen().len(), 1);
}

#[tokio::test]
async fn unavailable_and_throttled_are_transient() {
    let gw = Gateway::start().await;
    for path in ["/busy", "/throttled"] {
        let transport = SmsHttpTransport::new(&gw.config(path)).unwrap();
        let err = transport.send(&sms("k3")).await.unwrap_err();
        assert!(matches!(err, SendError::Transient(_)), "{path}: {err:?}");
    }
    assert_eq!(gw.seen().len(), 2);
}

#[tokio::test]
async fn slow_endpoint_times_out_quickly_as_transient() {
    let gw = Gateway::start().await;
    let cfg = SmsConfig {
        timeout_ms: 300,
        ..gw.config("/slow")
    };
    let transport = SmsHttpTransport::new(&cfg).unwrap();
    let started = Instant::now();
    let err = transport.send(&sms("k4")).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    assert_eq!(gw.seen().len(), 1, "the request did reach the endpoint");
}

#[tokio::test]
async fn closed_port_is_transient() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let transport = SmsHttpTransport::new(&SmsConfig {
        url: format!("http://{addr}/ok"),
        token: None,
        sign: "【一网通办】".to_owned(),
        timeout_ms: 2000,
    })
    .unwrap();
    let err = transport.send(&sms("k5")).await.unwrap_err();
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");
}

#[tokio::test]
async fn bad_recipient_or_key_is_permanent_without_a_request() {
    let gw = Gateway::start().await;
    let transport = SmsHttpTransport::new(&gw.config("/ok")).unwrap();
    let mut msg = sms("k6");
    msg.recipient = "  ".to_owned();
    assert!(transport.send(&msg).await.unwrap_err().is_permanent());
    let msg = sms("has space");
    assert!(transport.send(&msg).await.unwrap_err().is_permanent());
    assert!(gw.seen().is_empty());
}

#[test]
fn config_deserialize_defaults() {
    let cfg: SmsConfig = serde_json::from_str(r#"{"url": "http://127.0.0.1:9/send"}"#).unwrap();
    assert_eq!(cfg.sign, "【一网通办】");
    assert_eq!(cfg.timeout_ms, 5000);
    assert_eq!(cfg.token, None);
    assert!(SmsHttpTransport::new(&cfg).is_ok());
    let bad = SmsConfig {
        url: "not a url".to_owned(),
        ..cfg
    };
    assert!(SmsHttpTransport::new(&bad).unwrap_err().is_permanent());
}
