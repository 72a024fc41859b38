//! Catalogue reads and writes: organisations, items and their versions.

use std::collections::BTreeMap;

use onetrip_domain::ValidationErrors;
use onetrip_domain::catalogue::{
    Audience, Bundle, CatalogueDocument, CatalogueItem, FORMAT_V1, ItemStatus, KnownRefs,
    LifeEvent, Module, PowerCategory, ServiceItemBody, SynonymGroup,
};
use onetrip_domain::region::{Department, Hall, Region, RegionCode, RegionLevel, ServiceCentre};
use onetrip_domain::text::Text;
use serde_json::json;
use sqlx::{Row, Transaction};
use time::Date;
use time::macros::format_description;

use super::{Db, audit};
use crate::{Ctx, ImportSummary, ItemFilter, ItemSummary, ItemVersion, StoreError, StoreResult};

type DbRow = <Db as sqlx::Database>::Row;

fn parse_date(s: &str) -> StoreResult<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {value:?}"))
}

fn region_code(s: String) -> StoreResult<RegionCode> {
    RegionCode::parse(&s).map_err(|_| corrupt("region code", &s))
}

/// Codes already stored, used to validate references in an import or a draft.
pub(super) struct KnownCodes {
    pub regions: Vec<String>,
    pub departments: Vec<String>,
    pub life_events: Vec<String>,
}

pub(super) async fn known_codes(tx: &mut Transaction<'_, Db>) -> StoreResult<KnownCodes> {
    let col = |rows: Vec<DbRow>| -> StoreResult<Vec<String>> {
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(StoreError::from))
            .collect()
    };
    Ok(KnownCodes {
        regions: col(sqlx::query("SELECT code FROM regions")
            .fetch_all(&mut **tx)
            .await?)?,
        departments: col(sqlx::query("SELECT code FROM departments")
            .fetch_all(&mut **tx)
            .await?)?,
        life_events: col(sqlx::query("SELECT code FROM life_events")
            .fetch_all(&mut **tx)
            .await?)?,
    })
}

/// Checks the references of one item body against stored codes.
pub(super) fn check_references(
    body: &ServiceItemBody,
    known: &KnownCodes,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    for (field, dept) in [
        ("competent_department", &body.competent_department),
        ("implementing_body", &body.implementing_body),
    ] {
        if !known.departments.contains(dept) {
            e.push(
                field,
                "unknown_department",
                format!("未知部门 {dept} / unknown department"),
            );
        }
    }
    if !known.regions.iter().any(|r| r == body.region.as_str()) {
        e.push(
            "region",
            "unknown_region",
            format!("未知行政区划 {} / unknown region", body.region),
        );
    }
    for (j, l) in body.life_events.iter().enumerate() {
        if !known.life_events.contains(l) {
            e.push(
                format!("life_events[{j}]"),
                "unknown_life_event",
                format!("未知主题 {l} / unknown life event"),
            );
        }
    }
    e.finish(())
}

