//! Catalogue use cases with their authorisation rules.

use onetrip_domain::access::{Permission, Target};
use onetrip_domain::catalogue::{CatalogueDocument, ItemStatus, ServiceItemBody};
use onetrip_domain::region::RegionCode;
use onetrip_store::{ImportSummary, ItemVersion};
use time::Date;

use crate::App;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};

fn item_target(body: &ServiceItemBody) -> Target {
    Target {
        region: Some(body.region.clone()),
        department: Some(body.implementing_body.clone()),
        centre: None,
    }
}

/// Whether `who` may see draft versions of items implemented by
/// `department` in `region`: only staff holding `catalogue.edit` there.
pub fn may_see_draft(who: Option<&Principal>, region: &RegionCode, department: &str) -> bool {
    let target = Target { region: Some(region.clone()), department: Some(department.to_owned()), centre: None };
    matches!(who, Some(Principal::Staff(s)) if s.authorize(Permission::CatalogueEdit, &target).is_ok())
}

impl App {
    /// One exact version as `who` may see it. Published and retired versions
    /// are public (cases are read against them); a draft is visible only to
    /// staff who may edit that item, and is reported as absent to anyone else.
    pub async fn item_version_for(
        &self,
        who: Option<&Principal>,
        code: &str,
        version: i64,
    ) -> AppResult<Option<ItemVersion>> {
        let Some(v) = self.store.item_version(code, version).await? else {
            return Ok(None);
        };
        if v.status != ItemStatus::Draft {
            return Ok(Some(v));
        }
        let visible = may_see_draft(who, &v.body.region, &v.body.implementing_body);
        Ok(visible.then_some(v))
    }

    /// Imports a catalogue document. Needs `catalogue.edit` for every item's
    /// region and department, and `catalogue.publish` (a core permission)
    /// when the document publishes items.
    pub async fn import_catalogue(
        &self,
        who: &Principal,
        doc: &CatalogueDocument,
    ) -> AppResult<ImportSummary> {
        let staff = who.staff()?;
        staff.authorize(Permission::CatalogueEdit, &Target::default())?;
        // Organisations are edited within the editor's own regions.
        let in_region = |region: &RegionCode| Target {
            region: Some(region.clone()),
            department: None,
            centre: None,
        };
        for r in &doc.regions {
            staff.authorize(Permission::CatalogueEdit, &in_region(&r.code))?;
        }
        for d in &doc.departments {
            staff.authorize(Permission::CatalogueEdit, &in_region(&d.region))?;
        }
        for c in &doc.service_centres {
            staff.authorize(Permission::CatalogueEdit, &in_region(&c.region))?;
        }
        for item in &doc.items {
            let target = item_target(&item.body);
            staff.authorize(Permission::CatalogueEdit, &target)?;
            if item.status == ItemStatus::Published {
                staff.authorize(Permission::CataloguePublish, &target)?;
            }
        }
        self.import_catalogue_as(&who.actor(), doc).await
    }

    /// Imports as an operator (the CLI and the demo loader), then refreshes search.
    pub async fn import_catalogue_as(
        &self,
        actor: &str,
        doc: &CatalogueDocument,
    ) -> AppResult<ImportSummary> {
        let summary = self.store.import_catalogue(&self.ctx(actor), doc).await?;
        self.search.rebuild(self.store.as_ref()).await?;
        Ok(summary)
    }

    /// Exports the whole catalogue; needs `data.export`. The export is audited.
    pub async fn export_catalogue(&self, who: &Principal) -> AppResult<CatalogueDocument> {
        who.staff()?
            .authorize(Permission::DataExport, &Target::default())?;
        Ok(self.store.export_catalogue(&self.ctx(&who.actor())).await?)
    }

    /// Saves a draft version of an item; needs `catalogue.edit` for it.
    pub async fn save_item_draft(
        &self,
        who: &Principal,
        body: &ServiceItemBody,
        effective_from: Date,
    ) -> AppResult<ItemVersion> {
        who.staff()?
            .authorize(Permission::CatalogueEdit, &item_target(body))?;
        Ok(self
            .store
            .save_item_draft(&self.ctx(&who.actor()), body, effective_from)
            .await?)
    }

    /// Publishes a draft; needs `catalogue.publish` (core) for the item.
    pub async fn publish_item(
        &self,
        who: &Principal,
        code: &str,
        version: i64,
    ) -> AppResult<ItemVersion> {
        let Some(v) = self.store.item_version(code, version).await? else {
            return Err(AppError::NotFound(format!("item {code} version {version}")));
        };
        who.staff()?
            .authorize(Permission::CataloguePublish, &item_target(&v.body))?;
        let published = self
            .store
            .publish_item(&self.ctx(&who.actor()), code, version)
            .await?;
        self.search.rebuild(self.store.as_ref()).await?;
        Ok(published)
    }

    /// Retires the published version; needs `catalogue.publish` (core).
    pub async fn retire_item(&self, who: &Principal, code: &str) -> AppResult<()> {
        let Some(v) = self.store.published_item(code).await? else {
            return Err(AppError::NotFound(format!("item {code}")));
        };
        who.staff()?
            .authorize(Permission::CataloguePublish, &item_target(&v.body))?;
        self.store
            .retire_item(&self.ctx(&who.actor()), code)
            .await?;
        self.search.rebuild(self.store.as_ref()).await?;
        Ok(())
    }
}
