//! The `onetrip` binary from the outside: configuration, catalogue import,
//! verify-audit, backup and restore.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn onetrip(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onetrip"));
    cmd.current_dir(dir).args(args).env("ONETRIP_LOG", "warn");
    for (k, _) in std::env::vars() {
        if k.starts_with("ONETRIP_") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run onetrip")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn env_for(dir: &Path) -> Vec<(&'static str, String)> {
    vec![
        (
            "ONETRIP_DATABASE_URL",
            format!("sqlite://{}/db/onetrip.db?mode=rwc", dir.display()),
        ),
        (
            "ONETRIP_STORAGE_DATA_DIR",
            dir.join("data").display().to_string(),
        ),
        (
            "ONETRIP_AUDIT_SIGNING_KEY_FILE",
            dir.join("keys/audit.key").display().to_string(),
        ),
        (
            "ONETRIP_AUDIT_CHECKPOINT_FILE",
            dir.join("data/checkpoints.jsonl").display().to_string(),
        ),
    ]
}

#[test]
fn check_config_layers_file_and_environment_and_redacts_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("onetrip.toml"),
        "[server]\nbind = \"127.0.0.1:9999\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("db-url"),
        "postgres://app:s3cret@db.internal:5432/onetrip\n",
    )
    .unwrap();
    let out = onetrip(
        dir.path(),
        &["check-config"],
        &[
            (
                "ONETRIP_DATABASE_URL_FILE",
                dir.path().join("db-url").display().to_string(),
            ),
            ("ONETRIP_SECURITY_SESSION_TTL_HOURS", "4".to_owned()),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("bind = \"127.0.0.1:9999\""), "{shown}");
    assert!(shown.contains("session_ttl_hours = 4"), "{shown}");
    assert!(
        shown.contains("postgres://app:***@db.internal:5432/onetrip"),
        "{shown}"
    );
    assert!(!shown.contains("s3cret"), "{shown}");
}

#[test]
fn bad_configuration_fails_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = onetrip(
        dir.path(),
        &["check-config"],
        &[("ONETRIP_SERVER_BIND", "not-an-address".to_owned())],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("server.bind"), "{}", text(&out));
    let out = onetrip(
        dir.path(),
        &["check-config"],
        &[("ONETRIP_DATABASE_MAX_CONNECTIONS", "many".to_owned())],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("database.max_connections"),
        "{}",
        text(&out)
    );
    std::fs::write(
        dir.path().join("onetrip.toml"),
        "[security]\nsesion_ttl_hours = 3\n",
    )
    .unwrap();
    let out = onetrip(dir.path(), &["check-config"], &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("sesion_ttl_hours"), "{}", text(&out));
}

#[test]
fn a_malformed_import_reports_every_bad_field_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_for(dir.path());
    let demo = include_str!("../../../demo/catalogue.json");
    let mut doc: serde_json::Value = serde_json::from_str(demo).unwrap();
    doc["items"][0]["promised_limit_days"] = serde_json::json!(999);
    doc["items"][3]["implementing_body"] = serde_json::json!("NO-SUCH-DEPT");
    doc["items"][5]["materials"][0]["required"] = serde_json::json!(false);
    doc["items"][5]["materials"][0]["condition"] = serde_json::Value::Null;
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, doc.to_string()).unwrap();
    let out = onetrip(
        dir.path(),
        &["catalogue", "import", bad.to_str().unwrap()],
        &env,
    );
    assert!(!out.status.success());
    let report = text(&out);
    for field in [
        "items[0].promised_limit_days",
        "items[3].implementing_body",
        "items[5].materials[0].condition",
    ] {
        assert!(report.contains(field), "{field} missing from:\n{report}");
    }
    let export = onetrip(dir.path(), &["catalogue", "export"], &env);
    assert!(export.status.success(), "{}", text(&export));
    let exported: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(
        exported["items"].as_array().unwrap().len(),
        0,
        "nothing was imported"
    );

    let good = dir.path().join("good.json");
    std::fs::write(&good, demo).unwrap();
    let out = onetrip(
        dir.path(),
        &["catalogue", "import", good.to_str().unwrap()],
        &env,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("\"items\": 83"), "{}", text(&out));
}

