//! Who may see and act on a case.
//!
//! Rules: an applicant sees and acts on their own cases only. Staff act
//! only with the action's permission in a scope covering the case: case
//! actions are checked against the case's region and service centre (and
//! the department of a single-item case); part actions against the part's
//! region and department. Core permissions (accept, refuse, approve, deny,
//! extend, sign) are never effective for contractor staff, whatever their
//! grants. A refused attempt is audited before the 403 is returned.

use onetrip_domain::access::{Permission, StaffPrincipal, Target};
use onetrip_domain::case::CaseAction;
use onetrip_domain::region::RegionCode;
use onetrip_store::{CaseActor, CaseRecord, PartRecord};
use serde_json::json;

use crate::App;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};

/// Every permission that lets staff see a case in their scope.
pub const CASE_VIEW_PERMISSIONS: &[Permission] = &[
    Permission::CaseConsult,
    Permission::CaseReceive,
    Permission::CasePreReview,
    Permission::CaseAccept,
    Permission::CaseReview,
    Permission::CaseAssign,
    Permission::CaseApprove,
    Permission::CaseDecide,
    Permission::DocumentSign,
    Permission::ResultDeliver,
    Permission::SupervisionView,
];

fn region(code: &str) -> Option<RegionCode> {
    RegionCode::parse(code).ok()
}

/// The target of a whole-case action.
pub fn case_target(case: &CaseRecord, parts: &[PartRecord]) -> Target {
    let department = match parts {
        [only] => Some(only.department_code.clone()),
        _ => None,
    };
    Target {
        region: region(&case.region_code),
        department,
        centre: (!case.centre_code.is_empty()).then(|| case.centre_code.clone()),
    }
}

/// The target of a part action.
pub fn part_target(case: &CaseRecord, part: &PartRecord) -> Target {
    Target {
        region: region(&part.region_code),
        department: Some(part.department_code.clone()),
        centre: (!case.centre_code.is_empty()).then(|| case.centre_code.clone()),
    }
}

/// True when a staff member holds a permission covering the target, or for
/// a case target, covering any of its parts.
fn covers(staff: &StaffPrincipal, p: Permission, case: &CaseRecord, parts: &[PartRecord]) -> bool {
    staff.authorize(p, &case_target(case, parts)).is_ok()
        || parts
            .iter()
            .any(|part| staff.authorize(p, &part_target(case, part)).is_ok())
}

/// Whether `who` may see the case.
pub fn may_view(who: &Principal, case: &CaseRecord, parts: &[PartRecord]) -> bool {
    match who {
        Principal::Applicant(a) => a.id == case.applicant_id,
        Principal::Staff(s) => {
            case.status.visible_to_staff()
                && CASE_VIEW_PERMISSIONS
                    .iter()
                    .any(|p| covers(s, *p, case, parts))
        }
    }
}

impl App {
    /// Checks that `who` may take `action` on the case (and part), auditing
    /// a refusal. Returns the store actor.
    pub(crate) async fn authorize_case_action(
        &self,
        who: &Principal,
        action: CaseAction,
        case: &CaseRecord,
        parts: &[PartRecord],
        part: Option<&PartRecord>,
    ) -> AppResult<CaseActor> {
        let rule = action.rule();
        let refusal = match who {
            Principal::Applicant(a) if rule.applicant && a.id == case.applicant_id => {
                return Ok(CaseActor::Applicant(a.id));
            }
            Principal::Applicant(_) => {
                "申请人只能办理本人的申请 / applicants act on their own cases only".to_owned()
            }
            Principal::Staff(s) => match rule.staff {
                Some(p) => {
                    let target = match part {
                        Some(part) => part_target(case, part),
                        None => case_target(case, parts),
                    };
                    match s.authorize(p, &target) {
                        Ok(()) => return Ok(CaseActor::Staff(s.id)),
                        Err(e) => e.to_string(),
                    }
                }
                None => "该操作只能由系统执行 / only the system takes this action".to_owned(),
            },
        };
        self.store
            .record_event(
                &self.ctx(&who.actor()),
                "case.forbidden",
                &format!("case:{}", case.case_no),
                &json!({ "action": action.as_str(), "part": part.map(|p| p.seq), "reason": refusal }),
            )
            .await?;
        Err(AppError::Forbidden(refusal))
    }
}
