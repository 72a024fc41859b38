//! `GET /workbench/cases/{id}` — the staff view of one case: status, due
//! dates, parts, materials with every version, timeline, notices,
//! certificates, trips, the delivery status of the applicant's
//! notifications, and a small form for every action this user may take now.
//!
//! Rules: staff who may see the case (a case permission in its scope); others
//! get 404. An action is offered only when the case's state allows it and
//! the user holds the action's permission in the case's scope (or the
//! part's, for part actions) — contractor staff are never offered core
//! actions. The app checks everything again when the form is posted.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use onetrip_app::auth::Principal;
use onetrip_app::cases::access::{case_target, part_target};
use onetrip_domain::FieldError;
use onetrip_domain::access::{Permission, StaffPrincipal};
use onetrip_domain::case::{CaseAction, CorrectionProblem, FORM_FIELDS, PartStatus, PauseKind};
use onetrip_domain::identity::mask_phone;
use onetrip_store::{CaseDetail, PartRecord};

use super::require_staff;
use crate::page::{PageCtx, PageError, PageResult, render_status};
use crate::pages::account::beijing_time;
use crate::pages::admin::{Opt, error_for};
use crate::pages::cases::{CaseView, build_case_view, departments};
use crate::state::AppState;

/// One outbox row as shown.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    /// Channel.
    pub channel: String,
    /// Recipient (phone numbers masked).
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// `pending`, `sent`, `failed`.
    pub status: String,
    /// Status label.
    pub status_label: &'static str,
    /// Attempts.
    pub attempts: i64,
    /// Last error.
    pub last_error: String,
    /// Created.
    pub created: String,
}

/// A correction target the builder offers.
#[derive(Debug, Clone)]
pub struct TargetRow {
    /// Target (`m01`, `form.contact_phone`).
    pub target: String,
    /// Name.
    pub name: String,
    /// Error path prefix (`request_correction.<target>`).
    pub path: String,
    /// Error path of its tick box.
    pub target_path: String,
    /// Error path of its problem.
    pub problem_path: String,
    /// Error path of its note.
    pub note_path: String,
}

impl TargetRow {
    fn new(target: String, name: String) -> Self {
        let path = format!("request_correction.{target}");
        Self {
            target_path: format!("{path}.target"),
            problem_path: format!("{path}.problem"),
            note_path: format!("{path}.note"),
            target,
            name,
            path,
        }
    }
}

#[derive(Template)]
#[template(path = "workbench/case.html")]
struct StaffCasePage {
    page: PageCtx,
    case: CaseView,
    case_actions: Vec<&'static str>,
    part_actions: Vec<(i64, &'static str)>,
    can_provide: bool,
    can_trip: bool,
    targets: Vec<TargetRow>,
    problems: Vec<Opt>,
    pause_kinds: Vec<Opt>,
    outbox: Vec<OutboxRow>,
    courier: bool,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl StaffCasePage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        crate::page::field_id(path.as_ref())
    }

    fn upload_href(&self, key: &str) -> String {
        format!("/workbench/cases/{}/materials/{key}", self.case.id)
    }

    fn fills(&self) -> bool {
        false
    }

    fn paper_check(&self) -> bool {
        self.can_provide
    }

    fn can(&self, action: &str) -> bool {
        self.case_actions.contains(&action)
    }

    fn can_part<S: std::borrow::Borrow<i64>>(&self, seq: S, action: &str) -> bool {
        let seq = *seq.borrow();
        self.part_actions
            .iter()
            .any(|(s, a)| *s == seq && *a == action)
    }

    fn p<S: std::borrow::Borrow<i64>>(&self, action: &str, seq: S, field: &str) -> String {
        format!("{action}.{}.{field}", seq.borrow())
    }

    fn any_part_action<S: std::borrow::Borrow<i64>>(&self, seq: S) -> bool {
        let seq = *seq.borrow();
        self.part_actions.iter().any(|(s, _)| *s == seq)
    }
}

fn part_ready(action: CaseAction, p: &PartRecord) -> bool {
    let undecided = matches!(p.status, PartStatus::Open | PartStatus::Claimed);
    match action {
        CaseAction::Claim => p.status == PartStatus::Open,
        CaseAction::ReturnTask => p.status == PartStatus::Claimed,
        CaseAction::Extend => undecided && p.extension_days == 0,
        CaseAction::Comment => true,
        _ => undecided,
    }
}

