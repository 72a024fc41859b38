//! `GET /workbench/counter` — the window console (窗口叫号) for staff.
//!
//! Not signed in at a window: the windows of every hall with queue
//! categories, who holds each, and a sign-in button for the free ones.
//! Signed in: the window and its work profile, the ticket it deals with
//! (called, being served or parked here) with a button for each action its
//! state allows, "call next", a walk-in form, and sign-out. The reception
//! form (导服台取号, with the green channel and its reason) is on both.
//!
//! POST endpoints, each answering 303 back to the console:
//! `/workbench/counter/sign-in` (`counter_id`), `/workbench/counter/sign-out`,
//! `/workbench/counter/call-next`, `/workbench/counter/walk-in` (`category`),
//! `/workbench/counter/issue` (`hall`, `category`, `priority`,
//! `green_reason`, `phone`) and `/workbench/counter/tickets/{id}/{action}`
//! for `recall`, `start`, `no_show`, `park`, `resume`, `finish` (`outcome`,
//! `case_id`) and `transfer` (`to` = `category:X` or `counter:ID`).
//!
//! Rules: anonymous visitors are sent to sign in, applicants get 403; the
//! app checks `queue.operate` for the hall at every step. Bad input
//! re-renders the console with an error summary naming the field (422); a
//! state that does not allow the action (409) and refusals (403) are error
//! pages with the app's reason.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_app::auth::Principal;
use onetrip_app::hall::queue::TicketRequest;
use onetrip_domain::hall::{GreenReason, Outcome, Priority, TicketStatus};
use onetrip_domain::{FieldError, ValidationErrors};
use onetrip_store::{CounterRecord, HallKey, TicketAction};
use serde::Deserialize;

use super::{categories, category_name, clock};
use crate::page::{PageCtx, PageError, PageResult, render_status};
use crate::pages::admin::{Opt, check_csrf, error_for, field, parse_pairs, see_other};
use crate::pages::workbench::require_staff;
use crate::state::AppState;

/// A window in the sign-in list.
struct WindowRow {
    id: i64,
    number: i64,
    name: String,
    categories: String,
    holder: String,
    free: bool,
}

/// A hall in the sign-in list.
struct HallRow {
    name: String,
    windows: Vec<WindowRow>,
}

/// A ticket at this window.
struct TicketRow {
    id: i64,
    number: String,
    category: String,
    status: &'static str,
    priority: &'static str,
    called: String,
    waited: String,
    can_recall: bool,
    can_start: bool,
    can_no_show: bool,
    can_park: bool,
    can_resume: bool,
    can_finish: bool,
    can_transfer: bool,
}

/// Where a ticket may be transferred.
struct TransferGroup {
    label: &'static str,
    options: Vec<Opt>,
}

/// The window signed in at.
struct Signed {
    number: i64,
    name: String,
    hall_name: String,
    mode: &'static str,
    profile: Vec<String>,
    tickets: Vec<TicketRow>,
    busy: bool,
    walk_in: Vec<Opt>,
    transfer: Vec<TransferGroup>,
}

#[derive(Template)]
#[template(path = "hall/counter.html")]
struct CounterPage {
    page: PageCtx,
    signed: Option<Signed>,
    halls: Vec<HallRow>,
    hall_opts: Vec<Opt>,
    categories: Vec<Opt>,
    priorities: Vec<Opt>,
    reasons: Vec<Opt>,
    outcomes: Vec<Opt>,
    phone: String,
    notice: Option<String>,
    errors: Vec<FieldError>,
}

impl CounterPage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        crate::page::field_id(path.as_ref())
    }
}

/// Query after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct ConsoleQuery {
    /// What was done.
    pub done: Option<String>,
    /// The ticket number concerned.
    pub number: Option<String>,
}

fn notice(page: &PageCtx, q: &ConsoleQuery) -> Option<String> {
    let number = q
        .number
        .as_deref()
        .filter(|n| n.len() <= 8 && n.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or("");
    let key = match q.done.as_deref()? {
        "called" => "hall.console.notice.called",
        "none" => "hall.console.notice.none",
        "issued" => "hall.console.notice.issued",
        "walk_in" => "hall.console.notice.walk_in",
        "signed_in" => "hall.console.notice.signed_in",
        "signed_out" => "hall.console.notice.signed_out",
        "action" => "hall.console.notice.action",
        _ => return None,
    };
    Some(format!("{} {number}", page.t(key)).trim().to_owned())
}

fn hall_key_value(key: &HallKey) -> String {
    format!("{}/{}", key.centre, key.hall)
}

fn counter_categories(
    page: &PageCtx,
    cats: &[onetrip_store::CategoryRecord],
    c: &CounterRecord,
) -> String {
    c.profile
        .entries
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e.category,
                category_name(page.lang, cats, &e.category)
            )
        })
        .collect::<Vec<_>>()
        .join("、")
}

