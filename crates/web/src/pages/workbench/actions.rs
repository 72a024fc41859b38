//! `POST /workbench/cases/{id}/actions/{action}` — one lifecycle action by
//! staff (`pass_pre_review`, `request_correction`, `accept`, `refuse`,
//! `claim`, `assign`, `return`, `comment`, `extend`, `approve`, `deny`,
//! `start_special_procedure`, `end_special_procedure`, `suspend`, `resume`,
//! `issue_result`, `dispatch`, `confirm_delivery`, `withdraw`), or a window
//! step (`record_trip`, `check_paper`).
//!
//! Rules: the app authorises and applies the action in one transaction.
//! Success answers 303 back to the case; bad input re-renders the case view
//! with an error summary naming each field of this form (422) and changes
//! nothing; a refusal is a 403 page with the reason; an action the state
//! does not allow is a 409 page listing the actions allowed now. A
//! correction notice lists every selected material and field at once.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_app::auth::Principal;
use onetrip_domain::case::{CaseAction, CorrectionItem, CorrectionProblem, PauseKind};
use onetrip_domain::{FieldError, ValidationErrors};
use onetrip_store::CaseCommand;

use super::list::parse_date;
use super::require_staff;
use crate::page::{PageCtx, PageError, PageResult};
use crate::pages::admin::{check_csrf, field, fields, parse_pairs, see_other};
use crate::state::AppState;

fn invalid(field: &str, code: &str, message: &str) -> AppError {
    AppError::Invalid(ValidationErrors::single(field, code, message))
}

/// The part named by the form.
fn part_of(page: &PageCtx, pairs: &[(String, String)]) -> Result<i64, AppError> {
    field(pairs, "part")
        .trim()
        .parse::<i64>()
        .map_err(|_| invalid("part", "required", page.t("workbench.err.part")))
}

/// The correction items of the builder: every ticked target with its
/// problem and note. Errors are reported on the target's own row.
fn correction_items(
    page: &PageCtx,
    pairs: &[(String, String)],
) -> Result<Vec<CorrectionItem>, AppError> {
    let mut items = Vec::new();
    let mut errors = ValidationErrors::new();
    for target in fields(pairs, "target") {
        let problem = field(pairs, &format!("problem.{target}"));
        match CorrectionProblem::parse(problem) {
            Some(problem) => items.push(CorrectionItem {
                target: target.to_owned(),
                problem,
                note: field(pairs, &format!("note.{target}")).to_owned(),
            }),
            None => errors.push(
                format!("{target}.problem"),
                "required",
                page.t("workbench.err.problem"),
            ),
        }
    }
    errors.finish(())?;
    Ok(items)
}

/// Builds the command of `action` from the form.
fn command(
    page: &PageCtx,
    action: CaseAction,
    pairs: &[(String, String)],
) -> Result<CaseCommand, AppError> {
    let text = |name: &str| field(pairs, name).to_owned();
    use CaseAction as A;
    Ok(match action {
        A::PassPreReview => CaseCommand::PassPreReview,
        A::RequestCorrection => CaseCommand::RequestCorrection {
            items: correction_items(page, pairs)?,
        },
        A::Accept => CaseCommand::Accept,
        A::Refuse => CaseCommand::Refuse {
            reasons: text("reasons"),
            redirect: text("redirect"),
        },
        A::Claim => CaseCommand::Claim {
            part: part_of(page, pairs)?,
        },
        A::Assign => CaseCommand::Assign {
            part: part_of(page, pairs)?,
            to_staff: field(pairs, "to_staff")
                .trim()
                .parse()
                .map_err(|_| invalid("to_staff", "required", page.t("workbench.err.staff_id")))?,
        },
        A::ReturnTask => CaseCommand::ReturnTask {
            part: part_of(page, pairs)?,
            note: text("note"),
        },
        A::Comment => CaseCommand::Comment {
            part: field(pairs, "part").trim().parse().ok(),
            text: text("text"),
        },
        A::Extend => CaseCommand::Extend {
            part: part_of(page, pairs)?,
            days: field(pairs, "days")
                .trim()
                .parse()
                .map_err(|_| invalid("days", "required", page.t("workbench.err.days")))?,
            reason: text("reason"),
        },
        A::Approve => {
            let v = field(pairs, "valid_until").trim();
            let valid_until = if v.is_empty() {
                None
            } else {
                Some(parse_date(v).ok_or_else(|| {
                    invalid("valid_until", "invalid_date", page.t("workbench.bad_date"))
                })?)
            };
            CaseCommand::Approve {
                part: part_of(page, pairs)?,
                opinion: text("opinion"),
                valid_until,
            }
        }
        A::Deny => CaseCommand::Deny {
            part: part_of(page, pairs)?,
            reasons: text("reasons"),
        },
        A::StartSpecialProcedure => CaseCommand::StartSpecialProcedure {
            kind: PauseKind::parse(field(pairs, "kind"))
                .ok_or_else(|| invalid("kind", "required", page.t("workbench.err.kind")))?,
            reason: text("reason"),
        },
        A::EndSpecialProcedure => CaseCommand::EndSpecialProcedure,
        A::Suspend => CaseCommand::Suspend {
            reason: text("reason"),
        },
        A::Resume => CaseCommand::Resume,
        A::IssueResult => CaseCommand::IssueResult,
        A::Dispatch => CaseCommand::Dispatch {
            carrier: text("carrier"),
            tracking_no: text("tracking_no"),
        },
        A::ConfirmDelivery => CaseCommand::ConfirmDelivery { note: text("note") },
        A::Withdraw => CaseCommand::Withdraw {
            reason: text("reason"),
        },
        A::Submit | A::Resubmit | A::DeemAccept => {
            return Err(AppError::Forbidden(
                page.t("workbench.err.not_staff_action").to_owned(),
            ));
        }
    })
}

