//! Case handling on both engines: one write transaction per operation.

mod calendar;
mod change;
mod clock;
mod jobs;
mod lists;
pub(super) mod open;
mod outbox;
mod rows;
mod tokens;

use async_trait::async_trait;
use onetrip_domain::calendar::{HolidayNotice, WarningLevel};
use onetrip_domain::case::ApplicationForm;
use onetrip_domain::catalogue::Bundle;
use sqlx::Transaction;
use time::Date;

use super::{Db, EngineStore, audit, idioms};
use crate::case_model::*;
use crate::{CaseStore, Ctx, StoreError, StoreResult};

/// Locks a case row for the rest of the transaction (PostgreSQL row lock;
/// SQLite's `BEGIN IMMEDIATE` already serialises writers).
async fn lock(tx: &mut Transaction<'_, Db>, case_id: i64) -> StoreResult<()> {
    let found: Option<i64> = sqlx::query_scalar(idioms::LOCK_CASE)
        .bind(case_id)
        .fetch_optional(&mut **tx)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))
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

/// Runs `body` in a read transaction (one consistent snapshot).
macro_rules! read {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = idioms::begin_read(&$store.pool).await?;
        let out = $body;
        $tx.commit().await?;
        Ok(out)
    }};
}

#[async_trait]
impl CaseStore for EngineStore {
    async fn calendar_notices(&self) -> StoreResult<Vec<StoredNotice>> {
        read!(self, |tx| calendar::notices(&mut tx).await?)
    }

    async fn import_calendar_notice(
        &self,
        ctx: &Ctx,
        notice: &HolidayNotice,
    ) -> StoreResult<CalendarImport> {
        write!(self, |tx| calendar::import(&mut tx, ctx, notice).await?)
    }

    async fn list_bundles(&self) -> StoreResult<Vec<Bundle>> {
        super::catalogue::bundles(&self.pool).await
    }

