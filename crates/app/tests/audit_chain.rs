//! verify-audit reports an intact chain and catches each kind of tampering,
//! naming the first bad entry, on both engines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use onetrip_domain::audit::ChainProblem;

async fn loaded(env: &common::TestEnv) -> onetrip_app::App {
    let app = env.app().await;
    app.load_demo().await.expect("demo");
    app
}

#[tokio::test]
async fn intact_chain_verifies() {
    for env in common::envs().await {
        let app = loaded(&env).await;
        let report = app.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", env.name, report.problem);
        assert!(
            report.entries > 20,
            "{}: {} entries",
            env.name,
            report.entries
        );
        assert!(report.checkpoints >= 1, "{}", env.name);
    }
}

#[tokio::test]
async fn modified_entry_is_named() {
    for env in common::envs().await {
        let app = loaded(&env).await;
        env.exec("UPDATE audit_log SET detail = '{\"forged\":true}' WHERE seq = 5")
            .await;
        let report = app.verify_audit().await.unwrap();
        assert_eq!(
            report.problem,
            Some(ChainProblem::ModifiedEntry { seq: 5 }),
            "{}",
            env.name
        );
    }
}

#[tokio::test]
async fn deleted_entry_is_named() {
    for env in common::envs().await {
        let app = loaded(&env).await;
        env.exec("DELETE FROM audit_log WHERE seq = 7").await;
        let report = app.verify_audit().await.unwrap();
        assert_eq!(
            report.problem,
            Some(ChainProblem::MissingEntry {
                expected_seq: 7,
                found_seq: 8
            }),
            "{}",
            env.name
        );
    }
}

#[tokio::test]
async fn reordered_entries_are_detected() {
    for env in common::envs().await {
        let app = loaded(&env).await;
        // Swap the content of entries 3 and 4, keeping their positions.
        env.exec(
            "UPDATE audit_log SET seq = -3 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; \
             UPDATE audit_log SET seq = 4 WHERE seq = -3;",
        )
        .await;
        let report = app.verify_audit().await.unwrap();
        let problem = report.problem.expect("reordering detected");
        assert!(
            matches!(
                problem,
                ChainProblem::ModifiedEntry { seq: 3 } | ChainProblem::BrokenLink { seq: 3 }
            ),
            "{}: {problem:?}",
            env.name
        );
    }
}

#[tokio::test]
async fn truncated_tail_is_detected() {
    for env in common::envs().await {
        let app = loaded(&env).await;
        let (head, _) = app.store.audit_head().await.unwrap();
        let keep = head - 3;
        env.exec(&format!("DELETE FROM audit_log WHERE seq > {keep}"))
            .await;
        env.exec(&format!(
            "UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_log WHERE seq = {keep}) WHERE id = 1"
        ))
        .await;
        let report = app.verify_audit().await.unwrap();
        assert_eq!(
            report.problem,
            Some(ChainProblem::TruncatedTail {
                last_seq: keep,
                checkpoint_seq: head
            }),
            "{}",
            env.name
        );
        assert!(
            report
                .problem
                .unwrap()
                .describe()
                .contains(&format!("#{}", keep + 1))
        );
    }
}

#[tokio::test]
async fn a_recomputed_chain_is_caught_by_the_signed_checkpoint() {
    for env in common::envs().await {
        let app = loaded(&env).await;
        // An attacker with write access edits entry 2 and recomputes every
        // hash after it so that the chain itself is consistent again.
        let mut entries = app.store.audit_entries(0, 100_000).await.unwrap();
        entries[1].detail = "{\"rewritten\":true}".to_owned();
        let mut prev = onetrip_domain::audit::GENESIS_HASH.to_owned();
        let mut sql = String::new();
        for e in &mut entries {
            e.prev_hash.clone_from(&prev);
            e.hash = e.expected_hash();
            prev.clone_from(&e.hash);
            sql.push_str(&format!(
                "UPDATE audit_log SET detail = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {};\n",
                e.detail.replace('\'', "''"),
                e.prev_hash,
                e.hash,
                e.seq
            ));
        }
        sql.push_str(&format!(
            "UPDATE audit_head SET hash = '{prev}' WHERE id = 1;"
        ));
        env.exec(&sql).await;
        let report = app.verify_audit().await.unwrap();
        assert!(
            matches!(
                report.problem,
                Some(ChainProblem::CheckpointMismatch { .. })
            ),
            "{}: {:?}",
            env.name,
            report.problem
        );
    }
}

#[tokio::test]
async fn a_forged_checkpoint_is_rejected() {
    for env in common::envs().await {
        let app = loaded(&env).await;
        let path = &app.config.audit.checkpoint_file;
        let text = std::fs::read_to_string(path).unwrap();
        let mut cp: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        let seq = cp["seq"].as_i64().unwrap();
        cp["hash"] = serde_json::Value::String("f".repeat(64));
        std::fs::write(path, format!("{cp}\n")).unwrap();
        let report = app.verify_audit().await.unwrap();
        assert_eq!(
            report.problem,
            Some(ChainProblem::BadCheckpointSignature { seq }),
            "{}",
            env.name
        );
    }
}
