//! `POST /api/v1/cases/{id}/actions` — every lifecycle action.
//!
//! Rules (decided by the application layer and the store): each action is
//! allowed to named roles only; accepting, refusing, approving, denying,
//! extending and signing need core permissions that contractor staff never
//! hold (403, and the refused attempt is audited). An action the current
//! state does not allow — including the loser of two concurrent approvals —
//! is 409 and the message names the allowed actions. Each transition and
//! its audit entry commit in one transaction.

use axum::Json;
use axum::extract::State;
use onetrip_domain::case::{CorrectionItem, CorrectionProblem, PauseKind};
use onetrip_store::CaseCommand;
use serde::Deserialize;
use time::Date;
use utoipa::ToSchema;

use crate::api::auth::Writer;
use crate::api::cases::{CaseView, FormBody, case_view};
use crate::api::invalid_body;
use crate::problem::{ApiError, ApiJson, ApiPath, Problem};
use crate::state::AppState;

/// One flagged material (`m01`…) or form field (`form.contact_phone`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    /// Checklist key or `form.<field>`.
    pub target: String,
    /// `missing`, `defective`, `expired`, `unclear`, `inconsistent`.
    pub problem: String,
    /// What exactly to fix.
    pub note: String,
}

/// An action with its fields; `action` names it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ActionBody {
    /// Submit a draft (applicant).
    Submit,
    /// Answer the correction notice; only flagged fields may differ.
    Resubmit {
        /// The form.
        form: FormBody,
    },
    /// Pre-review passed.
    PassPreReview,
    /// One-time correction notice listing everything.
    RequestCorrection {
        /// Flagged materials and fields.
        items: Vec<CorrectionBody>,
    },
    /// Accept (core).
    Accept,
    /// Refuse (core) with reasons and where to apply instead.
    Refuse {
        /// Reasons.
        reasons: String,
        /// Competent authority to apply to instead.
        #[serde(default)]
        redirect: String,
    },
    /// Claim an open part.
    Claim {
        /// Part seq.
        part: i64,
    },
    /// Assign or reassign a part.
    Assign {
        /// Part seq.
        part: i64,
        /// Reviewer's staff id.
        to_staff: i64,
    },
    /// Return a claimed part to its queue.
    Return {
        /// Part seq.
        part: i64,
        /// Why.
        note: String,
    },
    /// Comment.
    Comment {
        /// Part seq, if about one part.
        #[serde(default)]
        part: Option<i64>,
        /// Text.
        text: String,
    },
    /// Approve an extension (core).
    Extend {
        /// Part seq.
        part: i64,
        /// Working days (1–10).
        days: u32,
        /// Reason told to the applicant.
        reason: String,
    },
    /// Start a special procedure.
    StartSpecialProcedure {
        /// `hearing`, `testing`, `expert_review`, `site_survey`, `public_notice`.
        kind: String,
        /// Reason.
        reason: String,
    },
    /// End the special procedure.
    EndSpecialProcedure,
    /// Suspend.
    Suspend {
        /// Reason.
        reason: String,
    },
    /// Resume.
    Resume,
    /// Approve a part (core).
    Approve {
        /// Part seq.
        part: i64,
        /// Opinion.
        #[serde(default)]
        opinion: String,
        /// Certificate validity end.
        #[serde(default)]
        #[schema(value_type = Option<String>, format = Date)]
        valid_until: Option<Date>,
    },
    /// Deny a part (core).
    Deny {
        /// Part seq.
        part: i64,
        /// Reasons.
        reasons: String,
    },
    /// Sign and issue the result (core).
    IssueResult,
    /// Dispatch the result.
    Dispatch {
        /// Carrier (courier delivery).
        #[serde(default)]
        carrier: String,
        /// Tracking number (courier delivery).
        #[serde(default)]
        tracking_no: String,
    },
    /// Confirm delivery or pickup.
    ConfirmDelivery {
        /// Who signed.
        #[serde(default)]
        note: String,
    },
    /// Withdraw.
    Withdraw {
        /// Reason.
        reason: String,
    },
}

fn field(name: &str, message: &str) -> ApiError {
    invalid_body(vec![onetrip_domain::FieldError::new(
        name, "invalid", message,
    )])
}

/// The store command for a request body.
pub fn command(body: ActionBody) -> Result<CaseCommand, ApiError> {
    use ActionBody as B;
    Ok(match body {
        B::Submit => CaseCommand::Submit,
        B::Resubmit { form } => CaseCommand::Resubmit { form: form.into() },
        B::PassPreReview => CaseCommand::PassPreReview,
        B::RequestCorrection { items } => CaseCommand::RequestCorrection {
            items: items
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    Ok(CorrectionItem {
                        problem: CorrectionProblem::parse(&c.problem).ok_or_else(|| {
                            field(
                                &format!("items[{i}].problem"),
                                "未知问题类型 / unknown problem",
                            )
                        })?,
                        target: c.target,
                        note: c.note,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
        },
        B::Accept => CaseCommand::Accept,
        B::Refuse { reasons, redirect } => CaseCommand::Refuse { reasons, redirect },
        B::Claim { part } => CaseCommand::Claim { part },
        B::Assign { part, to_staff } => CaseCommand::Assign { part, to_staff },
        B::Return { part, note } => CaseCommand::ReturnTask { part, note },
        B::Comment { part, text } => CaseCommand::Comment { part, text },
        B::Extend { part, days, reason } => CaseCommand::Extend { part, days, reason },
        B::StartSpecialProcedure { kind, reason } => CaseCommand::StartSpecialProcedure {
            kind: PauseKind::parse(&kind)
                .filter(|k| *k != PauseKind::Suspension)
                .ok_or_else(|| field("kind", "未知特别程序 / unknown special procedure"))?,
            reason,
        },
        B::EndSpecialProcedure => CaseCommand::EndSpecialProcedure,
        B::Suspend { reason } => CaseCommand::Suspend { reason },
        B::Resume => CaseCommand::Resume,
        B::Approve {
            part,
            opinion,
            valid_until,
        } => CaseCommand::Approve {
            part,
            opinion,
            valid_until,
        },
        B::Deny { part, reasons } => CaseCommand::Deny { part, reasons },
        B::IssueResult => CaseCommand::IssueResult,
        B::Dispatch {
            carrier,
            tracking_no,
        } => CaseCommand::Dispatch {
            carrier,
            tracking_no,
        },
        B::ConfirmDelivery { note } => CaseCommand::ConfirmDelivery { note },
        B::Withdraw { reason } => CaseCommand::Withdraw { reason },
    })
}

/// Takes a lifecycle action on a case.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/actions",
    tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    request_body = ActionBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The case after the action", body = CaseView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this user (audited), or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case or part visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state; the message names the allowed actions", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, each listed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn act(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ActionBody>,
) -> Result<Json<CaseView>, ApiError> {
    let cmd = command(body)?;
    state.app.act(writer.principal(), id, cmd).await?;
    let d = state.app.case_for(writer.principal(), id).await?;
    Ok(Json(case_view(&state, writer.principal(), &d)))
}
