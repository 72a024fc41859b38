//! Consents, evidence use, the access log and the provider message log.

use onetrip_domain::case::{CaseStatus, ChecklistEntry};
use onetrip_domain::evidence::{EvidenceField, message_hash};
use serde_json::json;
use sqlx::{Row, Transaction};

use super::super::{Db, audit, idioms};
use super::DbRow;
use crate::sharing_model::*;
use crate::{Ctx, StoreError, StoreResult};

/// The case facts evidence use needs, read under the case lock.
struct CaseFacts {
    case_no: String,
    status: CaseStatus,
    applicant_id: i64,
    checklist: Vec<ChecklistEntry>,
}

async fn case_facts(tx: &mut Transaction<'_, Db>, case_id: i64) -> StoreResult<CaseFacts> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT case_no, status, applicant_id, checklist FROM cases WHERE id = $1{}",
        idioms::FOR_UPDATE
    )))
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))?;
    let status: String = row.try_get("status")?;
    let checklist: String = row.try_get("checklist")?;
    Ok(CaseFacts {
        case_no: row.try_get("case_no")?,
        status: CaseStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("case status {status}")))?,
        applicant_id: row.try_get("applicant_id")?,
        checklist: serde_json::from_str(&checklist)?,
    })
}

fn consent_from_row(r: &DbRow) -> StoreResult<ConsentRecord> {
    Ok(ConsentRecord {
        id: r.try_get("id")?,
        applicant_id: r.try_get("applicant_id")?,
        case_id: r.try_get("case_id")?,
        case_no: r.try_get("case_no")?,
        material_key: r.try_get("material_key")?,
        evidence_type: r.try_get("evidence_type")?,
        decision: r.try_get("decision")?,
        decided_at: r.try_get("decided_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

const CONSENT_SELECT: &str = "SELECT s.id, s.applicant_id, s.case_id, c.case_no, s.material_key, s.evidence_type, \
     s.decision, s.decided_at, s.revoked_at FROM sharing_consents s JOIN cases c ON c.id = s.case_id";

async fn consent_by_id(tx: &mut Transaction<'_, Db>, id: i64) -> StoreResult<ConsentRecord> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{CONSENT_SELECT} WHERE s.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("consent {id}")))?;
    consent_from_row(&row)
}

pub(super) async fn record_consent(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    c: &NewConsent,
) -> StoreResult<ConsentRecord> {
    let case = case_facts(tx, c.case_id).await?;
    if case.applicant_id != c.applicant_id {
        return Err(StoreError::NotFound(format!("case {}", c.case_id)));
    }
    let entry = case
        .checklist
        .iter()
        .find(|e| e.key == c.material_key)
        .ok_or_else(|| {
            StoreError::Invalid(onetrip_domain::ValidationErrors::single(
                "material",
                "unknown_material",
                format!(
                    "本件没有材料 {} / not a material of this case",
                    c.material_key
                ),
            ))
        })?;
    if entry.evidence.as_ref().map(|e| e.evidence_type.as_str()) != Some(c.evidence_type.as_str()) {
        return Err(StoreError::Invalid(
            onetrip_domain::ValidationErrors::single(
                "material",
                "not_shared",
                "该材料不能通过数据共享获取 / this material cannot be obtained by data sharing",
            ),
        ));
    }
    // A new decision replaces the previous one for the same material.
    sqlx::query(
        "UPDATE sharing_consents SET revoked_at = $1 WHERE case_id = $2 AND material_key = $3 AND revoked_at IS NULL",
    )
    .bind(ctx.at_micros)
    .bind(c.case_id)
    .bind(&c.material_key)
    .execute(&mut **tx)
    .await?;
    let decision = if c.granted { "granted" } else { "refused" };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sharing_consents (applicant_id, case_id, material_key, evidence_type, decision, decided_at, revoked_at) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL) RETURNING id",
    )
    .bind(c.applicant_id)
    .bind(c.case_id)
    .bind(&c.material_key)
    .bind(&c.evidence_type)
    .bind(decision)
    .bind(ctx.at_micros)
    .fetch_one(&mut **tx)
    .await?;
    audit::append(
        tx,
        ctx,
        if c.granted {
            "sharing.consent_granted"
        } else {
            "sharing.consent_refused"
        },
        &format!("case:{}", case.case_no),
        json!({ "consent": id, "material": c.material_key, "evidence_type": c.evidence_type }),
    )
    .await?;
    consent_by_id(tx, id).await
}

pub(super) async fn revoke_consent(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    applicant_id: i64,
    consent_id: i64,
) -> StoreResult<ConsentRecord> {
    let consent = consent_by_id(tx, consent_id).await?;
    if consent.applicant_id != applicant_id {
        return Err(StoreError::NotFound(format!("consent {consent_id}")));
    }
    if consent.decision != "granted" || consent.revoked_at.is_some() {
        return Err(StoreError::Conflict(
            "该授权已撤回或未授予 / this consent is not in force".into(),
        ));
    }
    let case = case_facts(tx, consent.case_id).await?;
    sqlx::query("UPDATE sharing_consents SET revoked_at = $1 WHERE id = $2")
        .bind(ctx.at_micros)
        .bind(consent_id)
        .execute(&mut **tx)
        .await?;
    let mut unfulfilled = false;
    if case.status == CaseStatus::Draft {
        let n = sqlx::query("DELETE FROM case_evidence WHERE case_id = $1 AND material_key = $2 AND consent_id = $3")
            .bind(consent.case_id)
            .bind(&consent.material_key)
            .bind(consent_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if n > 0 {
            sqlx::query("DELETE FROM case_materials WHERE case_id = $1 AND material_key = $2 AND kind = 'shared'")
                .bind(consent.case_id)
                .bind(&consent.material_key)
                .execute(&mut **tx)
                .await?;
            unfulfilled = true;
        }
    }
    audit::append(
        tx,
        ctx,
        "sharing.consent_revoked",
        &format!("case:{}", case.case_no),
        json!({ "consent": consent_id, "material": consent.material_key, "unfulfilled": unfulfilled }),
    )
    .await?;
    consent_by_id(tx, consent_id).await
}

pub(super) async fn consents_of(
    pool: &sqlx::Pool<Db>,
    applicant_id: i64,
) -> StoreResult<Vec<ConsentRecord>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{CONSENT_SELECT} WHERE s.applicant_id = $1 ORDER BY s.id DESC"
    )))
    .bind(applicant_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(consent_from_row).collect()
}

