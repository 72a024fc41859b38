//! `POST /api/v1/cases` (apply online), `POST /api/v1/window/cases` (receive
//! at a window), `GET /api/v1/cases`, `GET /api/v1/cases/{id}` and
//! `PUT /api/v1/cases/{id}/form`.
//!
//! Rules (decided by the application layer): applicants apply online for
//! themselves and see only their own cases; window staff with
//! `case.receive` file on an applicant's behalf; staff see the cases in
//! their scope (anything else is 404, so numbers reveal nothing). A case is
//! filed under the item versions published at that moment. Every bad field
//! is listed (422). Contact phones are masked for staff without
//! `data.unmask`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_app::auth::Principal;
use onetrip_app::cases::{ApplicationRequest, ApplyTarget, WindowApplicant};
use onetrip_domain::access::Permission;
use onetrip_domain::case::{ApplicationForm, CaseStatus, CourierDetails, DeliveryMethod};
use onetrip_domain::identity::mask_phone;
use onetrip_store::{CaseDetail, CaseSummary};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::{Caller, Writer};
use crate::api::{TextView, bad_param, non_blank};
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

/// The applicant's form.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormBody {
    /// 联系人.
    pub contact_name: String,
    /// 联系电话 (mainland mobile).
    pub contact_phone: String,
    /// 联系地址.
    #[serde(default)]
    pub contact_address: String,
    /// 申请事项说明.
    #[serde(default)]
    pub description: String,
}

impl From<FormBody> for ApplicationForm {
    fn from(f: FormBody) -> Self {
        Self {
            contact_name: f.contact_name,
            contact_phone: f.contact_phone,
            contact_address: f.contact_address,
            description: f.description,
        }
    }
}

/// Courier address.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourierBody {
    /// 收件人.
    pub recipient: String,
    /// 收件人电话.
    pub phone: String,
    /// 收件地址.
    pub address: String,
}

/// An application.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationBody {
    /// Item code (with `situation`), or leave empty and give `bundle_code`.
    #[serde(default)]
    pub item_code: Option<String>,
    /// Situation code of the item.
    #[serde(default)]
    pub situation: Option<String>,
    /// Bundle (一件事) code.
    #[serde(default)]
    pub bundle_code: Option<String>,
    /// The one form.
    pub form: FormBody,
    /// `pickup`, `courier` or `electronic`.
    pub delivery_method: String,
    /// Required for courier delivery.
    #[serde(default)]
    pub courier: Option<CourierBody>,
}

/// The applicant at the window.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowApplicantBody {
    /// `natural_person` or `legal_entity`.
    pub kind: String,
    /// ID number or unified social credit code.
    pub identifier: String,
    /// Name, for an applicant not registered yet.
    #[serde(default)]
    pub name: String,
    /// Mobile, for an applicant not registered yet.
    #[serde(default)]
    pub mobile: String,
}

/// An application received at a window.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowBody {
    /// Who applies.
    pub applicant: WindowApplicantBody,
    /// What they apply for.
    pub application: ApplicationBody,
}

fn request(body: ApplicationBody) -> Result<ApplicationRequest, ApiError> {
    let target = match (
        non_blank(body.item_code.as_deref()),
        non_blank(body.bundle_code.as_deref()),
    ) {
        (Some(code), None) => ApplyTarget::Item {
            code: code.to_owned(),
            situation: body.situation.unwrap_or_default(),
        },
        (None, Some(code)) => ApplyTarget::Bundle {
            code: code.to_owned(),
        },
        _ => {
            return Err(crate::api::invalid_body(vec![
                onetrip_domain::FieldError::new(
                    "item_code",
                    "required",
                    "请给出事项编码或一件事编码之一 / give either item_code or bundle_code",
                ),
            ]));
        }
    };
    let delivery_method = DeliveryMethod::parse(&body.delivery_method).ok_or_else(|| {
        crate::api::invalid_body(vec![onetrip_domain::FieldError::new(
            "delivery_method",
            "invalid",
            "送达方式应为 pickup / courier / electronic",
        )])
    })?;
    let c = body.courier.unwrap_or_default();
    Ok(ApplicationRequest {
        target,
        form: body.form.into(),
        delivery_method,
        courier: CourierDetails {
            recipient: c.recipient,
            phone: c.phone,
            address: c.address,
            ..CourierDetails::default()
        },
    })
}

