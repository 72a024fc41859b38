#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! SmtpTransport against a minimal SMTP sink on loopback.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use onetrip_notify::{Channel, Outgoing, SendError, SmtpConfig, SmtpTransport, Transport};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What one SMTP session delivered to the sink.
#[derive(Debug, Clone, Default)]
struct Received {
    ehlo: Option<String>,
    auth: Option<String>,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
    data: Option<String>,
}

#[derive(Clone, Copy)]
struct SinkBehaviour {
    /// Reply line sent to RCPT TO.
    rcpt_reply: &'static str,
    /// Advertise `AUTH PLAIN` in the EHLO reply.
    auth: bool,
    /// Accept the connection and never send the greeting.
    silent: bool,
}

const ACCEPTING: SinkBehaviour = SinkBehaviour {
    rcpt_reply: "250 2.1.5 ok",
    auth: false,
    silent: false,
};

struct Sink {
    addr: SocketAddr,
    sessions: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    async fn start(behaviour: SinkBehaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sessions = Arc::new(Mutex::new(Vec::new()));
        let recorded = sessions.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    if behaviour.silent {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        drop(stream);
                        return;
                    }
                    let received = serve(stream, behaviour).await;
                    recorded.lock().unwrap().push(received);
                });
            }
        });
        Self { addr, sessions }
    }

    fn config(&self, timeout_ms: u64) -> SmtpConfig {
        SmtpConfig {
            host: self.addr.ip().to_string(),
            port: self.addr.port(),
            timeout_ms,
            ..SmtpConfig::default()
        }
    }

    fn sessions(&self) -> Vec<Received> {
        self.sessions.lock().unwrap().clone()
    }
}

/// Speaks just enough SMTP for lettre, recording what arrives.
async fn serve(stream: TcpStream, behaviour: SinkBehaviour) -> Received {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut received = Received::default();
    write
        .write_all(b"220 sink.test ESMTP ready\r\n")
        .await
        .unwrap();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            break;
        }
        let command = line.trim_end().to_owned();
        let verb = command.split(' ').next().unwrap_or("").to_ascii_uppercase();
        let reply: String = match verb.as_str() {
            "EHLO" => {
                received.ehlo = Some(command.clone());
                if behaviour.auth {
                    "250-sink.test\r\n250-AUTH PLAIN\r\n250 8BITMIME".to_owned()
                } else {
                    "250-sink.test\r\n250-PIPELINING\r\n250 8BITMIME".to_owned()
                }
            }
            "HELO" => "250 sink.test".to_owned(),
            "AUTH" => {
                received.auth = Some(command.clone());
                "235 2.7.0 authenticated".to_owned()
            }
            "MAIL" => {
                received.mail_from = Some(command.clone());
                "250 2.1.0 ok".to_owned()
            }
            "RCPT" => {
                received.rcpt_to.push(command.clone());
                behaviour.rcpt_reply.to_owned()
            }
            "DATA" => {
                write
                    .write_all(b"354 end with <CRLF>.<CRLF>\r\n")
                    .await
                    .unwrap();
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if lines.read_line(&mut l).await.unwrap() == 0 {
                        break;
                    }
                    if l == ".\r\n" {
                        break;
                    }
                    data.push_str(&l);
                }
                received.data = Some(data);
                "250 2.0.0 queued".to_owned()
            }
            "RSET" | "NOOP" => "250 2.0.0 ok".to_owned(),
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await.unwrap();
                break;
            }
            _ => "502 5.5.2 unknown command".to_owned(),
        };
        write.write_all(reply.as_bytes()).await.unwrap();
        write.write_all(b"\r\n").await.unwrap();
    }
    received
}

