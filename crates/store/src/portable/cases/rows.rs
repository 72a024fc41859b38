//! Reading case rows back into records.

use onetrip_domain::calendar::WarningLevel;
use onetrip_domain::case::{
    AcceptanceKind, CaseAction, CaseStatus, Decision, DeliveryMethod, IntakeChannel, MaterialKind,
    NoticeKind, PartStatus, PauseKind,
};
use onetrip_domain::text::Text;
use sqlx::{Row, Transaction};
use time::Date;
use time::macros::format_description;

use super::Db;
use crate::{
    CaseDetail, CaseEvent, CaseRecord, CertificateRecord, CorrectionRecord, FormVersion,
    MaterialRecord, NoticeRecord, PartRecord, PauseRecord, StoreError, StoreResult, TripRecord,
};

pub(super) type DbRow = <Db as sqlx::Database>::Row;

/// Parses a stored `YYYY-MM-DD` date.
pub(super) fn date(s: &str) -> StoreResult<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
}

/// Parses an optional stored date.
pub(super) fn opt_date(s: Option<String>) -> StoreResult<Option<Date>> {
    s.as_deref().map(date).transpose()
}

/// Formats a date for storage.
pub(super) fn date_text(d: Date) -> String {
    d.to_string()
}

/// Formats an optional date for storage.
pub(super) fn opt_date_text(d: Option<Date>) -> Option<String> {
    d.map(date_text)
}

/// Parses a stored code with a code enum's `parse`.
pub(super) fn code<T>(what: &str, s: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown {what} {s:?}")))
}

pub(super) fn warning(s: &str) -> StoreResult<WarningLevel> {
    match s {
        "normal" => Ok(WarningLevel::Normal),
        "yellow" => Ok(WarningLevel::Yellow),
        "red" => Ok(WarningLevel::Red),
        other => Err(StoreError::Corrupt(format!("unknown warning {other:?}"))),
    }
}

pub(super) const CASE_COLUMNS: &str = "id, case_no, applicant_id, channel, received_by, bundle_code, region_code, \
     centre_code, title_zh, title_en, status, form, checklist, delivery_method, delivery, submitted_on, \
     accept_due, accepted_on, acceptance, decision_due, promised_due, due_provisional, warning, decided_on, \
     delivery_due, completed_at, status_nonce, revision, created_at, updated_at";