/// One line of a case list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseSummaryView {
    /// Id.
    pub id: i64,
    /// 办件编号.
    pub case_no: String,
    /// Item or bundle name.
    pub title: TextView,
    /// State code.
    pub status: String,
    /// State label in Chinese.
    pub status_label: String,
    /// `online` or `window`.
    pub channel: String,
    /// Bundle code.
    pub bundle_code: Option<String>,
    /// Receipt date.
    #[schema(value_type = Option<String>, format = Date)]
    pub submitted_on: Option<Date>,
    /// Acceptance due.
    #[schema(value_type = Option<String>, format = Date)]
    pub accept_due: Option<Date>,
    /// Statutory due date.
    #[schema(value_type = Option<String>, format = Date)]
    pub decision_due: Option<Date>,
    /// Promised due date.
    #[schema(value_type = Option<String>, format = Date)]
    pub promised_due: Option<Date>,
    /// A due date relies on a year without a holiday notice.
    pub due_provisional: bool,
    /// `normal`, `yellow` or `red`.
    pub warning: String,
}

impl From<&CaseSummary> for CaseSummaryView {
    fn from(c: &CaseSummary) -> Self {
        Self {
            id: c.id,
            case_no: c.case_no.clone(),
            title: (&c.title).into(),
            status: c.status.as_str().to_owned(),
            status_label: c.status.label("zh").to_owned(),
            channel: c.channel.as_str().to_owned(),
            bundle_code: c.bundle_code.clone(),
            submitted_on: c.submitted_on,
            accept_due: c.accept_due,
            decision_due: c.decision_due,
            promised_due: c.promised_due,
            due_provisional: c.due_provisional,
            warning: c.warning.as_str().to_owned(),
        }
    }
}

/// One department's part of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartView {
    /// Position (used in part actions).
    pub seq: i64,
    /// Item code.
    pub item_code: String,
    /// Item version the case was filed under.
    pub item_version: i64,
    /// Item name.
    pub name: TextView,
    /// Situation.
    pub situation_code: String,
    /// Department.
    pub department_code: String,
    /// `waiting`, `open`, `claimed`, `decided`, `closed`.
    pub status: String,
    /// Reviewer.
    pub assignee_id: Option<i64>,
    /// Statutory working days.
    pub statutory_days: i64,
    /// Promised working days.
    pub promised_days: i64,
    /// Approved extension.
    pub extension_days: i64,
    /// Statutory due.
    #[schema(value_type = Option<String>, format = Date)]
    pub statutory_due: Option<Date>,
    /// Promised due.
    #[schema(value_type = Option<String>, format = Date)]
    pub promised_due: Option<Date>,
    /// Provisional due dates.
    pub due_provisional: bool,
    /// Warning level.
    pub warning: String,
    /// `approved` or `denied`.
    pub decision: Option<String>,
    /// Reasons or opinion.
    pub decision_reasons: String,
    /// Certificate number.
    pub certificate_no: Option<String>,
}

/// A checklist line with the current version of its material.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistView {
    /// Key for uploads and corrections.
    pub key: String,
    /// Name.
    pub name: TextView,
    /// Required.
    pub required: bool,
    /// Must the applicant provide it (not produced inside the bundle).
    pub needed_from_applicant: bool,
    /// Filled on the page rather than uploaded.
    pub fillable: bool,
    /// The bundle item whose result provides it.
    pub produced_by: Option<String>,
    /// Current revision provided (0 = none).
    pub revision: i64,
    /// How it was provided.
    pub kind: Option<String>,
    /// File name.
    pub file_name: Option<String>,
}

/// One line of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    /// Time, microseconds.
    pub at_micros: i64,
    /// Actor.
    pub actor: String,
    /// Action code.
    pub action: String,
    /// Action label.
    pub action_label: String,
    /// Part.
    pub part_seq: Option<i64>,
    /// Before.
    pub from_status: String,
    /// After.
    pub to_status: String,
    /// Note.
    pub note: String,
}

/// A written record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeView {
    /// Kind.
    pub kind: String,
    /// Number.
    pub notice_no: String,
    /// Issue time.
    pub issued_at: i64,
}

