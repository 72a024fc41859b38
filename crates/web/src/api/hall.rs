//! The hall queue API: categories, kiosk and reception tickets, a ticket
//! by its token, and windows.
//!
//! Rules: the kiosk (`POST …/tickets`) is public and issues ordinary
//! tickets only; reception (`POST …/reception/tickets`) needs
//! `queue.operate` for the centre and may put a holder in the green channel
//! with a reason; a ticket is read by its random token (the holder's page),
//! never by id. Window set-up (`PUT …/counters/{number}`) needs
//! `staff.manage`. Numbers are unique and gap-free per category and day.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_app::auth::Principal;
use onetrip_app::hall::queue::{TicketPosition, TicketRequest};
use onetrip_domain::hall::{GreenReason, Priority, ProfileMode, TicketStatus, WorkProfile};
use onetrip_store::{CounterRecord, HallKey, NewCounter, TicketRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::{Caller, Writer};
use crate::api::bad_field;
use crate::problem::{ApiError, ApiJson, ApiPath, Problem};
use crate::session::CurrentSession;
use crate::state::AppState;

/// A hall, from the path `/api/v1/halls/{centre}/{hall}`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct HallPath {
    /// Service centre code.
    pub centre: String,
    /// Hall code.
    pub hall: String,
}

impl HallPath {
    /// The store key.
    pub fn key(&self) -> HallKey {
        HallKey::new(&self.centre, &self.hall)
    }
}

/// A category with its queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryView {
    /// Letter (number prefix).
    pub code: String,
    /// Approval module.
    pub module: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Tickets waiting now.
    pub waiting: usize,
}

/// A ticket as its holder and the windows see it (no phone number).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketView {
    /// Id (for window actions).
    pub id: i64,
    /// Printed number.
    pub number: String,
    /// Category.
    pub category: String,
    /// Beijing day.
    pub day: String,
    /// `ordinary`, `appointment` or `green`.
    pub priority: String,
    /// Green-channel reason.
    pub green_reason: Option<String>,
    /// `kiosk`, `reception`, `appointment`, `walk_in`.
    pub source: String,
    /// `waiting`, `called`, `serving`, `parked`, `finished`, `no_show`, `abandoned`.
    pub status: String,
    /// Issued (µs since the epoch).
    pub issued_at: i64,
    /// Called (µs).
    pub called_at: Option<i64>,
    /// The window dealing with it.
    pub counter_id: Option<i64>,
    /// Window it was transferred to.
    pub target_counter_id: Option<i64>,
    /// Times recalled.
    pub recalls: i64,
    /// Times transferred.
    pub transfers: i64,
    /// Outcome.
    pub outcome: Option<String>,
    /// Linked case.
    pub case_id: Option<i64>,
    /// The holder page token.
    pub token: String,
    /// Where it stands while waiting.
    pub position: Option<PositionView>,
}

/// Where a waiting ticket stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct PositionView {
    /// Tickets before it.
    pub ahead: i64,
    /// Windows open for its category.
    pub windows: i64,
    /// Estimated minutes to wait.
    pub estimated_minutes: i64,
}

impl From<TicketPosition> for PositionView {
    fn from(p: TicketPosition) -> Self {
        Self {
            ahead: p.ahead,
            windows: p.windows,
            estimated_minutes: p.estimated_minutes,
        }
    }
}

/// The view of a ticket.
pub fn ticket_view(t: &TicketRecord, position: Option<TicketPosition>) -> TicketView {
    TicketView {
        id: t.id,
        number: t.number.clone(),
        category: t.category.clone(),
        day: t.day.clone(),
        priority: t.priority.as_str().to_owned(),
        green_reason: t.green_reason.map(|g| g.as_str().to_owned()),
        source: t.source.as_str().to_owned(),
        status: t.status.as_str().to_owned(),
        issued_at: t.issued_at,
        called_at: t.called_at,
        counter_id: t.counter_id,
        target_counter_id: t.target_counter_id,
        recalls: t.recalls,
        transfers: t.transfers,
        outcome: t.outcome.map(|o| o.as_str().to_owned()),
        case_id: t.case_id,
        token: t.token.clone(),
        position: position.map(Into::into),
    }
}

