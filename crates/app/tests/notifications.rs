//! The outbox over real SMTP and HTTP on loopback: a crash between the
//! commit and the send, or in the middle of a delivery round, still sends
//! each notification exactly once; transient failures are retried with
//! backoff; in-app messages arrive once. Runs on every engine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use onetrip_app::applicants::RegistrationForm;
use onetrip_app::auth::Principal;
use onetrip_app::cases::{ApplicationRequest, ApplyTarget};
use onetrip_app::notifications::transports;
use onetrip_app::{App, Config, ManualClock};
use onetrip_domain::case::{ApplicationForm, CourierDetails, DeliveryMethod};
use onetrip_store::CaseCommand;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the loopback receivers got.
#[derive(Debug, Default)]
struct Received {
    /// One entry per e-mail: its Message-ID header.
    mails: Vec<String>,
    /// One entry per SMS request: its Idempotency-Key header.
    sms: Vec<String>,
    /// SMS requests still to refuse with 503.
    fail_sms: usize,
}

type Shared = Arc<Mutex<Received>>;

/// An SMTP receiver speaking just enough SMTP for a real client.
async fn smtp_sink(shared: Shared) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let shared = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                loop {
                    let mut line = String::new();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            let _ = write.write_all(b"354 go ahead\r\n").await;
                            let mut id = String::new();
                            loop {
                                let mut l = String::new();
                                if lines.read_line(&mut l).await.unwrap_or(0) == 0 || l == ".\r\n" {
                                    break;
                                }
                                if let Some(v) = l.strip_prefix("Message-ID:") {
                                    id = v.trim().to_owned();
                                }
                            }
                            shared.lock().unwrap().mails.push(id);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    port
}

/// An HTTP SMS gateway that records each request's Idempotency-Key.
async fn sms_sink(shared: Shared) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let shared = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                let (mut length, mut key) = (0usize, String::new());
                loop {
                    let mut l = String::new();
                    if reader.read_line(&mut l).await.unwrap_or(0) == 0 || l == "\r\n" {
                        break;
                    }
                    let lower = l.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if let Some(v) = lower.strip_prefix("idempotency-key:") {
                        key = v.trim().to_owned();
                    }
                }
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body).await;
                let status = {
                    let mut r = shared.lock().unwrap();
                    if r.fail_sms > 0 {
                        r.fail_sms -= 1;
                        "503 Service Unavailable"
                    } else {
                        r.sms.push(key);
                        "200 OK"
                    }
                };
                let reply = format!(
                    "HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                );
                let _ = write.write_all(reply.as_bytes()).await;
            });
        }
    });
    port
}

async fn open(config: &Config, clock: &Arc<ManualClock>) -> App {
    App::open(config.clone(), clock.clone()).await.unwrap()
}

fn png() -> Vec<u8> {
    vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
}

