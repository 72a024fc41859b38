//! `GET /api/v1/tasks` — review tasks for staff and department systems.
//!
//! Rules: a task is one department's part of a case. A caller sees the
//! tasks of the departments where they hold `case.review` (or only their
//! own with `mine=true`), earliest statutory due date first, filtered by
//! warning level and due date. Department systems call this with an API
//! token that acts as one staff account, then post decisions through
//! `POST /api/v1/cases/{id}/actions`.

use axum::Json;
use axum::extract::State;
use onetrip_app::cases::WorkbenchFilter;
use onetrip_domain::case::PartStatus;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::Caller;
use crate::api::cases::parse_warning;
use crate::api::{TextView, bad_param, non_blank};
use crate::problem::{ApiError, ApiQuery, Problem};
use crate::state::AppState;

/// Task filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    /// Only tasks assigned to me.
    pub mine: Option<bool>,
    /// `normal`, `yellow` or `red`.
    pub warning: Option<String>,
    /// Only tasks due on or before this date (YYYY-MM-DD).
    pub due_by: Option<String>,
    /// `open`, `claimed` or `decided` (default open and claimed).
    pub status: Option<String>,
}

/// One task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    /// Case id.
    pub case_id: i64,
    /// Case number.
    pub case_no: String,
    /// Case title.
    pub case_title: TextView,
    /// Case state.
    pub case_status: String,
    /// Part seq (use in part actions).
    pub part: i64,
    /// Item.
    pub item_code: String,
    /// Item name.
    pub name: TextView,
    /// Department.
    pub department_code: String,
    /// Part state.
    pub status: String,
    /// Reviewer.
    pub assignee_id: Option<i64>,
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
}

/// Review tasks in the caller's inboxes.
#[utoipa::path(
    get,
    path = "/api/v1/tasks",
    tag = "cases",
    params(TaskQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Tasks, earliest due first", body = [TaskView]),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> Result<Json<Vec<TaskView>>, ApiError> {
    let due_by = match non_blank(q.due_by.as_deref()) {
        Some(d) => Some(
            Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                .map_err(|_| bad_param("due_by", "invalid_date", "应为 YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let statuses =
        match non_blank(q.status.as_deref()) {
            Some(s) => vec![PartStatus::parse(s).ok_or_else(|| {
                bad_param("status", "invalid", "未知任务状态 / unknown task state")
            })?],
            None => Vec::new(),
        };
    let filter = WorkbenchFilter {
        warning: parse_warning(q.warning.as_deref())?,
        due_by,
        mine: q.mine.unwrap_or(false),
        statuses,
    };
    let rows = state.app.workbench(caller.principal(), &filter).await?;
    Ok(Json(
        rows.iter()
            .map(|t| TaskView {
                case_id: t.part.case_id,
                case_no: t.case_no.clone(),
                case_title: (&t.case_title).into(),
                case_status: t.case_status.as_str().to_owned(),
                part: t.part.seq,
                item_code: t.part.item_code.clone(),
                name: (&t.part.name).into(),
                department_code: t.part.department_code.clone(),
                status: t.part.status.as_str().to_owned(),
                assignee_id: t.part.assignee_id,
                statutory_due: t.part.statutory_due,
                promised_due: t.part.promised_due,
                due_provisional: t.part.due_provisional,
                warning: t.part.warning.as_str().to_owned(),
            })
            .collect(),
    ))
}