pub(super) fn case_from_row(r: &DbRow) -> StoreResult<CaseRecord> {
    let acceptance: Option<String> = r.try_get("acceptance")?;
    Ok(CaseRecord {
        id: r.try_get("id")?,
        case_no: r.try_get("case_no")?,
        applicant_id: r.try_get("applicant_id")?,
        channel: code(
            "channel",
            &r.try_get::<String, _>("channel")?,
            IntakeChannel::parse,
        )?,
        received_by: r.try_get("received_by")?,
        bundle_code: r.try_get("bundle_code")?,
        region_code: r.try_get("region_code")?,
        centre_code: r.try_get("centre_code")?,
        title: Text::new(
            r.try_get::<String, _>("title_zh")?,
            r.try_get::<String, _>("title_en")?,
        ),
        status: code(
            "status",
            &r.try_get::<String, _>("status")?,
            CaseStatus::parse,
        )?,
        form: serde_json::from_str(&r.try_get::<String, _>("form")?)?,
        checklist: serde_json::from_str(&r.try_get::<String, _>("checklist")?)?,
        delivery_method: code(
            "delivery method",
            &r.try_get::<String, _>("delivery_method")?,
            DeliveryMethod::parse,
        )?,
        delivery: serde_json::from_str(&r.try_get::<String, _>("delivery")?)?,
        submitted_on: opt_date(r.try_get("submitted_on")?)?,
        accept_due: opt_date(r.try_get("accept_due")?)?,
        accepted_on: opt_date(r.try_get("accepted_on")?)?,
        acceptance: acceptance
            .map(|a| code("acceptance", &a, AcceptanceKind::parse))
            .transpose()?,
        decision_due: opt_date(r.try_get("decision_due")?)?,
        promised_due: opt_date(r.try_get("promised_due")?)?,
        due_provisional: r.try_get::<i64, _>("due_provisional")? != 0,
        warning: warning(&r.try_get::<String, _>("warning")?)?,
        decided_on: opt_date(r.try_get("decided_on")?)?,
        delivery_due: opt_date(r.try_get("delivery_due")?)?,
        completed_at: r.try_get("completed_at")?,
        status_nonce: r.try_get("status_nonce")?,
        revision: r.try_get("revision")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub(super) const PART_COLUMNS: &str = "id, case_id, seq, item_code, item_version, situation_code, department_code, \
     region_code, name_zh, name_en, result_zh, result_en, status, assignee_id, statutory_days, promised_days, promised_trips, \
     extension_days, extension_reason, extension_by, statutory_due, promised_due, due_provisional, warning, \
     decision, decision_reasons, decided_by, decided_at, valid_until, certificate_no";

pub(super) fn part_from_row(r: &DbRow) -> StoreResult<PartRecord> {
    let decision: Option<String> = r.try_get("decision")?;
    Ok(PartRecord {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        seq: r.try_get("seq")?,
        item_code: r.try_get("item_code")?,
        item_version: r.try_get("item_version")?,
        situation_code: r.try_get("situation_code")?,
        department_code: r.try_get("department_code")?,
        region_code: r.try_get("region_code")?,
        name: Text::new(
            r.try_get::<String, _>("name_zh")?,
            r.try_get::<String, _>("name_en")?,
        ),
        result_name: Text::new(
            r.try_get::<String, _>("result_zh")?,
            r.try_get::<String, _>("result_en")?,
        ),
        status: code(
            "part status",
            &r.try_get::<String, _>("status")?,
            PartStatus::parse,
        )?,
        assignee_id: r.try_get("assignee_id")?,
        statutory_days: r.try_get("statutory_days")?,
        promised_days: r.try_get("promised_days")?,
        promised_trips: r.try_get("promised_trips")?,
        extension_days: r.try_get("extension_days")?,
        extension_reason: r.try_get("extension_reason")?,
        extension_by: r.try_get("extension_by")?,
        statutory_due: opt_date(r.try_get("statutory_due")?)?,
        promised_due: opt_date(r.try_get("promised_due")?)?,
        due_provisional: r.try_get::<i64, _>("due_provisional")? != 0,
        warning: warning(&r.try_get::<String, _>("warning")?)?,
        decision: decision
            .map(|d| code("decision", &d, Decision::parse))
            .transpose()?,
        decision_reasons: r.try_get("decision_reasons")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        valid_until: opt_date(r.try_get("valid_until")?)?,
        certificate_no: r.try_get("certificate_no")?,
    })
}

pub(super) async fn load_case(
    tx: &mut Transaction<'_, Db>,
    id: i64,
) -> StoreResult<Option<CaseRecord>> {
    fetch_case(&mut **tx, id).await
}

/// A case read with any executor (a transaction, or the pool for reads
/// that need no snapshot).
pub(super) async fn fetch_case(
    exec: impl sqlx::Executor<'_, Database = Db>,
    id: i64,
) -> StoreResult<Option<CaseRecord>> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    row.as_ref().map(case_from_row).transpose()
}

/// Reads a case and locks its row for the rest of the write transaction
/// (PostgreSQL row lock; SQLite's `BEGIN IMMEDIATE` lock already holds).
pub(super) async fn load_case_locked(
    tx: &mut Transaction<'_, Db>,
    id: i64,
) -> StoreResult<Option<CaseRecord>> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE id = $1{}",
        super::idioms::FOR_UPDATE
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(case_from_row).transpose()
}

pub(super) async fn load_parts(
    tx: &mut Transaction<'_, Db>,
    case_id: i64,
) -> StoreResult<Vec<PartRecord>> {
    fetch_parts(&mut **tx, case_id).await
}

/// A case's parts read with any executor.
pub(super) async fn fetch_parts(
    exec: impl sqlx::Executor<'_, Database = Db>,
    case_id: i64,
) -> StoreResult<Vec<PartRecord>> {
    let sql = format!("SELECT {PART_COLUMNS} FROM case_parts WHERE case_id = $1 ORDER BY seq");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(case_id)
        .fetch_all(exec)
        .await?;
    rows.iter().map(part_from_row).collect()
}

pub(super) async fn load_pauses(
    tx: &mut Transaction<'_, Db>,
    case_id: i64,
) -> StoreResult<Vec<PauseRecord>> {
    let rows = sqlx::query(
        "SELECT kind, reason, from_date, until_date, started_by FROM case_pauses WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PauseRecord {
                kind: code("pause", &r.try_get::<String, _>("kind")?, PauseKind::parse)?,
                reason: r.try_get("reason")?,
                from: date(&r.try_get::<String, _>("from_date")?)?,
                until: opt_date(r.try_get("until_date")?)?,
                started_by: r.try_get("started_by")?,
            })
        })
        .collect()
}

pub(super) async fn load_materials(
    tx: &mut Transaction<'_, Db>,
    case_id: i64,
) -> StoreResult<Vec<MaterialRecord>> {
    let rows = sqlx::query(
        "SELECT material_key, revision, kind, file_sha256, file_name, content_type, size_bytes, form_text, \
         provided_by, provided_at FROM case_materials WHERE case_id = $1 ORDER BY material_key, revision",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MaterialRecord {
                material_key: r.try_get("material_key")?,
                revision: r.try_get("revision")?,
                kind: code(
                    "material kind",
                    &r.try_get::<String, _>("kind")?,
                    MaterialKind::parse,
                )?,
                file_sha256: r.try_get("file_sha256")?,
                file_name: r.try_get("file_name")?,
                content_type: r.try_get("content_type")?,
                size_bytes: r.try_get("size_bytes")?,
                form_text: r.try_get("form_text")?,
                provided_by: r.try_get("provided_by")?,
                provided_at: r.try_get("provided_at")?,
            })
        })
        .collect()
}

