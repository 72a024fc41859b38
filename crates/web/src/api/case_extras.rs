//! Around the cases: `GET /api/v1/bundles`, the public `GET
//! /api/v1/status/{token}`, `GET /api/v1/messages`, `GET
//! /api/v1/cases/{id}/notifications`, `POST /api/v1/cases/{id}/trips`,
//! `GET /api/v1/stats/trips`, `GET|POST /api/v1/calendar`, `GET
//! /api/v1/calendar/due`, `POST /api/v1/api-tokens` and `DELETE
//! /api/v1/api-tokens/{id}`.
//!
//! Rules: the status page behind a signed token is public and shows no
//! personal data (no names, numbers, phones, addresses or reasons); a bad
//! token is 404. Notification delivery status is for staff who can see the
//! case. Importing a holiday notice needs `calendar.manage` and recomputes
//! open cases' due dates. A due date in a year without a notice is marked
//! provisional. API tokens are issued by `staff.manage` and shown once.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_domain::calendar::{HolidayNotice, WorkCalendar};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::{Caller, Writer};
use crate::api::{TextView, app_err, bad_param};
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

/// A 一件事 bundle.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BundleView {
    /// Code.
    pub code: String,
    /// Name.
    pub name: TextView,
    /// Description.
    pub description: TextView,
    /// Region.
    pub region: String,
    /// Handling centre.
    pub centre: String,
    /// Item codes with their situations.
    pub items: Vec<(String, String)>,
    /// Promised working days.
    pub promised_limit_days: u32,
}

/// Every bundle.
#[utoipa::path(get, path = "/api/v1/bundles", tag = "cases",
    responses((status = 200, description = "Bundles", body = [BundleView])))]
pub async fn bundles(State(state): State<AppState>) -> Result<Json<Vec<BundleView>>, ApiError> {
    let list = state.app.store.list_bundles().await.map_err(app_err)?;
    Ok(Json(
        list.iter()
            .map(|b| BundleView {
                code: b.code.clone(),
                name: (&b.name).into(),
                description: (&b.description).into(),
                region: b.region.as_str().to_owned(),
                centre: b.centre.clone(),
                items: b
                    .items
                    .iter()
                    .map(|i| (i.item.clone(), i.situation.clone()))
                    .collect(),
                promised_limit_days: b.promised_limit_days,
            })
            .collect(),
    ))
}

/// The public view of a case: no personal data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicStatusView {
    /// Case number.
    pub case_no: String,
    /// Item or bundle name.
    pub title: TextView,
    /// State code.
    pub status: String,
    /// State label.
    pub status_label: String,
    /// Expected completion (promised due, else statutory due).
    #[schema(value_type = Option<String>, format = Date)]
    pub expected_completion: Option<Date>,
    /// Provisional date.
    pub provisional: bool,
    /// Departments handling it now.
    pub handling_departments: Vec<String>,
    /// Steps: (date-time micros, action code, action label).
    pub steps: Vec<(i64, String, String)>,
}

/// A case's progress through its signed status token.
#[utoipa::path(get, path = "/api/v1/status/{token}", tag = "cases",
    params(("token" = String, Path, description = "Signed status token from the notice's QR code")),
    responses(
        (status = 200, description = "Progress without personal data", body = PublicStatusView),
        (status = 404, description = "Unknown or forged token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn public_status(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<PublicStatusView>, ApiError> {
    let case = state.app.case_by_status_token(&token).await?;
    let d = state
        .app
        .store
        .case_detail(case.id)
        .await
        .map_err(app_err)?
        .ok_or_else(|| ApiError::not_found("case"))?;
    Ok(Json(PublicStatusView {
        case_no: case.case_no.clone(),
        title: (&case.title).into(),
        status: case.status.as_str().to_owned(),
        status_label: case.status.label("zh").to_owned(),
        expected_completion: case.promised_due.or(case.decision_due),
        provisional: case.due_provisional,
        handling_departments: d
            .parts
            .iter()
            .filter(|p| {
                matches!(
                    p.status,
                    onetrip_domain::case::PartStatus::Open
                        | onetrip_domain::case::PartStatus::Claimed
                )
            })
            .map(|p| p.department_code.clone())
            .collect(),
        steps: d
            .events
            .iter()
            .map(|e| {
                (
                    e.at_micros,
                    e.action.as_str().to_owned(),
                    e.action.label("zh").to_owned(),
                )
            })
            .collect(),
    }))
}

/// An in-app message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageView {
    /// Id.
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Case.
    pub case_id: Option<i64>,
    /// When.
    pub created_at: i64,
}

