//! Once-only data sharing on both engines: one transaction per operation.

mod registry;
mod usage;

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use onetrip_domain::case::ChecklistEntry;
use onetrip_domain::evidence::SharingDocument;
use serde_json::json;
use sqlx::Row;
use time::Date;
use time::macros::format_description;

use super::{Db, EngineStore, audit, idioms};
use crate::sharing_model::*;
use crate::{Ctx, SharingStore, StoreError, StoreResult};

type DbRow = <Db as sqlx::Database>::Row;

fn date(s: &str) -> StoreResult<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
}

fn date_text(d: Date) -> String {
    d.to_string()
}

/// Runs `body` in a write transaction and commits when it succeeds.
macro_rules! write {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = idioms::begin_write(&$store.pool).await?;
        let out = $body;
        $tx.commit().await?;
        Ok(out)
    }};
}

#[async_trait]
impl SharingStore for EngineStore {
    async fn import_sharing(
        &self,
        ctx: &Ctx,
        doc: &SharingDocument,
    ) -> StoreResult<SharingImportSummary> {
        write!(self, |tx| registry::import(&mut tx, ctx, doc).await?)
    }

    async fn population_record(&self, id_number: &str) -> StoreResult<Option<StoredPerson>> {
        registry::person(&self.pool, id_number).await
    }

    async fn legal_entity(&self, credit_code: &str) -> StoreResult<Option<StoredEntity>> {
        registry::entity(&self.pool, credit_code).await
    }

    async fn library_certificate(&self, cert_no: &str) -> StoreResult<Option<LibraryCertificate>> {
        registry::certificate(&self.pool, cert_no).await
    }

    async fn certificates_of(&self, holder: &str) -> StoreResult<Vec<LibraryCertificate>> {
        registry::certificates_of(&self.pool, holder).await
    }

    async fn revoke_certificate(&self, ctx: &Ctx, cert_no: &str, reason: &str) -> StoreResult<()> {
        write!(self, |tx| registry::revoke(&mut tx, ctx, cert_no, reason)
            .await?)
    }

    async fn save_provider(&self, ctx: &Ctx, p: &ProviderRecord) -> StoreResult<()> {
        write!(self, |tx| {
            sqlx::query(
                "INSERT INTO sharing_providers (name, base_url, public_key, evidence_types, timeout_ms, enabled, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO UPDATE SET base_url = excluded.base_url, \
                 public_key = excluded.public_key, evidence_types = excluded.evidence_types, \
                 timeout_ms = excluded.timeout_ms, enabled = excluded.enabled, updated_at = excluded.updated_at",
            )
            .bind(&p.name)
            .bind(&p.base_url)
            .bind(&p.public_key)
            .bind(serde_json::to_string(&p.evidence_types)?)
            .bind(p.timeout_ms)
            .bind(i64::from(p.enabled))
            .bind(ctx.at_micros)
            .execute(&mut *tx)
            .await?;
            audit::append(
                &mut tx,
                ctx,
                "sharing.provider_saved",
                &format!("provider:{}", p.name),
                json!({ "base_url": p.base_url, "public_key": p.public_key, "evidence_types": p.evidence_types,
                        "timeout_ms": p.timeout_ms, "enabled": p.enabled }),
            )
            .await?;
        })
    }

