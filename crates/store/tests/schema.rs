//! Schema agreement: both engines' migrations produce exactly the tables and
//! columns that `onetrip_store::tables::TABLES` declares (backup and restore
//! copy exactly those), with the same normalised types.

// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{Kind, for_each_engine, pg_url, scoped};
use onetrip_store::tables::{ColumnKind, TABLES};

type Schema = BTreeSet<(String, String, String)>;

fn declared() -> Schema {
    TABLES
        .iter()
        .flat_map(|t| {
            t.columns.iter().map(|(c, k)| {
                (
                    t.name.to_owned(),
                    (*c).to_owned(),
                    k.normalised().to_owned(),
                )
            })
        })
        .collect()
}

fn as_set(engine: &str, rows: Vec<(String, String, String)>) -> Schema {
    let n = rows.len();
    let set: Schema = rows.into_iter().collect();
    assert_eq!(
        set.len(),
        n,
        "{engine}: describe_schema reports a column twice"
    );
    set
}

#[track_caller]
fn assert_same(left_name: &str, left: &Schema, right_name: &str, right: &Schema) {
    let only_left: Vec<_> = left.difference(right).collect();
    let only_right: Vec<_> = right.difference(left).collect();
    assert!(
        only_left.is_empty() && only_right.is_empty(),
        "schemas differ\n  only in {left_name}: {only_left:?}\n  only in {right_name}: {only_right:?}"
    );
}

#[test]
fn table_catalogue_is_well_formed() {
    let names: BTreeSet<&str> = TABLES.iter().map(|t| t.name).collect();
    assert_eq!(names.len(), TABLES.len(), "table names are unique");
    for t in TABLES {
        let cols: BTreeSet<&str> = t.columns.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            cols.len(),
            t.columns.len(),
            "{}: column names are unique",
            t.name
        );
        if let Some(id) = t.identity {
            assert!(
                t.columns.contains(&(id, ColumnKind::Int)),
                "{}: identity column {id} is an int column",
                t.name
            );
        }
        assert_eq!(
            onetrip_store::tables::table(t.name).map(|d| d.name),
            Some(t.name)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engines_agree_with_each_other_and_with_the_table_catalogue() {
    let outcome = scoped(|registry| async move {
        let expected = declared();
        let sqlite = registry.open(Kind::Sqlite).await;
        let on_sqlite = as_set(
            "sqlite",
            sqlite
                .describe_schema()
                .await
                .expect("sqlite describe_schema"),
        );
        assert_same("sqlite", &on_sqlite, "TABLES", &expected);
        if pg_url().is_some() {
            let pg = registry.open(Kind::Postgres).await;
            let on_pg = as_set(
                "postgres",
                pg.describe_schema()
                    .await
                    .expect("postgres describe_schema"),
            );
            assert_same("postgres", &on_pg, "TABLES", &expected);
            assert_same("sqlite", &on_sqlite, "postgres", &on_pg);
        }
    })
    .await;
    if let Err(msg) = outcome {
        panic!("{msg}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_is_idempotent_and_the_store_answers() {
    for_each_engine(|env| async move {
        let s = &env.store;
        s.ping().await.expect("ping");
        // The harness migrated once already; a second run applies nothing and fails nothing.
        s.migrate().await.expect("second migrate");
        assert_eq!(
            s.describe_schema().await.expect("describe").len(),
            declared().len()
        );
        // A fresh store holds no data and an empty audit chain.
        assert_eq!(
            s.audit_head().await.expect("head"),
            (0, onetrip_domain::audit::GENESIS_HASH.to_owned())
        );
        assert!(
            s.list_items(&Default::default())
                .await
                .expect("list")
                .is_empty()
        );
        assert!(s.list_staff().await.expect("staff").is_empty());
    })
    .await;
}
