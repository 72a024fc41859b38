//! The population and legal-entity registries and the e-certificate library.

use onetrip_domain::evidence::{
    EntityStatus, LegalEntityRecord, PopulationRecord, SharingDocument, parse_holder,
};
use onetrip_domain::text::Text;
use serde_json::json;
use sqlx::{Row, Transaction};

use super::super::{Db, audit};
use super::{DbRow, date, date_text};
use crate::sharing_model::*;
use crate::{Ctx, StoreError, StoreResult};

pub(super) async fn import(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    doc: &SharingDocument,
) -> StoreResult<SharingImportSummary> {
    doc.validate().map_err(StoreError::Invalid)?;
    let mut out = SharingImportSummary::default();
    let source = doc.source.trim();
    for p in &doc.population {
        sqlx::query(
            "INSERT INTO population_records (id_number, name, name_en, gender, ethnicity, address, \
             household_address, household_head, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (id_number) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, \
             gender = excluded.gender, ethnicity = excluded.ethnicity, address = excluded.address, \
             household_address = excluded.household_address, household_head = excluded.household_head, \
             source = excluded.source, updated_at = excluded.updated_at",
        )
        .bind(p.id_number.trim().to_uppercase())
        .bind(p.name.trim())
        .bind(p.name_en.trim())
        .bind(&p.gender)
        .bind(p.ethnicity.trim())
        .bind(p.address.trim())
        .bind(p.household_address.trim())
        .bind(p.household_head.trim())
        .bind(source)
        .bind(ctx.at_micros)
        .execute(&mut **tx)
        .await?;
        out.population += 1;
    }
    for l in &doc.legal_entities {
        sqlx::query(
            "INSERT INTO legal_entities (credit_code, name, name_en, entity_type, legal_representative, \
             legal_representative_id, address, registered_capital_yuan, established_on, status, \
             registration_authority, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, \
             entity_type = excluded.entity_type, legal_representative = excluded.legal_representative, \
             legal_representative_id = excluded.legal_representative_id, address = excluded.address, \
             registered_capital_yuan = excluded.registered_capital_yuan, established_on = excluded.established_on, \
             status = excluded.status, registration_authority = excluded.registration_authority, \
             source = excluded.source, updated_at = excluded.updated_at",
        )
        .bind(l.credit_code.trim().to_uppercase())
        .bind(l.name.trim())
        .bind(l.name_en.trim())
        .bind(l.entity_type.trim())
        .bind(l.legal_representative.trim())
        .bind(l.legal_representative_id.trim().to_uppercase())
        .bind(l.address.trim())
        .bind(l.registered_capital_yuan)
        .bind(date_text(l.established_on))
        .bind(l.status.as_str())
        .bind(l.registration_authority.trim())
        .bind(source)
        .bind(ctx.at_micros)
        .execute(&mut **tx)
        .await?;
        out.legal_entities += 1;
    }
    for (i, c) in doc.certificates.iter().enumerate() {
        let no = c.cert_no.trim();
        let existing: Option<String> =
            sqlx::query_scalar("SELECT source FROM certificates WHERE cert_no = $1")
                .bind(no)
                .fetch_optional(&mut **tx)
                .await?;
        if existing.as_deref() == Some("case") {
            return Err(StoreError::Invalid(
                onetrip_domain::ValidationErrors::single(
                    format!("certificates[{i}].cert_no"),
                    "issued_here",
                    format!(
                        "证照 {no} 由本平台办件核发，不能被导入覆盖 / certificate {no} was issued on OneTrip and cannot be replaced by an import"
                    ),
                ),
            ));
        }
        let holder = parse_holder(&c.holder_identifier).map_err(StoreError::Invalid)?;
        let status = if c.revoked { "revoked" } else { "valid" };
        sqlx::query(
            "INSERT INTO certificates (cert_no, case_id, part_seq, item_code, name_zh, name_en, holder_name, \
             holder_identifier, issuer_code, issued_on, valid_until, status, created_at, cert_type, source, revoked_reason) \
             VALUES ($1, NULL, NULL, '', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (cert_no) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
             holder_name = excluded.holder_name, holder_identifier = excluded.holder_identifier, \
             issuer_code = excluded.issuer_code, issued_on = excluded.issued_on, valid_until = excluded.valid_until, \
             status = excluded.status, cert_type = excluded.cert_type, source = excluded.source, \
             revoked_reason = excluded.revoked_reason",
        )
        .bind(no)
        .bind(c.name.zh.trim())
        .bind(c.name.en.trim())
        .bind(c.holder_name.trim())
        .bind(&holder)
        .bind(c.issuer_code.trim())
        .bind(date_text(c.issued_on))
        .bind(c.valid_until.map(date_text))
        .bind(status)
        .bind(ctx.at_micros)
        .bind(&c.cert_type)
        .bind(format!("import:{source}"))
        .bind(c.revoked_reason.trim())
        .execute(&mut **tx)
        .await?;
        out.certificates += 1;
    }
    audit::append(
        tx,
        ctx,
        "sharing.imported",
        &format!("source:{source}"),
        json!({ "population": out.population, "legal_entities": out.legal_entities, "certificates": out.certificates }),
    )
    .await?;
    Ok(out)
}