async fn staff_name(state: &AppState, id: i64) -> String {
    match state.app.store.staff_by_id(id).await {
        Ok(Some(s)) => s.display_name,
        _ => format!("#{id}"),
    }
}

#[allow(clippy::too_many_lines)]
async fn render_console(
    state: &AppState,
    page: PageCtx,
    who: &Principal,
    notice: Option<String>,
    errors: Vec<FieldError>,
    status: StatusCode,
    phone: &str,
) -> PageResult {
    let app = &state.app;
    let err = |e: onetrip_store::StoreError| PageError::from_app(&page, e.into());
    let lang = page.lang.code();
    let mine = app
        .my_counter(who)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let halls_all = app
        .queue_halls()
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let hall_label = |p: &onetrip_app::hall::HallPlace| {
        format!(
            "{} {}",
            page.lang.pick(&p.centre.name),
            page.lang.pick(&p.hall.name)
        )
    };
    let current_hall = mine.as_ref().map(|c| c.hall.clone());
    let hall_opts: Vec<Opt> = halls_all
        .iter()
        .map(|p| {
            let k = p.key();
            Opt::new(
                hall_key_value(&k),
                hall_label(p),
                current_hall.as_ref() == Some(&k),
            )
        })
        .collect();
    // The reception form's categories: those of the window's hall, or of
    // the first hall.
    let form_hall = current_hall
        .clone()
        .or_else(|| halls_all.first().map(onetrip_app::hall::HallPlace::key));
    let form_cats = match &form_hall {
        Some(k) => categories(state, &page, k).await?,
        None => Vec::new(),
    };
    let cat_opts: Vec<Opt> = form_cats
        .iter()
        .map(|c| {
            Opt::new(
                c.category.code.clone(),
                format!(
                    "{} {}",
                    c.category.code,
                    super::category_label(page.lang, c)
                ),
                false,
            )
        })
        .collect();
    let mut halls = Vec::new();
    let mut signed = None;
    if let Some(counter) = &mine {
        let cats = categories(state, &page, &counter.hall).await?;
        let day = onetrip_app::hall::beijing_day(app.now());
        let now = app.now();
        let tickets: Vec<TicketRow> = app
            .store
            .hall_tickets(
                &counter.hall,
                &day,
                &[
                    TicketStatus::Called,
                    TicketStatus::Serving,
                    TicketStatus::Parked,
                ],
            )
            .await
            .map_err(err)?
            .into_iter()
            .filter(|t| t.counter_id == Some(counter.id))
            .map(|t| {
                let s = t.status;
                TicketRow {
                    id: t.id,
                    category: category_name(page.lang, &cats, &t.category),
                    status: s.label(lang),
                    priority: match t.priority {
                        Priority::Ordinary => "",
                        p => p.label(lang),
                    },
                    called: t.called_at.map(clock).unwrap_or_default(),
                    waited: format!("{}", t.wait_micros(now) / onetrip_app::hall::MINUTE_MICROS),
                    can_recall: s == TicketStatus::Called,
                    can_start: s == TicketStatus::Called,
                    can_no_show: s == TicketStatus::Called,
                    can_park: s == TicketStatus::Serving,
                    can_resume: s == TicketStatus::Parked,
                    can_finish: s.is_current(),
                    can_transfer: s.is_current(),
                    number: t.number,
                }
            })
            .collect();
        let busy = tickets.iter().any(|t| t.can_finish);
        let others = app.store.counters(&counter.hall).await.map_err(err)?;
        let place = app
            .hall_place(&counter.hall)
            .await
            .map_err(|e| PageError::from_app(&page, e))?;
        signed = Some(Signed {
            number: counter.number,
            name: page
                .lang
                .choose(&counter.name_zh, &counter.name_en)
                .to_owned(),
            hall_name: hall_label(&place),
            mode: counter.profile.mode.label(lang),
            profile: counter
                .profile
                .entries
                .iter()
                .map(|e| {
                    format!(
                        "{} {} ×{}",
                        e.category,
                        category_name(page.lang, &cats, &e.category),
                        e.weight
                    )
                })
                .collect(),
            tickets,
            busy,
            walk_in: counter
                .profile
                .entries
                .iter()
                .map(|e| {
                    Opt::new(
                        e.category.clone(),
                        format!(
                            "{} {}",
                            e.category,
                            category_name(page.lang, &cats, &e.category)
                        ),
                        false,
                    )
                })
                .collect(),
            transfer: vec![
                TransferGroup {
                    label: page.t("hall.console.to_category"),
                    options: cats
                        .iter()
                        .map(|c| {
                            Opt::new(
                                format!("category:{}", c.category.code),
                                format!(
                                    "{} {}",
                                    c.category.code,
                                    super::category_label(page.lang, c)
                                ),
                                false,
                            )
                        })
                        .collect(),
                },
                TransferGroup {
                    label: page.t("hall.console.to_window"),
                    options: others
                        .iter()
                        .filter(|o| o.id != counter.id && o.active)
                        .map(|o| {
                            Opt::new(
                                format!("counter:{}", o.id),
                                format!(
                                    "{} {} {}",
                                    o.number,
                                    page.t("hall.window_suffix"),
                                    page.lang.choose(&o.name_zh, &o.name_en)
                                ),
                                false,
                            )
                        })
                        .collect(),
                },
            ],
        });
    } else {
        for p in &halls_all {
            let key = p.key();
            let cats = categories(state, &page, &key).await?;
            let mut windows = Vec::new();
            for c in app.store.counters(&key).await.map_err(err)? {
                if !c.active {
                    continue;
                }
                let holder = match c.staff_id {
                    Some(id) => staff_name(state, id).await,
                    None => String::new(),
                };
                windows.push(WindowRow {
                    id: c.id,
                    number: c.number,
                    name: page.lang.choose(&c.name_zh, &c.name_en).to_owned(),
                    categories: counter_categories(&page, &cats, &c),
                    free: c.staff_id.is_none(),
                    holder,
                });
            }
            halls.push(HallRow {
                name: hall_label(p),
                windows,
            });
        }
    }
    let opts = |all: &[&'static str], labels: &dyn Fn(&str) -> &'static str| -> Vec<Opt> {
        all.iter().map(|v| Opt::new(*v, labels(v), false)).collect()
    };
    let priorities = opts(&["ordinary", "green"], &|v| {
        Priority::parse(v).map_or("", |p| p.label(lang))
    });
    let reasons: Vec<Opt> = GreenReason::ALL
        .iter()
        .map(|r| Opt::new(r.as_str(), r.label(lang), false))
        .collect();
    let outcomes: Vec<Opt> = Outcome::ALL
        .iter()
        .map(|o| Opt::new(o.as_str(), o.label(lang), false))
        .collect();
    Ok(render_status(
        status,
        &CounterPage {
            signed,
            halls,
            hall_opts,
            categories: cat_opts,
            priorities,
            reasons,
            outcomes,
            phone: phone.to_owned(),
            notice,
            errors,
            page,
        },
    ))
}

/// Shows the console.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<ConsoleQuery>,
) -> PageResult {
    let (who, _) = require_staff(&page)?;
    let notice = notice(&page, &q);
    render_console(&state, page, &who, notice, Vec::new(), StatusCode::OK, "").await
}

