//! Staff, roles, grants (and the negative list) and applicants on every engine.

// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{
    AuditCursor, Clock, assert_conflict, assert_core_forbidden, assert_not_found, demo_doc,
    for_each_engine, invalid_fields, new_staff, verified_chain,
};
use onetrip_domain::access::{EmploymentType, Permission, Scope, Target};
use onetrip_domain::identity::{ApplicantIdentity, CreditCode, ResidentIdNumber};
use onetrip_domain::region::RegionCode;
use onetrip_store::{NewApplicant, RoleRecord, Store, StoreError};

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).expect("region code")
}

fn scope(r: &str, department: Option<&str>) -> Scope {
    Scope {
        region: region(r),
        department: department.map(str::to_owned),
        centre: None,
    }
}

fn role(code: &str, permissions: &[Permission]) -> RoleRecord {
    RoleRecord {
        code: code.to_owned(),
        name_zh: format!("角色{code}"),
        name_en: format!("Role {code}"),
        permissions: permissions.to_vec(),
    }
}

fn perms(r: &RoleRecord) -> BTreeSet<Permission> {
    r.permissions.iter().copied().collect()
}

async fn stored_role(store: &dyn Store, code: &str) -> Option<RoleRecord> {
    store
        .list_roles()
        .await
        .expect("list_roles")
        .into_iter()
        .find(|r| r.code == code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_accounts_roles_and_grants() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        s.import_catalogue(&clock.ctx(), &demo_doc())
            .await
            .expect("import demo");
        let mut audit = AuditCursor::new(&**s).await;

        // Accounts.
        let at = clock.tick();
        let alice = s
            .create_staff(
                &onetrip_store::Ctx::new("cli", at),
                &new_staff("alice", EmploymentType::CivilServant),
            )
            .await
            .expect("create alice");
        assert_eq!(
            (
                alice.username.as_str(),
                alice.disabled,
                alice.created_at_micros
            ),
            ("alice", false, at)
        );
        let bob = s
            .create_staff(&clock.ctx(), &new_staff("bob", EmploymentType::Contractor))
            .await
            .expect("create bob");
        let carol = s
            .create_staff(
                &clock.ctx(),
                &new_staff("carol", EmploymentType::PublicInstitution),
            )
            .await
            .expect("create carol");
        let entries = audit
            .expect(&**s, &["staff.create", "staff.create", "staff.create"])
            .await;
        assert_eq!(
            (entries[0].actor.as_str(), entries[0].at_micros),
            ("cli", at)
        );
        assert_eq!(entries[0].subject, format!("staff:{}", alice.id));
        assert!(entries[1].detail.contains("contractor"));
        assert_conflict(
            s.create_staff(
                &clock.ctx(),
                &new_staff("alice", EmploymentType::Contractor),
            )
            .await,
        );
        audit.expect_none(&**s).await;
        assert_eq!(
            s.staff_by_username("alice").await.expect("read"),
            Some(alice.clone())
        );
        assert_eq!(
            s.staff_by_id(bob.id).await.expect("read"),
            Some(bob.clone())
        );
        assert_eq!(s.staff_by_username("nobody").await.expect("read"), None);
        assert_eq!(s.staff_by_id(9_999).await.expect("read"), None);
        let names: Vec<String> = s
            .list_staff()
            .await
            .expect("list")
            .into_iter()
            .map(|r| r.username)
            .collect();
        assert_eq!(names, ["alice", "bob", "carol"]);
        assert_eq!(
            s.staff_principal(bob.id)
                .await
                .expect("principal")
                .map(|p| (p.employment, p.grants.len())),
            Some((EmploymentType::Contractor, 0))
        );

        // Roles.
        let officer = role(
            "approval_officer",
            &[
                Permission::CaseReview,
                Permission::CaseAccept,
                Permission::CaseApprove,
            ],
        );
        let helper = role(
            "helper",
            &[
                Permission::CaseConsult,
                Permission::CaseReceive,
                Permission::CasePreReview,
            ],
        );
        assert!(officer.is_core() && !helper.is_core());
        s.save_role(&clock.ctx(), &officer)
            .await
            .expect("save officer");
        s.save_role(&clock.ctx(), &helper)
            .await
            .expect("save helper");
        audit.expect(&**s, &["role.save", "role.save"]).await;
        let roles = s.list_roles().await.expect("roles");
        assert_eq!(
            roles.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
            ["approval_officer", "helper"]
        );
        assert_eq!(perms(&roles[0]), perms(&officer));
        assert_eq!(
            (roles[0].name_zh.as_str(), roles[0].name_en.as_str()),
            (officer.name_zh.as_str(), officer.name_en.as_str())
        );
        assert_eq!(perms(&roles[1]), perms(&helper));

        // Grants to civil servants and public-institution staff, core or not.
        let wuhan = scope("420100", None);
        let g1 = s
            .grant_role(&clock.ctx(), alice.id, "approval_officer", &wuhan)
            .await
            .expect("grant alice");
        let entries = audit.expect(&**s, &["grant.add"]).await;
        assert_eq!(entries[0].subject, format!("staff:{}", alice.id));
        s.grant_role(&clock.ctx(), carol.id, "approval_officer", &wuhan)
            .await
            .expect("grant carol");
        audit.expect(&**s, &["grant.add"]).await;
        assert_conflict(
            s.grant_role(&clock.ctx(), alice.id, "approval_officer", &wuhan)
                .await,
        );
        audit.expect_none(&**s).await;

        // The negative list: a core role never reaches contractor staff.
        let permission = assert_core_forbidden(
            s.grant_role(&clock.ctx(), bob.id, "approval_officer", &wuhan)
                .await,
        );
        assert!(Permission::parse(permission).is_some_and(Permission::is_core));
        assert!(s.list_grants(bob.id).await.expect("grants").is_empty());
        audit.expect_none(&**s).await;
        let g_bob = s
            .grant_role(&clock.ctx(), bob.id, "helper", &wuhan)
            .await
            .expect("grant helper to bob");
        audit.expect(&**s, &["grant.add"]).await;

        // Editing a role a contractor holds to add a core permission is refused, and the role is unchanged.
        let mut sneaky = helper.clone();
        sneaky.permissions.push(Permission::CaseAccept);
        assert_eq!(
            assert_core_forbidden(s.save_role(&clock.ctx(), &sneaky).await),
            "case.accept"
        );
        assert_eq!(
            stored_role(&**s, "helper").await.map(|r| perms(&r)),
            Some(perms(&helper))
        );
        sneaky.name_zh = "改名".into();
        sneaky.permissions = vec![Permission::CaseConsult, Permission::DocumentSign];
        assert_core_forbidden(s.save_role(&clock.ctx(), &sneaky).await);
        assert_eq!(
            stored_role(&**s, "helper").await,
            Some(RoleRecord {
                permissions: roles[1].permissions.clone(),
                ..helper.clone()
            })
        );
        audit.expect_none(&**s).await;
        // Non-core additions are fine; a role held only by civil servants may gain core permissions.
        let mut wider = helper.clone();
        wider
            .permissions
            .extend([Permission::QueueOperate, Permission::QueueOperate]);
        s.save_role(&clock.ctx(), &wider)
            .await
            .expect("widen helper");
        let mut stronger = officer.clone();
        stronger.permissions.push(Permission::CaseDecide);
        s.save_role(&clock.ctx(), &stronger)
            .await
            .expect("strengthen officer");
        audit.expect(&**s, &["role.save", "role.save"]).await;
        assert_eq!(
            stored_role(&**s, "helper")
                .await
                .map(|r| r.permissions.len()),
            Some(4),
            "permissions deduplicated"
        );

        // Principals resolve grants to the roles' current permissions.
        let p = s
            .staff_principal(alice.id)
            .await
            .expect("principal")
            .expect("alice active");
        assert_eq!(
            (p.id, p.username.as_str(), p.employment),
            (alice.id, "alice", EmploymentType::CivilServant)
        );
        assert_eq!(p.grants.len(), 1);
        assert_eq!(
            (p.grants[0].role.as_str(), &p.grants[0].scope),
            ("approval_officer", &wuhan)
        );
        assert_eq!(
            p.grants[0]
                .permissions
                .iter()
                .copied()
                .collect::<BTreeSet<_>>(),
            perms(&stronger)
        );
        let hongshan = Target {
            region: Some(region("420111")),
            ..Default::default()
        };
        let hangzhou = Target {
            region: Some(region("330100")),
            ..Default::default()
        };
        assert!(p.authorize(Permission::CaseDecide, &hongshan).is_ok());
        assert!(p.authorize(Permission::CaseDecide, &hangzhou).is_err());
        let pb = s
            .staff_principal(bob.id)
            .await
            .expect("principal")
            .expect("bob active");
        assert_eq!(pb.grants.len(), 1);
        assert!(pb.authorize(Permission::QueueOperate, &hongshan).is_ok());
        assert!(pb.authorize(Permission::CaseAccept, &hongshan).is_err());

        // Department scopes must lie inside the scope's region.
        let fields = invalid_fields(
            s.grant_role(
                &clock.ctx(),
                alice.id,
                "helper",
                &scope("330000", Some("420100-SCJGJ")),
            )
            .await,
        );
        assert_eq!(fields, BTreeSet::from(["scope.department".to_owned()]));
        assert_not_found(
            s.grant_role(
                &clock.ctx(),
                alice.id,
                "helper",
                &scope("420100", Some("420100-NOSUCH")),
            )
            .await,
        );
        assert_not_found(
            s.grant_role(&clock.ctx(), alice.id, "no_such_role", &wuhan)
                .await,
        );
        assert_not_found(s.grant_role(&clock.ctx(), 9_999, "helper", &wuhan).await);
        audit.expect_none(&**s).await;
        let dept_scope = scope("420000", Some("420100-SCJGJ"));
        let g2 = s
            .grant_role(&clock.ctx(), alice.id, "helper", &dept_scope)
            .await
            .expect("department grant");
        audit.expect(&**s, &["grant.add"]).await;
        let grants = s.list_grants(alice.id).await.expect("grants");
        assert_eq!(
            grants
                .iter()
                .map(|g| (g.id, g.role.as_str(), &g.scope))
                .collect::<Vec<_>>(),
            vec![
                (g1, "approval_officer", &wuhan),
                (g2, "helper", &dept_scope)
            ]
        );
        assert!(grants.iter().all(|g| g.staff_id == alice.id));

        // Revoking.
        s.revoke_grant(&clock.ctx(), g2).await.expect("revoke");
        audit.expect(&**s, &["grant.remove"]).await;
        assert_not_found(s.revoke_grant(&clock.ctx(), g2).await);
        audit.expect_none(&**s).await;
        assert_eq!(s.list_grants(alice.id).await.expect("grants").len(), 1);
        // Once bob no longer holds the helper role, it may gain core permissions.
        s.revoke_grant(&clock.ctx(), g_bob)
            .await
            .expect("revoke bob");
        let mut core_helper = wider.clone();
        core_helper.permissions.push(Permission::CaseAccept);
        s.save_role(&clock.ctx(), &core_helper)
            .await
            .expect("no contractor holds helper now");
        assert_core_forbidden(s.grant_role(&clock.ctx(), bob.id, "helper", &wuhan).await);
        audit.expect(&**s, &["grant.remove", "role.save"]).await;

        // Disabled staff have no principal; enabling restores it.
        s.set_staff_disabled(&clock.ctx(), alice.id, true)
            .await
            .expect("disable");
        audit.expect(&**s, &["staff.disable"]).await;
        assert_eq!(s.staff_principal(alice.id).await.expect("principal"), None);
        assert!(
            s.staff_by_id(alice.id)
                .await
                .expect("read")
                .is_some_and(|r| r.disabled)
        );
        s.set_staff_disabled(&clock.ctx(), alice.id, false)
            .await
            .expect("enable");
        audit.expect(&**s, &["staff.enable"]).await;
        assert!(
            s.staff_principal(alice.id)
                .await
                .expect("principal")
                .is_some()
        );
        assert_not_found(s.set_staff_disabled(&clock.ctx(), 9_999, true).await);
        assert_eq!(s.staff_principal(9_999).await.expect("principal"), None);

        // Password change.
        s.set_staff_password(&clock.ctx(), alice.id, "$argon2id$new")
            .await
            .expect("password");
        audit.expect(&**s, &["staff.password_change"]).await;
        assert_eq!(
            s.staff_by_id(alice.id)
                .await
                .expect("read")
                .map(|r| r.password_hash),
            Some("$argon2id$new".to_owned())
        );
        assert_not_found(s.set_staff_password(&clock.ctx(), 9_999, "x").await);
        audit.expect_none(&**s).await;
        verified_chain(&**s).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_staff_creation_keeps_the_audit_chain_gap_free() {
    for_each_engine(|env| async move {
        let s: Arc<dyn Store> = env.store.clone();
        let clock = Arc::new(Clock::new());
        let mut tasks = Vec::new();
        for i in 0..16 {
            let s = s.clone();
            let ctx = clock.ctx();
            tasks.push(tokio::spawn(async move {
                s.create_staff(
                    &ctx,
                    &new_staff(&format!("user{i:02}"), EmploymentType::Contractor),
                )
                .await
            }));
        }
        let mut ids = BTreeSet::new();
        for t in tasks {
            let staff = t.await.expect("task").expect("create_staff");
            ids.insert(staff.id);
        }
        assert_eq!(ids.len(), 16, "distinct ids");
        let entries = verified_chain(&*s).await;
        assert_eq!(
            entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            (1..=16).collect::<Vec<i64>>()
        );
        assert!(entries.iter().all(|e| e.action == "staff.create"));
        let subjects: BTreeSet<String> = entries.iter().map(|e| e.subject.clone()).collect();
        assert_eq!(
            subjects,
            ids.iter().map(|id| format!("staff:{id}")).collect()
        );
        assert_eq!(s.list_staff().await.expect("list").len(), 16);

        // The same login name, sequentially and then concurrently.
        assert_conflict(
            s.create_staff(
                &clock.ctx(),
                &new_staff("user00", EmploymentType::CivilServant),
            )
            .await,
        );
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let s = s.clone();
            let ctx = clock.ctx();
            tasks.push(tokio::spawn(async move {
                s.create_staff(&ctx, &new_staff("samename", EmploymentType::CivilServant))
                    .await
            }));
        }
        let (mut ok, mut conflicts) = (0, 0);
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(StoreError::Conflict(_)) => conflicts += 1,
                Err(other) => panic!("create_staff failed with {other:?}, expected Ok or Conflict"),
            }
        }
        assert_eq!((ok, conflicts), (1, 7));
        let entries = verified_chain(&*s).await;
        assert_eq!(entries.len(), 17);
        assert_eq!(s.list_staff().await.expect("list").len(), 17);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_role_edit_racing_a_contractor_grant_never_lets_a_core_permission_through() {
    for_each_engine(|env| async move {
        let s: Arc<dyn Store> = env.store.clone();
        let clock = Arc::new(Clock::new());
        s.import_catalogue(&clock.ctx(), &demo_doc()).await.expect("import demo");
        let bob = s.create_staff(&clock.ctx(), &new_staff("bob", EmploymentType::Contractor)).await.expect("bob");
        let wuhan = scope("420100", None);
        for round in 0..12 {
            let code = format!("front_desk_{round}");
            s.save_role(&clock.ctx(), &role(&code, &[Permission::CaseReceive])).await.expect("role");
            let (s1, s2) = (s.clone(), s.clone());
            let (c1, c2) = (clock.ctx(), clock.ctx());
            let (code1, code2, scope2) = (code.clone(), code.clone(), wuhan.clone());
            let edit = tokio::spawn(async move {
                s1.save_role(&c1, &role(&code1, &[Permission::CaseReceive, Permission::CaseAccept])).await
            });
            let grant = tokio::spawn(async move { s2.grant_role(&c2, bob.id, &code2, &scope2).await });
            let (edit, grant) = (edit.await.expect("task"), grant.await.expect("task"));
            let stored = stored_role(&*s, &code).await.expect("role stored");
            let held = s.list_grants(bob.id).await.expect("grants").iter().any(|g| g.role == code);
            assert!(
                !(held && stored.is_core()),
                "round {round}: contractor holds role {code} with core permissions (edit: {edit:?}, grant: {grant:?})"
            );
            // Exactly one of the two wins; the other is refused by the negative list.
            match (&edit, &grant) {
                (Ok(()), Err(StoreError::Forbidden(_))) | (Err(StoreError::Forbidden(_)), Ok(_)) => {}
                other => panic!("round {round}: expected one success and one Forbidden, got {other:?}"),
            }
        }
        verified_chain(&*s).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applicants_register_once_and_are_found_by_identifier() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        let mut audit = AuditCursor::new(&**s).await;
        let person = NewApplicant {
            identity: ApplicantIdentity::NaturalPerson(
                ResidentIdNumber::parse("11010519491231002X").expect("id"),
            ),
            name: "张三".into(),
            mobile: "13812345678".into(),
            email: None,
            password_hash: "$argon2id$person".into(),
        };
        let company = NewApplicant {
            identity: ApplicantIdentity::LegalEntity(
                CreditCode::parse("91350100M000100Y43").expect("credit code"),
            ),
            name: "示例科技有限公司".into(),
            mobile: "13900001111".into(),
            email: Some("office@example.com".into()),
            password_hash: "$argon2id$company".into(),
        };
        let p = s
            .register_applicant(&clock.ctx(), &person)
            .await
            .expect("register person");
        let c = s
            .register_applicant(&clock.ctx(), &company)
            .await
            .expect("register company");
        assert_ne!(p.id, c.id);
        assert_eq!(
            (&p.identity, p.name.as_str(), p.email.as_deref(), p.disabled),
            (&person.identity, "张三", None, false)
        );
        let entries = audit
            .expect(&**s, &["applicant.register", "applicant.register"])
            .await;
        assert_eq!(entries[0].subject, format!("applicant:{}", p.id));
        // The audit detail names the identifier masked, never in full.
        assert!(
            !entries[0].detail.contains("11010519491231002X"),
            "{}",
            entries[0].detail
        );
        assert!(
            entries[0].detail.contains("110***********002X"),
            "{}",
            entries[0].detail
        );
        assert!(
            !entries[1].detail.contains("91350100M000100Y43"),
            "{}",
            entries[1].detail
        );

        assert_conflict(s.register_applicant(&clock.ctx(), &person).await);
        let mut same_company = company.clone();
        same_company.name = "另一个名字".into();
        assert_conflict(s.register_applicant(&clock.ctx(), &same_company).await);
        audit.expect_none(&**s).await;

        for input in [
            "11010519491231002X",
            "11010519491231002x",
            " 11010519491231002x ",
        ] {
            assert_eq!(
                s.applicant_by_identifier(input).await.expect("lookup"),
                Some(p.clone()),
                "{input:?}"
            );
        }
        for input in ["91350100M000100Y43", "91350100m000100y43"] {
            assert_eq!(
                s.applicant_by_identifier(input).await.expect("lookup"),
                Some(c.clone()),
                "{input:?}"
            );
        }
        assert_eq!(
            s.applicant_by_identifier("110105194912310021")
                .await
                .expect("lookup"),
            None
        );
        assert_eq!(
            s.applicant_by_id(c.id).await.expect("by id"),
            Some(c.clone())
        );
        assert_eq!(s.applicant_by_id(9_999).await.expect("by id"), None);
        assert_eq!(
            s.list_applicants(10).await.expect("list"),
            vec![p.clone(), c.clone()]
        );
        assert_eq!(s.list_applicants(1).await.expect("list"), vec![p.clone()]);
        verified_chain(&**s).await;
    })
    .await;
}
