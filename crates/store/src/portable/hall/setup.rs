//! Hall set-up: categories, windows and staff sign-in.

use onetrip_domain::ValidationErrors;
use onetrip_domain::hall::Category;
use serde_json::json;
use sqlx::Transaction;

use super::rows::{COUNTER_COLUMNS, COUNTER_FROM, counter};
use super::{Db, audit, idioms};
use crate::{CategoryRecord, CounterRecord, Ctx, HallKey, NewCounter, StoreError, StoreResult};

pub(super) async fn save_category(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    hall: &HallKey,
    category: &Category,
    position: i64,
) -> StoreResult<()> {
    category.validate()?;
    sqlx::query(
        "INSERT INTO hall_categories (centre_code, hall_code, code, module, name_zh, name_en, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (centre_code, hall_code, code) DO UPDATE SET \
         module = excluded.module, name_zh = excluded.name_zh, name_en = excluded.name_en, position = excluded.position",
    )
    .bind(&hall.centre)
    .bind(&hall.hall)
    .bind(&category.code)
    .bind(category.module.as_str())
    .bind(&category.name_zh)
    .bind(&category.name_en)
    .bind(position)
    .execute(&mut **tx)
    .await?;
    audit::append(
        tx,
        ctx,
        "hall.category_saved",
        &format!("hall:{}", hall.channel()),
        json!({"code": category.code, "name": category.name_zh, "module": category.module.as_str()}),
    )
    .await?;
    Ok(())
}

pub(super) async fn categories<'e, E>(exec: E, hall: &HallKey) -> StoreResult<Vec<CategoryRecord>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let rows = sqlx::query(
        "SELECT code, module, name_zh, name_en, position FROM hall_categories \
         WHERE centre_code = $1 AND hall_code = $2 ORDER BY position, code",
    )
    .bind(&hall.centre)
    .bind(&hall.hall)
    .fetch_all(exec)
    .await?;
    rows.iter()
        .map(|r| {
            use sqlx::Row;
            let module: String = r.try_get("module")?;
            Ok(CategoryRecord {
                category: Category {
                    code: r.try_get("code")?,
                    module: onetrip_domain::catalogue::Module::parse(&module)
                        .ok_or_else(|| StoreError::Corrupt(format!("module {module:?}")))?,
                    name_zh: r.try_get("name_zh")?,
                    name_en: r.try_get("name_en")?,
                },
                position: r.try_get("position")?,
            })
        })
        .collect()
}

pub(super) async fn save_counter(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    new: &NewCounter,
) -> StoreResult<CounterRecord> {
    let codes: Vec<String> = categories(&mut **tx, &new.hall)
        .await?
        .into_iter()
        .map(|c| c.category.code)
        .collect();
    let mut errors = ValidationErrors::default();
    if new.number < 1 || new.number > 999 {
        errors.push("number", "out_of_range", "窗口号应为 1–999");
    }
    if new.name_zh.trim().is_empty() {
        errors.push("name_zh", "required", "请填写窗口名称");
    }
    if let Err(e) = new.profile.validate(&codes) {
        errors.extend_prefixed("profile", e);
    }
    errors.finish(())?;
    let profile = serde_json::to_string(&new.profile)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO counters (centre_code, hall_code, number, name_zh, name_en, profile, active, priority_streak) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0) ON CONFLICT (centre_code, hall_code, number) DO UPDATE SET \
         name_zh = excluded.name_zh, name_en = excluded.name_en, profile = excluded.profile, active = excluded.active \
         RETURNING id",
    )
    .bind(&new.hall.centre)
    .bind(&new.hall.hall)
    .bind(new.number)
    .bind(&new.name_zh)
    .bind(&new.name_en)
    .bind(&profile)
    .bind(i64::from(new.active))
    .fetch_one(&mut **tx)
    .await?;
    audit::append(
        tx,
        ctx,
        "hall.counter_saved",
        &format!("counter:{id}"),
        json!({"hall": new.hall.channel(), "number": new.number, "profile": new.profile, "active": new.active}),
    )
    .await?;
    counter_by_id(&mut **tx, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("counter {id}")))
}

