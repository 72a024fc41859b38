//! Applying one lifecycle command to a case inside one write transaction:
//! lock the case, check the state machine, do the work, recompute due
//! dates, write the timeline, queue notifications and append the audit
//! entry. Anything that fails rolls all of it back.

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::AccessError;
use onetrip_domain::case::{
    AcceptanceKind, CaseStatus, Decision, DeliveryMethod, FORM_FIELDS, MAX_EXTENSION_DAYS,
    NoticeKind, PartStatus, PauseKind, after_part_decided, transition, validate_correction,
    validate_reason,
};
use serde_json::json;
use sqlx::Transaction;
use time::Date;

use super::open::{Step, insert_event, insert_notice, queue, replace_form};
use super::rows::{
    date_text, load_case, load_case_locked, load_corrections, load_materials, load_parts,
    opt_date_text,
};
use super::{Db, audit, clock};
use crate::{
    CaseActor, CaseChange, CaseCommand, CaseRecord, Ctx, PartRecord, StoreError, StoreResult,
};

fn invalid(field: &str, code: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid(ValidationErrors::single(field, code, message))
}

fn conflict(message: impl Into<String>) -> StoreError {
    StoreError::Conflict(message.into())
}

/// The actor kind must match the action's rule; staff permissions and the
/// applicant's ownership are checked by the application layer before.
fn check_actor(case: &CaseRecord, change: &CaseChange) -> StoreResult<()> {
    let rule = change.command.action().rule();
    let ok = match change.actor {
        CaseActor::Applicant(id) => rule.applicant && id == case.applicant_id,
        CaseActor::Staff(_) => rule.staff.is_some(),
        CaseActor::System => rule.system,
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::Forbidden(AccessError::Missing {
            permission: change.command.action().as_str(),
        }))
    }
}