    async fn bundle(&self, code: &str) -> StoreResult<Option<Bundle>> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT document FROM bundles WHERE code = $1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await?;
        doc.map(|d| serde_json::from_str(&d).map_err(StoreError::from))
            .transpose()
    }

    async fn open_case(&self, ctx: &Ctx, new: &NewCase) -> StoreResult<CaseRecord> {
        write!(self, |tx| open::open_case(&mut tx, ctx, new).await?)
    }

    async fn save_case_form(
        &self,
        ctx: &Ctx,
        case_id: i64,
        form: &ApplicationForm,
    ) -> StoreResult<CaseRecord> {
        write!(self, |tx| open::save_form(&mut tx, ctx, case_id, form)
            .await?)
    }

    async fn provide_material(
        &self,
        ctx: &Ctx,
        case_id: i64,
        actor: CaseActor,
        material: &NewMaterial,
    ) -> StoreResult<MaterialRecord> {
        write!(self, |tx| open::provide_material(
            &mut tx, ctx, case_id, actor, material
        )
        .await?)
    }

    async fn apply_case_change(&self, ctx: &Ctx, change: &CaseChange) -> StoreResult<CaseRecord> {
        write!(self, |tx| change::apply(&mut tx, ctx, change).await?)
    }

    async fn record_trip(&self, ctx: &Ctx, case_id: i64, purpose: &str) -> StoreResult<()> {
        write!(self, |tx| open::record_trip(&mut tx, ctx, case_id, purpose)
            .await?)
    }

    async fn case_head(&self, case_id: i64) -> StoreResult<Option<(CaseRecord, Vec<PartRecord>)>> {
        // No snapshot needed: what authorisation reads (region, centre,
        // departments) never changes, and the state is checked again under
        // the write lock.
        match rows::fetch_case(&self.pool, case_id).await? {
            Some(case) => Ok(Some((case, rows::fetch_parts(&self.pool, case_id).await?))),
            None => Ok(None),
        }
    }

    async fn case_detail(&self, case_id: i64) -> StoreResult<Option<CaseDetail>> {
        read!(self, |tx| rows::detail(&mut tx, case_id).await?)
    }

    async fn case_id_by_number(&self, case_no: &str) -> StoreResult<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM cases WHERE case_no = $1")
                .bind(case_no)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn case_id_by_status_nonce(&self, nonce: &str) -> StoreResult<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM cases WHERE status_nonce = $1")
                .bind(nonce)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn list_cases(&self, filter: &CaseFilter) -> StoreResult<Vec<CaseSummary>> {
        read!(self, |tx| lists::list_cases(&mut tx, filter).await?)
    }

    async fn inbox(&self, filter: &InboxFilter) -> StoreResult<Vec<TaskRow>> {
        read!(self, |tx| lists::inbox(&mut tx, filter).await?)
    }

    async fn certificate(&self, cert_no: &str) -> StoreResult<Option<CertificateRecord>> {
        read!(self, |tx| lists::certificate(&mut tx, cert_no).await?)
    }

    async fn trip_stats(&self) -> StoreResult<Vec<TripStat>> {
        read!(self, |tx| lists::trip_stats(&mut tx).await?)
    }

    async fn case_counts(&self) -> StoreResult<Vec<(String, i64)>> {
        read!(self, |tx| lists::case_counts(&mut tx).await?)
    }

    async fn cases_past_acceptance(&self, today: Date) -> StoreResult<Vec<i64>> {
        read!(self, |tx| lists::past_acceptance(&mut tx, today).await?)
    }

    async fn open_clocks(&self) -> StoreResult<Vec<OpenClock>> {
        read!(self, |tx| lists::open_clocks(&mut tx).await?)
    }

    async fn record_warning(
        &self,
        ctx: &Ctx,
        case_id: i64,
        part_seq: i64,
        level: WarningLevel,
        notifications: &[NewNotification],
    ) -> StoreResult<bool> {
        write!(self, |tx| jobs::record_warning(
            &mut tx,
            ctx,
            case_id,
            part_seq,
            level,
            notifications
        )
        .await?)
    }

    async fn claim_outbox(
        &self,
        holder: &str,
        now: i64,
        lease_micros: i64,
        limit: i64,
    ) -> StoreResult<Vec<OutboxRecord>> {
        write!(self, |tx| outbox::claim(
            &mut tx,
            holder,
            now,
            lease_micros,
            limit
        )
        .await?)
    }

    async fn complete_outbox(
        &self,
        ctx: &Ctx,
        id: i64,
        holder: &str,
        outcome: &DeliveryOutcome,
    ) -> StoreResult<()> {
        write!(self, |tx| outbox::complete(
            &mut tx, ctx, id, holder, outcome
        )
        .await?)
    }

    async fn list_outbox(
        &self,
        case_id: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxRecord>> {
        read!(self, |tx| outbox::list(&mut tx, case_id, limit).await?)
    }

    async fn messages_for(
        &self,
        kind: &str,
        id: i64,
        limit: i64,
    ) -> StoreResult<Vec<MessageRecord>> {
        read!(self, |tx| outbox::messages(&mut tx, kind, id, limit)
            .await?)
    }

    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> StoreResult<bool> {
        write!(self, |tx| jobs::acquire_lease(
            &mut tx, name, holder, now, until
        )
        .await?)
    }

    async fn create_api_token(
        &self,
        ctx: &Ctx,
        staff_id: i64,
        name: &str,
        token_hash: &str,
        expires_at: i64,
    ) -> StoreResult<ApiTokenRecord> {
        write!(self, |tx| tokens::create(
            &mut tx, ctx, staff_id, name, token_hash, expires_at
        )
        .await?)
    }

    async fn api_token(&self, token_hash: &str, now: i64) -> StoreResult<Option<ApiTokenRecord>> {
        read!(self, |tx| tokens::live(&mut tx, token_hash, now).await?)
    }

    async fn api_tokens_of(&self, staff_id: i64) -> StoreResult<Vec<ApiTokenRecord>> {
        read!(self, |tx| tokens::of_staff(&mut tx, staff_id).await?)
    }

    async fn revoke_api_token(&self, ctx: &Ctx, id: i64) -> StoreResult<()> {
        write!(self, |tx| tokens::revoke(&mut tx, ctx, id).await?)
    }
}
