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
    let target = Target {
        region: Some(region.clone()),
        department: Some(department.to_owned()),
        centre: None,
    };
    matches!(who, Some(Principal::Staff(s)) if s.authorize(Permission::CatalogueEdit, &target).is_ok())
}

impl App {
    /// Where the item's open draft and published version currently belong.
    async fn existing_targets(&self, code: &str) -> AppResult<Vec<Target>> {
        let mut out = Vec::new();
        for v in [
            self.store.published_item(code).await?,
            self.store.draft_item(code).await?,
        ]
        .into_iter()
        .flatten()
        {
            out.push(item_target(&v.body));
        }
        Ok(out)
    }

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
        // Organisations are edited within the editor's own regions; rows
        // identical to the stored ones (as in a re-imported export) need no right.
        let in_region = |region: &RegionCode| Target {
            region: Some(region.clone()),
            department: None,
            centre: None,
        };
        let regions = self.store.list_regions().await?;
        for r in doc.regions.iter().filter(|r| !regions.contains(r)) {
            staff.authorize(Permission::CatalogueEdit, &in_region(&r.code))?;
        }
        let departments = self.store.list_departments().await?;
        for d in doc.departments.iter().filter(|d| !departments.contains(d)) {
            staff.authorize(Permission::CatalogueEdit, &in_region(&d.region))?;
        }
        let centres = self.store.list_service_centres().await?;
        for c in doc.service_centres.iter().filter(|c| !centres.contains(c)) {
            staff.authorize(Permission::CatalogueEdit, &in_region(&c.region))?;
        }
        for item in &doc.items {
            let mut targets = vec![item_target(&item.body)];
            targets.extend(self.existing_targets(&item.body.code).await?);
            for target in &targets {
                staff.authorize(Permission::CatalogueEdit, target)?;
                if item.status == ItemStatus::Published {
                    staff.authorize(Permission::CataloguePublish, target)?;
                }
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
        let staff = who.staff()?;
        // The editor needs the right both where the item is now and where the
        // draft would put it, so nobody can move another region's item to themselves.
        staff.authorize(Permission::CatalogueEdit, &item_target(body))?;
        for target in self.existing_targets(&body.code).await? {
            staff.authorize(Permission::CatalogueEdit, &target)?;
        }
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
        let staff = who.staff()?;
        staff.authorize(Permission::CataloguePublish, &item_target(&v.body))?;
        for target in self.existing_targets(code).await? {
            staff.authorize(Permission::CataloguePublish, &target)?;
        }
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
