//! Driving one demo case from filing to its planned state through
//! `App::act`, each step by a principal who may take it: the applicant
//! (online) or the window helper for filing, materials, corrections and
//! withdrawal; the helper for pre-review and delivery; the department's
//! officer (or the centre's chief representative for a bundle) for
//! acceptance, refusal, review, decisions and signing.

use onetrip_domain::case::{CorrectionItem, CorrectionProblem, DeliveryMethod, PartStatus};
use onetrip_domain::catalogue::{MaterialSource, PowerCategory};
use onetrip_store::{CaseCommand, CaseDetail};

use super::plan::{Goal, Rng};
use super::{Filing, Stage, texts};
use crate::App;
use crate::auth::Principal;
use crate::cases::access::{case_target, part_target};
use crate::error::{AppError, AppResult};

fn text<'a>(rng: &mut Rng, items: &'a [&'a str]) -> &'a str {
    rng.pick(items).copied().unwrap_or("")
}

impl App {
    async fn demo_detail(&self, case_id: i64) -> AppResult<CaseDetail> {
        self.store
            .case_detail(case_id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("case {case_id}")))
    }

    /// Takes the action of `command` as the first demo staff member allowed
    /// to, on the whole case or on the part the command names.
    async fn demo_staff_act(
        &self,
        stage: &Stage,
        detail: &CaseDetail,
        command: CaseCommand,
    ) -> AppResult<()> {
        let permission = command
            .action()
            .rule()
            .staff
            .ok_or_else(|| AppError::Internal("a staff action".into()))?;
        let target = match command.part() {
            Some(seq) => {
                let part = detail
                    .parts
                    .iter()
                    .find(|p| p.seq == seq)
                    .ok_or_else(|| AppError::NotFound(format!("part {seq}")))?;
                part_target(&detail.case, part)
            }
            None => case_target(&detail.case, &detail.parts),
        };
        let who = stage.cast.pick(permission, &target)?;
        self.act(&who, detail.case.id, command).await?;
        Ok(())
    }

    /// Files the case and takes it to `goal`.
    pub(super) async fn drive_demo_case(
        &self,
        stage: &Stage,
        rng: &mut Rng,
        goal: Goal,
        filing: &Filing,
    ) -> AppResult<()> {
        let (id, filer) = self.file_demo_case(stage, filing).await?;
        let detail = self.demo_detail(id).await?;
        let checklist = detail.case.checklist.clone();
        // A case that goes through a correction notice lacks one of the
        // applicant's own documents at first.
        let corrected = goal == Goal::CorrectionRequested
            || (goal.passes_pre_review() && rng.chance(20))
            || (goal == Goal::Submitted && rng.chance(30));
        let withheld = if corrected {
            checklist
                .iter()
                .find(|e| e.needed_from_applicant() && e.source == MaterialSource::Applicant)
                .map(|e| e.key.clone())
        } else {
            None
        };
        for e in &checklist {
            let optional = !e.required && e.produced_by.is_none();
            let provide = if e.needed_from_applicant() {
                Some(&e.key) != withheld.as_ref() && (goal != Goal::Draft || rng.chance(50))
            } else {
                optional && rng.chance(30)
            };
            if provide {
                self.provide_demo_material(stage, &filer, id, filing, e)
                    .await?;
            }
        }
        if goal == Goal::Draft {
            return Ok(());
        }
        if filing.online {
            self.act(&filer, id, CaseCommand::Submit).await?;
        }
        let withdraw_stage = rng.below(3);
        if goal == Goal::Withdrawn && withdraw_stage == 0 {
            return self.demo_withdraw(&filer, rng, id).await;
        }
        if goal == Goal::Submitted {
            return Ok(());
        }
        if corrected {
            let mut items = Vec::new();
            if let Some(key) = &withheld {
                items.push(correction_item(rng, &checklist, key, true));
            }
            let provided: Vec<&str> = checklist
                .iter()
                .filter(|e| {
                    e.needed_from_applicant()
                        && e.source == MaterialSource::Applicant
                        && Some(&e.key) != withheld.as_ref()
                })
                .map(|e| e.key.as_str())
                .collect();
            if (items.is_empty() || rng.chance(40))
                && let Some(key) = rng.pick(&provided)
            {
                items.push(correction_item(rng, &checklist, key, false));
            }
            if items.is_empty() {
                // No scan of the applicant's own: the e-certificate lookup failed.
                if let Some(e) = checklist.iter().find(|e| e.needed_from_applicant()) {
                    items.push(CorrectionItem {
                        target: e.key.clone(),
                        problem: CorrectionProblem::Defective,
                        note: format!(
                            "{}电子证照状态异常、无法调取，请上传证件原件扫描件。",
                            e.name.zh
                        ),
                    });
                }
            }
            if !items.is_empty() {
                let detail = self.demo_detail(id).await?;
                self.demo_staff_act(
                    stage,
                    &detail,
                    CaseCommand::RequestCorrection {
                        items: items.clone(),
                    },
                )
                .await?;
                if goal == Goal::CorrectionRequested {
                    return Ok(());
                }
                for item in &items {
                    if let Some(e) = checklist.iter().find(|e| e.key == item.target) {
                        self.provide_demo_material(stage, &filer, id, filing, e)
                            .await?;
                    }
                }
                let form = filing.request.form.clone();
                self.act(&filer, id, CaseCommand::Resubmit { form }).await?;
            }
        }
        let detail = self.demo_detail(id).await?;
        if goal == Goal::Refused {
            let retirement = detail.case.title.zh.contains("退休");
            let i = if retirement {
                texts::REFUSALS.len() - 1
            } else {
                rng.below(texts::REFUSALS.len() - 1)
            };
            let (reasons, redirect) = texts::REFUSALS[i];
            if rng.chance(50) {
                self.demo_staff_act(stage, &detail, CaseCommand::PassPreReview)
                    .await?;
            }
            return self
                .demo_staff_act(
                    stage,
                    &detail,
                    CaseCommand::Refuse {
                        reasons: reasons.to_owned(),
                        redirect: redirect.to_owned(),
                    },
                )
                .await;
        }
        self.demo_staff_act(stage, &detail, CaseCommand::PassPreReview)
            .await?;
        if goal == Goal::PreReviewed {
            return Ok(());
        }
        self.demo_staff_act(stage, &detail, CaseCommand::Accept)
            .await?;
        if goal == Goal::Withdrawn && withdraw_stage == 1 {
            return self.demo_withdraw(&filer, rng, id).await;
        }
        if goal == Goal::ReviewOpen {
            return Ok(());
        }
        self.demo_review(stage, rng, goal, id).await?;
        if goal == Goal::Withdrawn {
            return self.demo_withdraw(&filer, rng, id).await;
        }
        if !goal.is_decided() {
            return Ok(());
        }
        self.demo_decide(stage, rng, id).await?;
        if goal == Goal::Decided {
            return Ok(());
        }
        let detail = self.demo_detail(id).await?;
        self.demo_staff_act(stage, &detail, CaseCommand::IssueResult)
            .await?;
        if goal == Goal::ResultIssued {
            return Ok(());
        }
        let (carrier, tracking_no) = if detail.case.delivery_method == DeliveryMethod::Courier {
            let (carrier, prefix) = rng
                .pick(texts::CARRIERS)
                .copied()
                .unwrap_or(("顺丰速运", "SF"));
            let digits = if prefix == "SF" { 13 } else { 11 };
            let number: String = (0..digits)
                .map(|_| char::from(b'0' + u8::try_from(rng.below(10)).unwrap_or(0)))
                .collect();
            (carrier.to_owned(), format!("{prefix}{number}"))
        } else {
            (String::new(), String::new())
        };
        self.demo_staff_act(
            stage,
            &detail,
            CaseCommand::Dispatch {
                carrier,
                tracking_no,
            },
        )
        .await?;
        if goal == Goal::InDelivery || detail.case.delivery_method == DeliveryMethod::Electronic {
            return Ok(());
        }
        let note = if detail.case.delivery_method == DeliveryMethod::Courier {
            text(rng, texts::COURIER_RECEIPTS)
        } else {
            text(rng, texts::PICKUP_RECEIPTS)
        };
        self.demo_staff_act(
            stage,
            &detail,
            CaseCommand::ConfirmDelivery {
                note: note.to_owned(),
            },
        )
        .await
    }

    async fn demo_withdraw(&self, filer: &Principal, rng: &mut Rng, id: i64) -> AppResult<()> {
        let reason = text(rng, texts::WITHDRAWALS).to_owned();
        self.act(filer, id, CaseCommand::Withdraw { reason })
            .await?;
        Ok(())
    }

    /// Reviewers claim the parts, comment, and for some cases an officer
    /// approves an extension or a special procedure runs; cases meant to
    /// stay in a special procedure or suspended are left there.
    async fn demo_review(
        &self,
        stage: &Stage,
        rng: &mut Rng,
        goal: Goal,
        id: i64,
    ) -> AppResult<()> {
        let detail = self.demo_detail(id).await?;
        let claim_all = goal != Goal::ReviewClaimed || rng.chance(60);
        for (n, part) in detail.parts.iter().enumerate() {
            if n > 0 && !claim_all {
                break;
            }
            self.demo_staff_act(stage, &detail, CaseCommand::Claim { part: part.seq })
                .await?;
            if rng.chance(40) {
                let text = text(rng, texts::COMMENTS).to_owned();
                self.demo_staff_act(
                    stage,
                    &detail,
                    CaseCommand::Comment {
                        part: Some(part.seq),
                        text,
                    },
                )
                .await?;
            }
        }
        if goal == Goal::ReviewClaimed
            && rng.chance(25)
            && let Some(part) = detail.parts.first()
        {
            let reason = text(rng, texts::EXTENSIONS).to_owned();
            self.demo_staff_act(
                stage,
                &detail,
                CaseCommand::Extend {
                    part: part.seq,
                    days: 10,
                    reason,
                },
            )
            .await?;
        }
        let special = goal == Goal::Special || (goal.is_decided() && rng.chance(15));
        if special {
            let (kind, reason) = rng
                .pick(texts::SPECIAL)
                .copied()
                .ok_or_else(|| AppError::Internal("special procedures".into()))?;
            self.demo_staff_act(
                stage,
                &detail,
                CaseCommand::StartSpecialProcedure {
                    kind,
                    reason: reason.to_owned(),
                },
            )
            .await?;
            if goal == Goal::Special {
                return Ok(());
            }
            self.demo_staff_act(stage, &detail, CaseCommand::EndSpecialProcedure)
                .await?;
        }
        if goal == Goal::Suspended {
            let reason = text(rng, texts::SUSPENSIONS).to_owned();
            self.demo_staff_act(stage, &detail, CaseCommand::Suspend { reason })
                .await?;
        }
        Ok(())
    }

    /// Decides every part: mostly approved with an opinion (licences valid
    /// for five years), sometimes the first part denied with reasons.
    async fn demo_decide(&self, stage: &Stage, rng: &mut Rng, id: i64) -> AppResult<()> {
        let detail = self.demo_detail(id).await?;
        let deny_first = rng.chance(12);
        for (n, part) in detail.parts.iter().enumerate() {
            if !matches!(part.status, PartStatus::Open | PartStatus::Claimed) {
                continue;
            }
            let command = if n == 0 && deny_first {
                let reasons = if detail.case.title.zh.contains("退休") {
                    texts::DENIALS[texts::DENIALS.len() - 1]
                } else {
                    texts::DENIALS[rng.below(texts::DENIALS.len() - 1)]
                };
                CaseCommand::Deny {
                    part: part.seq,
                    reasons: reasons.to_owned(),
                }
            } else {
                let licence = stage
                    .items
                    .iter()
                    .find(|v| v.body.code == part.item_code)
                    .is_some_and(|v| v.body.power_category == PowerCategory::Licensing);
                CaseCommand::Approve {
                    part: part.seq,
                    opinion: text(rng, texts::OPINIONS).to_owned(),
                    valid_until: licence.then(|| self.today() + time::Duration::days(5 * 365 + 1)),
                }
            };
            self.demo_staff_act(stage, &detail, command).await?;
        }
        Ok(())
    }
}

fn correction_item(
    rng: &mut Rng,
    checklist: &[onetrip_domain::case::ChecklistEntry],
    key: &str,
    missing: bool,
) -> CorrectionItem {
    let name = checklist
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.name.zh.clone())
        .unwrap_or_default();
    let (problem, note) = if missing {
        texts::CORRECTIONS[0]
    } else {
        texts::CORRECTIONS[1 + rng.below(texts::CORRECTIONS.len() - 1)]
    };
    CorrectionItem {
        target: key.to_owned(),
        problem,
        note: note.replace("{m}", &name),
    }
}
