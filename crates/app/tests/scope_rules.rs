//! Scopes limit what an editor or an administrator can reach.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use onetrip_app::AppError;
use onetrip_app::auth::ClientInfo;
use onetrip_domain::access::Scope;
use onetrip_domain::region::RegionCode;

#[tokio::test]
async fn an_editor_cannot_take_over_another_regions_item() {
    let env = common::envs().await.remove(0);
    let app = env.app().await;
    app.load_demo().await.unwrap();
    // chenjing edits the catalogue of Wuhan (420100) only.
    let editor = app
        .sign_in_staff("chenjing", "Demo-editor-2026", &ClientInfo::default())
        .await
        .unwrap();
    let deqing = app
        .store
        .published_item("330521-SCJGJ-XK-001")
        .await
        .unwrap()
        .unwrap();
    let mut moved = deqing.body.clone();
    moved.region = RegionCode::parse("420100").unwrap();
    moved.level = moved.region.level();
    moved.competent_department = "420100-SCJGJ".to_owned();
    moved.implementing_body = "420100-SCJGJ".to_owned();
    let err = app
        .save_item_draft(&editor.principal, &moved, deqing.effective_from)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");
    assert!(
        app.store
            .draft_item("330521-SCJGJ-XK-001")
            .await
            .unwrap()
            .is_none()
    );
    // Their own region's items they may edit.
    let wuhan = app
        .store
        .published_item("420100-SCJGJ-XK-001")
        .await
        .unwrap()
        .unwrap();
    app.save_item_draft(&editor.principal, &wuhan.body, wuhan.effective_from)
        .await
        .unwrap();
}

#[tokio::test]
async fn grants_stay_inside_the_granters_scope_and_not_to_oneself() {
    let env = common::envs().await.remove(0);
    let app = env.app().await;
    app.load_demo().await.unwrap();
    // admin administers roles in Hubei (420000) only.
    let admin = app
        .sign_in_staff("admin", "Demo-admin-2026", &ClientInfo::default())
        .await
        .unwrap();
    let liqiang = app
        .store
        .staff_by_username("liqiang")
        .await
        .unwrap()
        .unwrap();
    let zhejiang = Scope {
        region: RegionCode::parse("330521").unwrap(),
        department: None,
        centre: None,
    };
    let err = app
        .grant_role(&admin.principal, liqiang.id, "reviewer", &zhejiang)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");
    let hubei = Scope {
        region: RegionCode::parse("420100").unwrap(),
        department: None,
        centre: None,
    };
    app.grant_role(&admin.principal, liqiang.id, "reviewer", &hubei)
        .await
        .unwrap();
    let me = app.store.staff_by_username("admin").await.unwrap().unwrap();
    let err = app
        .grant_role(&admin.principal, me.id, "approval_officer", &hubei)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(m) if m.contains("yourself")));
}
