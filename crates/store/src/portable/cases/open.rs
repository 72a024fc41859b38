//! Filing a case, editing drafts, adding materials, recording trips; and the
//! small writes every case change shares (events, notices, outbox rows).

use onetrip_domain::ValidationErrors;
use onetrip_domain::case::{
    ApplicationForm, CaseAction, CaseNumber, CaseStatus, IntakeChannel, NoticeKind, PartStatus,
};
use serde_json::json;
use sqlx::Transaction;

use super::rows::{date_text, load_case, load_corrections};
use super::{Db, audit, clock};
use crate::{
    CaseActor, CaseRecord, Ctx, MaterialRecord, NewCase, NewMaterial, NewNotification, StoreError,
    StoreResult,
};

/// One step of a case's timeline.
pub(super) struct Step {
    /// What was done.
    pub action: CaseAction,
    /// To which part.
    pub part_seq: Option<i64>,
    /// State before.
    pub from: CaseStatus,
    /// State after.
    pub to: CaseStatus,
}

/// Appends a timeline line.
pub(super) async fn insert_event(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
    step: Step,
    note: &str,
) -> StoreResult<()> {
    let Step {
        action,
        part_seq,
        from,
        to,
    } = step;
    sqlx::query(
        "INSERT INTO case_events (case_id, at_micros, actor, action, part_seq, from_status, to_status, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(case_id)
    .bind(ctx.at_micros)
    .bind(&ctx.actor)
    .bind(action.as_str())
    .bind(part_seq)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues notifications in the outbox, pending from now.
pub(crate) async fn queue(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: Option<i64>,
    notifications: &[NewNotification],
) -> StoreResult<()> {
    if notifications.is_empty() {
        return Ok(());
    }
    // One statement for all rows: $1 case, $2 time, then four per row.
    let rows: Vec<String> = (0..notifications.len())
        .map(|i| {
            let b = 3 + i * 4;
            format!(
                "(${}, ${}, ${}, ${}, $1, 'pending', 0, $2, '', '', 0, $2)",
                b,
                b + 1,
                b + 2,
                b + 3
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO outbox (channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, \
         last_error, claimed_by, claimed_until, created_at) VALUES {}",
        rows.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(case_id)
        .bind(ctx.at_micros);
    for n in notifications {
        q = q
            .bind(&n.channel)
            .bind(&n.recipient)
            .bind(&n.subject)
            .bind(&n.body);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Issues a numbered notice: `<case number>-<kind code><n>`.
pub(super) async fn insert_notice(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case: &CaseRecord,
    kind: NoticeKind,
    content: serde_json::Value,
) -> StoreResult<String> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM case_notices WHERE case_id = $1 AND kind = $2")
            .bind(case.id)
            .bind(kind.as_str())
            .fetch_one(&mut **tx)
            .await?;
    let notice_no = format!("{}-{}{:02}", case.case_no, kind.number_code(), n + 1);
    sqlx::query(
        "INSERT INTO case_notices (case_id, kind, notice_no, content, issued_by, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case.id)
    .bind(kind.as_str())
    .bind(&notice_no)
    .bind(serde_json::to_string(&content)?)
    .bind(&ctx.actor)
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?;
    Ok(notice_no)
}

/// Draws the next case number of a region and day. The upsert takes the
/// sequence row's lock, so concurrent filers on any number of servers get
/// distinct, gap-free numbers.
async fn next_case_number(tx: &mut Transaction<'_, Db>, new: &NewCase) -> StoreResult<CaseNumber> {
    let region = &new.region.as_str()[..new.region.as_str().len().min(6)];
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO case_sequences (region_code, day, last_seq) VALUES ($1, $2, 1) \
         ON CONFLICT (region_code, day) DO UPDATE SET last_seq = case_sequences.last_seq + 1 \
         RETURNING last_seq",
    )
    .bind(region)
    .bind(date_text(new.today))
    .fetch_one(&mut **tx)
    .await?;
    let seq =
        u32::try_from(seq).map_err(|_| StoreError::Conflict("case sequence exhausted".into()))?;
    Ok(CaseNumber::new(&new.region, new.today, seq))
}

async fn insert_form_version(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
    form: &ApplicationForm,
) -> StoreResult<i64> {
    let rev: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(revision), 0) + 1 FROM case_form_versions WHERE case_id = $1",
    )
    .bind(case_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO case_form_versions (case_id, revision, form, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(case_id)
    .bind(rev)
    .bind(serde_json::to_string(form)?)
    .bind(&ctx.actor)
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?;
    Ok(rev)
}

pub(super) async fn replace_form(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
    form: &ApplicationForm,
) -> StoreResult<()> {
    insert_form_version(tx, ctx, case_id, form).await?;
    sqlx::query("UPDATE cases SET form = $1 WHERE id = $2")
        .bind(serde_json::to_string(form)?)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn open_case(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    new: &NewCase,
) -> StoreResult<CaseRecord> {
    if new.parts.is_empty() {
        return Err(StoreError::Invalid(ValidationErrors::single(
            "items",
            "required",
            "至少申请一个事项 / apply for at least one item",
        )));
    }
    let number = next_case_number(tx, new).await?;
    let window = new.channel == IntakeChannel::Window;
    let status = if window {
        CaseStatus::Submitted
    } else {
        CaseStatus::Draft
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (case_no, applicant_id, channel, received_by, bundle_code, region_code, centre_code, \
         title_zh, title_en, status, form, checklist, delivery_method, delivery, submitted_on, due_provisional, \
         warning, status_nonce, revision, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, 'normal', $16, 1, $17, $17) \
         RETURNING id",
    )
    .bind(number.as_str())
    .bind(new.applicant_id)
    .bind(new.channel.as_str())
    .bind(new.received_by)
    .bind(&new.bundle_code)
    .bind(new.region.as_str())
    .bind(&new.centre_code)
    .bind(&new.title.zh)
    .bind(&new.title.en)
    .bind(status.as_str())
    .bind(serde_json::to_string(&new.form)?)
    .bind(serde_json::to_string(&new.checklist)?)
    .bind(new.delivery_method.as_str())
    .bind(serde_json::to_string(&new.delivery)?)
    .bind(window.then(|| date_text(new.today)))
    .bind(&new.status_nonce)
    .bind(ctx.at_micros)
    .fetch_one(&mut **tx)
    .await?;
    for (i, p) in new.parts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO case_parts (case_id, seq, item_code, item_version, situation_code, department_code, \
             region_code, name_zh, name_en, result_zh, result_en, status, statutory_days, promised_days, \
             promised_trips, extension_days, extension_reason, due_provisional, warning, decision_reasons) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, '', 0, 'normal', '')",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&p.item_code)
        .bind(p.item_version)
        .bind(&p.situation_code)
        .bind(&p.department_code)
        .bind(&p.region_code)
        .bind(&p.name.zh)
        .bind(&p.name.en)
        .bind(&p.result_name.zh)
        .bind(&p.result_name.en)
        .bind(PartStatus::Waiting.as_str())
        .bind(i64::from(p.statutory_days))
        .bind(i64::from(p.promised_days))
        .bind(i64::from(p.promised_trips))
        .execute(&mut **tx)
        .await?;
    }
    insert_form_version(tx, ctx, id, &new.form).await?;
    if window {
        insert_event(
            tx,
            ctx,
            id,
            Step {
                action: CaseAction::Submit,
                part_seq: None,
                from: CaseStatus::Draft,
                to: status,
            },
            "窗口收件",
        )
        .await?;
        sqlx::query(
            "INSERT INTO case_trips (case_id, purpose, recorded_by, at_micros) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind("窗口提交申请 / applied at the window")
        .bind(&ctx.actor)
        .bind(ctx.at_micros)
        .execute(&mut **tx)
        .await?;
        let cal = clock::calendar(tx).await?;
        clock::recompute(tx, id, &cal).await?;
    }
    let notifications: Vec<NewNotification> = new
        .notifications
        .iter()
        .map(|n| NewNotification {
            subject: n.subject.replace("{case_no}", number.as_str()),
            body: n.body.replace("{case_no}", number.as_str()),
            ..n.clone()
        })
        .collect();
    queue(tx, ctx, Some(id), &notifications).await?;
    audit::append(
        tx,
        ctx,
        if window {
            "case.received"
        } else {
            "case.drafted"
        },
        &format!("case:{}", number.as_str()),
        json!({
            "channel": new.channel.as_str(),
            "applicant": new.applicant_id,
            "items": new.parts.iter().map(|p| p.item_code.as_str()).collect::<Vec<_>>(),
            "bundle": new.bundle_code,
        }),
    )
    .await?;
    load_case(tx, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("case {id}")))
}

pub(super) async fn save_form(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
    form: &ApplicationForm,
) -> StoreResult<CaseRecord> {
    super::lock(tx, case_id).await?;
    let case = load_case(tx, case_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))?;
    if case.status != CaseStatus::Draft {
        return Err(StoreError::Conflict(
            "只有草稿可以直接修改表单；补正请按一次性告知书提交 / only drafts can be edited; answer the correction notice instead".into(),
        ));
    }
    replace_form(tx, ctx, case_id, form).await?;
    touch(tx, ctx, case_id).await?;
    audit::append(
        tx,
        ctx,
        "case.form_saved",
        &format!("case:{}", case.case_no),
        json!({}),
    )
    .await?;
    load_case(tx, case_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))
}

/// Bumps a case's revision and change time.
pub(super) async fn touch(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE cases SET revision = revision + 1, updated_at = $1 WHERE id = $2")
        .bind(ctx.at_micros)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn provide_material(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
    actor: CaseActor,
    m: &NewMaterial,
) -> StoreResult<MaterialRecord> {
    super::lock(tx, case_id).await?;
    let case = load_case(tx, case_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))?;
    if !case.checklist.iter().any(|e| e.key == m.material_key) {
        return Err(StoreError::Invalid(ValidationErrors::single(
            "material",
            "unknown_material",
            format!(
                "本件没有材料 {} / not a material of this case",
                m.material_key
            ),
        )));
    }
    let allowed = match case.status {
        CaseStatus::Draft => true,
        CaseStatus::Submitted => matches!(actor, CaseActor::Staff(_)),
        CaseStatus::CorrectionRequested => {
            let corrections = load_corrections(tx, case_id).await?;
            let flagged = corrections
                .iter()
                .rev()
                .find(|c| c.answered_at.is_none())
                .is_some_and(|c| c.items.iter().any(|i| i.target == m.material_key));
            if !flagged {
                return Err(StoreError::Conflict(format!(
                    "一次性告知书未列出材料 {}，无需重新提供 / material {} was not flagged for correction",
                    m.material_key, m.material_key
                )));
            }
            true
        }
        _ => false,
    };
    if !allowed {
        return Err(StoreError::Conflict(format!(
            "当前状态“{}”不能提交材料 / materials cannot be added while the case is {}",
            case.status.label("zh"),
            case.status.as_str()
        )));
    }
    let rev: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(revision), 0) + 1 FROM case_materials WHERE case_id = $1 AND material_key = $2",
    )
    .bind(case_id)
    .bind(&m.material_key)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO case_materials (case_id, material_key, revision, kind, file_sha256, file_name, content_type, \
         size_bytes, form_text, provided_by, provided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(case_id)
    .bind(&m.material_key)
    .bind(rev)
    .bind(m.kind.as_str())
    .bind(&m.file_sha256)
    .bind(&m.file_name)
    .bind(&m.content_type)
    .bind(m.size_bytes)
    .bind(&m.form_text)
    .bind(&ctx.actor)
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?;
    touch(tx, ctx, case_id).await?;
    audit::append(
        tx,
        ctx,
        "case.material_provided",
        &format!("case:{}", case.case_no),
        json!({ "material": m.material_key, "revision": rev, "kind": m.kind.as_str(), "sha256": m.file_sha256 }),
    )
    .await?;
    Ok(MaterialRecord {
        material_key: m.material_key.clone(),
        revision: rev,
        kind: m.kind,
        file_sha256: m.file_sha256.clone(),
        file_name: m.file_name.clone(),
        content_type: m.content_type.clone(),
        size_bytes: m.size_bytes,
        form_text: m.form_text.clone(),
        provided_by: ctx.actor.clone(),
        provided_at: ctx.at_micros,
    })
}

pub(super) async fn record_trip(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
    purpose: &str,
) -> StoreResult<()> {
    let case = load_case(tx, case_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))?;
    sqlx::query(
        "INSERT INTO case_trips (case_id, purpose, recorded_by, at_micros) VALUES ($1, $2, $3, $4)",
    )
    .bind(case_id)
    .bind(purpose)
    .bind(&ctx.actor)
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?;
    audit::append(
        tx,
        ctx,
        "case.trip_recorded",
        &format!("case:{}", case.case_no),
        json!({ "purpose": purpose }),
    )
    .await?;
    Ok(())
}