async fn set_part(
    tx: &mut Transaction<'_, Db>,
    part: &PartRecord,
    status: PartStatus,
    assignee: Option<i64>,
) -> StoreResult<()> {
    sqlx::query("UPDATE case_parts SET status = $1, assignee_id = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(assignee)
        .bind(part.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn set_all_parts(
    tx: &mut Transaction<'_, Db>,
    case_id: i64,
    from: &[PartStatus],
    to: PartStatus,
) -> StoreResult<()> {
    for f in from {
        sqlx::query("UPDATE case_parts SET status = $1 WHERE case_id = $2 AND status = $3")
            .bind(to.as_str())
            .bind(case_id)
            .bind(f.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn undecided(part: &PartRecord) -> StoreResult<()> {
    if matches!(part.status, PartStatus::Open | PartStatus::Claimed) {
        Ok(())
    } else {
        Err(conflict(format!(
            "事项“{}”当前为“{}”，不能再办理 / part {} is {}",
            part.name.zh,
            part.status.label("zh"),
            part.seq,
            part.status.as_str()
        )))
    }
}

/// Acceptance must be answered within 5 working days; after that the case
/// is accepted by law and can no longer be refused or sent for correction.
fn within_acceptance_limit(case: &CaseRecord, today: Date) -> StoreResult<()> {
    match case.accept_due {
        Some(due) if today > due => Err(conflict(format!(
            "受理期限（{due}）已过，依法视为受理 / the acceptance limit ({due}) has passed: the case counts as accepted"
        ))),
        _ => Ok(()),
    }
}

async fn close_pauses(tx: &mut Transaction<'_, Db>, case_id: i64, today: Date) -> StoreResult<()> {
    sqlx::query("UPDATE case_pauses SET until_date = $1 WHERE case_id = $2 AND until_date IS NULL")
        .bind(date_text(today))
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn open_pause(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
    kind: PauseKind,
    reason: &str,
    today: Date,
) -> StoreResult<()> {
    validate_reason("reason", reason, 500)?;
    sqlx::query(
        "INSERT INTO case_pauses (case_id, kind, reason, from_date, started_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(case_id)
    .bind(kind.as_str())
    .bind(reason.trim())
    .bind(date_text(today))
    .bind(&ctx.actor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Everything the acceptance notice states.
fn acceptance_content(
    case: &CaseRecord,
    parts: &[PartRecord],
    kind: AcceptanceKind,
) -> serde_json::Value {
    json!({
        "case_no": case.case_no,
        "title": case.title,
        "acceptance": kind.as_str(),
        "items": parts.iter().map(|p| json!({
            "item": p.item_code, "name": p.name, "department": p.department_code,
            "statutory_days": p.statutory_days, "promised_days": p.promised_days,
        })).collect::<Vec<_>>(),
    })
}

pub(super) async fn apply(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    change: &CaseChange,
) -> StoreResult<CaseRecord> {
    let mut case = load_case_locked(tx, change.case_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("case {}", change.case_id)))?;
    check_actor(&case, change)?;
    let id = case.id;
    let parts = load_parts(tx, id).await?;
    let action = change.command.action();
    let from = case.status;
    let mut to = transition(from, action).map_err(|e| conflict(e.to_string()))?;
    let part = match change.command.part() {
        Some(seq) => Some(
            parts
                .iter()
                .find(|p| p.seq == seq)
                .ok_or_else(|| StoreError::NotFound(format!("part {seq}")))?,
        ),
        None => None,
    };
    let today = change.today;
    let mut note = String::new();
    let mut recompute = false;
    use CaseCommand as C;
    match &change.command {
        C::Submit => {
            let mut errors = ValidationErrors::new();
            errors.check("form", case.form.validate());
            errors.finish(())?;
            case.submitted_on = Some(today);
            recompute = true;
        }
        C::Resubmit { form } => {
            let corrections = load_corrections(tx, id).await?;
            let open = corrections
                .iter()
                .rev()
                .find(|c| c.answered_at.is_none())
                .ok_or_else(|| conflict("没有待答复的一次性告知书 / no open correction notice"))?;
            let mut errors = ValidationErrors::new();
            errors.check("form", form.validate());
            let old = serde_json::to_value(&case.form)?;
            let new = serde_json::to_value(form)?;
            for (name, zh, _) in FORM_FIELDS {
                let flagged = open
                    .items
                    .iter()
                    .any(|i| i.target == format!("form.{name}"));
                if old.get(name) != new.get(name) && !flagged {
                    errors.push(
                        format!("form.{name}"),
                        "not_flagged",
                        format!("“{zh}”不在补正范围内，无需修改 / this field was not flagged for correction"),
                    );
                }
            }
            let materials = load_materials(tx, id).await?;
            for item in &open.items {
                if item.target.starts_with("form.") {
                    continue;
                }
                let corrected = materials
                    .iter()
                    .any(|m| m.material_key == item.target && m.provided_at >= open.issued_at);
                if !corrected {
                    errors.push(
                        format!("materials.{}", item.target),
                        "not_corrected",
                        "请按一次性告知书重新提供该材料 / provide this material again as the notice asks",
                    );
                }
            }
            errors.finish(())?;
            if old != new {
                replace_form(tx, ctx, id, form).await?;
                case.form = form.clone();
            }
            sqlx::query("UPDATE case_corrections SET answered_at = $1 WHERE case_id = $2 AND answered_at IS NULL")
                .bind(ctx.at_micros)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            case.submitted_on = Some(today);
            recompute = true;
        }
        C::PassPreReview => {
            let materials = load_materials(tx, id).await?;
            let mut errors = ValidationErrors::new();
            for e in case.checklist.iter().filter(|e| e.needed_from_applicant()) {
                if !materials.iter().any(|m| m.material_key == e.key) {
                    errors.push(
                        format!("materials.{}", e.key),
                        "missing",
                        format!(
                            "缺少材料“{}”，请出具一次性告知书 / missing; issue a correction notice",
                            e.name.zh
                        ),
                    );
                }
            }
            errors.finish(())?;
        }
        C::RequestCorrection { items } => {
            within_acceptance_limit(&case, today)?;
            validate_correction(items, &case.checklist)?;
            let notice_no = insert_notice(
                tx,
                ctx,
                &case,
                NoticeKind::Correction,
                json!({ "case_no": case.case_no, "title": case.title, "items": items }),
            )
            .await?;
            sqlx::query(
                "INSERT INTO case_corrections (case_id, notice_no, items, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(&notice_no)
            .bind(serde_json::to_string(items)?)
            .bind(&ctx.actor)
            .bind(ctx.at_micros)
            .execute(&mut **tx)
            .await?;
            note = items
                .iter()
                .map(|i| format!("{}：{}", i.target, i.note.trim()))
                .collect::<Vec<_>>()
                .join("；");
        }
        C::Accept | C::DeemAccept => {
            let kind = if matches!(change.command, C::Accept) {
                case.accepted_on = Some(today);
                AcceptanceKind::Explicit
            } else {
                match case.accept_due {
                    Some(due) if today > due => {}
                    _ => {
                        return Err(conflict(
                            "受理期限未过 / the acceptance limit has not passed",
                        ));
                    }
                }
                // 逾期不告知的，自收到申请材料之日起即为受理.
                case.accepted_on = case.submitted_on.or(Some(today));
                AcceptanceKind::Deemed
            };
            case.acceptance = Some(kind);
            set_all_parts(tx, id, &[PartStatus::Waiting], PartStatus::Open).await?;
            insert_notice(
                tx,
                ctx,
                &case,
                NoticeKind::Acceptance,
                acceptance_content(&case, &parts, kind),
            )
            .await?;
            recompute = true;
        }
        C::Refuse { reasons, redirect } => {
            within_acceptance_limit(&case, today)?;
            validate_reason("reasons", reasons, 1000)?;
            if redirect.chars().count() > 200 {
                return Err(invalid(
                    "redirect",
                    "too_long",
                    "不超过200字 / at most 200 characters",
                ));
            }
            set_all_parts(tx, id, &[PartStatus::Waiting], PartStatus::Closed).await?;
            insert_notice(
                tx,
                ctx,
                &case,
                NoticeKind::Refusal,
                json!({ "case_no": case.case_no, "title": case.title, "reasons": reasons.trim(), "redirect": redirect.trim() }),
            )
            .await?;
            note = reasons.trim().to_owned();
        }
        C::Claim { .. } => {
            let p = part.ok_or_else(|| conflict("part required"))?;
            if p.status != PartStatus::Open {
                return Err(conflict(format!(
                    "任务当前为“{}”，不能认领 / the task is {} and cannot be claimed",
                    p.status.label("zh"),
                    p.status.as_str()
                )));
            }
            set_part(tx, p, PartStatus::Claimed, change.actor.staff_id()).await?;
        }
        C::Assign { to_staff, .. } => {
            let p = part.ok_or_else(|| conflict("part required"))?;
            undecided(p)?;
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM staff WHERE id = $1 AND disabled = 0")
                    .bind(to_staff)
                    .fetch_optional(&mut **tx)
                    .await?;
            if exists.is_none() {
                return Err(invalid(
                    "to_staff",
                    "unknown_staff",
                    "没有该工作人员 / no such staff member",
                ));
            }
            set_part(tx, p, PartStatus::Claimed, Some(*to_staff)).await?;
            note = format!("staff:{to_staff}");
        }
        C::ReturnTask { note: why, .. } => {
            let p = part.ok_or_else(|| conflict("part required"))?;
            if p.status != PartStatus::Claimed {
                return Err(conflict(
                    "只有办理中的任务可以退回 / only a task in progress can be returned",
                ));
            }
            validate_reason("note", why, 500)?;
            set_part(tx, p, PartStatus::Open, None).await?;
            note = why.trim().to_owned();
        }
        C::Comment { text, .. } => {
            validate_reason("text", text, 2000)?;
            note = text.trim().to_owned();
        }
        C::Extend { days, reason, .. } => {
            let p = part.ok_or_else(|| conflict("part required"))?;
            undecided(p)?;
            if *days == 0 || *days > MAX_EXTENSION_DAYS {
                return Err(invalid(
                    "days",
                    "out_of_range",
                    format!(
                        "延长期限为1至{MAX_EXTENSION_DAYS}个工作日 / 1 to {MAX_EXTENSION_DAYS} working days"
                    ),
                ));
            }
            if p.extension_days > 0 {
                return Err(conflict(
                    "该事项已延期一次，不得再次延期 / this part has already been extended once",
                ));
            }
            validate_reason("reason", reason, 500)?;
            sqlx::query("UPDATE case_parts SET extension_days = $1, extension_reason = $2, extension_by = $3 WHERE id = $4")
                .bind(i64::from(*days))
                .bind(reason.trim())
                .bind(change.actor.staff_id())
                .bind(p.id)
                .execute(&mut **tx)
                .await?;
            note = format!("{days} 个工作日：{}", reason.trim());
            recompute = true;
        }
        C::StartSpecialProcedure { kind, reason } => {
            if *kind == PauseKind::Suspension {
                return Err(invalid(
                    "kind",
                    "invalid",
                    "挂起请使用挂起操作 / use suspend for a suspension",
                ));
            }
            open_pause(tx, ctx, id, *kind, reason, today).await?;
            note = format!("{}：{}", kind.label("zh"), reason.trim());
            recompute = true;
        }
        C::Suspend { reason } => {
            open_pause(tx, ctx, id, PauseKind::Suspension, reason, today).await?;
            note = reason.trim().to_owned();
            recompute = true;
        }
        C::EndSpecialProcedure | C::Resume => {
            close_pauses(tx, id, today).await?;
            recompute = true;
        }
        C::Approve {
            opinion,
            valid_until,
            ..
        } => {
            let p = part.ok_or_else(|| conflict("part required"))?;
            undecided(p)?;
            if opinion.chars().count() > 1000 {
                return Err(invalid(
                    "opinion",
                    "too_long",
                    "意见不超过1000字 / at most 1000 characters",
                ));
            }
            if valid_until.is_some_and(|v| v <= today) {
                return Err(invalid(
                    "valid_until",
                    "in_past",
                    "有效期应晚于今天 / validity must end after today",
                ));
            }
            to = decide(
                tx,
                ctx,
                change,
                p,
                &parts,
                Decision::Approved,
                opinion,
                *valid_until,
            )
            .await?;
            note = opinion.trim().to_owned();
        }
        C::Deny { reasons, .. } => {
            let p = part.ok_or_else(|| conflict("part required"))?;
            undecided(p)?;
            validate_reason("reasons", reasons, 1000)?;
            to = decide(tx, ctx, change, p, &parts, Decision::Denied, reasons, None).await?;
            note = reasons.trim().to_owned();
        }
        C::IssueResult => {
            issue_result(tx, ctx, &case, &parts, today).await?;
        }
        C::Dispatch {
            carrier,
            tracking_no,
        } => match case.delivery_method {
            DeliveryMethod::Courier => {
                let mut details = case.delivery.clone();
                details.carrier = carrier.trim().to_owned();
                details.tracking_no = tracking_no.trim().to_owned();
                details.validate_dispatch()?;
                note = format!("{} {}", details.carrier, details.tracking_no);
                case.delivery = details;
            }
            DeliveryMethod::Pickup => {
                note = "已通知窗口领取 / ready for pickup".to_owned();
            }
            DeliveryMethod::Electronic => {
                note = "电子送达 / delivered electronically".to_owned();
                to = CaseStatus::Completed;
                case.completed_at = Some(ctx.at_micros);
            }
        },
        C::ConfirmDelivery { note: who } => {
            if who.chars().count() > 200 {
                return Err(invalid(
                    "note",
                    "too_long",
                    "不超过200字 / at most 200 characters",
                ));
            }
            case.completed_at = Some(ctx.at_micros);
            if case.delivery_method == DeliveryMethod::Pickup {
                sqlx::query("INSERT INTO case_trips (case_id, purpose, recorded_by, at_micros) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind("窗口领取结果 / collected the result at the window")
                    .bind(&ctx.actor)
                    .bind(ctx.at_micros)
                    .execute(&mut **tx)
                    .await?;
            }
            note = who.trim().to_owned();
        }
        C::Withdraw { reason } => {
            validate_reason("reason", reason, 500)?;
            set_all_parts(
                tx,
                id,
                &[PartStatus::Waiting, PartStatus::Open, PartStatus::Claimed],
                PartStatus::Closed,
            )
            .await?;
            close_pauses(tx, id, today).await?;
            note = reason.trim().to_owned();
        }
    }
    if to == CaseStatus::Decided && from != CaseStatus::Decided {
        case.decided_on = Some(today);
        recompute = true;
    }
    case.status = to;
    sqlx::query(
        "UPDATE cases SET status = $1, submitted_on = $2, accepted_on = $3, acceptance = $4, decided_on = $5, \
         completed_at = $6, delivery = $7, revision = revision + 1, updated_at = $8 WHERE id = $9",
    )
    .bind(to.as_str())
    .bind(opt_date_text(case.submitted_on))
    .bind(opt_date_text(case.accepted_on))
    .bind(case.acceptance.map(|a| a.as_str()))
    .bind(opt_date_text(case.decided_on))
    .bind(case.completed_at)
    .bind(serde_json::to_string(&case.delivery)?)
    .bind(ctx.at_micros)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if recompute {
        let cal = clock::calendar(tx).await?;
        clock::recompute_for(tx, &case, &cal).await?;
    }
    let part_seq = change.command.part();
    let step = Step {
        action,
        part_seq,
        from,
        to,
    };
    insert_event(tx, ctx, id, step, &note).await?;
    queue(tx, ctx, Some(id), &change.notifications).await?;
    // Due dates were rewritten by the recomputation; otherwise the record
    // in hand is the stored one.
    let after = if recompute {
        load_case(tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("case {id}")))?
    } else {
        CaseRecord {
            revision: case.revision + 1,
            updated_at: ctx.at_micros,
            ..case.clone()
        }
    };
    // Last, so that the chain's head is held for as short a time as possible.
    audit::append(
        tx,
        ctx,
        &format!("case.{}", action.as_str()),
        &format!("case:{}", case.case_no),
        json!({ "from": from.as_str(), "to": to.as_str(), "part": part_seq, "note": note }),
    )
    .await?;
    Ok(after)
}

/// Records a part's decision; returns the case state that follows.
#[allow(clippy::too_many_arguments)]
async fn decide(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    change: &CaseChange,
    part: &PartRecord,
    parts: &[PartRecord],
    decision: Decision,
    reasons: &str,
    valid_until: Option<Date>,
) -> StoreResult<CaseStatus> {
    sqlx::query(
        "UPDATE case_parts SET status = 'decided', decision = $1, decision_reasons = $2, decided_by = $3, \
         decided_at = $4, assignee_id = COALESCE(assignee_id, $3) WHERE id = $5",
    )
    .bind(decision.as_str())
    .bind(reasons.trim())
    .bind(change.actor.staff_id())
    .bind(ctx.at_micros)
    .bind(part.id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE case_parts SET valid_until = $1 WHERE id = $2")
        .bind(opt_date_text(valid_until))
        .bind(part.id)
        .execute(&mut **tx)
        .await?;
    let left = parts
        .iter()
        .filter(|p| {
            p.id != part.id
                && matches!(
                    p.status,
                    PartStatus::Open | PartStatus::Claimed | PartStatus::Waiting
                )
        })
        .count();
    Ok(after_part_decided(left))
}

/// Signs the result: one certificate per approved part (number = case
/// number + part), and the result notice listing every decision.
async fn issue_result(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case: &CaseRecord,
    parts: &[PartRecord],
    today: Date,
) -> StoreResult<()> {
    let holder: Option<(String, String)> =
        sqlx::query_as("SELECT name, identifier FROM applicants WHERE id = $1")
            .bind(case.applicant_id)
            .fetch_optional(&mut **tx)
            .await?;
    let (holder_name, holder_id) = holder.unwrap_or_default();
    let mut lines = Vec::new();
    for p in parts {
        let mut cert_no = None;
        if p.decision == Some(Decision::Approved) {
            let no = format!("{}-{:02}", case.case_no, p.seq);
            sqlx::query(
                "INSERT INTO certificates (cert_no, case_id, part_seq, item_code, name_zh, name_en, holder_name, \
                 holder_identifier, issuer_code, issued_on, valid_until, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'valid', $12)",
            )
            .bind(&no)
            .bind(case.id)
            .bind(p.seq)
            .bind(&p.item_code)
            .bind(&p.result_name.zh)
            .bind(&p.result_name.en)
            .bind(&holder_name)
            .bind(&holder_id)
            .bind(&p.department_code)
            .bind(date_text(today))
            .bind(opt_date_text(p.valid_until))
            .bind(ctx.at_micros)
            .execute(&mut **tx)
            .await?;
            sqlx::query("UPDATE case_parts SET certificate_no = $1 WHERE id = $2")
                .bind(&no)
                .bind(p.id)
                .execute(&mut **tx)
                .await?;
            cert_no = Some(no);
        }
        lines.push(json!({
            "item": p.item_code, "name": p.name, "department": p.department_code,
            "decision": p.decision.map(|d| d.as_str()), "reasons": p.decision_reasons,
            "certificate_no": cert_no,
        }));
    }
    insert_notice(
        tx,
        ctx,
        case,
        NoticeKind::Result,
        json!({ "case_no": case.case_no, "title": case.title, "parts": lines }),
    )
    .await?;
    Ok(())
}