pub(super) async fn import(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    doc: &CatalogueDocument,
) -> StoreResult<ImportSummary> {
    let known = known_codes(tx).await?;
    doc.validate_with(&KnownRefs {
        regions: &known.regions,
        departments: &known.departments,
        life_events: &known.life_events,
    })?;
    let mut summary = ImportSummary::default();
    let mut regions: Vec<&Region> = doc.regions.iter().collect();
    regions.sort_by_key(|r| (r.code.level(), r.code.as_str().to_owned()));
    for r in regions {
        sqlx::query(
            "INSERT INTO regions (code, name_zh, name_en, level, parent_code) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
             level = excluded.level, parent_code = excluded.parent_code",
        )
        .bind(r.code.as_str())
        .bind(&r.name.zh)
        .bind(&r.name.en)
        .bind(r.code.level().as_str())
        .bind(r.parent.as_ref().map(RegionCode::as_str))
        .execute(&mut **tx)
        .await?;
        summary.regions += 1;
    }
    for d in &doc.departments {
        sqlx::query(
            "INSERT INTO departments (code, name_zh, name_en, region_code) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
             region_code = excluded.region_code",
        )
        .bind(&d.code)
        .bind(&d.name.zh)
        .bind(&d.name.en)
        .bind(d.region.as_str())
        .execute(&mut **tx)
        .await?;
        summary.departments += 1;
    }
    for c in &doc.service_centres {
        sqlx::query(
            "INSERT INTO service_centres (code, name_zh, name_en, region_code, address, hours) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
             region_code = excluded.region_code, address = excluded.address, hours = excluded.hours",
        )
        .bind(&c.code)
        .bind(&c.name.zh)
        .bind(&c.name.en)
        .bind(c.region.as_str())
        .bind(&c.address)
        .bind(&c.hours)
        .execute(&mut **tx)
        .await?;
        for h in &c.halls {
            sqlx::query(
                "INSERT INTO halls (centre_code, code, name_zh, name_en) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (centre_code, code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en",
            )
            .bind(&c.code)
            .bind(&h.code)
            .bind(&h.name.zh)
            .bind(&h.name.en)
            .execute(&mut **tx)
            .await?;
        }
        summary.service_centres += 1;
    }
    for l in &doc.life_events {
        sqlx::query(
            "INSERT INTO life_events (code, name_zh, name_en, audience) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, audience = excluded.audience",
        )
        .bind(&l.code)
        .bind(&l.name.zh)
        .bind(&l.name.en)
        .bind(l.audience.as_str())
        .execute(&mut **tx)
        .await?;
        summary.life_events += 1;
    }
    if !doc.synonyms.is_empty() {
        sqlx::query("DELETE FROM synonym_groups")
            .execute(&mut **tx)
            .await?;
        for (i, s) in doc.synonyms.iter().enumerate() {
            sqlx::query("INSERT INTO synonym_groups (group_no, terms) VALUES ($1, $2)")
                .bind(i as i64 + 1)
                .bind(serde_json::to_string(&s.terms)?)
                .execute(&mut **tx)
                .await?;
            summary.synonym_groups += 1;
        }
    }
    let mut items: Vec<&CatalogueItem> = doc.items.iter().collect();
    // Older versions first, so that the newest published version ends up current.
    items.sort_by_key(|i| (i.body.code.clone(), i.effective_from));
    for item in items {
        if write_imported_item(tx, ctx, item).await? {
            summary.items += 1;
        }
    }
    for b in &doc.bundles {
        let text = serde_json::to_string(b)?;
        let stored: Option<String> =
            sqlx::query_scalar("SELECT document FROM bundles WHERE code = $1")
                .bind(&b.code)
                .fetch_optional(&mut **tx)
                .await?;
        if stored.as_deref() == Some(text.as_str()) {
            continue;
        }
        sqlx::query(
            "INSERT INTO bundles (code, region_code, name_zh, name_en, document) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (code) DO UPDATE SET region_code = excluded.region_code, name_zh = excluded.name_zh, \
             name_en = excluded.name_en, document = excluded.document",
        )
        .bind(&b.code)
        .bind(b.region.as_str())
        .bind(&b.name.zh)
        .bind(&b.name.en)
        .bind(&text)
        .execute(&mut **tx)
        .await?;
        summary.bundles += 1;
    }
    audit::append(
        tx,
        ctx,
        "catalogue.import",
        "catalogue",
        json!({ "summary": &summary }),
    )
    .await?;
    Ok(summary)
}