pub(super) async fn load_corrections(
    tx: &mut Transaction<'_, Db>,
    case_id: i64,
) -> StoreResult<Vec<CorrectionRecord>> {
    let rows = sqlx::query(
        "SELECT notice_no, items, issued_by, issued_at, answered_at FROM case_corrections \
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CorrectionRecord {
                notice_no: r.try_get("notice_no")?,
                items: serde_json::from_str(&r.try_get::<String, _>("items")?)?,
                issued_by: r.try_get("issued_by")?,
                issued_at: r.try_get("issued_at")?,
                answered_at: r.try_get("answered_at")?,
            })
        })
        .collect()
}

/// Everything about one case, read in the caller's transaction.
pub(super) async fn detail(
    tx: &mut Transaction<'_, Db>,
    case_id: i64,
) -> StoreResult<Option<CaseDetail>> {
    let Some(case) = load_case(tx, case_id).await? else {
        return Ok(None);
    };
    let parts = load_parts(tx, case_id).await?;
    let materials = load_materials(tx, case_id).await?;
    let corrections = load_corrections(tx, case_id).await?;
    let pauses = load_pauses(tx, case_id).await?;
    let form_rows = sqlx::query(
        "SELECT revision, form, saved_by, saved_at FROM case_form_versions WHERE case_id = $1 ORDER BY revision",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    let form_versions = form_rows
        .iter()
        .map(|r| {
            Ok(FormVersion {
                revision: r.try_get("revision")?,
                form: serde_json::from_str(&r.try_get::<String, _>("form")?)?,
                saved_by: r.try_get("saved_by")?,
                saved_at: r.try_get("saved_at")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let event_rows = sqlx::query(
        "SELECT at_micros, actor, action, part_seq, from_status, to_status, note FROM case_events \
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    let events = event_rows
        .iter()
        .map(|r| {
            Ok(CaseEvent {
                at_micros: r.try_get("at_micros")?,
                actor: r.try_get("actor")?,
                action: code(
                    "action",
                    &r.try_get::<String, _>("action")?,
                    CaseAction::parse,
                )?,
                part_seq: r.try_get("part_seq")?,
                from_status: code(
                    "status",
                    &r.try_get::<String, _>("from_status")?,
                    CaseStatus::parse,
                )?,
                to_status: code(
                    "status",
                    &r.try_get::<String, _>("to_status")?,
                    CaseStatus::parse,
                )?,
                note: r.try_get("note")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let notice_rows = sqlx::query(
        "SELECT kind, notice_no, content, issued_by, issued_at FROM case_notices WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    let notices = notice_rows
        .iter()
        .map(|r| {
            Ok(NoticeRecord {
                kind: code(
                    "notice",
                    &r.try_get::<String, _>("kind")?,
                    NoticeKind::parse,
                )?,
                notice_no: r.try_get("notice_no")?,
                content: serde_json::from_str(&r.try_get::<String, _>("content")?)?,
                issued_by: r.try_get("issued_by")?,
                issued_at: r.try_get("issued_at")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let cert_rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {CERT_COLUMNS} FROM certificates WHERE case_id = $1 ORDER BY part_seq"
    )))
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    let certificates = cert_rows
        .iter()
        .map(certificate_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let trip_rows = sqlx::query(
        "SELECT purpose, recorded_by, at_micros FROM case_trips WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    let trips = trip_rows
        .iter()
        .map(|r| {
            Ok(TripRecord {
                purpose: r.try_get("purpose")?,
                recorded_by: r.try_get("recorded_by")?,
                at_micros: r.try_get("at_micros")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some(CaseDetail {
        case,
        parts,
        materials,
        form_versions,
        corrections,
        events,
        pauses,
        notices,
        certificates,
        trips,
    }))
}

pub(super) const CERT_COLUMNS: &str = "cert_no, case_id, part_seq, item_code, name_zh, name_en, holder_name, \
     holder_identifier, issuer_code, issued_on, valid_until, status";

pub(super) fn certificate_from_row(r: &DbRow) -> StoreResult<CertificateRecord> {
    Ok(CertificateRecord {
        cert_no: r.try_get("cert_no")?,
        case_id: r.try_get("case_id")?,
        part_seq: r.try_get("part_seq")?,
        item_code: r.try_get("item_code")?,
        name: Text::new(
            r.try_get::<String, _>("name_zh")?,
            r.try_get::<String, _>("name_en")?,
        ),
        holder_name: r.try_get("holder_name")?,
        holder_identifier: r.try_get("holder_identifier")?,
        issuer_code: r.try_get("issuer_code")?,
        issued_on: date(&r.try_get::<String, _>("issued_on")?)?,
        valid_until: opt_date(r.try_get("valid_until")?)?,
        status: r.try_get("status")?,
    })
}
