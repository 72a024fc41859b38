//! The audit page: recent entries and the chain verification.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin_common;

use admin_common::{ADMIN, EDITOR, TestApp};
use axum::http::StatusCode;

#[tokio::test]
async fn the_audit_page_lists_recent_entries_and_reports_an_intact_chain() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let r = admin.get("/admin/audit").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.has(".audit-intact"), "{}", r.body);
    assert!(!r.has(".audit-broken"));
    let rows = r.texts("table.audit-table tbody tr");
    assert!(!rows.is_empty() && rows.len() <= 100, "{}", rows.len());
    // Newest first: the admin's own sign-in is at the top, named.
    let (head, _) = t.app.store.audit_head().await.unwrap();
    let first_seq = r.texts("table.audit-table tbody tr th")[0]
        .trim()
        .parse::<i64>()
        .unwrap();
    assert_eq!(first_seq, head);
    assert!(rows[0].contains("admin"), "{}", rows[0]);
    for h in ["序号", "时间", "操作人", "操作", "对象", "详情"] {
        assert!(
            r.texts("table.audit-table th[scope=col]")
                .iter()
                .any(|t| t == h),
            "{h}"
        );
    }

    // Still intact after more writes, and signed checkpoints are counted.
    t.app.checkpoint_audit().await.unwrap();
    let r = admin.get("/admin/audit").await;
    assert!(r.has(".audit-intact"));
    assert!(r.texts(".audit-intact").join("").contains("个签名检查点"));

    // audit.view is needed.
    let mut editor = t.signed_in(EDITOR).await;
    assert_eq!(
        editor.get("/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
}