pub(super) async fn use_evidence(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    u: &EvidenceUse,
    access: &NewAccess,
) -> StoreResult<()> {
    let case = case_facts(tx, u.case_id).await?;
    let entry = case
        .checklist
        .iter()
        .find(|e| e.key == u.material_key)
        .ok_or_else(|| StoreError::NotFound(format!("material {}", u.material_key)))?;
    if entry.evidence.as_ref().map(|e| e.evidence_type.as_str())
        != Some(u.evidence.evidence_type.as_str())
    {
        return Err(StoreError::Invalid(
            onetrip_domain::ValidationErrors::single(
                "material",
                "not_shared",
                "该材料不能通过数据共享获取 / this material cannot be obtained by data sharing",
            ),
        ));
    }
    let allowed = match case.status {
        CaseStatus::Draft => true,
        CaseStatus::Submitted => u.by_staff,
        _ => false,
    };
    if !allowed {
        return Err(StoreError::Conflict(format!(
            "当前状态“{}”不能获取共享材料 / shared materials cannot be added while the case is {}",
            case.status.label("zh"),
            case.status.as_str()
        )));
    }
    let rev: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(revision), 0) + 1 FROM case_materials WHERE case_id = $1 AND material_key = $2",
    )
    .bind(u.case_id)
    .bind(&u.material_key)
    .fetch_one(&mut **tx)
    .await?;
    let summary = format!(
        "{} · {}",
        u.evidence.source.label("zh"),
        u.evidence
            .fields
            .first()
            .map(|f| f.masked.clone())
            .unwrap_or_default()
    );
    sqlx::query(
        "INSERT INTO case_materials (case_id, material_key, revision, kind, file_sha256, file_name, content_type, \
         size_bytes, form_text, provided_by, provided_at) VALUES ($1, $2, $3, 'shared', NULL, NULL, NULL, NULL, $4, $5, $6)",
    )
    .bind(u.case_id)
    .bind(&u.material_key)
    .bind(rev)
    .bind(&summary)
    .bind(&ctx.actor)
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO case_evidence (case_id, material_key, evidence_type, source, provider, reference, fields, \
         consent_id, message_seq, used_by, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (case_id, material_key) DO UPDATE SET evidence_type = excluded.evidence_type, \
         source = excluded.source, provider = excluded.provider, reference = excluded.reference, \
         fields = excluded.fields, consent_id = excluded.consent_id, message_seq = excluded.message_seq, \
         used_by = excluded.used_by, used_at = excluded.used_at",
    )
    .bind(u.case_id)
    .bind(&u.material_key)
    .bind(&u.evidence.evidence_type)
    .bind(u.evidence.source.as_str())
    .bind(&u.evidence.provider)
    .bind(&u.evidence.reference)
    .bind(serde_json::to_string(&u.evidence.fields)?)
    .bind(u.consent_id)
    .bind(u.message_seq)
    .bind(&ctx.actor)
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
        .bind(ctx.at_micros)
        .bind(u.case_id)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        ctx,
        "sharing.evidence_used",
        &format!("case:{}", case.case_no),
        json!({
            "material": u.material_key,
            "revision": rev,
            "evidence_type": u.evidence.evidence_type,
            "source": u.evidence.source.as_str(),
            "provider": u.evidence.provider,
            "consent": u.consent_id,
            "message_seq": u.message_seq,
        }),
    )
    .await?;
    record_access(tx, ctx, access).await?;
    Ok(())
}