/// The caller's in-app messages, newest first.
#[utoipa::path(get, path = "/api/v1/messages", tag = "cases",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Messages", body = [MessageView]),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json")))]
pub async fn messages(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<MessageView>>, ApiError> {
    let (kind, id) = match caller.principal() {
        onetrip_app::auth::Principal::Applicant(a) => ("applicant", a.id),
        onetrip_app::auth::Principal::Staff(s) => ("staff", s.id),
    };
    let rows = state
        .app
        .store
        .messages_for(kind, id, 100)
        .await
        .map_err(app_err)?;
    Ok(Json(
        rows.into_iter()
            .map(|m| MessageView {
                id: m.id,
                subject: m.subject,
                body: m.body,
                case_id: m.case_id,
                created_at: m.created_at,
            })
            .collect(),
    ))
}

/// One outbox row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationView {
    /// Id.
    pub id: i64,
    /// `email`, `sms`, `in_app`.
    pub channel: String,
    /// `pending`, `sent`, `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i64,
    /// Last error.
    pub last_error: String,
    /// Subject.
    pub subject: String,
    /// Sent time.
    pub sent_at: Option<i64>,
}

/// Delivery status of a case's notifications (staff).
#[utoipa::path(get, path = "/api/v1/cases/{id}/notifications", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Outbox rows", body = [NotificationView]),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case visible to the caller", body = Problem, content_type = "application/problem+json")))]
pub async fn notifications(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<NotificationView>>, ApiError> {
    caller.principal().staff()?;
    state.app.case_for(caller.principal(), id).await?;
    let rows = state
        .app
        .store
        .list_outbox(Some(id), 200)
        .await
        .map_err(app_err)?;
    Ok(Json(
        rows.into_iter()
            .map(|r| NotificationView {
                id: r.id,
                channel: r.channel,
                status: r.status,
                attempts: r.attempts,
                last_error: r.last_error,
                subject: r.subject,
                sent_at: r.sent_at,
            })
            .collect(),
    ))
}

/// A visit to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TripBody {
    /// Why the applicant came.
    pub purpose: String,
}

/// Records an on-site visit of the applicant (window staff).
#[utoipa::path(post, path = "/api/v1/cases/{id}/trips", tag = "cases",
    params(("id" = i64, Path, description = "Case id")), request_body = TripBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Recorded"),
        (status = 403, description = "Not window staff, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad purpose", body = Problem, content_type = "application/problem+json")))]
pub async fn record_trip(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TripBody>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .record_trip(writer.principal(), id, &body.purpose)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Trip figures of one item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TripStatView {
    /// Item code.
    pub item_code: String,
    /// Item name.
    pub name: TextView,
    /// Promised on-site trips.
    pub promised_trips: i64,
    /// Completed cases.
    pub completed: i64,
    /// Completed cases within the promised trips.
    pub within_promise: i64,
    /// Share within the promise ("最多跑一次" rate), 0–1.
    pub rate: f64,
}

/// Per item: how many completed cases kept the promised trip count.
#[utoipa::path(get, path = "/api/v1/stats/trips", tag = "cases",
    responses((status = 200, description = "Per-item trip figures", body = [TripStatView])))]
pub async fn trip_stats(
    State(state): State<AppState>,
) -> Result<Json<Vec<TripStatView>>, ApiError> {
    let rows = state.app.store.trip_stats().await.map_err(app_err)?;
    Ok(Json(
        rows.into_iter()
            .map(|t| TripStatView {
                rate: if t.completed == 0 {
                    0.0
                } else {
                    t.within_promise as f64 / t.completed as f64
                },
                item_code: t.item_code,
                name: (&t.name).into(),
                promised_trips: t.promised_trips,
                completed: t.completed,
                within_promise: t.within_promise,
            })
            .collect(),
    ))
}

/// A stored holiday notice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeSummary {
    /// Year.
    pub year: i32,
    /// Source document.
    pub source: String,
    /// Holiday periods.
    pub holidays: usize,
    /// Make-up workdays.
    pub makeup_workdays: usize,
    /// Import time.
    pub imported_at: i64,
}

/// The stored holiday notices.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar",
    responses((status = 200, description = "Notices by year", body = [NoticeSummary])))]