fn person_from_row(r: &DbRow) -> StoreResult<StoredPerson> {
    Ok(StoredPerson {
        record: PopulationRecord {
            id_number: r.try_get("id_number")?,
            name: r.try_get("name")?,
            name_en: r.try_get("name_en")?,
            gender: r.try_get("gender")?,
            ethnicity: r.try_get("ethnicity")?,
            address: r.try_get("address")?,
            household_address: r.try_get("household_address")?,
            household_head: r.try_get("household_head")?,
        },
        source: r.try_get("source")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub(super) async fn person(
    pool: &sqlx::Pool<Db>,
    id_number: &str,
) -> StoreResult<Option<StoredPerson>> {
    let row = sqlx::query("SELECT * FROM population_records WHERE id_number = $1")
        .bind(id_number.trim().to_uppercase())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(person_from_row).transpose()
}

pub(super) async fn entity(
    pool: &sqlx::Pool<Db>,
    credit_code: &str,
) -> StoreResult<Option<StoredEntity>> {
    let row = sqlx::query("SELECT * FROM legal_entities WHERE credit_code = $1")
        .bind(credit_code.trim().to_uppercase())
        .fetch_optional(pool)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let status: String = r.try_get("status")?;
    let established: String = r.try_get("established_on")?;
    Ok(Some(StoredEntity {
        record: LegalEntityRecord {
            credit_code: r.try_get("credit_code")?,
            name: r.try_get("name")?,
            name_en: r.try_get("name_en")?,
            entity_type: r.try_get("entity_type")?,
            legal_representative: r.try_get("legal_representative")?,
            legal_representative_id: r.try_get("legal_representative_id")?,
            address: r.try_get("address")?,
            registered_capital_yuan: r.try_get("registered_capital_yuan")?,
            established_on: date(&established)?,
            status: EntityStatus::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("entity status {status}")))?,
            registration_authority: r.try_get("registration_authority")?,
        },
        source: r.try_get("source")?,
        updated_at: r.try_get("updated_at")?,
    }))
}

const CERT_SELECT: &str = "SELECT cert_no, case_id, item_code, name_zh, name_en, holder_name, holder_identifier, \
     issuer_code, issued_on, valid_until, status, cert_type, source, revoked_reason FROM certificates";

fn cert_from_row(r: &DbRow) -> StoreResult<LibraryCertificate> {
    let cert_type: String = r.try_get("cert_type")?;
    let item_code: String = r.try_get("item_code")?;
    let issued: String = r.try_get("issued_on")?;
    let until: Option<String> = r.try_get("valid_until")?;
    let status: String = r.try_get("status")?;
    Ok(LibraryCertificate {
        cert_no: r.try_get("cert_no")?,
        cert_type: if cert_type.is_empty() {
            item_code
        } else {
            cert_type
        },
        name: Text::new(
            r.try_get::<String, _>("name_zh")?,
            r.try_get::<String, _>("name_en")?,
        ),
        holder_name: r.try_get("holder_name")?,
        holder_identifier: r.try_get("holder_identifier")?,
        issuer_code: r.try_get("issuer_code")?,
        issued_on: date(&issued)?,
        valid_until: until.as_deref().map(date).transpose()?,
        revoked: status == "revoked",
        revoked_reason: r.try_get("revoked_reason")?,
        source: r.try_get("source")?,
        case_id: r.try_get("case_id")?,
    })
}

pub(super) async fn certificate(
    pool: &sqlx::Pool<Db>,
    cert_no: &str,
) -> StoreResult<Option<LibraryCertificate>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{CERT_SELECT} WHERE cert_no = $1"
    )))
    .bind(cert_no.trim())
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(cert_from_row).transpose()
}

pub(super) async fn certificates_of(
    pool: &sqlx::Pool<Db>,
    holder: &str,
) -> StoreResult<Vec<LibraryCertificate>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{CERT_SELECT} WHERE holder_identifier = $1 ORDER BY issued_on DESC, cert_no"
    )))
    .bind(holder.trim().to_uppercase())
    .fetch_all(pool)
    .await?;
    rows.iter().map(cert_from_row).collect()
}

pub(super) async fn revoke(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    cert_no: &str,
    reason: &str,
) -> StoreResult<()> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(StoreError::Invalid(
            onetrip_domain::ValidationErrors::single(
                "reason",
                "required",
                "请说明注销原因（不超过500字） / give the reason (at most 500 characters)",
            ),
        ));
    }
    let done = sqlx::query(
        "UPDATE certificates SET status = 'revoked', revoked_reason = $1 WHERE cert_no = $2 AND status <> 'revoked'",
    )
    .bind(reason)
    .bind(cert_no)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if done == 0 {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT status FROM certificates WHERE cert_no = $1")
                .bind(cert_no)
                .fetch_optional(&mut **tx)
                .await?;
        return Err(match exists {
            None => StoreError::NotFound(format!("certificate {cert_no}")),
            Some(_) => StoreError::Conflict(format!(
                "证照 {cert_no} 已注销 / certificate {cert_no} is already revoked"
            )),
        });
    }
    audit::append(
        tx,
        ctx,
        "certificate.revoked",
        &format!("certificate:{cert_no}"),
        json!({ "reason": reason }),
    )
    .await?;
    Ok(())
}
