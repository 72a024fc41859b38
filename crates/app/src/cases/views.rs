//! Lists of cases and tasks as each user may see them.

use onetrip_domain::access::{Permission, StaffPrincipal};
use onetrip_domain::calendar::WarningLevel;
use onetrip_domain::case::{CaseStatus, PartStatus};
use onetrip_domain::region::RegionLevel;
use onetrip_store::{CaseFilter, CaseSummary, InboxFilter, TaskRow};
use time::Date;

use crate::App;
use crate::auth::Principal;
use crate::error::AppResult;

/// Filters a staff member may apply to their workbench.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkbenchFilter {
    /// Only this warning level.
    pub warning: Option<WarningLevel>,
    /// Only tasks due on or before.
    pub due_by: Option<Date>,
    /// Only my tasks.
    pub mine: bool,
    /// Task states (default open and claimed).
    pub statuses: Vec<PartStatus>,
}

impl App {
    /// The departments where the staff member holds `permission`: those
    /// named in grants, and every department inside a grant's region when
    /// the grant names none.
    pub async fn departments_with(
        &self,
        staff: &StaffPrincipal,
        permission: Permission,
    ) -> AppResult<Vec<String>> {
        if !staff.has_anywhere(permission) {
            return Ok(Vec::new());
        }
        let all = self.store.list_departments().await?;
        let mut out: Vec<String> = Vec::new();
        for g in staff
            .grants
            .iter()
            .filter(|g| g.permissions.contains(&permission))
        {
            for d in &all {
                let covered = match &g.scope.department {
                    Some(code) => code == &d.code,
                    None => d.region.is_within(&g.scope.region),
                };
                if covered && !out.contains(&d.code) {
                    out.push(d.code.clone());
                }
            }
        }
        Ok(out)
    }

    /// Region prefixes where the staff member holds `permission`.
    fn regions_with(staff: &StaffPrincipal, permission: Permission) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in staff
            .grants
            .iter()
            .filter(|g| g.permissions.contains(&permission))
        {
            let r = g.scope.region.as_str();
            let len = match g.scope.region.level() {
                RegionLevel::Province => 2,
                RegionLevel::City => 4,
                RegionLevel::County => 6,
                RegionLevel::Township => r.len(),
            };
            let code = r[..len.min(r.len())].to_owned();
            if !out.contains(&code) {
                out.push(code);
            }
        }
        out
    }

    /// The applicant's own cases, drafts included.
    pub async fn my_cases(&self, who: &Principal, limit: i64) -> AppResult<Vec<CaseSummary>> {
        let Principal::Applicant(a) = who else {
            return Ok(Vec::new());
        };
        Ok(self
            .store
            .list_cases(&CaseFilter {
                applicant_id: Some(a.id),
                limit,
                ..CaseFilter::default()
            })
            .await?)
    }

    /// Review tasks in the inboxes of the staff member's departments (or
    /// only theirs), earliest due first.
    pub async fn workbench(
        &self,
        who: &Principal,
        filter: &WorkbenchFilter,
    ) -> AppResult<Vec<TaskRow>> {
        let staff = who.staff()?;
        let departments = self.departments_with(staff, Permission::CaseReview).await?;
        if departments.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .store
            .inbox(&InboxFilter {
                departments,
                assignee: filter.mine.then_some(staff.id),
                statuses: filter.statuses.clone(),
                warning: filter.warning,
                due_by: filter.due_by,
                limit: 200,
            })
            .await?)
    }

    /// Cases waiting for a front-desk step (pre-review, acceptance,
    /// signing, delivery) in the staff member's regions.
    pub async fn intake_queue(
        &self,
        who: &Principal,
        statuses: &[CaseStatus],
        warning: Option<WarningLevel>,
    ) -> AppResult<Vec<CaseSummary>> {
        let staff = who.staff()?;
        let permissions = [
            Permission::CasePreReview,
            Permission::CaseAccept,
            Permission::DocumentSign,
            Permission::ResultDeliver,
            Permission::SupervisionView,
        ];
        let mut prefixes = Vec::new();
        for p in permissions {
            for r in Self::regions_with(staff, p) {
                if !prefixes.contains(&r) {
                    prefixes.push(r);
                }
            }
        }
        if prefixes.is_empty() {
            return Ok(Vec::new());
        }
        let statuses = if statuses.is_empty() {
            vec![
                CaseStatus::Submitted,
                CaseStatus::PreReviewed,
                CaseStatus::CorrectionRequested,
                CaseStatus::Decided,
                CaseStatus::ResultIssued,
                CaseStatus::InDelivery,
            ]
        } else {
            statuses.to_vec()
        };
        Ok(self
            .store
            .list_cases(&CaseFilter {
                statuses,
                region_prefixes: prefixes,
                warning,
                limit: 200,
                ..CaseFilter::default()
            })
            .await?)
    }
}