pub(super) async fn case_evidence(
    pool: &sqlx::Pool<Db>,
    case_id: i64,
) -> StoreResult<Vec<CaseEvidenceRecord>> {
    let rows = sqlx::query("SELECT * FROM case_evidence WHERE case_id = $1 ORDER BY material_key")
        .bind(case_id)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let fields: String = r.try_get("fields")?;
            let fields: Vec<EvidenceField> = serde_json::from_str(&fields)?;
            Ok(CaseEvidenceRecord {
                material_key: r.try_get("material_key")?,
                evidence_type: r.try_get("evidence_type")?,
                source: r.try_get("source")?,
                provider: r.try_get("provider")?,
                reference: r.try_get("reference")?,
                fields,
                consent_id: r.try_get("consent_id")?,
                message_seq: r.try_get("message_seq")?,
                used_by: r.try_get("used_by")?,
                used_at: r.try_get("used_at")?,
            })
        })
        .collect()
}

/// Inserts an access-log row, then an audit entry holding the row's content
/// hash, then links the row to that entry.
pub(super) async fn record_access(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    a: &NewAccess,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO data_access_log (at_micros, actor, holder, case_id, case_no, purpose, legal_basis, data, \
         unmasked, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0) RETURNING id",
    )
    .bind(ctx.at_micros)
    .bind(&ctx.actor)
    .bind(&a.holder)
    .bind(a.case_id)
    .bind(&a.case_no)
    .bind(&a.purpose)
    .bind(&a.legal_basis)
    .bind(&a.data)
    .bind(i64::from(a.unmasked))
    .fetch_one(&mut **tx)
    .await?;
    let row = AccessRecord {
        id,
        at_micros: ctx.at_micros,
        actor: ctx.actor.clone(),
        holder: a.holder.clone(),
        case_id: a.case_id,
        case_no: a.case_no.clone(),
        purpose: a.purpose.clone(),
        legal_basis: a.legal_basis.clone(),
        data: a.data.clone(),
        unmasked: a.unmasked,
        audit_seq: 0,
    };
    let seq = audit::append(
        tx,
        ctx,
        if a.unmasked {
            "data.unmasked"
        } else {
            "data.accessed"
        },
        &format!("access:{id}"),
        json!({ "row_sha256": row.content_hash(), "case_no": a.case_no, "purpose": a.purpose }),
    )
    .await?;
    sqlx::query("UPDATE data_access_log SET audit_seq = $1 WHERE id = $2")
        .bind(seq)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

