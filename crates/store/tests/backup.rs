//! Snapshots and restores, on each engine and across engines.

// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{
    Clock, Kind, assert_conflict, demo_doc, for_each_engine, new_staff, pg_url, scoped, session,
    verified_chain,
};
use onetrip_domain::access::{EmploymentType, Permission, Scope};
use onetrip_domain::identity::{ApplicantIdentity, CreditCode, ResidentIdNumber};
use onetrip_domain::region::RegionCode;
use onetrip_store::tables::TABLES;
use onetrip_store::{NewApplicant, PrincipalKind, RoleRecord, Snapshot, Store};
use time::macros::date;

const HOUR: i64 = 3_600 * common::SECOND;

fn wuhan() -> Scope {
    Scope {
        region: RegionCode::parse("420100").expect("region"),
        department: None,
        centre: None,
    }
}

fn applicant(identity: ApplicantIdentity, name: &str) -> NewApplicant {
    NewApplicant {
        identity,
        name: name.into(),
        mobile: "13812345678".into(),
        email: Some("a@example.com".into()),
        password_hash: "$argon2id$a".into(),
    }
}

/// Fills every table with something.
async fn populate(s: &dyn Store, clock: &Clock) {
    let mut doc = demo_doc();
    // Halls stored out of code order, so that snapshot order cannot rely on insertion order.
    doc.service_centres[0].halls.reverse();
    s.import_catalogue(&clock.ctx(), &doc)
        .await
        .expect("import");
    let code = "420100-RSJ-GG-001";
    let mut body = s
        .published_item(code)
        .await
        .expect("read")
        .expect("published")
        .body;
    body.place = "武汉市民之家二楼".into();
    let v = s
        .save_item_draft(&clock.ctx(), &body, date!(2026 - 06 - 01))
        .await
        .expect("draft");
    s.publish_item(&clock.ctx(), code, v.version)
        .await
        .expect("publish");
    body.place = "武汉市民之家三楼".into();
    s.save_item_draft(&clock.ctx(), &body, date!(2026 - 09 - 01))
        .await
        .expect("open draft");

    let alice = s
        .create_staff(
            &clock.ctx(),
            &new_staff("alice", EmploymentType::CivilServant),
        )
        .await
        .expect("alice");
    let bob = s
        .create_staff(&clock.ctx(), &new_staff("bob", EmploymentType::Contractor))
        .await
        .expect("bob");
    s.set_staff_disabled(&clock.ctx(), bob.id, true)
        .await
        .expect("disable bob");
    s.set_staff_disabled(&clock.ctx(), bob.id, false)
        .await
        .expect("enable bob");
    for (code, permissions) in [
        (
            "officer",
            vec![Permission::CaseAccept, Permission::CaseDecide],
        ),
        (
            "helper",
            vec![Permission::CaseReceive, Permission::QueueOperate],
        ),
    ] {
        let role = RoleRecord {
            code: code.into(),
            name_zh: code.into(),
            name_en: code.into(),
            permissions,
        };
        s.save_role(&clock.ctx(), &role).await.expect("role");
    }
    s.grant_role(&clock.ctx(), alice.id, "officer", &wuhan())
        .await
        .expect("grant");
    let dept = Scope {
        department: Some("420100-RSJ".into()),
        ..wuhan()
    };
    s.grant_role(&clock.ctx(), bob.id, "helper", &dept)
        .await
        .expect("grant");
    let p = s
        .register_applicant(
            &clock.ctx(),
            &applicant(
                ApplicantIdentity::NaturalPerson(
                    ResidentIdNumber::parse("11010519491231002X").expect("id"),
                ),
                "张三",
            ),
        )
        .await
        .expect("person");
    s.register_applicant(
        &clock.ctx(),
        &applicant(
            ApplicantIdentity::LegalEntity(CreditCode::parse("91350100M000100Y43").expect("code")),
            "某公司",
        ),
    )
    .await
    .expect("company");
    let now = clock.tick();
    let mut sess = session(1, PrincipalKind::Staff, alice.id, now, HOUR);
    sess.ip = None;
    s.create_session(&clock.ctx(), &sess, "alice")
        .await
        .expect("session");
    s.create_session(
        &clock.ctx(),
        &session(2, PrincipalKind::Applicant, p.id, now, HOUR),
        "x",
    )
    .await
    .expect("session");
    s.create_session(
        &clock.ctx(),
        &session(3, PrincipalKind::Staff, alice.id, now, HOUR),
        "alice",
    )
    .await
    .expect("session");
    s.revoke_session(&clock.ctx(), &common::token_hash(3))
        .await
        .expect("revoke");
    for key in ["mallory", "eve"] {
        s.record_login_failure(&clock.ctx(), key, 1, HOUR, HOUR)
            .await
            .expect("failure");
    }
    s.record_event(
        &clock.ctx(),
        "data.export",
        "applicants",
        &serde_json::json!({ "rows": 2 }),
    )
    .await
    .expect("event");
    common::cases::populate(s, clock).await;
    common::sharing::populate(s, clock).await;
}

