//! Backup then restore round-trips: same data, an intact audit chain and the
//! same search results, on each engine and across engines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use onetrip_app::{App, SystemClock};

const QUERIES: &[&str] = &[
    "营业执照",
    "yyzz",
    "社保",
    "食品经营",
    "施工许可",
    "gongjijin",
    "护照",
];

fn results(app: &App) -> Vec<Vec<String>> {
    QUERIES
        .iter()
        .map(|q| {
            app.search
                .search(q, None, 20)
                .unwrap()
                .into_iter()
                .map(|r| r.code)
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn backup_then_restore_round_trips() {
    let sources = common::envs().await;
    for source in &sources {
        let app = source.app().await;
        app.load_demo().await.unwrap();
        // A stored file, to check files travel with the database.
        let files = app.files_dir().join("ab");
        std::fs::create_dir_all(&files).unwrap();
        std::fs::write(files.join("abcdef"), b"%PDF-1.7 demo").unwrap();
        let backup_dir = tempfile::tempdir().unwrap();
        let target = backup_dir.path().join("b1");
        let manifest = app.backup(&target).await.unwrap();
        assert!(manifest.files.iter().any(|f| f.path == "database.json"));
        assert!(manifest.files.iter().any(|f| f.path == "files/ab/abcdef"));
        let before = app.store.snapshot().await.unwrap();

        // Restore into a fresh database of each engine, with the same signing key.
        for target_env in common::envs().await {
            let mut config = target_env.config();
            config.audit.signing_key_file = app.config.audit.signing_key_file.clone();
            let restored = App::open_for_restore(config, Arc::new(SystemClock))
                .await
                .unwrap();
            restored.restore(&target).await.unwrap();
            let label = format!("{} -> {}", source.name, target_env.name);
            let report = restored.verify_audit().await.unwrap();
            assert!(report.is_intact(), "{label}: {:?}", report.problem);
            let after = restored.store.snapshot().await.unwrap();
            for table in &after.tables {
                let original = before.tables.iter().find(|t| t.name == table.name).unwrap();
                match table.name.as_str() {
                    // The source recorded the backup itself after its snapshot:
                    // the restored chain is the source's chain without that entry.
                    "audit_log" => {
                        let (last, earlier) = original.rows.split_last().unwrap();
                        assert_eq!(last[3], serde_json::json!("backup.create"), "{label}");
                        assert_eq!(&table.rows, earlier, "{label}: audit_log");
                    }
                    "audit_head" => assert_eq!(
                        table.rows[0][1].as_i64(),
                        Some(manifest.audit_seq),
                        "{label}"
                    ),
                    _ => assert_eq!(table.rows, original.rows, "{label}: table {}", table.name),
                }
            }
            assert_eq!(
                results(&restored),
                results(&app),
                "{label}: search results differ"
            );
            assert_eq!(
                std::fs::read(restored.files_dir().join("ab/abcdef")).unwrap(),
                b"%PDF-1.7 demo"
            );
            // Restoring twice is refused: the target is no longer empty.
            assert!(restored.restore(&target).await.is_err(), "{label}");
        }
    }
}

#[tokio::test]
async fn a_corrupted_backup_is_refused_before_anything_is_written() {
    let env = common::envs().await.remove(0);
    let app = env.app().await;
    app.load_demo().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("b");
    app.backup(&target).await.unwrap();
    let db = target.join("database.json");
    let mut bytes = std::fs::read(&db).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = bytes[at].wrapping_add(1);
    std::fs::write(&db, bytes).unwrap();
    let fresh = common::envs().await.remove(0);
    let restored = fresh.app().await;
    let err = restored.restore(&target).await.unwrap_err();
    assert!(err.to_string().contains("database.json"), "{err}");
    assert!(restored.store.list_staff().await.unwrap().is_empty());
}