/// Writes one imported version unless an identical one is stored already.
async fn write_imported_item(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    item: &CatalogueItem,
) -> StoreResult<bool> {
    let body_text = serde_json::to_string(&item.body)?;
    let same: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM item_versions WHERE code = $1 AND effective_from = $2 AND status = $3 AND body = $4",
    )
    .bind(&item.body.code)
    .bind(item.effective_from.to_string())
    .bind(item.status.as_str())
    .bind(&body_text)
    .fetch_optional(&mut **tx)
    .await?;
    if same.is_some() {
        return Ok(false);
    }
    match item.status {
        ItemStatus::Published => {
            sqlx::query("UPDATE item_versions SET status = 'retired' WHERE code = $1 AND status = 'published'")
                .bind(&item.body.code)
                .execute(&mut **tx)
                .await?;
            insert_version(
                tx,
                &item.body,
                ItemStatus::Published,
                item.effective_from,
                ctx.at_micros,
                Some(ctx.at_micros),
            )
            .await?;
        }
        ItemStatus::Draft => {
            sqlx::query("DELETE FROM item_versions WHERE code = $1 AND status = 'draft'")
                .bind(&item.body.code)
                .execute(&mut **tx)
                .await?;
            insert_version(
                tx,
                &item.body,
                ItemStatus::Draft,
                item.effective_from,
                ctx.at_micros,
                None,
            )
            .await?;
        }
        ItemStatus::Retired => {
            insert_version(
                tx,
                &item.body,
                ItemStatus::Retired,
                item.effective_from,
                ctx.at_micros,
                None,
            )
            .await?;
        }
    }
    Ok(true)
}

fn life_events_column(body: &ServiceItemBody) -> String {
    format!(",{},", body.life_events.join(","))
}

/// Inserts a new version numbered after the item's newest.
pub(super) async fn insert_version(
    tx: &mut Transaction<'_, Db>,
    body: &ServiceItemBody,
    status: ItemStatus,
    effective_from: Date,
    created_at: i64,
    published_at: Option<i64>,
) -> StoreResult<ItemVersion> {
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM item_versions WHERE code = $1",
    )
    .bind(&body.code)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO item_versions (code, version, status, effective_from, name_zh, name_en, module, power_category, \
         implementing_body, region_code, life_events, body, created_at, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(&body.code)
    .bind(next)
    .bind(status.as_str())
    .bind(effective_from.to_string())
    .bind(&body.name.zh)
    .bind(&body.name.en)
    .bind(body.module.as_str())
    .bind(body.power_category.as_str())
    .bind(&body.implementing_body)
    .bind(body.region.as_str())
    .bind(life_events_column(body))
    .bind(serde_json::to_string(body)?)
    .bind(created_at)
    .bind(published_at)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique_as_conflict(e, "该事项已有相同状态的版本 / a version in that state exists already"))?;
    Ok(ItemVersion {
        id,
        version: next,
        status,
        effective_from,
        published_at_micros: published_at,
        body: body.clone(),
    })
}

const VERSION_COLUMNS: &str = "id, version, status, effective_from, published_at, body";

fn version_from_row(row: &DbRow) -> StoreResult<ItemVersion> {
    let status: String = row.try_get("status")?;
    let body: String = row.try_get("body")?;
    let effective_from: String = row.try_get("effective_from")?;
    Ok(ItemVersion {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        status: ItemStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        effective_from: parse_date(&effective_from)?,
        published_at_micros: row.try_get("published_at")?,
        body: serde_json::from_str(&body)?,
    })
}