/// A case with everything about it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseView {
    /// Summary fields.
    #[serde(flatten)]
    pub summary: CaseSummaryView,
    /// Actions the state allows now (the caller's permissions still apply).
    pub allowed_actions: Vec<String>,
    /// Legal acceptance date.
    #[schema(value_type = Option<String>, format = Date)]
    pub accepted_on: Option<Date>,
    /// `explicit` or `deemed`.
    pub acceptance: Option<String>,
    /// Decision date.
    #[schema(value_type = Option<String>, format = Date)]
    pub decided_on: Option<Date>,
    /// Delivery due date.
    #[schema(value_type = Option<String>, format = Date)]
    pub delivery_due: Option<Date>,
    /// Delivery method.
    pub delivery_method: String,
    /// Carrier, once dispatched.
    pub carrier: String,
    /// Tracking number, once dispatched.
    pub tracking_no: String,
    /// Contact person.
    pub contact_name: String,
    /// Contact phone (masked for staff without `data.unmask`).
    pub contact_phone: String,
    /// Parts.
    pub parts: Vec<PartView>,
    /// Checklist.
    pub checklist: Vec<ChecklistView>,
    /// Open correction notice's flagged targets.
    pub open_correction: Vec<String>,
    /// Timeline.
    pub events: Vec<EventView>,
    /// Notices.
    pub notices: Vec<NoticeView>,
    /// Certificates issued.
    pub certificates: Vec<String>,
    /// On-site visits recorded.
    pub trips: usize,
    /// Public status link.
    pub status_url: String,
}

/// The view of a case as `who` may see it.
pub fn case_view(state: &AppState, who: &Principal, d: &CaseDetail) -> CaseView {
    let c = &d.case;
    let unmasked = match who {
        Principal::Applicant(_) => true,
        Principal::Staff(s) => s.has_anywhere(Permission::DataUnmask),
    };
    let current = d.current_materials();
    CaseView {
        summary: (&c.summary()).into(),
        allowed_actions: c
            .status
            .allowed_actions()
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
        accepted_on: c.accepted_on,
        acceptance: c.acceptance.map(|a| a.as_str().to_owned()),
        decided_on: c.decided_on,
        delivery_due: c.delivery_due,
        delivery_method: c.delivery_method.as_str().to_owned(),
        carrier: c.delivery.carrier.clone(),
        tracking_no: c.delivery.tracking_no.clone(),
        contact_name: c.form.contact_name.clone(),
        contact_phone: if unmasked {
            c.form.contact_phone.clone()
        } else {
            mask_phone(&c.form.contact_phone)
        },
        parts: d
            .parts
            .iter()
            .map(|p| PartView {
                seq: p.seq,
                item_code: p.item_code.clone(),
                item_version: p.item_version,
                name: (&p.name).into(),
                situation_code: p.situation_code.clone(),
                department_code: p.department_code.clone(),
                status: p.status.as_str().to_owned(),
                assignee_id: p.assignee_id,
                statutory_days: p.statutory_days,
                promised_days: p.promised_days,
                extension_days: p.extension_days,
                statutory_due: p.statutory_due,
                promised_due: p.promised_due,
                due_provisional: p.due_provisional,
                warning: p.warning.as_str().to_owned(),
                decision: p.decision.map(|x| x.as_str().to_owned()),
                decision_reasons: p.decision_reasons.clone(),
                certificate_no: p.certificate_no.clone(),
            })
            .collect(),
        checklist: c
            .checklist
            .iter()
            .map(|e| {
                let m = current.iter().find(|m| m.material_key == e.key);
                ChecklistView {
                    key: e.key.clone(),
                    name: (&e.name).into(),
                    required: e.required,
                    needed_from_applicant: e.needed_from_applicant(),
                    fillable: e.is_fillable_form(),
                    produced_by: e.produced_by.clone(),
                    revision: m.map_or(0, |m| m.revision),
                    kind: m.map(|m| m.kind.as_str().to_owned()),
                    file_name: m.and_then(|m| m.file_name.clone()),
                }
            })
            .collect(),
        open_correction: d
            .open_correction()
            .map(|c| c.items.iter().map(|i| i.target.clone()).collect())
            .unwrap_or_default(),
        events: d
            .events
            .iter()
            .map(|e| EventView {
                at_micros: e.at_micros,
                actor: e.actor.clone(),
                action: e.action.as_str().to_owned(),
                action_label: e.action.label("zh").to_owned(),
                part_seq: e.part_seq,
                from_status: e.from_status.as_str().to_owned(),
                to_status: e.to_status.as_str().to_owned(),
                note: e.note.clone(),
            })
            .collect(),
        notices: d
            .notices
            .iter()
            .map(|n| NoticeView {
                kind: n.kind.as_str().to_owned(),
                notice_no: n.notice_no.clone(),
                issued_at: n.issued_at,
            })
            .collect(),
        certificates: d.certificates.iter().map(|c| c.cert_no.clone()).collect(),
        trips: d.trips.len(),
        status_url: state.app.status_url(c),
    }
}

