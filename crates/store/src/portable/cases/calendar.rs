//! Holiday notices and the recomputation they trigger.

use onetrip_domain::calendar::HolidayNotice;
use serde_json::json;
use sqlx::{Row, Transaction};

use super::{Db, audit, clock};
use crate::{CalendarImport, Ctx, StoreError, StoreResult, StoredNotice};

pub(super) async fn notices(tx: &mut Transaction<'_, Db>) -> StoreResult<Vec<StoredNotice>> {
    let rows = sqlx::query("SELECT document, imported_at FROM calendar_notices ORDER BY year")
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredNotice {
                notice: serde_json::from_str(&r.try_get::<String, _>("document")?)?,
                imported_at: r.try_get("imported_at")?,
            })
        })
        .collect()
}

/// Stores the notice and recomputes the due dates of every case whose clock
/// is still running, so a deadline shown as provisional becomes exact.
pub(super) async fn import(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    notice: &HolidayNotice,
) -> StoreResult<CalendarImport> {
    notice.validate()?;
    let replaced: Option<i64> =
        sqlx::query_scalar("SELECT year FROM calendar_notices WHERE year = $1")
            .bind(i64::from(notice.year))
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO calendar_notices (year, source, document, imported_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (year) DO UPDATE SET source = excluded.source, document = excluded.document, \
         imported_at = excluded.imported_at",
    )
    .bind(i64::from(notice.year))
    .bind(&notice.source)
    .bind(serde_json::to_string(notice)?)
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?;
    let cal = clock::calendar(tx).await?;
    let open: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM cases WHERE status NOT IN ('draft', 'completed', 'refused', 'withdrawn') ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await?;
    for id in &open {
        clock::recompute(tx, *id, &cal).await?;
    }
    let result = CalendarImport {
        year: notice.year,
        replaced: replaced.is_some(),
        cases_recomputed: u64::try_from(open.len())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
    };
    audit::append(
        tx,
        ctx,
        "calendar.notice_imported",
        &format!("calendar:{}", notice.year),
        json!({ "source": notice.source, "replaced": result.replaced, "cases_recomputed": result.cases_recomputed }),
    )
    .await?;
    Ok(result)
}
