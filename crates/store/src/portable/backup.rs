//! Logical snapshots of every table, and restoring them.

use sqlx::{Row, Transaction};

use super::{Db, idioms};
use crate::tables::{ColumnKind, TABLES};
use crate::{Snapshot, StoreError, StoreResult, TableDump};

/// Reads every table in the caller's read transaction, so all tables come
/// from one consistent point in time.
pub(super) async fn snapshot(tx: &mut Transaction<'_, Db>) -> StoreResult<Snapshot> {
    let mut tables = Vec::with_capacity(TABLES.len());
    for t in TABLES {
        let columns: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
        // Order by every column, not just the first: the first is not unique
        // in every table (halls), and a snapshot must list rows in one order
        // whatever the engine or the physical row order.
        let order = columns.join(", ");
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {order}",
            columns.join(", "),
            t.name
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut **tx)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut values = Vec::with_capacity(t.columns.len());
            for (i, (_, kind)) in t.columns.iter().enumerate() {
                let v = match kind {
                    ColumnKind::Int => row
                        .try_get::<Option<i64>, _>(i)?
                        .map(serde_json::Value::from),
                    ColumnKind::Text => row
                        .try_get::<Option<String>, _>(i)?
                        .map(serde_json::Value::from),
                };
                values.push(v.unwrap_or(serde_json::Value::Null));
            }
            out.push(values);
        }
        tables.push(TableDump {
            name: t.name.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: out,
        });
    }
    Ok(Snapshot { tables })
}

/// Loads a snapshot into empty tables. The seeded audit head is replaced.
pub(super) async fn restore(tx: &mut Transaction<'_, Db>, snapshot: &Snapshot) -> StoreResult<()> {
    for t in TABLES {
        if t.name == "audit_head" || t.name == "provider_message_head" {
            continue;
        }
        let sql = format!("SELECT COUNT(*) FROM {}", t.name);
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut **tx)
            .await?;
        if n > 0 {
            return Err(StoreError::Conflict(format!(
                "恢复目标不是空库：表 {} 已有数据 / restore target is not empty: table {} has rows",
                t.name, t.name
            )));
        }
    }
    sqlx::query("DELETE FROM audit_head")
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM provider_message_head")
        .execute(&mut **tx)
        .await?;
    for t in TABLES {
        let Some(dump) = snapshot.tables.iter().find(|d| d.name == t.name) else {
            return Err(StoreError::Corrupt(format!(
                "backup has no table {}",
                t.name
            )));
        };
        let expected: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
        if dump.columns != expected {
            return Err(StoreError::Corrupt(format!(
                "backup columns of {} differ from this schema",
                t.name
            )));
        }
        let placeholders: Vec<String> = (1..=expected.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            t.name,
            expected.join(", "),
            placeholders.join(", ")
        );
        for row in &dump.rows {
            if row.len() != expected.len() {
                return Err(StoreError::Corrupt(format!(
                    "backup row of {} has {} values",
                    t.name,
                    row.len()
                )));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for ((column, kind), value) in t.columns.iter().zip(row) {
                q = match (kind, value) {
                    (ColumnKind::Int, serde_json::Value::Null) => q.bind(None::<i64>),
                    (ColumnKind::Text, serde_json::Value::Null) => q.bind(None::<String>),
                    (ColumnKind::Int, serde_json::Value::Number(n)) => {
                        q.bind(n.as_i64().ok_or_else(|| {
                            StoreError::Corrupt(format!("{}.{column} not an integer", t.name))
                        })?)
                    }
                    (ColumnKind::Text, serde_json::Value::String(s)) => q.bind(s.clone()),
                    _ => {
                        return Err(StoreError::Corrupt(format!(
                            "{}.{column} has a value of the wrong type",
                            t.name
                        )));
                    }
                };
            }
            q.execute(&mut **tx).await?;
        }
    }
    idioms::after_restore(tx).await
}