/// A kiosk ticket request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KioskTicket {
    /// Category letter.
    pub category: String,
    /// Mobile number for the "your turn is near" SMS (optional).
    pub phone: Option<String>,
}

/// A reception ticket request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceptionTicket {
    /// Category letter.
    pub category: String,
    /// `ordinary` or `green`.
    pub priority: String,
    /// For green: `elderly`, `disabled`, `key_enterprise`, `pregnant`.
    pub green_reason: Option<String>,
    /// Mobile number (optional).
    pub phone: Option<String>,
}

/// A window as configured.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CounterView {
    /// Id.
    pub id: i64,
    /// Window number.
    pub number: i64,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `ordered` or `weighted`.
    pub mode: String,
    /// `(category, weight)` in order.
    pub categories: Vec<(String, u32)>,
    /// Open for sign-in.
    pub active: bool,
    /// Whether someone is signed in.
    pub staffed: bool,
}

/// The view of a window.
pub fn counter_view(c: &CounterRecord) -> CounterView {
    CounterView {
        id: c.id,
        number: c.number,
        name_zh: c.name_zh.clone(),
        name_en: c.name_en.clone(),
        mode: c.profile.mode.as_str().to_owned(),
        categories: c
            .profile
            .entries
            .iter()
            .map(|e| (e.category.clone(), e.weight))
            .collect(),
        active: c.active,
        staffed: c.staff_id.is_some(),
    }
}

/// A window to save.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterBody {
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `ordered` or `weighted`.
    pub mode: String,
    /// Categories with weights (1–10), in order.
    pub categories: Vec<(String, u32)>,
    /// Open for sign-in.
    pub active: bool,
}

