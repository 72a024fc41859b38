//! `GET /cases/{id}` — one of my cases: status, expected completion, the
//! department handling it now, timeline, checklist with every version of
//! each material, upload and fill-in forms, the open correction notice,
//! submit and withdraw, documents and in-app messages.
//! `POST /cases/{id}/submit`, `/withdraw`, `/resubmit` and
//! `/materials/{key}/fill` take those actions.
//!
//! Rules: only the applicant who owns the case sees it here (others get
//! 404; staff are sent to the workbench view). Materials can be added to a
//! draft; during a correction only the materials the notice flagged, and on
//! resubmission only the flagged form fields may change (the app refuses
//! anything else). Bad input re-renders this page with an error summary
//! (422) and changes nothing.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use onetrip_app::AppError;
use onetrip_app::auth::Principal;
use onetrip_domain::FieldError;
use onetrip_domain::case::ApplicationForm;
use onetrip_store::CaseCommand;

use super::{CaseView, build_case_view, departments, form_value, require_applicant};
use crate::page::{PageCtx, PageError, PageResult, render_status};
use crate::pages::account::beijing_time;
use crate::pages::admin::{check_csrf, field, parse_pairs, see_other};
use crate::state::AppState;

/// An in-app message as shown.
#[derive(Debug, Clone)]
pub struct MessageRow {
    /// When.
    pub when: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
}

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage {
    page: PageCtx,
    case: CaseView,
    messages: Vec<MessageRow>,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl CasePage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        super::error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        crate::page::field_id(path.as_ref())
    }

    fn upload_href(&self, key: &str) -> String {
        format!("/cases/{}/materials/{key}", self.case.id)
    }

    fn fills(&self) -> bool {
        true
    }

    fn paper_check(&self) -> bool {
        false
    }
}

/// Query carrying a notice code.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CaseQuery {
    /// Notice code after a redirect.
    pub done: Option<String>,
}

fn done_notice(page: &PageCtx, code: Option<&str>) -> Option<&'static str> {
    let key = match code? {
        "created" => "case.done.created",
        "uploaded" => "case.done.uploaded",
        "filled" => "case.done.filled",
        "submitted" => "case.done.submitted",
        "resubmitted" => "case.done.resubmitted",
        "withdrawn" => "case.done.withdrawn",
        _ => return None,
    };
    Some(page.t(key))
}

/// Renders the case page for the applicant with `errors` and `status`.
pub async fn render_case(
    state: &AppState,
    page: PageCtx,
    who: &Principal,
    id: i64,
    errors: Vec<FieldError>,
    status: StatusCode,
    notice: Option<&'static str>,
) -> PageResult {
    let detail = state
        .app
        .case_for(who, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let departments = departments(state, &page).await?;
    let view = build_case_view(page.lang, &detail, &departments, None);
    let messages = match who {
        Principal::Applicant(a) => state
            .app
            .store
            .messages_for("applicant", a.id, 100)
            .await
            .map_err(|e| PageError::from_app(&page, e.into()))?
            .into_iter()
            .filter(|m| m.case_id == Some(id))
            .map(|m| MessageRow {
                when: beijing_time(m.created_at),
                subject: m.subject,
                body: m.body,
            })
            .collect(),
        Principal::Staff(_) => Vec::new(),
    };
    Ok(render_status(
        status,
        &CasePage {
            page,
            case: view,
            messages,
            errors,
            notice,
        },
    ))
}

/// Shows one of my cases; staff are sent to the workbench view.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<CaseQuery>,
) -> PageResult {
    if let Some(Principal::Staff(_)) = page.principal() {
        return Ok(see_other(&format!("/workbench/cases/{id}")));
    }
    let who = require_applicant(&page)?;
    let notice = done_notice(&page, q.done.as_deref());
    render_case(&state, page, &who, id, Vec::new(), StatusCode::OK, notice).await
}

/// The outcome of an action: redirect on success, the page with the
/// errors on invalid input (422), an error page otherwise.
pub async fn answer(
    state: &AppState,
    page: PageCtx,
    who: &Principal,
    id: i64,
    result: Result<(), AppError>,
    done: &str,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other(&format!("/cases/{id}?done={done}"))),
        Err(AppError::Invalid(v)) => {
            render_case(
                state,
                page,
                who,
                id,
                v.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
        Err(e) => Err(PageError::from_app(&page, e)),
    }
}

async fn act(
    state: &AppState,
    page: PageCtx,
    id: i64,
    body: &[u8],
    command: impl FnOnce(&[(String, String)], &ApplicationForm) -> CaseCommand,
    done: &str,
) -> Result<Response, PageError> {
    let pairs = parse_pairs(&page, body)?;
    check_csrf(&page, &pairs)?;
    let who = require_applicant(&page)?;
    let detail = state
        .app
        .case_for(&who, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let cmd = command(&pairs, &detail.case.form);
    let result = state.app.act(&who, id, cmd).await.map(|_| ());
    answer(state, page, &who, id, result, done).await
}

/// Submits a draft (the form must be complete).
pub async fn submit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    act(
        &state,
        page,
        id,
        &body,
        |_, _| CaseCommand::Submit,
        "submitted",
    )
    .await
}

/// Withdraws the application, with a reason.
pub async fn withdraw(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    act(
        &state,
        page,
        id,
        &body,
        |pairs, _| CaseCommand::Withdraw {
            reason: field(pairs, "reason").to_owned(),
        },
        "withdrawn",
    )
    .await
}

/// Answers the open correction notice. Only flagged fields are on the form;
/// every other field keeps its current value (the app refuses changes to
/// fields the notice did not flag).
pub async fn resubmit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    act(
        &state,
        page,
        id,
        &body,
        |pairs, current| {
            let pick = |name: &str| {
                if pairs.iter().any(|(k, _)| k == name) {
                    field(pairs, name).to_owned()
                } else {
                    form_value(current, name)
                }
            };
            CaseCommand::Resubmit {
                form: ApplicationForm {
                    contact_name: pick("contact_name"),
                    contact_phone: pick("contact_phone"),
                    contact_address: pick("contact_address"),
                    description: pick("description"),
                },
            }
        },
        "resubmitted",
    )
    .await
}

/// Provides a fillable material (a table issued at the window) as text.
pub async fn fill(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, key)): Path<(i64, String)>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let who = require_applicant(&page)?;
    let result = state
        .app
        .fill_material(&who, id, &key, field(&pairs, "text"))
        .await
        .map(|_| ())
        .map_err(|e| prefix_errors(e, &format!("materials.{key}")));
    answer(&state, page, &who, id, result, "filled").await
}

/// Puts a material's field errors (`file`, `text`) under `materials.<key>`,
/// so the summary links to the right form on a page with many.
pub fn prefix_errors(e: AppError, prefix: &str) -> AppError {
    match e {
        AppError::Invalid(mut v) => {
            for fe in &mut v.errors {
                if fe.field == "file" || fe.field == "text" {
                    fe.field = format!("{prefix}.{}", fe.field);
                }
            }
            AppError::Invalid(v)
        }
        other => other,
    }
}