/// Starts an online application (a draft).
#[utoipa::path(
    post,
    path = "/api/v1/cases",
    tag = "cases",
    request_body = ApplicationBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "The draft case", body = CaseView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an applicant, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published item or bundle", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, each listed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(body): ApiJson<ApplicationBody>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    let req = request(body)?;
    let case = state
        .app
        .start_application(writer.principal(), &req)
        .await?;
    let d = state.app.case_for(writer.principal(), case.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(case_view(&state, writer.principal(), &d)),
    ))
}

/// Receives an application at a window on the applicant's behalf.
#[utoipa::path(
    post,
    path = "/api/v1/window/cases",
    tag = "cases",
    request_body = WindowBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "The received case", body = CaseView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `case.receive` for the item, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, each listed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(body): ApiJson<WindowBody>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    let req = request(body.application)?;
    let applicant = WindowApplicant {
        kind: body.applicant.kind,
        identifier: body.applicant.identifier,
        name: body.applicant.name,
        mobile: body.applicant.mobile,
    };
    let case = state
        .app
        .receive_at_window(writer.principal(), &applicant, &req)
        .await?;
    let d = state.app.case_for(writer.principal(), case.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(case_view(&state, writer.principal(), &d)),
    ))
}

/// Filters of the case list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Staff: only this state (code).
    pub status: Option<String>,
    /// Staff: only this warning level.
    pub warning: Option<String>,
}

/// Lists cases: an applicant's own, or a staff member's front-desk queue.
#[utoipa::path(
    get,
    path = "/api/v1/cases",
    tag = "cases",
    params(ListQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Cases", body = [CaseSummaryView]),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<CaseSummaryView>>, ApiError> {
    let who = caller.principal();
    let rows = match who {
        Principal::Applicant(_) => state.app.my_cases(who, 200).await?,
        Principal::Staff(_) => {
            let statuses =
                match non_blank(q.status.as_deref()) {
                    Some(s) => vec![CaseStatus::parse(s).ok_or_else(|| {
                        bad_param("status", "invalid", "未知状态 / unknown state")
                    })?],
                    None => Vec::new(),
                };
            let warning = parse_warning(q.warning.as_deref())?;
            state.app.intake_queue(who, &statuses, warning).await?
        }
    };
    Ok(Json(rows.iter().map(CaseSummaryView::from).collect()))
}

/// Parses a `warning` query parameter.
pub fn parse_warning(
    value: Option<&str>,
) -> Result<Option<onetrip_domain::calendar::WarningLevel>, ApiError> {
    use onetrip_domain::calendar::WarningLevel;
    match non_blank(value) {
        None => Ok(None),
        Some("normal") => Ok(Some(WarningLevel::Normal)),
        Some("yellow") => Ok(Some(WarningLevel::Yellow)),
        Some("red") => Ok(Some(WarningLevel::Red)),
        Some(_) => Err(bad_param(
            "warning",
            "invalid",
            "应为 normal / yellow / red",
        )),
    }
}

/// One case.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CaseView>, ApiError> {
    let d = state.app.case_for(caller.principal(), id).await?;
    Ok(Json(case_view(&state, caller.principal(), &d)))
}

/// Replaces a draft's form.
#[utoipa::path(
    put,
    path = "/api/v1/cases/{id}/form",
    tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    request_body = FormBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 403, description = "Not the applicant, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save_form(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FormBody>,
) -> Result<Json<CaseView>, ApiError> {
    let form: ApplicationForm = body.into();
    state
        .app
        .save_case_form(writer.principal(), id, &form)
        .await?;
    let d = state.app.case_for(writer.principal(), id).await?;
    Ok(Json(case_view(&state, writer.principal(), &d)))
}