/// The categories of a hall with their waiting counts.
#[utoipa::path(
    get,
    path = "/api/v1/halls/{centre}/{hall}/categories",
    tag = "hall",
    params(HallPath),
    responses(
        (status = 200, description = "Categories", body = [CategoryView]),
        (status = 404, description = "No such hall", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn categories(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<HallPath>,
) -> Result<Json<Vec<CategoryView>>, ApiError> {
    let key = path.key();
    state.app.hall_place(&key).await?;
    let day = onetrip_app::hall::beijing_day(state.app.now());
    let waiting = state
        .app
        .store
        .hall_tickets(&key, &day, &[TicketStatus::Waiting])
        .await
        .map_err(crate::api::app_err)?;
    let cats = state
        .app
        .store
        .hall_categories(&key)
        .await
        .map_err(crate::api::app_err)?;
    Ok(Json(
        cats.into_iter()
            .map(|c| CategoryView {
                waiting: waiting
                    .iter()
                    .filter(|t| t.category == c.category.code)
                    .count(),
                code: c.category.code,
                module: c.category.module.as_str().to_owned(),
                name_zh: c.category.name_zh,
                name_en: c.category.name_en,
            })
            .collect(),
    ))
}

/// Takes an ordinary ticket at the kiosk (public).
#[utoipa::path(
    post,
    path = "/api/v1/halls/{centre}/{hall}/tickets",
    tag = "hall",
    params(HallPath),
    request_body = KioskTicket,
    responses(
        (status = 201, description = "Ticket issued", body = TicketView),
        (status = 404, description = "No such hall", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown category or bad phone", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn take(
    State(state): State<AppState>,
    current: CurrentSession,
    ApiPath(path): ApiPath<HallPath>,
    ApiJson(body): ApiJson<KioskTicket>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let applicant = match current.session.as_ref().map(|s| &s.principal) {
        Some(Principal::Applicant(a)) => Some(a.clone()),
        _ => None,
    };
    let t = state
        .app
        .take_ticket_at_kiosk(
            &path.key(),
            &body.category,
            body.phone.as_deref(),
            applicant.as_ref(),
        )
        .await?;
    let position = state.app.ticket_position(&t).await?;
    Ok((StatusCode::CREATED, Json(ticket_view(&t, position))))
}

/// Issues a ticket at reception (`queue.operate`), green channel with a reason.
#[utoipa::path(
    post,
    path = "/api/v1/halls/{centre}/{hall}/reception/tickets",
    tag = "hall",
    params(HallPath),
    request_body = ReceptionTicket,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Ticket issued", body = TicketView),
        (status = 403, description = "No queue.operate for the centre", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad input", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reception(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(path): ApiPath<HallPath>,
    ApiJson(body): ApiJson<ReceptionTicket>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let priority = Priority::parse(&body.priority).ok_or_else(|| {
        bad_field(
            "priority",
            "invalid",
            "应为 ordinary 或 green / ordinary or green",
        )
    })?;
    let green_reason = match body.green_reason.as_deref().filter(|s| !s.is_empty()) {
        Some(r) => Some(GreenReason::parse(r).ok_or_else(|| {
            bad_field(
                "green_reason",
                "invalid",
                "未知绿色通道原因 / unknown green-channel reason",
            )
        })?),
        None => None,
    };
    let request = TicketRequest {
        category: body.category,
        priority,
        green_reason,
        phone: body.phone,
    };
    let t = state
        .app
        .issue_ticket_at_reception(writer.principal(), &path.key(), &request)
        .await?;
    let position = state.app.ticket_position(&t).await?;
    Ok((StatusCode::CREATED, Json(ticket_view(&t, position))))
}

/// A ticket's token, from the path.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TokenPath {
    /// The holder page token.
    pub token: String,
}

/// A ticket and where it stands, by its holder token (public).
#[utoipa::path(
    get,
    path = "/api/v1/tickets/{token}",
    tag = "hall",
    params(TokenPath),
    responses(
        (status = 200, description = "The ticket", body = TicketView),
        (status = 404, description = "Unknown token", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn by_token(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<TokenPath>,
) -> Result<Json<TicketView>, ApiError> {
    let t = state
        .app
        .store
        .ticket_by_token(&path.token)
        .await
        .map_err(crate::api::app_err)?
        .ok_or_else(|| ApiError::not_found("ticket"))?;
    let position = state.app.ticket_position(&t).await?;
    Ok(Json(ticket_view(&t, position)))
}

/// The windows of a hall.
#[utoipa::path(
    get,
    path = "/api/v1/halls/{centre}/{hall}/counters",
    tag = "hall",
    params(HallPath),
    responses(
        (status = 200, description = "Windows by number", body = [CounterView]),
        (status = 404, description = "No such hall", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn counters(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<HallPath>,
) -> Result<Json<Vec<CounterView>>, ApiError> {
    let key = path.key();
    state.app.hall_place(&key).await?;
    let list = state
        .app
        .store
        .counters(&key)
        .await
        .map_err(crate::api::app_err)?;
    Ok(Json(list.iter().map(counter_view).collect()))
}

/// A window of a hall by number, from the path.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CounterPath {
    /// Service centre code.
    pub centre: String,
    /// Hall code.
    pub hall: String,
    /// Window number.
    pub number: i64,
}

/// Creates or replaces a window and its work profile (`staff.manage`).
#[utoipa::path(
    put,
    path = "/api/v1/halls/{centre}/{hall}/counters/{number}",
    tag = "hall",
    params(CounterPath),
    request_body = CounterBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Saved", body = CounterView),
        (status = 403, description = "No staff.manage", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad profile, naming each field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save_counter(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(path): ApiPath<CounterPath>,
    ApiJson(body): ApiJson<CounterBody>,
) -> Result<Json<CounterView>, ApiError> {
    let mode = ProfileMode::parse(&body.mode).ok_or_else(|| {
        bad_field(
            "mode",
            "invalid",
            "应为 ordered 或 weighted / ordered or weighted",
        )
    })?;
    let counter = NewCounter {
        hall: HallKey::new(&path.centre, &path.hall),
        number: path.number,
        name_zh: body.name_zh,
        name_en: body.name_en,
        profile: WorkProfile {
            mode,
            entries: body
                .categories
                .into_iter()
                .map(|(category, weight)| onetrip_domain::hall::ProfileEntry { category, weight })
                .collect(),
        },
        active: body.active,
    };
    let saved = state.app.save_counter(writer.principal(), &counter).await?;
    Ok(Json(counter_view(&saved)))
}

/// The caller's window, if signed in at one.
#[utoipa::path(
    get,
    path = "/api/v1/counter",
    tag = "hall",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The window, or null", body = Option<CounterView>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn my_counter(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Option<CounterView>>, ApiError> {
    let c = state.app.my_counter(caller.principal()).await?;
    Ok(Json(c.as_ref().map(counter_view)))
}