/// Turns an app result into the console's answer: 303 on success, the
/// console with the errors on invalid input, an error page otherwise.
async fn answer<T>(
    state: &AppState,
    page: PageCtx,
    who: &Principal,
    result: Result<T, AppError>,
    to: impl FnOnce(T) -> String,
    phone: &str,
) -> PageResult {
    match result {
        Ok(v) => Ok(see_other(&to(v))),
        Err(AppError::Invalid(v)) => {
            render_console(
                state,
                page,
                who,
                None,
                v.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                phone,
            )
            .await
        }
        Err(e) => Err(PageError::from_app(&page, e)),
    }
}

fn invalid(field: &str, code: &str, message: &str) -> AppError {
    AppError::Invalid(ValidationErrors::single(field, code, message))
}

/// Signs in at a window.
pub async fn sign_in(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let (who, _) = require_staff(&page)?;
    let result = match field(&pairs, "counter_id").trim().parse::<i64>() {
        Ok(id) => state.app.sign_in_at_counter(&who, id).await,
        Err(_) => Err(invalid(
            "counter_id",
            "required",
            page.t("hall.err.counter"),
        )),
    };
    answer(
        &state,
        page,
        &who,
        result,
        |_| "/workbench/counter?done=signed_in".to_owned(),
        "",
    )
    .await
}

/// Signs out of the window.
pub async fn sign_out(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let (who, _) = require_staff(&page)?;
    let result = state.app.sign_out_of_counter(&who).await;
    answer(
        &state,
        page,
        &who,
        result,
        |()| "/workbench/counter?done=signed_out".to_owned(),
        "",
    )
    .await
}