fn access_from_row(r: &DbRow) -> StoreResult<AccessRecord> {
    Ok(AccessRecord {
        id: r.try_get("id")?,
        at_micros: r.try_get("at_micros")?,
        actor: r.try_get("actor")?,
        holder: r.try_get("holder")?,
        case_id: r.try_get("case_id")?,
        case_no: r.try_get("case_no")?,
        purpose: r.try_get("purpose")?,
        legal_basis: r.try_get("legal_basis")?,
        data: r.try_get("data")?,
        unmasked: r.try_get::<i64, _>("unmasked")? != 0,
        audit_seq: r.try_get("audit_seq")?,
    })
}

pub(super) async fn access_for(
    pool: &sqlx::Pool<Db>,
    holder: &str,
    limit: i64,
) -> StoreResult<Vec<AccessRecord>> {
    let rows = sqlx::query(
        "SELECT * FROM data_access_log WHERE holder = $1 ORDER BY at_micros DESC, id DESC LIMIT $2",
    )
    .bind(holder)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(access_from_row).collect()
}

pub(super) async fn access_after(
    pool: &sqlx::Pool<Db>,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<AccessRecord>> {
    let rows = sqlx::query("SELECT * FROM data_access_log WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(access_from_row).collect()
}

pub(super) async fn append_messages(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    messages: &[NewProviderMessage],
) -> StoreResult<Vec<i64>> {
    let head = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT seq, hash FROM provider_message_head WHERE id = 1{}",
        idioms::FOR_UPDATE
    )))
    .fetch_one(&mut **tx)
    .await?;
    let mut seq: i64 = head.try_get(0)?;
    let mut prev: String = head.try_get(1)?;
    let mut out = Vec::new();
    for m in messages {
        seq += 1;
        let hash = message_hash(&prev, &m.direction, &m.provider, &m.body, &m.signature);
        sqlx::query(
            "INSERT INTO provider_messages (seq, request_id, provider, direction, case_id, body, signature, \
             outcome, prev_hash, hash, at_micros) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(seq)
        .bind(&m.request_id)
        .bind(&m.provider)
        .bind(&m.direction)
        .bind(m.case_id)
        .bind(&m.body)
        .bind(&m.signature)
        .bind(&m.outcome)
        .bind(&prev)
        .bind(&hash)
        .bind(ctx.at_micros)
        .execute(&mut **tx)
        .await?;
        out.push(seq);
        prev = hash;
    }
    sqlx::query("UPDATE provider_message_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&prev)
        .execute(&mut **tx)
        .await?;
    // The audit chain (anchored by signed checkpoints) keeps the log's head.
    audit::append(
        tx,
        ctx,
        "sharing.messages_logged",
        &format!(
            "provider:{}",
            messages
                .first()
                .map(|m| m.provider.as_str())
                .unwrap_or_default()
        ),
        json!({ "first_seq": out.first(), "last_seq": seq, "hash": prev }),
    )
    .await?;
    Ok(out)
}

pub(super) async fn messages_after(
    pool: &sqlx::Pool<Db>,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<ProviderMessage>> {
    let rows = sqlx::query("SELECT * FROM provider_messages WHERE seq > $1 ORDER BY seq LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ProviderMessage {
                seq: r.try_get("seq")?,
                request_id: r.try_get("request_id")?,
                provider: r.try_get("provider")?,
                direction: r.try_get("direction")?,
                case_id: r.try_get("case_id")?,
                body: r.try_get("body")?,
                signature: r.try_get("signature")?,
                outcome: r.try_get("outcome")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
                at_micros: r.try_get("at_micros")?,
            })
        })
        .collect()
}