pub(super) async fn version_where(
    executor: impl sqlx::Executor<'_, Database = Db>,
    condition: &'static str,
    code: &str,
    extra: Option<i64>,
) -> StoreResult<Option<ItemVersion>> {
    let sql =
        format!("SELECT {VERSION_COLUMNS} FROM item_versions WHERE code = $1 AND {condition}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code.to_owned());
    if let Some(v) = extra {
        q = q.bind(v);
    }
    q.fetch_optional(executor)
        .await?
        .as_ref()
        .map(version_from_row)
        .transpose()
}

pub(super) async fn history(pool: &sqlx::Pool<Db>, code: &str) -> StoreResult<Vec<ItemVersion>> {
    let rows = sqlx::query("SELECT id, version, status, effective_from, published_at, body FROM item_versions WHERE code = $1 ORDER BY version DESC")
        .bind(code)
        .fetch_all(pool)
        .await?;
    rows.iter().map(version_from_row).collect()
}

pub(super) async fn all_published(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<ItemVersion>> {
    let rows = sqlx::query("SELECT id, version, status, effective_from, published_at, body FROM item_versions WHERE status = 'published' ORDER BY code")
        .fetch_all(pool)
        .await?;
    rows.iter().map(version_from_row).collect()
}

pub(super) async fn list(
    pool: &sqlx::Pool<Db>,
    filter: &ItemFilter,
) -> StoreResult<Vec<ItemSummary>> {
    let region_prefix = filter
        .region
        .as_deref()
        .and_then(|r| RegionCode::parse(r).ok())
        .map(|r| match r.level() {
            RegionLevel::Province => r.as_str()[..2].to_owned(),
            RegionLevel::City => r.as_str()[..4].to_owned(),
            _ => r.as_str().to_owned(),
        });
    let rows = sqlx::query(
        "SELECT code, version, status, name_zh, name_en, module, power_category, implementing_body, region_code, body \
         FROM item_versions WHERE status = $1 \
         AND (CAST($2 AS TEXT) IS NULL OR module = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR implementing_body = $3) \
         AND (CAST($4 AS TEXT) IS NULL OR life_events LIKE '%,' || $4 || ',%') \
         AND (CAST($5 AS TEXT) IS NULL OR region_code LIKE $5 || '%') \
         ORDER BY code, version DESC",
    )
    .bind(filter.status.unwrap_or(ItemStatus::Published).as_str())
    .bind(filter.module.map(Module::as_str))
    .bind(filter.department.as_deref())
    .bind(filter.life_event.as_deref())
    .bind(region_prefix)
    .fetch_all(pool)
    .await?;
    let mut out: Vec<ItemSummary> = Vec::with_capacity(rows.len());
    for row in &rows {
        let code: String = row.try_get("code")?;
        if out.last().is_some_and(|s| s.code == code) {
            continue;
        }
        let status: String = row.try_get("status")?;
        let module: String = row.try_get("module")?;
        let power: String = row.try_get("power_category")?;
        let body: String = row.try_get("body")?;
        let body: ServiceItemBody = serde_json::from_str(&body)?;
        out.push(ItemSummary {
            code,
            version: row.try_get("version")?,
            status: ItemStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
            name_zh: row.try_get("name_zh")?,
            name_en: row.try_get("name_en")?,
            module: Module::parse(&module).ok_or_else(|| corrupt("module", &module))?,
            power_category: PowerCategory::parse(&power)
                .ok_or_else(|| corrupt("power category", &power))?,
            implementing_body: row.try_get("implementing_body")?,
            region: row.try_get("region_code")?,
            promised_limit_days: i64::from(body.promised_limit_days),
            on_site_trips: i64::from(body.on_site_trips),
            life_events: body.life_events,
        });
    }
    // Byte order, whatever the database collation, so both engines list alike.
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

pub(super) async fn regions(
    executor: impl sqlx::Executor<'_, Database = Db>,
) -> StoreResult<Vec<Region>> {
    let rows = sqlx::query("SELECT code, name_zh, name_en, parent_code FROM regions ORDER BY code")
        .fetch_all(executor)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Region {
                code: region_code(r.try_get("code")?)?,
                name: Text::new(
                    r.try_get::<String, _>("name_zh")?,
                    r.try_get::<String, _>("name_en")?,
                ),
                parent: r
                    .try_get::<Option<String>, _>("parent_code")?
                    .map(region_code)
                    .transpose()?,
            })
        })
        .collect()
}

