//! SQL both engines understand, compiled once per engine module.
//!
//! This directory is included by `sqlite/mod.rs` and `postgres/mod.rs`
//! (`#[path = "../portable/mod.rs"]`), so `super::Db`, `super::idioms` and
//! `super::EngineStore` are the including engine's. Every mutating operation
//! opens one write transaction, does its work, appends its audit entry and
//! commits.

mod accounts;
mod audit;
mod backup;
mod cases;
mod catalogue;
mod hall;
mod sessions;
mod sharing;

use async_trait::async_trait;
use onetrip_domain::access::{Scope, StaffPrincipal};
use onetrip_domain::audit::AuditEntry;
use onetrip_domain::catalogue::{CatalogueDocument, LifeEvent, ServiceItemBody, SynonymGroup};
use onetrip_domain::region::{Department, Region, ServiceCentre};
use sqlx::Row;
use time::Date;

use super::{Db, EngineStore, idioms};
use crate::{
    ApplicantRecord, Ctx, GrantRecord, ImportSummary, ItemFilter, ItemSummary, ItemVersion,
    NewApplicant, NewStaff, PrincipalKind, RoleRecord, SessionRecord, Snapshot, StaffRecord, Store,
    StoreResult, ThrottleState,
};

/// Runs `body` in a write transaction and commits when it succeeds.
macro_rules! in_write_tx {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = idioms::begin_write(&$store.pool).await?;
        let out = $body;
        $tx.commit().await?;
        Ok(out)
    }};
}

#[async_trait]
impl Store for EngineStore {
    fn engine(&self) -> crate::Engine {
        idioms::ENGINE
    }