    async fn list_providers(&self) -> StoreResult<Vec<ProviderRecord>> {
        let rows = sqlx::query("SELECT * FROM sharing_providers ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let types: String = r.try_get("evidence_types")?;
                Ok(ProviderRecord {
                    name: r.try_get("name")?,
                    base_url: r.try_get("base_url")?,
                    public_key: r.try_get("public_key")?,
                    evidence_types: serde_json::from_str(&types)?,
                    timeout_ms: r.try_get("timeout_ms")?,
                    enabled: r.try_get::<i64, _>("enabled")? != 0,
                })
            })
            .collect()
    }

    async fn append_provider_messages(
        &self,
        ctx: &Ctx,
        messages: &[NewProviderMessage],
    ) -> StoreResult<Vec<i64>> {
        write!(self, |tx| usage::append_messages(&mut tx, ctx, messages)
            .await?)
    }

    async fn provider_messages(&self, after: i64, limit: i64) -> StoreResult<Vec<ProviderMessage>> {
        usage::messages_after(&self.pool, after, limit).await
    }

    async fn record_consent(&self, ctx: &Ctx, consent: &NewConsent) -> StoreResult<ConsentRecord> {
        write!(self, |tx| usage::record_consent(&mut tx, ctx, consent)
            .await?)
    }

    async fn revoke_consent(
        &self,
        ctx: &Ctx,
        applicant_id: i64,
        consent_id: i64,
    ) -> StoreResult<ConsentRecord> {
        write!(self, |tx| usage::revoke_consent(
            &mut tx,
            ctx,
            applicant_id,
            consent_id
        )
        .await?)
    }

    async fn consents_of(&self, applicant_id: i64) -> StoreResult<Vec<ConsentRecord>> {
        usage::consents_of(&self.pool, applicant_id).await
    }

    async fn use_evidence(
        &self,
        ctx: &Ctx,
        evidence: &EvidenceUse,
        access: &NewAccess,
    ) -> StoreResult<()> {
        write!(self, |tx| usage::use_evidence(
            &mut tx, ctx, evidence, access
        )
        .await?)
    }

    async fn case_evidence(&self, case_id: i64) -> StoreResult<Vec<CaseEvidenceRecord>> {
        usage::case_evidence(&self.pool, case_id).await
    }

    async fn record_access(&self, ctx: &Ctx, access: &NewAccess) -> StoreResult<i64> {
        write!(self, |tx| usage::record_access(&mut tx, ctx, access)
            .await?)
    }

    async fn access_log_for(&self, holder: &str, limit: i64) -> StoreResult<Vec<AccessRecord>> {
        usage::access_for(&self.pool, holder, limit).await
    }

    async fn access_log_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AccessRecord>> {
        usage::access_after(&self.pool, after, limit).await
    }

    async fn sharing_measures(&self) -> StoreResult<SharingMeasures> {
        let mut tx = idioms::begin_read(&self.pool).await?;
        let cases = sqlx::query(
            "SELECT id, case_no, checklist FROM cases WHERE status <> 'draft' ORDER BY id DESC",
        )
        .fetch_all(&mut *tx)
        .await?;
        let materials = sqlx::query(
            "SELECT m.case_id, m.material_key, m.kind FROM case_materials m \
             JOIN (SELECT case_id, material_key, MAX(revision) AS rev FROM case_materials GROUP BY case_id, material_key) l \
             ON l.case_id = m.case_id AND l.material_key = m.material_key AND l.rev = m.revision",
        )
        .fetch_all(&mut *tx)
        .await?;
        let trips = sqlx::query("SELECT case_id, COUNT(*) AS n FROM case_trips GROUP BY case_id")
            .fetch_all(&mut *tx)
            .await?;
        let parts = sqlx::query("SELECT case_id, item_code FROM case_parts ORDER BY case_id, seq")
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut kinds: HashMap<(i64, String), String> = HashMap::new();
        for r in &materials {
            kinds.insert((r.try_get(0)?, r.try_get(1)?), r.try_get(2)?);
        }
        let mut trip_count: HashMap<i64, i64> = HashMap::new();
        for r in &trips {
            trip_count.insert(r.try_get(0)?, r.try_get(1)?);
        }
        let mut items_of: HashMap<i64, Vec<String>> = HashMap::new();
        for r in &parts {
            items_of
                .entry(r.try_get(0)?)
                .or_default()
                .push(r.try_get(1)?);
        }
        let mut out = SharingMeasures::default();
        let mut per_item: BTreeMap<String, ItemMeasure> = BTreeMap::new();
        for r in &cases {
            let id: i64 = r.try_get(0)?;
            let checklist: String = r.try_get(2)?;
            let checklist: Vec<ChecklistEntry> = serde_json::from_str(&checklist)?;
            let mut m = CaseMeasure {
                case_id: id,
                case_no: r.try_get(1)?,
                item_codes: items_of.remove(&id).unwrap_or_default(),
                required: 0,
                shared: 0,
                uploaded: 0,
                trips: trip_count.get(&id).copied().unwrap_or(0),
                trips_avoided: 0,
            };
            for e in checklist.iter().filter(|e| e.needed_from_applicant()) {
                m.required += 1;
                match kinds.get(&(id, e.key.clone())).map(String::as_str) {
                    Some("shared") => m.shared += 1,
                    Some(_) => m.uploaded += 1,
                    None => {}
                }
            }
            m.trips_avoided = m.shared;
            for code in &m.item_codes {
                let i = per_item.entry(code.clone()).or_insert_with(|| ItemMeasure {
                    item_code: code.clone(),
                    cases: 0,
                    required: 0,
                    shared: 0,
                    uploaded: 0,
                    trips: 0,
                    trips_avoided: 0,
                });
                i.cases += 1;
                i.required += m.required;
                i.shared += m.shared;
                i.uploaded += m.uploaded;
                i.trips += m.trips;
                i.trips_avoided += m.trips_avoided;
            }
            out.cases.push(m);
        }
        out.items = per_item.into_values().collect();
        Ok(out)
    }
}