fn assert_snapshots_equal(what: &str, left: &Snapshot, right: &Snapshot) {
    assert_eq!(left.tables.len(), right.tables.len(), "{what}: table count");
    for (l, r) in left.tables.iter().zip(&right.tables) {
        assert_eq!(l.name, r.name, "{what}: table order");
        assert_eq!(l.columns, r.columns, "{what}: columns of {}", l.name);
        assert_eq!(
            l.rows.len(),
            r.rows.len(),
            "{what}: row count of {}",
            l.name
        );
        for (i, (lr, rr)) in l.rows.iter().zip(&r.rows).enumerate() {
            assert_eq!(lr, rr, "{what}: row {i} of {}", l.name);
        }
    }
    assert_eq!(left, right, "{what}");
}

/// The snapshot holds every table of the catalogue, in order, with rows everywhere.
fn check_shape(snapshot: &Snapshot) {
    let names: Vec<&str> = snapshot.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, TABLES.iter().map(|t| t.name).collect::<Vec<_>>());
    for (dump, def) in snapshot.tables.iter().zip(TABLES) {
        assert_eq!(
            dump.columns,
            def.columns
                .iter()
                .map(|(c, _)| (*c).to_owned())
                .collect::<Vec<_>>()
        );
        assert!(
            !dump.rows.is_empty(),
            "populate() leaves table {} empty",
            dump.name
        );
        assert!(dump.rows.iter().all(|r| r.len() == def.columns.len()));
    }
}

fn max_id(snapshot: &Snapshot, table: &str) -> i64 {
    let dump = snapshot
        .tables
        .iter()
        .find(|t| t.name == table)
        .expect("table");
    dump.rows
        .iter()
        .filter_map(|r| r[0].as_i64())
        .max()
        .expect("rows")
}