#[test]
fn verify_audit_backup_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_for(dir.path());
    let demo = dir.path().join("demo.json");
    std::fs::write(&demo, include_str!("../../../demo/catalogue.json")).unwrap();
    assert!(
        onetrip(
            dir.path(),
            &["catalogue", "import", demo.to_str().unwrap()],
            &env
        )
        .status
        .success()
    );
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "Strong-pass-2026\n").unwrap();
    let add = onetrip(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "ops1",
            "--name",
            "运维",
            "--employment",
            "contractor",
            "--password-file",
            pw.to_str().unwrap(),
            "--role",
            "approval_officer",
        ],
        &env,
    );
    assert!(
        !add.status.success(),
        "a contractor cannot get a core role from the CLI either"
    );
    assert!(
        text(&add).contains("contractor staff may never hold"),
        "{}",
        text(&add)
    );
    let list = onetrip(dir.path(), &["user", "list"], &env);
    assert!(
        !text(&list).contains("ops1"),
        "no half-created account: {}",
        text(&list)
    );
    assert!(
        onetrip(dir.path(), &["audit-checkpoint"], &env)
            .status
            .success()
    );
    let ok = onetrip(dir.path(), &["verify-audit"], &env);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("audit chain intact"));

    let backup = dir.path().join("backup");
    let out = onetrip(dir.path(), &["backup", backup.to_str().unwrap()], &env);
    assert!(out.status.success(), "{}", text(&out));
    assert!(backup.join("manifest.json").exists());

    let other = tempfile::tempdir().unwrap();
    let mut restored_env = env_for(other.path());
    restored_env[2] = (
        "ONETRIP_AUDIT_SIGNING_KEY_FILE",
        dir.path().join("keys/audit.key").display().to_string(),
    );
    let out = onetrip(
        other.path(),
        &["restore", backup.to_str().unwrap()],
        &restored_env,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("audit chain intact"), "{}", text(&out));

    // Tamper with the original database: verify-audit names the entry and fails.
    let db = dir.path().join("db/onetrip.db");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'staff:999' WHERE seq = 1")
            .execute(&mut c)
            .await
            .unwrap();
    });
    let broken = onetrip(dir.path(), &["verify-audit"], &env);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        text(&broken).contains("entry #1 was modified"),
        "{}",
        text(&broken)
    );
}

const NOTICE_2027: &str = r#"{"year":2027,"source":"国办发明电〔2026〕12号",
 "holidays":[{"name":{"zh":"元旦","en":"New Year's Day"},"from":"2027-01-01","to":"2027-01-03"},
             {"name":{"zh":"春节","en":"Spring Festival"},"from":"2027-02-06","to":"2027-02-14"}],
 "makeup_workdays":["2027-02-20"]}"#;

#[test]
fn calendar_import_makes_a_year_final_and_bad_notices_name_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_for(dir.path());
    let before = onetrip(dir.path(), &["calendar", "show", "2027"], &env);
    assert!(before.status.success(), "{}", text(&before));
    assert!(text(&before).contains("PROVISIONAL"), "{}", text(&before));

    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        NOTICE_2027
            .replace("\"to\":\"2027-01-03\"", "\"to\":\"2026-12-31\"")
            .replace("2027-02-20", "2027-03-03"),
    )
    .unwrap();
    let out = onetrip(
        dir.path(),
        &["calendar", "import", bad.to_str().unwrap()],
        &env,
    );
    assert!(!out.status.success(), "{}", text(&out));
    for field in ["holidays[0].to", "makeup_workdays[0]"] {
        assert!(
            text(&out).contains(field),
            "{field} missing: {}",
            text(&out)
        );
    }
    let still = onetrip(dir.path(), &["calendar", "show", "2027"], &env);
    assert!(text(&still).contains("PROVISIONAL"), "nothing was imported");

    let good = dir.path().join("2027.json");
    std::fs::write(&good, NOTICE_2027).unwrap();
    let out = onetrip(
        dir.path(),
        &["calendar", "import", good.to_str().unwrap()],
        &env,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("2027"), "{}", text(&out));
    assert!(
        text(&out).contains("open cases recomputed"),
        "{}",
        text(&out)
    );
    let shown = onetrip(dir.path(), &["calendar", "show", "2027"], &env);
    assert!(shown.status.success(), "{}", text(&shown));
    let shown = text(&shown);
    assert!(!shown.contains("PROVISIONAL"), "{shown}");
    assert!(shown.contains("2027-02-06"), "{shown}");
    assert!(shown.contains("2027-02-20"), "{shown}");
    assert!(shown.contains("makeup workday"), "{shown}");
}

#[test]
fn api_tokens_are_printed_once_and_listed_without_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_for(dir.path());
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "Strong-pass-2026\n").unwrap();
    let add = onetrip(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "rsj-system",
            "--name",
            "人社局业务系统",
            "--employment",
            "civil_servant",
            "--password-file",
            pw.to_str().unwrap(),
        ],
        &env,
    );
    assert!(add.status.success(), "{}", text(&add));
    let out = onetrip(
        dir.path(),
        &[
            "api-token",
            "create",
            "--staff",
            "rsj-system",
            "--name",
            "人社审批系统对接",
            "--days",
            "30",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", text(&out));
    let token = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("otk_"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no token printed: {}", text(&out)));
    let list = onetrip(
        dir.path(),
        &["api-token", "list", "--staff", "rsj-system"],
        &env,
    );
    assert!(list.status.success(), "{}", text(&list));
    assert!(text(&list).contains("人社审批系统对接"), "{}", text(&list));
    assert!(
        !text(&list).contains(&token),
        "the token is never shown again"
    );
    let bad = onetrip(
        dir.path(),
        &[
            "api-token",
            "create",
            "--staff",
            "rsj-system",
            "--name",
            "x",
            "--days",
            "999",
        ],
        &env,
    );
    assert!(!bad.status.success());
    assert!(text(&bad).contains("days"), "{}", text(&bad));
}

#[test]
fn jobs_run_once_prints_both_reports() {
    let dir = tempfile::tempdir().unwrap();
    let env = env_for(dir.path());
    let out = onetrip(dir.path(), &["jobs", "run-once"], &env);
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["deadlines"]["ran"], serde_json::json!(true));
    assert!(report["outbox"]["claimed"].is_number(), "{report}");
}