/// Splits a received message into unfolded headers and the raw body.
fn parse_message(data: &str) -> (Vec<(String, String)>, String) {
    // Undo SMTP dot-stuffing.
    let data: String = data
        .split_inclusive("\r\n")
        .map(|l| l.strip_prefix('.').unwrap_or(l))
        .collect();
    let (head, body) = data.split_once("\r\n\r\n").expect("header/body separator");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with(' ') || line.starts_with('\t') {
            let last = headers.last_mut().expect("continuation after a header");
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("header line");
            headers.push((name.to_ascii_lowercase(), value.trim_start().to_owned()));
        }
    }
    (headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Decodes RFC 2047 `=?utf-8?b?...?=` / `?q?` words; plain text is kept.
fn decode_header(value: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = value;
    let mut after_word = false;
    while !rest.is_empty() {
        if let Some(start) = rest.find("=?") {
            let between = &rest[..start];
            // Whitespace between two encoded words is not part of the text.
            if !(after_word && between.trim().is_empty()) {
                bytes.extend_from_slice(between.as_bytes());
            }
            let word = &rest[start + 2..];
            let mut parts = word.splitn(3, '?');
            let charset = parts.next().unwrap();
            let encoding = parts.next().unwrap();
            let tail = parts.next().unwrap();
            let end = tail.find("?=").expect("end of encoded word");
            assert!(charset.eq_ignore_ascii_case("utf-8"), "charset {charset}");
            let text = &tail[..end];
            if encoding.eq_ignore_ascii_case("b") {
                bytes.extend(B64.decode(text).unwrap());
            } else {
                bytes.extend(decode_qp(&text.replace('_', " ")));
            }
            rest = &tail[end + 2..];
            after_word = true;
        } else {
            bytes.extend_from_slice(rest.as_bytes());
            rest = "";
        }
    }
    String::from_utf8(bytes).unwrap()
}

fn decode_qp(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let raw = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

fn decode_body(headers: &[(String, String)], body: &str) -> String {
    match header(headers, "content-transfer-encoding").map(str::to_ascii_lowercase) {
        Some(e) if e == "base64" => {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(B64.decode(compact).unwrap()).unwrap()
        }
        Some(e) if e == "quoted-printable" => String::from_utf8(decode_qp(body)).unwrap(),
        _ => body.trim_end_matches("\r\n").to_owned(),
    }
}

fn mail(recipient: &str, key: &str) -> Outgoing {
    Outgoing {
        channel: Channel::Email,
        recipient: recipient.to_owned(),
        subject: "您的办件已受理：营业执照变更登记（受理编号 2026-000123）".to_owned(),
        body: "张三您好：\n\n您于 2026 年 3 月 1 日提交的办件已受理，请于 5 个工作日内携带身份证原件到政务服务中心 3 号窗口领取。\n\n一网通办".to_owned(),
        idempotency_key: key.to_owned(),
    }
}

#[tokio::test]
async fn delivers_chinese_subject_and_body_with_message_id() {
    let sink = Sink::start(ACCEPTING).await;
    let transport = SmtpTransport::new(&sink.config(5000)).unwrap();
    let msg = mail("李四 <lisi@example.cn>", "outbox-42");

    transport.send(&msg).await.unwrap();

    let sessions = sink.sessions();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    let s = &sessions[0];
    assert!(s.ehlo.is_some());
    assert!(s.auth.is_none(), "no AUTH without credentials");
    assert!(
        s.mail_from
            .as_deref()
            .unwrap()
            .contains("<noreply@onetrip.local>"),
        "{:?}",
        s.mail_from
    );
    assert_eq!(s.rcpt_to.len(), 1);
    assert!(
        s.rcpt_to[0].contains("<lisi@example.cn>"),
        "{:?}",
        s.rcpt_to
    );

    let data = s.data.as_deref().unwrap();
    // Headers must be 7-bit: lettre encodes non-ASCII text as encoded words.
    let (head, _) = data.split_once("\r\n\r\n").unwrap();
    assert!(head.is_ascii(), "raw headers not ASCII:\n{head}");

    let (headers, body) = parse_message(data);
    assert_eq!(
        header(&headers, "message-id"),
        Some("<outbox-42@onetrip>"),
        "{headers:?}"
    );
    assert_eq!(
        decode_header(header(&headers, "subject").unwrap()),
        msg.subject
    );
    let from = decode_header(header(&headers, "from").unwrap());
    assert!(from.contains("OneTrip 政务服务"), "{from}");
    assert!(from.contains("<noreply@onetrip.local>"), "{from}");
    let to = decode_header(header(&headers, "to").unwrap());
    assert!(
        to.contains("李四") && to.contains("<lisi@example.cn>"),
        "{to}"
    );
    let content_type = header(&headers, "content-type")
        .unwrap()
        .to_ascii_lowercase();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert!(content_type.contains("charset=utf-8"), "{content_type}");
    assert!(header(&headers, "date").is_some());
    // lettre normalises line endings to CRLF on the wire.
    assert_eq!(decode_body(&headers, &body).replace("\r\n", "\n"), msg.body);
}

#[tokio::test]
async fn same_key_gives_same_message_id_on_resend() {
    let sink = Sink::start(ACCEPTING).await;
    let transport = SmtpTransport::new(&sink.config(5000)).unwrap();
    let msg = mail("wangwu@example.cn", "row-7-attempt-agnostic");
    transport.send(&msg).await.unwrap();
    transport.send(&msg).await.unwrap();
    let ids: Vec<String> = sink
        .sessions()
        .iter()
        .map(|s| {
            let (headers, _) = parse_message(s.data.as_deref().unwrap());
            header(&headers, "message-id").unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids, vec!["<row-7-attempt-agnostic@onetrip>".to_owned(); 2]);
}

#[tokio::test]
async fn authenticates_when_credentials_are_configured() {
    let sink = Sink::start(SinkBehaviour {
        auth: true,
        ..ACCEPTING
    })
    .await;
    let cfg = SmtpConfig {
        username: Some("relay-user".to_owned()),
        password: Some("s3cret".to_owned()),
        ..sink.config(5000)
    };
    assert!(
        !format!("{cfg:?}").contains("s3cret"),
        "password leaks in Debug"
    );
    let transport = SmtpTransport::new(&cfg).unwrap();
    assert!(!format!("{transport:?}").contains("s3cret"));

    transport.send(&mail("a@example.cn", "k1")).await.unwrap();

    let sessions = sink.sessions();
    let auth = sessions[0].auth.as_deref().expect("AUTH sent");
    let initial = auth
        .strip_prefix("AUTH PLAIN ")
        .expect("AUTH PLAIN with initial response");
    assert_eq!(B64.decode(initial).unwrap(), b"\0relay-user\0s3cret");
    assert!(sessions[0].data.is_some());
}

#[tokio::test]
async fn rejected_recipient_is_permanent() {
    let sink = Sink::start(SinkBehaviour {
        rcpt_reply: "550 5.1.1 mailbox unavailable",
        ..ACCEPTING
    })
    .await;
    let transport = SmtpTransport::new(&sink.config(5000)).unwrap();
    let err = transport
        .send(&mail("nobody@example.cn", "k2"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
    assert!(sink.sessions().iter().all(|s| s.data.is_none()));
}

#[tokio::test]
async fn temporary_refusal_is_transient() {
    let sink = Sink::start(SinkBehaviour {
        rcpt_reply: "451 4.3.0 try again later",
        ..ACCEPTING
    })
    .await;
    let transport = SmtpTransport::new(&sink.config(5000)).unwrap();
    let err = transport
        .send(&mail("busy@example.cn", "k3"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");
}

/// A port that was just bound and released: nothing listens there.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

#[tokio::test]
async fn closed_port_is_transient() {
    let cfg = SmtpConfig {
        host: "127.0.0.1".to_owned(),
        port: closed_port().await,
        timeout_ms: 2000,
        ..SmtpConfig::default()
    };
    let transport = SmtpTransport::new(&cfg).unwrap();
    let err = transport
        .send(&mail("a@example.cn", "k4"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");
}

#[tokio::test]
async fn silent_server_times_out_as_transient() {
    let sink = Sink::start(SinkBehaviour {
        silent: true,
        ..ACCEPTING
    })
    .await;
    let transport = SmtpTransport::new(&sink.config(300)).unwrap();
    let started = Instant::now();
    let err = transport
        .send(&mail("a@example.cn", "k5"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn invalid_address_is_permanent_without_connecting() {
    // Nothing listens on the port: a Permanent error proves the address was
    // rejected before any connection attempt.
    let cfg = SmtpConfig {
        port: closed_port().await,
        ..SmtpConfig::default()
    };
    let transport = SmtpTransport::new(&cfg).unwrap();
    for bad in ["not-an-address", "", "张三@", "a@b@c"] {
        let err = transport.send(&mail(bad, "k6")).await.unwrap_err();
        assert!(matches!(err, SendError::Permanent(_)), "{bad:?}: {err:?}");
    }
    let err = transport
        .send(&mail("a@example.cn", "bad key"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
}

#[test]
fn invalid_from_is_rejected_at_construction() {
    let cfg = SmtpConfig {
        from: "no address here".to_owned(),
        ..SmtpConfig::default()
    };
    assert!(matches!(
        SmtpTransport::new(&cfg),
        Err(SendError::Permanent(_))
    ));
    assert!(SmtpTransport::new(&SmtpConfig::default()).is_ok());
}

#[test]
fn config_defaults_and_deserialize() {
    let d = SmtpConfig::default();
    assert_eq!(
        (d.host.as_str(), d.port, d.timeout_ms),
        ("127.0.0.1", 25, 5000)
    );
    let cfg: SmtpConfig =
        serde_json::from_str(r#"{"host": "relay.lan", "username": "u"}"#).unwrap();
    assert_eq!(cfg.host, "relay.lan");
    assert_eq!(cfg.port, 25);
    assert_eq!(cfg.username.as_deref(), Some("u"));
    assert_eq!(cfg.password, None);
}
