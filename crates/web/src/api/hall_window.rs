//! What a window does: sign in and out, call the next ticket, serve a
//! walk-in, and act on its ticket.
//!
//! Rules: staff need `queue.operate` for the hall's centre, checked again
//! at every action; one person is signed in at one window at a time and a
//! window has one person; a window deals with one ticket at a time, and of
//! two windows racing for the same ticket one gets it (the other gets the
//! next one, or 204 when nobody else waits). An action the ticket's state
//! does not allow is 409 naming the states it needs.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use onetrip_domain::hall::Outcome;
use onetrip_store::TicketAction;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::Writer;
use crate::api::bad_field;
use crate::api::hall::{CounterView, TicketView, counter_view, ticket_view};
use crate::problem::{ApiError, ApiJson, ApiPath, Problem};
use crate::state::AppState;

/// A window id, from the path.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CounterIdPath {
    /// Window id.
    pub id: i64,
}

/// Signs the caller in at a window (and out of any other).
#[utoipa::path(
    post,
    path = "/api/v1/counters/{id}/sign-in",
    tag = "hall",
    params(CounterIdPath),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Signed in", body = CounterView),
        (status = 403, description = "No queue.operate for the centre", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Window taken, or a ticket still open at the previous window", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(path): ApiPath<CounterIdPath>,
) -> Result<Json<CounterView>, ApiError> {
    let c = state
        .app
        .sign_in_at_counter(writer.principal(), path.id)
        .await?;
    Ok(Json(counter_view(&c)))
}

/// Signs the caller out of their window.
#[utoipa::path(
    post,
    path = "/api/v1/counter/sign-out",
    tag = "hall",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 409, description = "A ticket is still open at the window", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    writer: Writer,
) -> Result<StatusCode, ApiError> {
    state.app.sign_out_of_counter(writer.principal()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Calls the next ticket at the caller's window.
#[utoipa::path(
    post,
    path = "/api/v1/counter/call-next",
    tag = "hall",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The called ticket", body = TicketView),
        (status = 204, description = "Nobody the window serves is waiting"),
        (status = 409, description = "Not signed in at a window, or its ticket is still open", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn call_next(
    State(state): State<AppState>,
    writer: Writer,
) -> Result<Response, ApiError> {
    match state.app.call_next_ticket(writer.principal()).await? {
        Some(t) => Ok(Json(ticket_view(&t, None)).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// A walk-in to serve at once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkInBody {
    /// Category letter.
    pub category: String,
}

/// Serves a visitor without a ticket at the caller's window (numbered).
#[utoipa::path(
    post,
    path = "/api/v1/counter/walk-in",
    tag = "hall",
    request_body = WalkInBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Being served", body = TicketView),
        (status = 409, description = "The window's ticket is still open", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown category", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn walk_in(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(body): ApiJson<WalkInBody>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let t = state
        .app
        .serve_walk_in(writer.principal(), &body.category)
        .await?;
    Ok((StatusCode::CREATED, Json(ticket_view(&t, None))))
}

/// One window action.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketActionBody {
    /// `recall`, `start`, `no_show`, `transfer`, `park`, `resume` or `finish`.
    pub action: String,
    /// For `transfer`: the category to queue under.
    pub category: Option<String>,
    /// For `transfer`: the one window to queue for.
    pub counter_id: Option<i64>,
    /// For `finish`: `received`, `completed`, `consulted`, `incomplete`, `referred`.
    pub outcome: Option<String>,
    /// For `finish`: the case filed during the visit.
    pub case_id: Option<i64>,
}

/// Parses an action body into a command, naming the bad field.
pub fn parse_action(body: &TicketActionBody) -> Result<TicketAction, ApiError> {
    Ok(match body.action.as_str() {
        "recall" => TicketAction::Recall,
        "start" => TicketAction::Start,
        "no_show" => TicketAction::NoShow,
        "park" => TicketAction::Park,
        "resume" => TicketAction::Resume,
        "transfer" => match (&body.category, body.counter_id) {
            (Some(c), None) => TicketAction::TransferToCategory(c.clone()),
            (None, Some(id)) => TicketAction::TransferToCounter(id),
            _ => {
                return Err(bad_field(
                    "category",
                    "required",
                    "转移需指定 category 或 counter_id 之一 / transfer needs category or counter_id",
                ));
            }
        },
        "finish" => {
            let outcome = body
                .outcome
                .as_deref()
                .and_then(Outcome::parse)
                .ok_or_else(|| {
                    bad_field("outcome", "required", "请选择办理结果 / choose an outcome")
                })?;
            TicketAction::Finish {
                outcome,
                case_id: body.case_id,
            }
        }
        _ => return Err(bad_field("action", "invalid", "未知操作 / unknown action")),
    })
}

/// A ticket id, from the path.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TicketIdPath {
    /// Ticket id.
    pub id: i64,
}

/// Acts on a ticket of the caller's window.
#[utoipa::path(
    post,
    path = "/api/v1/hall-tickets/{id}/actions",
    tag = "hall",
    params(TicketIdPath),
    request_body = TicketActionBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Done", body = TicketView),
        (status = 409, description = "Not allowed in the ticket's state, or not this window's ticket", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad action", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn act(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(path): ApiPath<TicketIdPath>,
    ApiJson(body): ApiJson<TicketActionBody>,
) -> Result<Json<TicketView>, ApiError> {
    let action = parse_action(&body)?;
    let t = state
        .app
        .act_on_ticket(writer.principal(), path.id, &action)
        .await?;
    Ok(Json(ticket_view(&t, None)))
}
