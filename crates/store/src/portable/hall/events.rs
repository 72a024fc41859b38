//! The live feed of a hall: events written in the transaction of the change
//! they announce, so a board that reconnects after a restart reads every
//! call it missed from the table.

use sqlx::Transaction;

use super::rows::{EVENT_COLUMNS, event};
use super::{Db, idioms};
use crate::{HallEventRecord, HallKey, StoreResult};

/// One event to write.
pub(super) struct Event<'a> {
    pub kind: &'a str,
    pub ticket_number: &'a str,
    pub counter_number: Option<i64>,
    pub detail: serde_json::Value,
}

/// Writes an event with the hall's waiting count and wakes the boards
/// (PostgreSQL `NOTIFY`, delivered at commit).
pub(super) async fn write(
    tx: &mut Transaction<'_, Db>,
    hall: &HallKey,
    day: &str,
    at: i64,
    e: Event<'_>,
) -> StoreResult<()> {
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM tickets WHERE centre_code = $1 AND hall_code = $2 AND day = $3 AND status = 'waiting'",
    )
    .bind(&hall.centre)
    .bind(&hall.hall)
    .bind(day)
    .fetch_one(&mut **tx)
    .await?;
    let mut detail = e.detail;
    if let Some(map) = detail.as_object_mut() {
        map.insert("waiting".to_owned(), serde_json::Value::from(waiting));
    }
    sqlx::query(
        "INSERT INTO hall_events (centre_code, hall_code, at, kind, ticket_number, counter_number, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&hall.centre)
    .bind(&hall.hall)
    .bind(at)
    .bind(e.kind)
    .bind(e.ticket_number)
    .bind(e.counter_number)
    .bind(serde_json::to_string(&detail)?)
    .execute(&mut **tx)
    .await?;
    if let Some(sql) = idioms::NOTIFY_HALL {
        sqlx::query(sql)
            .bind(hall.channel())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub(super) async fn after(
    pool: &sqlx::Pool<Db>,
    hall: &HallKey,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<HallEventRecord>> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM hall_events WHERE centre_code = $1 AND hall_code = $2 AND id > $3 \
         ORDER BY id LIMIT $4"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&hall.centre)
        .bind(&hall.hall)
        .bind(after_id)
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(event)
        .collect()
}

pub(super) async fn latest(
    pool: &sqlx::Pool<Db>,
    hall: &HallKey,
    kinds: &[&str],
    limit: i64,
) -> StoreResult<Vec<HallEventRecord>> {
    // Kinds are matched as bound parameters $4.. to keep the SQL fixed.
    let marks: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 4)).collect();
    let filter = if kinds.is_empty() {
        String::new()
    } else {
        format!(" AND kind IN ({})", marks.join(", "))
    };
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM hall_events WHERE centre_code = $1 AND hall_code = $2{filter} \
         ORDER BY id DESC LIMIT $3"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&hall.centre)
        .bind(&hall.hall)
        .bind(limit);
    for k in kinds {
        q = q.bind(*k);
    }
    q.fetch_all(pool).await?.iter().map(event).collect()
}