/// The actions `staff` may take now: case actions, and part actions by part.
pub fn offered_actions(
    staff: &StaffPrincipal,
    detail: &CaseDetail,
) -> (Vec<&'static str>, Vec<(i64, &'static str)>) {
    let case = &detail.case;
    let mut case_actions = Vec::new();
    let mut part_actions = Vec::new();
    for action in case.status.allowed_actions() {
        let Some(permission) = action.rule().staff else {
            continue;
        };
        if action.is_part_action() {
            for p in &detail.parts {
                if part_ready(action, p)
                    && staff.authorize(permission, &part_target(case, p)).is_ok()
                {
                    part_actions.push((p.seq, action.as_str()));
                }
            }
        }
        let case_level = !action.is_part_action() || action == CaseAction::Comment;
        if case_level
            && staff
                .authorize(permission, &case_target(case, &detail.parts))
                .is_ok()
        {
            case_actions.push(action.as_str());
        }
    }
    (case_actions, part_actions)
}

fn done_notice(page: &PageCtx, code: Option<&str>) -> Option<&'static str> {
    match code? {
        "uploaded" => Some(page.t("case.done.uploaded")),
        "done" => Some(page.t("workbench.done")),
        _ => None,
    }
}

/// Query carrying a notice code.
#[derive(Debug, Default, serde::Deserialize)]
pub struct StaffCaseQuery {
    /// Notice code after a redirect.
    pub done: Option<String>,
}

/// Renders the staff view of the case with `errors` and `status`.
pub async fn render_case(
    state: &AppState,
    page: PageCtx,
    who: &Principal,
    id: i64,
    errors: Vec<FieldError>,
    status: StatusCode,
    notice: Option<&'static str>,
) -> PageResult {
    let staff = who
        .staff()
        .map_err(|e| PageError::from_app(&page, e))?
        .clone();
    let detail = state
        .app
        .case_for(who, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let fail = |e: onetrip_store::StoreError| PageError::from_app(&page, e.into());
    let all_departments = departments(state, &page).await?;
    let all_staff = state.app.store.list_staff().await.map_err(fail)?;
    let outbox = state
        .app
        .store
        .list_outbox(Some(id), 100)
        .await
        .map_err(fail)?;
    let lang = page.lang;
    let mut view = build_case_view(
        lang,
        &detail,
        &all_departments,
        Some((&all_staff, staff.id)),
    );
    let (case_actions, part_actions) = offered_actions(&staff, &detail);
    let target = case_target(&detail.case, &detail.parts);
    let can_provide = staff.authorize(Permission::CaseReceive, &target).is_ok();
    let can_trip = can_provide || staff.authorize(Permission::QueueOperate, &target).is_ok();
    for m in &mut view.materials {
        m.may_provide &= can_provide;
    }
    let mut targets: Vec<TargetRow> = detail
        .case
        .checklist
        .iter()
        .map(|e| TargetRow::new(e.key.clone(), format!("{} {}", e.key, lang.pick(&e.name))))
        .collect();
    for (name, zh, en) in FORM_FIELDS {
        targets.push(TargetRow::new(
            format!("form.{name}"),
            lang.choose(zh, en).to_owned(),
        ));
    }
    let problems = CorrectionProblem::ALL
        .iter()
        .map(|p| Opt::new(p.as_str(), p.label(lang.code()), false))
        .collect();
    let pause_kinds = PauseKind::ALL
        .iter()
        .filter(|k| **k != PauseKind::Suspension)
        .map(|k| Opt::new(k.as_str(), k.label(lang.code()), false))
        .collect();
    let outbox = outbox
        .into_iter()
        .map(|o| OutboxRow {
            recipient: if o.channel == "sms" {
                mask_phone(&o.recipient)
            } else {
                o.recipient.clone()
            },
            status_label: match o.status.as_str() {
                "sent" => lang.t("outbox.sent"),
                "failed" => lang.t("outbox.failed"),
                _ => lang.t("outbox.pending"),
            },
            channel: o.channel,
            subject: o.subject,
            status: o.status,
            attempts: o.attempts,
            last_error: o.last_error,
            created: beijing_time(o.created_at),
        })
        .collect();
    Ok(render_status(
        status,
        &StaffCasePage {
            courier: detail.case.delivery_method == onetrip_domain::case::DeliveryMethod::Courier,
            case: view,
            case_actions,
            part_actions,
            can_provide,
            can_trip,
            targets,
            problems,
            pause_kinds,
            outbox,
            errors,
            notice,
            page,
        },
    ))
}

/// Shows the staff view of a case.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<StaffCaseQuery>,
) -> PageResult {
    let (who, _) = require_staff(&page)?;
    let notice = done_notice(&page, q.done.as_deref());
    render_case(&state, page, &who, id, Vec::new(), StatusCode::OK, notice).await
}