pub(super) async fn counter_by_id<'e, E>(exec: E, id: i64) -> StoreResult<Option<CounterRecord>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!("SELECT {COUNTER_COLUMNS} FROM {COUNTER_FROM} WHERE c.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(exec)
        .await?
        .map(|r| counter(&r))
        .transpose()
}

pub(super) async fn counters<'e, E>(exec: E, hall: &HallKey) -> StoreResult<Vec<CounterRecord>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!(
        "SELECT {COUNTER_COLUMNS} FROM {COUNTER_FROM} WHERE c.centre_code = $1 AND c.hall_code = $2 ORDER BY c.number"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&hall.centre)
        .bind(&hall.hall)
        .fetch_all(exec)
        .await?
        .iter()
        .map(counter)
        .collect()
}

pub(super) async fn counter_of_staff<'e, E>(
    exec: E,
    staff_id: i64,
) -> StoreResult<Option<CounterRecord>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!("SELECT {COUNTER_COLUMNS} FROM {COUNTER_FROM} WHERE s.staff_id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(staff_id)
        .fetch_optional(exec)
        .await?
        .map(|r| counter(&r))
        .transpose()
}

/// Locks a window row for the rest of the transaction.
pub(super) async fn lock_counter(tx: &mut Transaction<'_, Db>, id: i64) -> StoreResult<()> {
    let sql = format!(
        "SELECT id FROM counters WHERE id = $1{}",
        idioms::FOR_UPDATE
    );
    let found: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound(format!("counter {id}")))
}

/// Whether a window is dealing with a ticket now.
pub(super) async fn counter_busy(
    tx: &mut Transaction<'_, Db>,
    id: i64,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT number FROM tickets WHERE counter_id = $1 AND status IN ('called', 'serving')",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

pub(super) async fn sign_in(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    counter_id: i64,
    staff_id: i64,
) -> StoreResult<CounterRecord> {
    lock_counter(tx, counter_id).await?;
    let target = counter_by_id(&mut **tx, counter_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("counter {counter_id}")))?;
    if !target.active {
        return Err(StoreError::Conflict(format!(
            "{} 号窗口未开放 / window {} is closed",
            target.number, target.number
        )));
    }
    match target.staff_id {
        Some(s) if s == staff_id => return Ok(target),
        Some(_) => {
            return Err(StoreError::Conflict(format!(
                "{} 号窗口已有工作人员签到 / another staff member is signed in at window {}",
                target.number, target.number
            )));
        }
        None => {}
    }
    if let Some(previous) = counter_of_staff(&mut **tx, staff_id).await? {
        lock_counter(tx, previous.id).await?;
        if let Some(number) = counter_busy(tx, previous.id).await? {
            return Err(StoreError::Conflict(format!(
                "请先处理完 {} 号窗口的 {number} 号 / finish ticket {number} at window {} first",
                previous.number, previous.number
            )));
        }
        sqlx::query("DELETE FROM counter_sessions WHERE staff_id = $1")
            .bind(staff_id)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("INSERT INTO counter_sessions (counter_id, staff_id, since) VALUES ($1, $2, $3)")
        .bind(counter_id)
        .bind(staff_id)
        .bind(ctx.at_micros)
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::unique_as_conflict(e, "窗口已有人签到 / window already taken"))?;
    sqlx::query("UPDATE counters SET priority_streak = 0 WHERE id = $1")
        .bind(counter_id)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        ctx,
        "hall.signed_in",
        &format!("counter:{counter_id}"),
        json!({"staff_id": staff_id, "number": target.number, "hall": target.hall.channel()}),
    )
    .await?;
    counter_by_id(&mut **tx, counter_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("counter {counter_id}")))
}

pub(super) async fn sign_out(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    staff_id: i64,
) -> StoreResult<()> {
    let Some(current) = counter_of_staff(&mut **tx, staff_id).await? else {
        return Err(StoreError::NotFound("counter session".into()));
    };
    lock_counter(tx, current.id).await?;
    if let Some(number) = counter_busy(tx, current.id).await? {
        return Err(StoreError::Conflict(format!(
            "请先处理完 {number} 号 / finish ticket {number} first"
        )));
    }
    sqlx::query("DELETE FROM counter_sessions WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        ctx,
        "hall.signed_out",
        &format!("counter:{}", current.id),
        json!({"staff_id": staff_id, "number": current.number}),
    )
    .await?;
    Ok(())
}