/// Puts each error under the form it came from (`accept.reasons`,
/// `claim.1.part`, `request_correction.m03.note`), so the summary links to
/// the right field on a page with many forms.
fn place_errors(
    action: &str,
    part: Option<i64>,
    pairs: &[(String, String)],
    errors: Vec<FieldError>,
) -> Vec<FieldError> {
    let targets = fields(pairs, "target");
    errors
        .into_iter()
        .map(|mut e| {
            if action == "request_correction" {
                // `items[2].note` → the third ticked target's row.
                if let Some(rest) = e.field.strip_prefix("items[")
                    && let Some((i, tail)) = rest.split_once(']')
                    && let Some(t) = i.parse::<usize>().ok().and_then(|i| targets.get(i))
                {
                    e.field = format!("{action}.{t}{tail}");
                    return e;
                }
                e.field = format!("{action}.{}", e.field);
                return e;
            }
            e.field = match part {
                Some(p) => format!("{action}.{p}.{}", e.field),
                None => format!("{action}.{}", e.field),
            };
            e
        })
        .collect()
}

/// Takes one action.
pub async fn take(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, action)): Path<(i64, String)>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let (who, _) = require_staff(&page)?;
    let part = field(&pairs, "part").trim().parse::<i64>().ok();
    let result: Result<(), AppError> = match action.as_str() {
        "record_trip" => {
            state
                .app
                .record_trip(&who, id, field(&pairs, "purpose"))
                .await
        }
        "check_paper" => state
            .app
            .check_paper_material(&who, id, field(&pairs, "key"))
            .await
            .map(|_| ()),
        code => match CaseAction::parse(code) {
            Some(a) => match command(&page, a, &pairs) {
                Ok(cmd) => state.app.act(&who, id, cmd).await.map(|_| ()),
                Err(e) => Err(e),
            },
            None => return Err(PageError::not_found(&page)),
        },
    };
    let part = if CaseAction::parse(&action).is_some_and(|a| a.is_part_action()) {
        part
    } else {
        None
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/workbench/cases/{id}?done=done"))),
        Err(AppError::Invalid(v)) => {
            let errors = place_errors(&action, part, &pairs, v.errors);
            super::case::render_case(
                &state,
                page,
                &who,
                id,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
        Err(AppError::Conflict(message)) => Err(conflict(&state, &page, &who, id, &message).await),
        Err(e) => Err(PageError::from_app(&page, e)),
    }
}

/// A 409 page: the app's message and the actions allowed now.
async fn conflict(
    state: &AppState,
    page: &PageCtx,
    who: &Principal,
    id: i64,
    message: &str,
) -> PageError {
    let allowed = match state.app.case_for(who, id).await {
        Ok(d) => {
            let list: Vec<&str> = d
                .case
                .status
                .allowed_actions()
                .into_iter()
                .map(|a| a.label(page.lang.code()))
                .collect();
            if list.is_empty() {
                page.t("workbench.none").to_owned()
            } else {
                list.join("、")
            }
        }
        Err(_) => String::new(),
    };
    PageError::new(
        page,
        StatusCode::CONFLICT,
        format!("{message} — {}：{allowed}", page.t("workbench.allowed_now")),
    )
}