pub(super) async fn departments(
    executor: impl sqlx::Executor<'_, Database = Db>,
) -> StoreResult<Vec<Department>> {
    let rows =
        sqlx::query("SELECT code, name_zh, name_en, region_code FROM departments ORDER BY code")
            .fetch_all(executor)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Department {
                code: r.try_get("code")?,
                name: Text::new(
                    r.try_get::<String, _>("name_zh")?,
                    r.try_get::<String, _>("name_en")?,
                ),
                region: region_code(r.try_get("region_code")?)?,
            })
        })
        .collect()
}

pub(super) async fn centres(tx: &mut Transaction<'_, Db>) -> StoreResult<Vec<ServiceCentre>> {
    let hall_rows = sqlx::query(
        "SELECT centre_code, code, name_zh, name_en FROM halls ORDER BY centre_code, code",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut halls: BTreeMap<String, Vec<Hall>> = BTreeMap::new();
    for r in &hall_rows {
        halls
            .entry(r.try_get("centre_code")?)
            .or_default()
            .push(Hall {
                code: r.try_get("code")?,
                name: Text::new(
                    r.try_get::<String, _>("name_zh")?,
                    r.try_get::<String, _>("name_en")?,
                ),
            });
    }
    let rows = sqlx::query("SELECT code, name_zh, name_en, region_code, address, hours FROM service_centres ORDER BY code")
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("code")?;
            Ok(ServiceCentre {
                halls: halls.remove(&code).unwrap_or_default(),
                code,
                name: Text::new(
                    r.try_get::<String, _>("name_zh")?,
                    r.try_get::<String, _>("name_en")?,
                ),
                region: region_code(r.try_get("region_code")?)?,
                address: r.try_get("address")?,
                hours: r.try_get("hours")?,
            })
        })
        .collect()
}

pub(super) async fn life_events(
    executor: impl sqlx::Executor<'_, Database = Db>,
) -> StoreResult<Vec<LifeEvent>> {
    let rows =
        sqlx::query("SELECT code, name_zh, name_en, audience FROM life_events ORDER BY code")
            .fetch_all(executor)
            .await?;
    rows.iter()
        .map(|r| {
            let audience: String = r.try_get("audience")?;
            Ok(LifeEvent {
                code: r.try_get("code")?,
                name: Text::new(
                    r.try_get::<String, _>("name_zh")?,
                    r.try_get::<String, _>("name_en")?,
                ),
                audience: Audience::parse(&audience)
                    .ok_or_else(|| corrupt("audience", &audience))?,
            })
        })
        .collect()
}

pub(super) async fn synonyms(
    executor: impl sqlx::Executor<'_, Database = Db>,
) -> StoreResult<Vec<SynonymGroup>> {
    let rows = sqlx::query("SELECT terms FROM synonym_groups ORDER BY group_no")
        .fetch_all(executor)
        .await?;
    rows.iter()
        .map(|r| {
            let terms: String = r.try_get("terms")?;
            Ok(SynonymGroup {
                terms: serde_json::from_str(&terms)?,
            })
        })
        .collect()
}

