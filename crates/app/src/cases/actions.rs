//! Taking a lifecycle action on a case.

use onetrip_domain::access::Permission;
use onetrip_store::{CaseActor, CaseChange, CaseCommand, CaseDetail, CaseRecord, PartRecord};

use crate::App;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};

impl App {
    /// The case with everything about it, when `who` may see it (otherwise
    /// "not found", so case numbers reveal nothing).
    pub async fn case_for(&self, who: &Principal, case_id: i64) -> AppResult<CaseDetail> {
        let detail = self
            .store
            .case_detail(case_id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("case {case_id}")))?;
        if super::access::may_view(who, &detail.case, &detail.parts) {
            Ok(detail)
        } else {
            Err(AppError::NotFound(format!("case {case_id}")))
        }
    }

    /// The case and its parts, when `who` may see the case (otherwise
    /// "not found"); the light read taken before every action.
    pub async fn case_head_for(
        &self,
        who: &Principal,
        case_id: i64,
    ) -> AppResult<(CaseRecord, Vec<PartRecord>)> {
        let (case, parts) = self
            .store
            .case_head(case_id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("case {case_id}")))?;
        if super::access::may_view(who, &case, &parts) {
            Ok((case, parts))
        } else {
            Err(AppError::NotFound(format!("case {case_id}")))
        }
    }

    /// Applies `command` to the case as `who`: checks the permission for the
    /// action in the case's (or part's) scope, then lets the store apply it
    /// in one transaction with its audit entry and the applicant's
    /// notifications. Not allowed in the current state: 409 naming the
    /// allowed actions.
    pub async fn act(
        &self,
        who: &Principal,
        case_id: i64,
        command: CaseCommand,
    ) -> AppResult<CaseRecord> {
        let (case, parts) = self.case_head_for(who, case_id).await?;
        let action = command.action();
        let part = match command.part() {
            Some(seq) => Some(
                parts
                    .iter()
                    .find(|p| p.seq == seq)
                    .ok_or_else(|| AppError::NotFound(format!("part {seq}")))?,
            ),
            None => None,
        };
        let actor = self
            .authorize_case_action(who, action, &case, &parts, part)
            .await?;
        if let (CaseCommand::Assign { to_staff, .. }, Some(part)) = (&command, part) {
            self.check_assignee(*to_staff, &case, part).await?;
        }
        self.apply_as(actor, &who.actor(), &case, command).await
    }

    /// Applies a command for an already authorised actor (also used by the
    /// background jobs as the system).
    pub(crate) async fn apply_as(
        &self,
        actor: CaseActor,
        actor_name: &str,
        case: &CaseRecord,
        command: CaseCommand,
    ) -> AppResult<CaseRecord> {
        let notifications = match self.store.applicant_by_id(case.applicant_id).await? {
            Some(applicant) => self.applicant_notifications(&applicant, case, command.action()),
            None => Vec::new(),
        };
        let change = CaseChange {
            case_id: case.id,
            actor,
            today: self.today(),
            command,
            notifications,
        };
        Ok(self
            .store
            .apply_case_change(&self.ctx(actor_name), &change)
            .await?)
    }

    /// The reviewer a part is assigned to must be able to review it.
    async fn check_assignee(
        &self,
        staff_id: i64,
        case: &CaseRecord,
        part: &onetrip_store::PartRecord,
    ) -> AppResult<()> {
        let target = super::access::part_target(case, part);
        let ok = self
            .store
            .staff_principal(staff_id)
            .await?
            .is_some_and(|s| s.authorize(Permission::CaseReview, &target).is_ok());
        if ok {
            Ok(())
        } else {
            Err(AppError::Invalid(onetrip_domain::ValidationErrors::single(
                "to_staff",
                "not_a_reviewer",
                "只能分派给本部门有审查权限的人员 / assign only to a reviewer of this department",
            )))
        }
    }

    /// The applicant replaces their draft's form (every field validated).
    pub async fn save_case_form(
        &self,
        who: &Principal,
        case_id: i64,
        form: &onetrip_domain::case::ApplicationForm,
    ) -> AppResult<CaseRecord> {
        let detail = self.case_for(who, case_id).await?;
        self.authorize_case_action(
            who,
            onetrip_domain::case::CaseAction::Submit,
            &detail.case,
            &detail.parts,
            None,
        )
        .await?;
        form.validate()?;
        Ok(self
            .store
            .save_case_form(&self.ctx(&who.actor()), case_id, form)
            .await?)
    }

    /// Records an applicant's visit to the hall for the case.
    pub async fn record_trip(&self, who: &Principal, case_id: i64, purpose: &str) -> AppResult<()> {
        let detail = self.case_for(who, case_id).await?;
        let staff = who.staff()?;
        let target = super::access::case_target(&detail.case, &detail.parts);
        let allowed = [Permission::CaseReceive, Permission::QueueOperate]
            .iter()
            .any(|p| staff.authorize(*p, &target).is_ok());
        if !allowed {
            return Err(AppError::Forbidden(
                "登记来访需要窗口收件或叫号权限 / recording visits needs window permissions".into(),
            ));
        }
        let purpose = purpose.trim();
        if purpose.is_empty() || purpose.chars().count() > 200 {
            return Err(AppError::Invalid(onetrip_domain::ValidationErrors::single(
                "purpose",
                "required",
                "请填写来访事由（不超过200字） / give the purpose (at most 200 characters)",
            )));
        }
        Ok(self
            .store
            .record_trip(&self.ctx(&who.actor()), case_id, purpose)
            .await?)
    }
}
