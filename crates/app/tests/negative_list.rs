//! Contractor staff can never get or use a core permission, whatever the
//! configuration or the stored grants say.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use onetrip_app::AppError;
use onetrip_app::auth::{ClientInfo, Principal};
use onetrip_domain::access::{Permission, Scope, Target};
use onetrip_domain::region::RegionCode;
use onetrip_store::RoleRecord;

fn scope() -> Scope {
    Scope {
        region: RegionCode::parse("420100").unwrap(),
        department: None,
        centre: None,
    }
}

#[tokio::test]
async fn core_roles_cannot_be_granted_to_contractors_and_refusals_are_audited() {
    for env in common::envs().await {
        let app = env.app().await;
        app.load_demo().await.unwrap();
        let helper = app
            .store
            .staff_by_username("wangfang")
            .await
            .unwrap()
            .unwrap();
        let before = app.store.list_grants(helper.id).await.unwrap();
        let err = app
            .grant_role_as("cli", helper.id, "approval_officer", &scope())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AppError::Forbidden(m) if m.contains("case.")),
            "{}: {err}",
            env.name
        );
        assert_eq!(
            app.store.list_grants(helper.id).await.unwrap(),
            before,
            "{}",
            env.name
        );
        let recent = app.store.recent_audit(1).await.unwrap();
        assert_eq!(recent[0].action, "grant.refused", "{}", env.name);

        // Editing a role a contractor holds so that it gains a core permission is refused too.
        let mut helper_role: RoleRecord = app
            .store
            .list_roles()
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code == "helper")
            .unwrap();
        helper_role.permissions.push(Permission::CaseAccept);
        assert!(
            matches!(
                app.save_role_as("cli", &helper_role).await,
                Err(AppError::Forbidden(_))
            ),
            "{}",
            env.name
        );
        let stored = app
            .store
            .list_roles()
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code == "helper")
            .unwrap();
        assert!(
            !stored.permissions.contains(&Permission::CaseAccept),
            "{}",
            env.name
        );
    }
}

#[tokio::test]
async fn a_core_grant_forced_into_the_database_is_still_refused_at_every_action() {
    for env in common::envs().await {
        let app = env.app().await;
        app.load_demo().await.unwrap();
        let helper = app
            .store
            .staff_by_username("wangfang")
            .await
            .unwrap()
            .unwrap();
        // Bypass every check: write the grant straight into the table.
        env.exec(&format!(
            "INSERT INTO staff_grants (staff_id, role_code, region_code, department_code, centre_code, granted_at) \
             VALUES ({}, 'catalogue_publisher', '420000', '', '', 0)",
            helper.id
        ))
        .await;
        let signed_in = app
            .sign_in_staff("wangfang", "Demo-helper-2026", &ClientInfo::default())
            .await
            .unwrap();
        let Principal::Staff(p) = &signed_in.principal else {
            panic!("staff")
        };
        assert!(
            p.grants
                .iter()
                .any(|g| g.permissions.contains(&Permission::CataloguePublish))
        );
        assert!(
            p.authorize(Permission::CataloguePublish, &Target::default())
                .is_err(),
            "{}",
            env.name
        );
        let filter = onetrip_store::ItemFilter {
            status: Some(onetrip_domain::catalogue::ItemStatus::Draft),
            ..Default::default()
        };
        let draft = app.store.list_items(&filter).await.unwrap().remove(0);
        let err = app
            .publish_item(&signed_in.principal, &draft.code, draft.version)
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Forbidden(m) if m.contains("catalogue.publish")),
            "{}",
            env.name
        );
        assert!(
            app.store.draft_item(&draft.code).await.unwrap().is_some(),
            "{}: the draft stays a draft",
            env.name
        );
    }
}

#[tokio::test]
async fn failed_sign_ins_look_the_same_and_lock_the_name() {
    for env in common::envs().await {
        let app = env.app().await;
        app.load_demo().await.unwrap();
        let client = ClientInfo::default();
        let unknown = app
            .sign_in_staff("nobody", "whatever-123", &client)
            .await
            .unwrap_err();
        let wrong = app
            .sign_in_staff("admin", "wrong-password-1", &client)
            .await
            .unwrap_err();
        assert_eq!(unknown.to_string(), wrong.to_string(), "{}", env.name);
        for _ in 0..4 {
            let _ = app
                .sign_in_staff("admin", "wrong-password-1", &client)
                .await;
            let _ = app.sign_in_staff("nobody", "whatever-123", &client).await;
        }
        // Locked now, even with the right password; and an unknown name locks the same way.
        assert!(
            matches!(
                app.sign_in_staff("admin", "Demo-admin-2026", &client).await,
                Err(AppError::TooManyAttempts)
            ),
            "{}",
            env.name
        );
        assert!(
            matches!(
                app.sign_in_staff("nobody", "whatever-123", &client).await,
                Err(AppError::TooManyAttempts)
            ),
            "{}",
            env.name
        );
        let actions: Vec<String> = app
            .store
            .recent_audit(30)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert!(
            actions.iter().any(|a| a == "auth.login_throttled"),
            "{}",
            env.name
        );
        assert!(
            actions.iter().filter(|a| *a == "auth.login_failed").count() >= 10,
            "{}",
            env.name
        );
    }
}