#[tokio::test]
async fn every_notification_is_sent_exactly_once_across_crashes() {
    for env in common::envs().await {
        let shared: Shared = Arc::default();
        let mut config = env.config();
        config.notify.smtp_host = "127.0.0.1".into();
        config.notify.smtp_port = smtp_sink(shared.clone()).await;
        config.notify.sms_url = format!("http://127.0.0.1:{}/sms", sms_sink(shared.clone()).await);
        config.notify.timeout_ms = 2000;
        // 2026-12-01 10:00 in Beijing.
        let clock = Arc::new(ManualClock::new(1_796_090_400_000_000));
        let app = open(&config, &clock).await;
        app.load_demo().await.unwrap();
        let applicant = app
            .register_applicant(&RegistrationForm {
                kind: "natural_person".into(),
                identifier: "11010519491231002X".into(),
                name: "赵立".into(),
                mobile: "13612345678".into(),
                email: "zhaoli@example.com".into(),
                password: "Applicant-pass-2026".into(),
            })
            .await
            .unwrap();
        let who = Principal::Applicant(applicant);
        let case = app
            .start_application(
                &who,
                &ApplicationRequest {
                    target: ApplyTarget::Item {
                        code: "420100-GJJ-GG-001".into(),
                        situation: "S01".into(),
                    },
                    form: ApplicationForm {
                        contact_name: "赵立".into(),
                        contact_phone: "13612345678".into(),
                        contact_address: "北京市朝阳区".into(),
                        description: String::new(),
                    },
                    delivery_method: DeliveryMethod::Electronic,
                    courier: CourierDetails::default(),
                },
            )
            .await
            .unwrap();
        for e in case.checklist.iter().filter(|e| e.needed_from_applicant()) {
            app.upload_material(&who, case.id, &e.key, "scan.png", png())
                .await
                .unwrap();
        }
        app.act(&who, case.id, CaseCommand::Submit).await.unwrap();
        // The change committed with its three notifications; the process dies before sending.
        let pending = app.store.list_outbox(Some(case.id), 10).await.unwrap();
        assert_eq!(pending.len(), 3, "[{}] in-app, SMS and e-mail", env.name);
        drop(app);

        let app = open(&config, &clock).await;
        let t = transports(&config.notify).unwrap();
        let r = app.deliver_outbox(&t, "worker-2", 100).await.unwrap();
        assert_eq!((r.sent, r.failed), (3, 0), "[{}] {r:?}", env.name);
        assert_eq!(
            app.deliver_outbox(&t, "worker-2", 100)
                .await
                .unwrap()
                .claimed,
            0
        );
        {
            let got = shared.lock().unwrap();
            assert_eq!(got.mails.len(), 1, "[{}]", env.name);
            assert_eq!(got.sms.len(), 1, "[{}]", env.name);
            let id = pending.iter().find(|p| p.channel == "email").unwrap().id;
            assert!(
                got.mails[0].contains(&format!("outbox-{id}")),
                "{:?}",
                got.mails
            );
        }
        let inbox = app
            .store
            .messages_for("applicant", case.applicant_id, 10)
            .await
            .unwrap();
        assert_eq!(inbox.len(), 1);

        // A worker dies holding its claim: nobody sends those rows until the claim lapses.
        shared.lock().unwrap().fail_sms = 1;
        app.act(
            &who,
            case.id,
            CaseCommand::Withdraw {
                reason: "不再需要办理".into(),
            },
        )
        .await
        .unwrap();
        let claimed = app
            .store
            .claim_outbox("dead-worker", app.now(), 120_000_000, 100)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 3);
        assert_eq!(
            app.deliver_outbox(&t, "worker-3", 100)
                .await
                .unwrap()
                .claimed,
            0
        );
        clock.advance_secs(121);
        let r = app.deliver_outbox(&t, "worker-3", 100).await.unwrap();
        assert_eq!(
            (r.sent, r.retried),
            (2, 1),
            "[{}] the gateway refused the SMS once: {r:?}",
            env.name
        );
        // Not before the backoff.
        assert_eq!(
            app.deliver_outbox(&t, "worker-3", 100)
                .await
                .unwrap()
                .claimed,
            0
        );
        clock.advance_secs(31);
        let r = app.deliver_outbox(&t, "worker-3", 100).await.unwrap();
        assert_eq!(r.sent, 1);
        let (mails, mut keys) = {
            let got = shared.lock().unwrap();
            (got.mails.len(), got.sms.clone())
        };
        assert_eq!((mails, keys.len()), (2, 2), "[{}] each sent once", env.name);
        keys.dedup();
        assert_eq!(keys.len(), 2);
        let rows = app.store.list_outbox(Some(case.id), 10).await.unwrap();
        assert!(rows.iter().all(|r| r.status == "sent"), "{rows:?}");
        let retried = rows
            .iter()
            .filter(|r| r.channel == "sms" && r.attempts == 2)
            .count();
        assert_eq!(retried, 1, "the refused SMS took two attempts");
    }
}