    async fn migrate(&self) -> StoreResult<()> {
        idioms::migrate(&self.pool).await
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn describe_schema(&self) -> StoreResult<Vec<(String, String, String)>> {
        let rows = sqlx::query(idioms::DESCRIBE_SCHEMA)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let t: String = r.try_get(2)?;
                Ok((r.try_get(0)?, r.try_get(1)?, idioms::normalise_type(&t)))
            })
            .collect()
    }

    async fn import_catalogue(
        &self,
        ctx: &Ctx,
        doc: &CatalogueDocument,
    ) -> StoreResult<ImportSummary> {
        in_write_tx!(self, |tx| catalogue::import(&mut tx, ctx, doc).await?)
    }

    async fn export_catalogue(&self, ctx: &Ctx) -> StoreResult<CatalogueDocument> {
        in_write_tx!(self, |tx| catalogue::export(&mut tx, ctx).await?)
    }

    async fn list_regions(&self) -> StoreResult<Vec<Region>> {
        catalogue::regions(&self.pool).await
    }

    async fn list_departments(&self) -> StoreResult<Vec<Department>> {
        catalogue::departments(&self.pool).await
    }

    async fn list_service_centres(&self) -> StoreResult<Vec<ServiceCentre>> {
        let mut tx = idioms::begin_read(&self.pool).await?;
        let out = catalogue::centres(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn list_life_events(&self) -> StoreResult<Vec<LifeEvent>> {
        catalogue::life_events(&self.pool).await
    }

    async fn list_synonyms(&self) -> StoreResult<Vec<SynonymGroup>> {
        catalogue::synonyms(&self.pool).await
    }

    async fn list_items(&self, filter: &ItemFilter) -> StoreResult<Vec<ItemSummary>> {
        catalogue::list(&self.pool, filter).await
    }

    async fn published_item(&self, code: &str) -> StoreResult<Option<ItemVersion>> {
        catalogue::version_where(&self.pool, "status = 'published'", code, None).await
    }

    async fn draft_item(&self, code: &str) -> StoreResult<Option<ItemVersion>> {
        catalogue::version_where(&self.pool, "status = 'draft'", code, None).await
    }

    async fn item_version(&self, code: &str, version: i64) -> StoreResult<Option<ItemVersion>> {
        catalogue::version_where(&self.pool, "version = $2", code, Some(version)).await
    }

    async fn item_history(&self, code: &str) -> StoreResult<Vec<ItemVersion>> {
        catalogue::history(&self.pool, code).await
    }

    async fn published_items(&self) -> StoreResult<Vec<ItemVersion>> {
        catalogue::all_published(&self.pool).await
    }

    async fn save_item_draft(
        &self,
        ctx: &Ctx,
        body: &ServiceItemBody,
        effective_from: Date,
    ) -> StoreResult<ItemVersion> {
        in_write_tx!(self, |tx| catalogue::save_draft(
            &mut tx,
            ctx,
            body,
            effective_from
        )
        .await?)
    }

    async fn publish_item(&self, ctx: &Ctx, code: &str, version: i64) -> StoreResult<ItemVersion> {
        in_write_tx!(self, |tx| catalogue::publish(&mut tx, ctx, code, version)
            .await?)
    }

    async fn retire_item(&self, ctx: &Ctx, code: &str) -> StoreResult<()> {
        in_write_tx!(self, |tx| catalogue::retire(&mut tx, ctx, code).await?)
    }

    async fn create_staff(&self, ctx: &Ctx, new: &NewStaff) -> StoreResult<StaffRecord> {
        in_write_tx!(self, |tx| accounts::create_staff(&mut tx, ctx, new).await?)
    }

    async fn staff_by_username(&self, username: &str) -> StoreResult<Option<StaffRecord>> {
        accounts::staff_where(&self.pool, None, Some(username)).await
    }

    async fn staff_by_id(&self, id: i64) -> StoreResult<Option<StaffRecord>> {
        accounts::staff_where(&self.pool, Some(id), None).await
    }

    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>> {
        accounts::list_staff(&self.pool).await
    }

    async fn set_staff_disabled(&self, ctx: &Ctx, id: i64, disabled: bool) -> StoreResult<()> {
        in_write_tx!(self, |tx| accounts::set_disabled(
            &mut tx, ctx, id, disabled
        )
        .await?)
    }

    async fn set_staff_password(&self, ctx: &Ctx, id: i64, password_hash: &str) -> StoreResult<()> {
        in_write_tx!(self, |tx| accounts::set_password(
            &mut tx,
            ctx,
            id,
            password_hash
        )
        .await?)
    }

    async fn staff_principal(&self, id: i64) -> StoreResult<Option<StaffPrincipal>> {
        let mut tx = idioms::begin_read(&self.pool).await?;
        let out = accounts::principal(&mut tx, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn list_roles(&self) -> StoreResult<Vec<RoleRecord>> {
        accounts::roles(&self.pool).await
    }

    async fn save_role(&self, ctx: &Ctx, role: &RoleRecord) -> StoreResult<()> {
        in_write_tx!(self, |tx| accounts::save_role(&mut tx, ctx, role).await?)
    }

    async fn grant_role(
        &self,
        ctx: &Ctx,
        staff_id: i64,
        role: &str,
        scope: &Scope,
    ) -> StoreResult<i64> {
        in_write_tx!(self, |tx| accounts::grant(
            &mut tx, ctx, staff_id, role, scope
        )
        .await?)
    }

    async fn revoke_grant(&self, ctx: &Ctx, grant_id: i64) -> StoreResult<()> {
        in_write_tx!(self, |tx| accounts::revoke_grant(&mut tx, ctx, grant_id)
            .await?)
    }

    async fn list_grants(&self, staff_id: i64) -> StoreResult<Vec<GrantRecord>> {
        accounts::grants(&self.pool, staff_id).await
    }

    async fn register_applicant(
        &self,
        ctx: &Ctx,
        new: &NewApplicant,
    ) -> StoreResult<ApplicantRecord> {
        in_write_tx!(self, |tx| accounts::register_applicant(&mut tx, ctx, new)
            .await?)
    }

    async fn applicant_by_identifier(
        &self,
        identifier: &str,
    ) -> StoreResult<Option<ApplicantRecord>> {
        accounts::applicant_where(&self.pool, None, Some(identifier)).await
    }

    async fn applicant_by_id(&self, id: i64) -> StoreResult<Option<ApplicantRecord>> {
        accounts::applicant_where(&self.pool, Some(id), None).await
    }

    async fn list_applicants(&self, limit: i64) -> StoreResult<Vec<ApplicantRecord>> {
        accounts::list_applicants(&self.pool, limit).await
    }

    async fn throttle_state(&self, key: &str) -> StoreResult<ThrottleState> {
        sessions::throttle(&self.pool, key).await
    }

    async fn record_login_failure(
        &self,
        ctx: &Ctx,
        key: &str,
        max_failures: i64,
        window_micros: i64,
        lock_micros: i64,
    ) -> StoreResult<ThrottleState> {
        in_write_tx!(self, |tx| sessions::record_failure(
            &mut tx,
            ctx,
            key,
            max_failures,
            window_micros,
            lock_micros
        )
        .await?)
    }

    async fn record_login_throttled(&self, ctx: &Ctx, key: &str) -> StoreResult<()> {
        in_write_tx!(self, |tx| {
            audit::append(
                &mut tx,
                ctx,
                "auth.login_throttled",
                &format!("login:{key}"),
                serde_json::json!({}),
            )
            .await?;
        })
    }

    async fn create_session(
        &self,
        ctx: &Ctx,
        session: &SessionRecord,
        throttle_key: &str,
    ) -> StoreResult<()> {
        in_write_tx!(self, |tx| sessions::create(
            &mut tx,
            ctx,
            session,
            throttle_key
        )
        .await?)
    }

    async fn live_session(
        &self,
        token_hash: &str,
        now_micros: i64,
    ) -> StoreResult<Option<SessionRecord>> {
        sessions::live(&self.pool, token_hash, now_micros).await
    }

    async fn revoke_session(&self, ctx: &Ctx, token_hash: &str) -> StoreResult<()> {
        in_write_tx!(self, |tx| sessions::revoke(&mut tx, ctx, token_hash)
            .await?)
    }

    async fn revoke_sessions_of(
        &self,
        ctx: &Ctx,
        kind: PrincipalKind,
        id: i64,
    ) -> StoreResult<u64> {
        in_write_tx!(self, |tx| {
            let n = sessions::revoke_all(&mut tx, ctx, kind, id).await?;
            audit::append(
                &mut tx,
                ctx,
                "auth.sessions_revoked",
                &format!("{}:{id}", kind.as_str()),
                serde_json::json!({ "sessions_ended": n }),
            )
            .await?;
            n
        })
    }

    async fn sessions_of(
        &self,
        kind: PrincipalKind,
        id: i64,
        now_micros: i64,
    ) -> StoreResult<Vec<SessionRecord>> {
        sessions::of_principal(&self.pool, kind, id, now_micros).await
    }

    async fn record_event(
        &self,
        ctx: &Ctx,
        action: &str,
        subject: &str,
        detail: &serde_json::Value,
    ) -> StoreResult<i64> {
        in_write_tx!(self, |tx| audit::append(
            &mut tx,
            ctx,
            action,
            subject,
            detail.clone()
        )
        .await?)
    }

    async fn audit_entries(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        audit::entries_after(&self.pool, after_seq, limit).await
    }

    async fn recent_audit(&self, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        audit::recent(&self.pool, limit).await
    }

    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        audit::head(&self.pool).await
    }

    async fn snapshot(&self) -> StoreResult<Snapshot> {
        let mut tx = idioms::begin_read(&self.pool).await?;
        let out = backup::snapshot(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn restore_snapshot(&self, snapshot: &Snapshot) -> StoreResult<()> {
        in_write_tx!(self, |tx| backup::restore(&mut tx, snapshot).await?)
    }
}