/// Writes that need fresh ids all succeed after a restore, with ids above the restored ones.
async fn check_new_ids_follow(s: &dyn Store, clock: &Clock, restored: &Snapshot) {
    let staff = s
        .create_staff(
            &clock.ctx(),
            &new_staff("after_restore", EmploymentType::CivilServant),
        )
        .await
        .expect("create_staff");
    assert!(
        staff.id > max_id(restored, "staff"),
        "staff id {} follows the restored ids",
        staff.id
    );
    let grant = s
        .grant_role(&clock.ctx(), staff.id, "helper", &wuhan())
        .await
        .expect("grant");
    assert!(grant > max_id(restored, "staff_grants"));
    let a = s
        .register_applicant(
            &clock.ctx(),
            &applicant(
                ApplicantIdentity::NaturalPerson(
                    ResidentIdNumber::parse("110105194912310038").expect("id"),
                ),
                "李四",
            ),
        )
        .await
        .expect("register_applicant");
    assert!(a.id > max_id(restored, "applicants"));
    let mut body = s
        .published_item("420100-GAJ-QT-001")
        .await
        .expect("read")
        .expect("published")
        .body;
    body.code = "420100-GAJ-QT-900".into();
    let v = s
        .save_item_draft(&clock.ctx(), &body, date!(2026 - 10 - 01))
        .await
        .expect("save_item_draft");
    assert!(v.id > max_id(restored, "item_versions"));
    verified_chain(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_restores_into_a_fresh_store() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        populate(&**s, &clock).await;
        let snap = s.snapshot().await.expect("snapshot");
        check_shape(&snap);
        assert_snapshots_equal(
            "a second snapshot",
            &snap,
            &s.snapshot().await.expect("snapshot"),
        );
        // Backups travel as JSON.
        let text = serde_json::to_string(&snap).expect("serialise");
        let snap: Snapshot = serde_json::from_str(&text).expect("deserialise");

        let other = env.fresh().await;
        other.restore_snapshot(&snap).await.expect("restore");
        assert_snapshots_equal(
            "restored",
            &other.snapshot().await.expect("snapshot"),
            &snap,
        );
        let chain = verified_chain(&*other).await;
        assert_eq!(chain, verified_chain(&**s).await);
        assert_eq!(
            other.audit_head().await.expect("head"),
            s.audit_head().await.expect("head")
        );
        assert_eq!(
            other.list_items(&Default::default()).await.expect("list"),
            s.list_items(&Default::default()).await.expect("list")
        );
        assert_eq!(
            other.list_service_centres().await.expect("centres"),
            s.list_service_centres().await.expect("centres")
        );
        let alice = other
            .staff_by_username("alice")
            .await
            .expect("read")
            .expect("alice restored");
        assert_eq!(
            other.staff_principal(alice.id).await.expect("principal"),
            s.staff_principal(alice.id).await.expect("principal")
        );
        let now = clock.now();
        assert!(
            other
                .live_session(&common::token_hash(1), now)
                .await
                .expect("live")
                .is_some()
        );
        assert!(
            other
                .live_session(&common::token_hash(3), now)
                .await
                .expect("live")
                .is_none()
        );

        // Restoring into a store that holds data is refused and changes nothing.
        let before = other.snapshot().await.expect("snapshot");
        assert_conflict(other.restore_snapshot(&snap).await);
        assert_snapshots_equal(
            "after a refused restore",
            &other.snapshot().await.expect("snapshot"),
            &before,
        );
        let third = env.fresh().await;
        third
            .create_staff(
                &clock.ctx(),
                &new_staff("only", EmploymentType::CivilServant),
            )
            .await
            .expect("staff");
        let third_before = third.snapshot().await.expect("snapshot");
        assert_conflict(third.restore_snapshot(&snap).await);
        assert_snapshots_equal(
            "after a refused restore",
            &third.snapshot().await.expect("snapshot"),
            &third_before,
        );

        // New writes get fresh ids and extend the restored chain.
        check_new_ids_follow(&*other, &clock, &snap).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_restores_across_engines() {
    if pg_url().is_none() {
        eprintln!(
            "note: {} is not set; cross-engine restore runs only with PostgreSQL",
            common::PG_URL_VAR
        );
        return;
    }
    for (from, to) in [
        (Kind::Sqlite, Kind::Postgres),
        (Kind::Postgres, Kind::Sqlite),
    ] {
        let outcome = scoped(|registry| async move {
            let clock = Clock::new();
            let source: Arc<dyn Store> = registry.open(from).await;
            populate(&*source, &clock).await;
            let snap = source.snapshot().await.expect("snapshot");
            check_shape(&snap);
            let target = registry.open(to).await;
            target.restore_snapshot(&snap).await.expect("restore");
            assert_snapshots_equal(
                "restored on the other engine",
                &target.snapshot().await.expect("snapshot"),
                &snap,
            );
            assert_eq!(
                verified_chain(&*target).await,
                verified_chain(&*source).await
            );
            assert_eq!(
                target.export_catalogue(&clock.ctx()).await.expect("export"),
                source.export_catalogue(&clock.ctx()).await.expect("export")
            );
            check_new_ids_follow(&*target, &clock, &snap).await;
        })
        .await;
        if let Err(msg) = outcome {
            panic!("[{} -> {}] {msg}", from.name(), to.name());
        }
    }
}
