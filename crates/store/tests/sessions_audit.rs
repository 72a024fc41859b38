//! Sessions, login throttling and the audit chain on every engine.

// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{
    AuditCursor, Clock, SECOND, assert_not_found, demo_doc, for_each_engine, new_staff, session,
    token_hash, verified_chain,
};
use onetrip_domain::access::{EmploymentType, Permission, Scope};
use onetrip_domain::identity::{ApplicantIdentity, ResidentIdNumber};
use onetrip_domain::region::RegionCode;
use onetrip_store::{Ctx, NewApplicant, PrincipalKind, RoleRecord, Store, ThrottleState};
use time::macros::date;

const HOUR: i64 = 3_600 * SECOND;
const MAX_FAILURES: i64 = 5;
const WINDOW: i64 = 15 * 60 * SECOND;
const LOCK: i64 = 30 * 60 * SECOND;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_live_expire_and_end() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        let alice = s
            .create_staff(
                &clock.ctx(),
                &new_staff("alice", EmploymentType::CivilServant),
            )
            .await
            .expect("alice");
        let mut audit = AuditCursor::new(&**s).await;

        // A session is live until it expires.
        let now = clock.tick();
        let one = session(1, PrincipalKind::Staff, alice.id, now, HOUR);
        s.create_session(&Ctx::new(format!("staff:{}", alice.id), now), &one, "alice")
            .await
            .expect("create");
        let entries = audit.expect(&**s, &["auth.login"]).await;
        assert_eq!(entries[0].subject, format!("staff:{}", alice.id));
        assert!(
            !entries[0].detail.contains(&one.token_hash),
            "the audit entry does not carry the whole token hash"
        );
        assert_eq!(
            s.live_session(&one.token_hash, now).await.expect("live"),
            Some(one.clone())
        );
        assert_eq!(
            s.live_session(&one.token_hash, one.expires_at_micros - 1)
                .await
                .expect("live"),
            Some(one.clone())
        );
        assert_eq!(
            s.live_session(&one.token_hash, one.expires_at_micros)
                .await
                .expect("live"),
            None
        );
        assert_eq!(
            s.live_session(&one.token_hash, one.expires_at_micros + HOUR)
                .await
                .expect("live"),
            None
        );
        assert_eq!(
            s.live_session(&token_hash(999), now).await.expect("live"),
            None
        );
        assert_eq!(
            s.sessions_of(PrincipalKind::Staff, alice.id, now)
                .await
                .expect("of"),
            vec![one.clone()]
        );
        assert!(
            s.sessions_of(PrincipalKind::Applicant, alice.id, now)
                .await
                .expect("of")
                .is_empty()
        );

        // Logout ends one session.
        s.revoke_session(&clock.ctx(), &one.token_hash)
            .await
            .expect("revoke");
        audit.expect(&**s, &["auth.session_revoked"]).await;
        assert_eq!(
            s.live_session(&one.token_hash, now).await.expect("live"),
            None
        );
        assert_not_found(s.revoke_session(&clock.ctx(), &one.token_hash).await);
        assert_not_found(s.revoke_session(&clock.ctx(), &token_hash(999)).await);
        audit.expect_none(&**s).await;

        // Ending every session of a principal.
        let now = clock.tick();
        let many: Vec<_> = (10..13)
            .map(|n| session(n, PrincipalKind::Staff, alice.id, now + n as i64, HOUR))
            .collect();
        for m in &many {
            s.create_session(&clock.ctx(), m, "alice")
                .await
                .expect("create");
        }
        audit
            .expect(&**s, &["auth.login", "auth.login", "auth.login"])
            .await;
        let live = s
            .sessions_of(PrincipalKind::Staff, alice.id, now + 20)
            .await
            .expect("of");
        // Newest first.
        assert_eq!(
            live.iter()
                .map(|x| x.token_hash.clone())
                .collect::<Vec<_>>(),
            vec![token_hash(12), token_hash(11), token_hash(10)]
        );
        assert_eq!(
            s.revoke_sessions_of(&clock.ctx(), PrincipalKind::Staff, alice.id)
                .await
                .expect("revoke all"),
            3
        );
        let entries = audit.expect(&**s, &["auth.sessions_revoked"]).await;
        assert!(
            entries[0].detail.contains("\"sessions_ended\":3"),
            "{}",
            entries[0].detail
        );
        for m in &many {
            assert_eq!(
                s.live_session(&m.token_hash, now + 20).await.expect("live"),
                None
            );
        }
        assert_eq!(
            s.revoke_sessions_of(&clock.ctx(), PrincipalKind::Staff, alice.id)
                .await
                .expect("revoke all"),
            0
        );
        audit.expect(&**s, &["auth.sessions_revoked"]).await;

        // Disabling a staff member ends their sessions at once; enabling does not revive them.
        let now = clock.tick();
        let a = session(20, PrincipalKind::Staff, alice.id, now, HOUR);
        let b = session(21, PrincipalKind::Staff, alice.id, now, HOUR);
        s.create_session(&clock.ctx(), &a, "alice")
            .await
            .expect("create");
        s.create_session(&clock.ctx(), &b, "alice")
            .await
            .expect("create");
        audit.expect(&**s, &["auth.login", "auth.login"]).await;
        s.set_staff_disabled(&clock.ctx(), alice.id, true)
            .await
            .expect("disable");
        let entries = audit.expect(&**s, &["staff.disable"]).await;
        assert!(
            entries[0].detail.contains("\"sessions_ended\":2"),
            "{}",
            entries[0].detail
        );
        assert_eq!(
            s.live_session(&a.token_hash, now).await.expect("live"),
            None
        );
        assert_eq!(
            s.live_session(&b.token_hash, now).await.expect("live"),
            None
        );
        assert!(
            s.sessions_of(PrincipalKind::Staff, alice.id, now)
                .await
                .expect("of")
                .is_empty()
        );
        s.set_staff_disabled(&clock.ctx(), alice.id, false)
            .await
            .expect("enable");
        audit.expect(&**s, &["staff.enable"]).await;
        assert_eq!(
            s.live_session(&a.token_hash, now).await.expect("live"),
            None
        );

        // A password change ends sessions too.
        let c = session(30, PrincipalKind::Staff, alice.id, now, HOUR);
        s.create_session(&clock.ctx(), &c, "alice")
            .await
            .expect("create");
        s.set_staff_password(&clock.ctx(), alice.id, "$argon2id$changed")
            .await
            .expect("password");
        audit
            .expect(&**s, &["auth.login", "staff.password_change"])
            .await;
        assert_eq!(
            s.live_session(&c.token_hash, now).await.expect("live"),
            None
        );

        // Applicant sessions, and their independence from staff with the same id.
        let applicant = s
            .register_applicant(
                &clock.ctx(),
                &NewApplicant {
                    identity: ApplicantIdentity::NaturalPerson(
                        ResidentIdNumber::parse("11010519491231002X").expect("id"),
                    ),
                    name: "张三".into(),
                    mobile: "13812345678".into(),
                    email: None,
                    password_hash: "$argon2id$x".into(),
                },
            )
            .await
            .expect("register");
        let d = session(40, PrincipalKind::Applicant, applicant.id, now, HOUR);
        s.create_session(&clock.ctx(), &d, "11010519491231002X")
            .await
            .expect("create");
        audit
            .expect(&**s, &["applicant.register", "auth.login"])
            .await;
        assert_eq!(
            s.live_session(&d.token_hash, now).await.expect("live"),
            Some(d.clone())
        );
        assert_eq!(
            s.revoke_sessions_of(&clock.ctx(), PrincipalKind::Staff, applicant.id)
                .await
                .expect("revoke"),
            0
        );
        assert_eq!(
            s.live_session(&d.token_hash, now).await.expect("live"),
            Some(d.clone())
        );
        assert_eq!(
            s.revoke_sessions_of(&clock.ctx(), PrincipalKind::Applicant, applicant.id)
                .await
                .expect("revoke"),
            1
        );
        assert_eq!(
            s.live_session(&d.token_hash, now).await.expect("live"),
            None
        );
        audit
            .expect(&**s, &["auth.sessions_revoked", "auth.sessions_revoked"])
            .await;
        verified_chain(&**s).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_lock_a_key_and_a_login_clears_it() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        let alice = s
            .create_staff(
                &clock.ctx(),
                &new_staff("alice", EmploymentType::CivilServant),
            )
            .await
            .expect("alice");
        let mut audit = AuditCursor::new(&**s).await;
        assert_eq!(
            s.throttle_state("alice").await.expect("state"),
            ThrottleState::default()
        );

        let first = clock.tick();
        let mut state = ThrottleState::default();
        for n in 1..MAX_FAILURES {
            let ctx = if n == 1 {
                Ctx::new("anonymous", first)
            } else {
                Ctx::new("anonymous", clock.tick())
            };
            state = s
                .record_login_failure(&ctx, "alice", MAX_FAILURES, WINDOW, LOCK)
                .await
                .expect("failure");
            assert_eq!(
                (
                    state.failures,
                    state.window_start_micros,
                    state.locked_until_micros
                ),
                (n, first, None)
            );
        }
        let entries = audit
            .expect(&**s, &["auth.login_failed"; (MAX_FAILURES - 1) as usize])
            .await;
        assert!(
            entries
                .iter()
                .all(|e| e.subject == "login:alice" && e.actor == "anonymous")
        );
        assert_eq!(s.throttle_state("alice").await.expect("state"), state);

        // The last allowed failure locks the key.
        let at = clock.tick();
        let locked = s
            .record_login_failure(
                &Ctx::new("anonymous", at),
                "alice",
                MAX_FAILURES,
                WINDOW,
                LOCK,
            )
            .await
            .expect("failure");
        assert_eq!(
            locked,
            ThrottleState {
                failures: MAX_FAILURES,
                window_start_micros: first,
                locked_until_micros: Some(at + LOCK)
            }
        );
        assert_eq!(s.throttle_state("alice").await.expect("state"), locked);
        let entries = audit.expect(&**s, &["auth.login_failed"]).await;
        assert!(
            entries[0].detail.contains("\"locked\":true"),
            "{}",
            entries[0].detail
        );
        // Other keys are unaffected.
        assert_eq!(
            s.throttle_state("bob").await.expect("state"),
            ThrottleState::default()
        );

        // A refused attempt while locked is audited but changes nothing.
        s.record_login_throttled(&clock.ctx(), "alice")
            .await
            .expect("throttled");
        audit.expect(&**s, &["auth.login_throttled"]).await;
        assert_eq!(s.throttle_state("alice").await.expect("state"), locked);

        // After the lock ends, counting starts again.
        let after = at + LOCK + SECOND;
        let fresh = s
            .record_login_failure(
                &Ctx::new("anonymous", after),
                "alice",
                MAX_FAILURES,
                WINDOW,
                LOCK,
            )
            .await
            .expect("failure");
        assert_eq!(
            fresh,
            ThrottleState {
                failures: 1,
                window_start_micros: after,
                locked_until_micros: None
            }
        );
        // A failure after the window has passed starts a new window.
        let later = after + WINDOW + SECOND;
        let fresh = s
            .record_login_failure(
                &Ctx::new("anonymous", later),
                "alice",
                MAX_FAILURES,
                WINDOW,
                LOCK,
            )
            .await
            .expect("failure");
        assert_eq!(
            fresh,
            ThrottleState {
                failures: 1,
                window_start_micros: later,
                locked_until_micros: None
            }
        );
        audit
            .expect(&**s, &["auth.login_failed", "auth.login_failed"])
            .await;

        // A successful login clears the key's throttle.
        let sess = session(1, PrincipalKind::Staff, alice.id, later, HOUR);
        s.create_session(&Ctx::new("anonymous", later + 1), &sess, "alice")
            .await
            .expect("login");
        audit.expect(&**s, &["auth.login"]).await;
        assert_eq!(
            s.throttle_state("alice").await.expect("state"),
            ThrottleState::default()
        );
        verified_chain(&**s).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_failed_logins_are_all_counted() {
    for_each_engine(|env| async move {
        let s: Arc<dyn Store> = env.store.clone();
        let clock = Arc::new(Clock::new());
        let n = 12;
        let mut tasks = Vec::new();
        for _ in 0..n {
            let s = s.clone();
            let ctx = Ctx::new("anonymous", clock.tick());
            tasks.push(tokio::spawn(async move {
                s.record_login_failure(&ctx, "mallory", MAX_FAILURES, WINDOW, LOCK)
                    .await
            }));
        }
        for t in tasks {
            t.await.expect("task").expect("record_login_failure");
        }
        let state = s.throttle_state("mallory").await.expect("state");
        assert_eq!(
            state.failures, n,
            "every failed attempt is counted (a lost update lets guessing through)"
        );
        assert!(state.locked_until_micros.is_some(), "the key is locked");
        let entries = verified_chain(&*s).await;
        assert_eq!(entries.len(), n as usize);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_appends_exactly_its_audit_entries_and_the_chain_verifies() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        let mut audit = AuditCursor::new(&**s).await;

        // Entries carry the context's actor and time, and the client address when known.
        let mut ctx = Ctx::new("staff:1", clock.tick());
        ctx.ip = Some("198.51.100.9".into());
        let detail = serde_json::json!({ "rows": 3, "format": "csv" });
        let seq = s
            .record_event(&ctx, "data.export", "applicants", &detail)
            .await
            .expect("record_event");
        let entries = audit.expect(&**s, &["data.export"]).await;
        let e = &entries[0];
        assert_eq!(
            (e.seq, e.actor.as_str(), e.at_micros, e.subject.as_str()),
            (seq, "staff:1", ctx.at_micros, "applicants")
        );
        let stored: serde_json::Value = serde_json::from_str(&e.detail).expect("detail is JSON");
        assert_eq!(
            stored,
            serde_json::json!({ "rows": 3, "format": "csv", "ip": "198.51.100.9" })
        );
        assert_eq!(
            e.detail, r#"{"format":"csv","ip":"198.51.100.9","rows":3}"#,
            "canonical text with sorted keys"
        );
        assert_eq!(e.hash, e.expected_hash());

        // One entry per operation, named after it.
        s.import_catalogue(&clock.ctx(), &demo_doc())
            .await
            .expect("import");
        audit.expect(&**s, &["catalogue.import"]).await;
        let mut body = s
            .published_item("420100-GAJ-QT-001")
            .await
            .expect("read")
            .expect("published")
            .body;
        body.hours = "周一至周日 9:00-17:00".into();
        let draft = s
            .save_item_draft(&clock.ctx(), &body, date!(2026 - 05 - 01))
            .await
            .expect("draft");
        s.publish_item(&clock.ctx(), &body.code, draft.version)
            .await
            .expect("publish");
        s.retire_item(&clock.ctx(), &body.code)
            .await
            .expect("retire");
        s.export_catalogue(&clock.ctx()).await.expect("export");
        audit
            .expect(
                &**s,
                &[
                    "catalogue.save_draft",
                    "catalogue.publish",
                    "catalogue.retire",
                    "catalogue.export",
                ],
            )
            .await;

        let staff = s
            .create_staff(
                &clock.ctx(),
                &new_staff("alice", EmploymentType::CivilServant),
            )
            .await
            .expect("staff");
        let role = RoleRecord {
            code: "auditor".into(),
            name_zh: "审计员".into(),
            name_en: "Auditor".into(),
            permissions: vec![Permission::AuditView],
        };
        s.save_role(&clock.ctx(), &role).await.expect("role");
        let scope = Scope {
            region: RegionCode::parse("420100").expect("region"),
            department: None,
            centre: None,
        };
        let grant = s
            .grant_role(&clock.ctx(), staff.id, "auditor", &scope)
            .await
            .expect("grant");
        s.revoke_grant(&clock.ctx(), grant)
            .await
            .expect("revoke grant");
        s.set_staff_password(&clock.ctx(), staff.id, "$argon2id$2")
            .await
            .expect("password");
        s.set_staff_disabled(&clock.ctx(), staff.id, true)
            .await
            .expect("disable");
        s.set_staff_disabled(&clock.ctx(), staff.id, false)
            .await
            .expect("enable");
        audit
            .expect(
                &**s,
                &[
                    "staff.create",
                    "role.save",
                    "grant.add",
                    "grant.remove",
                    "staff.password_change",
                    "staff.disable",
                    "staff.enable",
                ],
            )
            .await;

        s.record_login_failure(&clock.ctx(), "alice", MAX_FAILURES, WINDOW, LOCK)
            .await
            .expect("failure");
        s.record_login_throttled(&clock.ctx(), "alice")
            .await
            .expect("throttled");
        let sess = session(7, PrincipalKind::Staff, staff.id, clock.tick(), HOUR);
        s.create_session(&clock.ctx(), &sess, "alice")
            .await
            .expect("login");
        s.revoke_session(&clock.ctx(), &sess.token_hash)
            .await
            .expect("logout");
        s.revoke_sessions_of(&clock.ctx(), PrincipalKind::Staff, staff.id)
            .await
            .expect("revoke all");
        audit
            .expect(
                &**s,
                &[
                    "auth.login_failed",
                    "auth.login_throttled",
                    "auth.login",
                    "auth.session_revoked",
                    "auth.sessions_revoked",
                ],
            )
            .await;

        // Reads append nothing.
        s.list_items(&Default::default()).await.expect("list");
        s.published_items().await.expect("published");
        s.staff_principal(staff.id).await.expect("principal");
        s.list_staff().await.expect("staff");
        s.throttle_state("alice").await.expect("throttle");
        s.live_session(&sess.token_hash, clock.now())
            .await
            .expect("live");
        s.snapshot().await.expect("snapshot");
        audit.expect_none(&**s).await;

        // The whole chain verifies; paging, the newest-first view and the head agree with it.
        let chain = verified_chain(&**s).await;
        assert_eq!(chain.len(), 18);
        assert!(
            chain.windows(2).all(|w| w[0].at_micros < w[1].at_micros),
            "times follow the test clock"
        );
        let mut paged = Vec::new();
        let mut after = 0;
        loop {
            let page = s.audit_entries(after, 5).await.expect("page");
            let Some(last) = page.last() else { break };
            after = last.seq;
            paged.extend(page);
        }
        assert_eq!(paged, chain);
        let recent = s.recent_audit(4).await.expect("recent");
        assert_eq!(
            recent,
            chain.iter().rev().take(4).cloned().collect::<Vec<_>>()
        );
        assert_eq!(
            s.audit_head().await.expect("head"),
            (chain.len() as i64, chain[chain.len() - 1].hash.clone())
        );
    })
    .await;
}