pub(super) async fn export(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
) -> StoreResult<CatalogueDocument> {
    let rows = sqlx::query("SELECT id, version, status, effective_from, published_at, body FROM item_versions ORDER BY code, version")
        .fetch_all(&mut **tx)
        .await?;
    let items = rows
        .iter()
        .map(|r| {
            let v = version_from_row(r)?;
            Ok(CatalogueItem {
                body: v.body,
                status: v.status,
                effective_from: v.effective_from,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let doc = CatalogueDocument {
        format: FORMAT_V1.to_owned(),
        regions: regions(&mut **tx).await?,
        departments: departments(&mut **tx).await?,
        service_centres: centres(tx).await?,
        life_events: life_events(&mut **tx).await?,
        synonyms: synonyms(&mut **tx).await?,
        items,
        bundles: bundles(&mut **tx).await?,
    };
    audit::append(
        tx,
        ctx,
        "catalogue.export",
        "catalogue",
        json!({ "items": doc.items.len() }),
    )
    .await?;
    Ok(doc)
}

pub(super) async fn save_draft(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    body: &ServiceItemBody,
    effective_from: Date,
) -> StoreResult<ItemVersion> {
    let mut errors = match body.validate() {
        Ok(()) => ValidationErrors::new(),
        Err(e) => e,
    };
    let known = known_codes(tx).await?;
    if let Err(e) = check_references(body, &known) {
        errors.errors.extend(e.errors);
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let existing = version_where(&mut **tx, "status = 'draft'", &body.code, None).await?;
    let version = match existing {
        Some(draft) => {
            sqlx::query(
                "UPDATE item_versions SET effective_from = $1, name_zh = $2, name_en = $3, module = $4, power_category = $5, \
                 implementing_body = $6, region_code = $7, life_events = $8, body = $9 WHERE id = $10 AND status = 'draft'",
            )
            .bind(effective_from.to_string())
            .bind(&body.name.zh)
            .bind(&body.name.en)
            .bind(body.module.as_str())
            .bind(body.power_category.as_str())
            .bind(&body.implementing_body)
            .bind(body.region.as_str())
            .bind(life_events_column(body))
            .bind(serde_json::to_string(body)?)
            .bind(draft.id)
            .execute(&mut **tx)
            .await?;
            ItemVersion {
                effective_from,
                body: body.clone(),
                ..draft
            }
        }
        None => {
            insert_version(
                tx,
                body,
                ItemStatus::Draft,
                effective_from,
                ctx.at_micros,
                None,
            )
            .await?
        }
    };
    audit::append(
        tx,
        ctx,
        "catalogue.save_draft",
        &format!("item:{}", body.code),
        json!({ "version": version.version, "effective_from": effective_from.to_string() }),
    )
    .await?;
    Ok(version)
}

pub(super) async fn publish(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    code: &str,
    version: i64,
) -> StoreResult<ItemVersion> {
    let Some(draft) = version_where(&mut **tx, "version = $2", code, Some(version)).await? else {
        return Err(StoreError::NotFound(format!(
            "item {code} version {version}"
        )));
    };
    if draft.status != ItemStatus::Draft {
        return Err(StoreError::Conflict(format!(
            "版本 {version} 不是草稿，不能发布 / version {version} is {} and cannot be published",
            draft.status.as_str()
        )));
    }
    sqlx::query(
        "UPDATE item_versions SET status = 'retired' WHERE code = $1 AND status = 'published'",
    )
    .bind(code)
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query("UPDATE item_versions SET status = 'published', published_at = $1 WHERE id = $2 AND status = 'draft'")
        .bind(ctx.at_micros)
        .bind(draft.id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(format!(
            "版本 {version} 已被发布 / version {version} was published concurrently"
        )));
    }
    audit::append(
        tx,
        ctx,
        "catalogue.publish",
        &format!("item:{code}"),
        json!({ "version": version }),
    )
    .await?;
    Ok(ItemVersion {
        status: ItemStatus::Published,
        published_at_micros: Some(ctx.at_micros),
        ..draft
    })
}

pub(super) async fn retire(tx: &mut Transaction<'_, Db>, ctx: &Ctx, code: &str) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE item_versions SET status = 'retired' WHERE code = $1 AND status = 'published'",
    )
    .bind(code)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "事项 {code} 没有已发布的版本 / item {code} has no published version"
        )));
    }
    audit::append(
        tx,
        ctx,
        "catalogue.retire",
        &format!("item:{code}"),
        json!({}),
    )
    .await?;
    Ok(())
}

/// Every bundle, ordered by code.
pub(super) async fn bundles(
    exec: impl sqlx::Executor<'_, Database = Db>,
) -> StoreResult<Vec<Bundle>> {
    let docs: Vec<String> = sqlx::query_scalar("SELECT document FROM bundles ORDER BY code")
        .fetch_all(exec)
        .await?;
    docs.iter()
        .map(|d| serde_json::from_str(d).map_err(StoreError::from))
        .collect()
}