/// Calls the next ticket.
pub async fn call_next(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let (who, _) = require_staff(&page)?;
    let result = state.app.call_next_ticket(&who).await;
    answer(
        &state,
        page,
        &who,
        result,
        |t| match t {
            Some(t) => format!("/workbench/counter?done=called&number={}", t.number),
            None => "/workbench/counter?done=none".to_owned(),
        },
        "",
    )
    .await
}

/// Serves a walk-in.
pub async fn walk_in(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let (who, _) = require_staff(&page)?;
    let category = field(&pairs, "walk_in_category").trim();
    let result = if category.is_empty() {
        Err(invalid(
            "walk_in_category",
            "required",
            page.t("hall.err.category"),
        ))
    } else {
        state.app.serve_walk_in(&who, category).await
    };
    answer(
        &state,
        page,
        &who,
        result,
        |t| format!("/workbench/counter?done=walk_in&number={}", t.number),
        "",
    )
    .await
}

/// Issues a ticket at reception.
pub async fn issue(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let (who, _) = require_staff(&page)?;
    let phone = field(&pairs, "phone").trim().to_owned();
    let mut errors = ValidationErrors::new();
    let hall = field(&pairs, "hall")
        .split_once('/')
        .map(|(c, h)| HallKey::new(c, h));
    if hall.is_none() {
        errors.push("hall", "required", page.t("hall.err.hall"));
    }
    let category = field(&pairs, "category").trim().to_owned();
    if category.is_empty() {
        errors.push("category", "required", page.t("hall.err.category"));
    }
    let priority = Priority::parse(field(&pairs, "priority")).unwrap_or(Priority::Ordinary);
    let reason_text = field(&pairs, "green_reason").trim();
    let green_reason = if reason_text.is_empty() {
        None
    } else {
        let r = GreenReason::parse(reason_text);
        if r.is_none() {
            errors.push("green_reason", "invalid", page.t("hall.err.reason"));
        }
        r
    };
    let result = match (errors.finish(()), hall) {
        (Ok(()), Some(hall)) => {
            let request = TicketRequest {
                category,
                priority,
                green_reason,
                phone: (!phone.is_empty()).then(|| phone.clone()),
            };
            state
                .app
                .issue_ticket_at_reception(&who, &hall, &request)
                .await
        }
        (Err(v), _) => Err(AppError::Invalid(v)),
        (Ok(()), None) => Err(invalid("hall", "required", page.t("hall.err.hall"))),
    };
    answer(
        &state,
        page,
        &who,
        result,
        |t| format!("/workbench/counter?done=issued&number={}", t.number),
        &phone,
    )
    .await
}

/// The action named by the path, from the form.
fn action_of(
    page: &PageCtx,
    action: &str,
    pairs: &[(String, String)],
) -> Result<Option<TicketAction>, AppError> {
    Ok(Some(match action {
        "recall" => TicketAction::Recall,
        "start" => TicketAction::Start,
        "no_show" => TicketAction::NoShow,
        "park" => TicketAction::Park,
        "resume" => TicketAction::Resume,
        "finish" => {
            let outcome = Outcome::parse(field(pairs, "outcome"))
                .ok_or_else(|| invalid("outcome", "required", page.t("hall.err.outcome")))?;
            let case = field(pairs, "case_id").trim();
            let case_id = if case.is_empty() {
                None
            } else {
                Some(
                    case.parse::<i64>()
                        .map_err(|_| invalid("case_id", "invalid", page.t("hall.err.case_id")))?,
                )
            };
            TicketAction::Finish { outcome, case_id }
        }
        "transfer" => {
            let to = field(pairs, "to");
            if let Some(code) = to.strip_prefix("category:") {
                TicketAction::TransferToCategory(code.to_owned())
            } else if let Some(id) = to.strip_prefix("counter:").and_then(|v| v.parse().ok()) {
                TicketAction::TransferToCounter(id)
            } else {
                return Err(invalid("to", "required", page.t("hall.err.transfer")));
            }
        }
        _ => return Ok(None),
    }))
}

/// Applies an action to a ticket of this window.
pub async fn act(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, action)): Path<(i64, String)>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let (who, _) = require_staff(&page)?;
    let result = match action_of(&page, &action, &pairs) {
        Ok(Some(a)) => state.app.act_on_ticket(&who, id, &a).await,
        Ok(None) => return Err(PageError::not_found(&page)),
        Err(e) => Err(e),
    };
    answer(
        &state,
        page,
        &who,
        result,
        |t| format!("/workbench/counter?done=action&number={}", t.number),
        "",
    )
    .await
}