pub async fn calendar(State(state): State<AppState>) -> Result<Json<Vec<NoticeSummary>>, ApiError> {
    let rows = state.app.calendar_notices().await?;
    Ok(Json(
        rows.into_iter()
            .map(|s| NoticeSummary {
                year: s.notice.year,
                source: s.notice.source.clone(),
                holidays: s.notice.holidays.len(),
                makeup_workdays: s.notice.makeup_workdays.len(),
                imported_at: s.imported_at,
            })
            .collect(),
    ))
}

/// What an import did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportView {
    /// Year.
    pub year: i32,
    /// Replaced an earlier notice.
    pub replaced: bool,
    /// Open cases recomputed.
    pub cases_recomputed: u64,
}

/// Imports one year's State Council holiday notice.
#[utoipa::path(post, path = "/api/v1/calendar", tag = "calendar",
    request_body(content = Object, description = "HolidayNotice: {year, source, holidays: [{name: {zh, en}, from, to}], makeup_workdays: [date]}"),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Imported", body = ImportView),
        (status = 403, description = "Missing `calendar.manage`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every bad field listed", body = Problem, content_type = "application/problem+json")))]
pub async fn import_calendar(
    State(state): State<AppState>,
    writer: Writer,
    body: axum::body::Bytes,
) -> Result<Json<ImportView>, ApiError> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| bad_param("body", "invalid_utf8", "正文应为 UTF-8 JSON"))?;
    let notice: HolidayNotice = onetrip_domain::calendar::parse_notice(text)
        .map_err(|e| ApiError::from(onetrip_app::AppError::Invalid(e)))?;
    let done = state
        .app
        .import_calendar_notice(writer.principal(), &notice)
        .await?;
    Ok(Json(ImportView {
        year: done.year,
        replaced: done.replaced,
        cases_recomputed: done.cases_recomputed,
    }))
}

/// A deadline question.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DueQuery {
    /// Start date (not counted), YYYY-MM-DD.
    pub from: String,
    /// Working days.
    pub days: u32,
}

/// The answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueView {
    /// The due date.
    #[schema(value_type = String, format = Date)]
    pub due: Date,
    /// Relies on a year without an imported notice.
    pub provisional: bool,
}

/// The date `days` working days after `from`.
#[utoipa::path(get, path = "/api/v1/calendar/due", tag = "calendar", params(DueQuery),
    responses((status = 200, description = "Due date", body = DueView),
        (status = 400, description = "Bad date or out of range", body = Problem, content_type = "application/problem+json")))]
pub async fn due(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<DueQuery>,
) -> Result<Json<DueView>, ApiError> {
    let from = Date::parse(
        &q.from,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| bad_param("from", "invalid_date", "应为 YYYY-MM-DD"))?;
    let cal: WorkCalendar = state.app.calendar().await?;
    let due = cal
        .add_working_days(from, q.days)
        .map_err(|e| bad_param("days", "out_of_range", e.to_string()))?;
    Ok(Json(DueView {
        due: due.value,
        provisional: due.provisional,
    }))
}

/// A token to issue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// Staff account the token acts as.
    pub staff_id: i64,
    /// What it is for.
    pub name: String,
    /// Lifetime in days (1–366).
    pub days: u32,
}

/// An issued token (shown once).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenView {
    /// Id.
    pub id: i64,
    /// The bearer token; not retrievable later.
    pub token: String,
    /// Expiry (microseconds).
    pub expires_at: i64,
}

/// Issues an API token for a department system.
#[utoipa::path(post, path = "/api/v1/api-tokens", tag = "admin", request_body = TokenBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, description = "Issued", body = TokenView),
        (status = 403, description = "Missing `staff.manage`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields", body = Problem, content_type = "application/problem+json")))]
pub async fn create_token(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<(StatusCode, Json<TokenView>), ApiError> {
    let (record, token) = state
        .app
        .create_api_token(writer.principal(), body.staff_id, &body.name, body.days)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenView {
            id: record.id,
            token,
            expires_at: record.expires_at,
        }),
    ))
}

/// Revokes an API token.
#[utoipa::path(delete, path = "/api/v1/api-tokens/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Token id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Revoked"),
        (status = 403, description = "Missing `staff.manage`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such live token", body = Problem, content_type = "application/problem+json")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.revoke_api_token(writer.principal(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
