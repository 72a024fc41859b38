//! Case pages of the applicant (my cases, one case, materials, notices) and
//! the views of a case that the applicant's and the staff pages share.
//!
//! Rules shared by these pages: only a signed-in applicant uses the
//! applicant pages (anonymous visitors are sent to sign in; staff are sent
//! to the workbench view of the same case); a case the user may not see is
//! "not found", so case ids reveal nothing; every change goes through an app
//! use case, which decides; bad input re-renders the page with an error
//! summary (422) and changes nothing.

pub mod detail;
pub mod download;
pub mod list;
pub mod notice;
pub mod upload;

use axum::http::StatusCode;
use onetrip_app::auth::Principal;
use onetrip_domain::FieldError;
use onetrip_domain::calendar::WarningLevel;
use onetrip_domain::case::{CaseStatus, CorrectionProblem, FORM_FIELDS, PartStatus};
use onetrip_domain::region::Department;
use onetrip_store::{CaseDetail, CaseRecord, MaterialRecord, StaffRecord};

use crate::i18n::Lang;
use crate::page::{PageCtx, PageError};
use crate::pages::account::beijing_time;
use crate::state::AppState;

/// The signed-in applicant, or the redirect to sign in; staff get 403.
pub fn require_applicant(page: &PageCtx) -> Result<Principal, PageError> {
    let who = page.require_principal()?.clone();
    match who {
        Principal::Applicant(_) => Ok(who),
        Principal::Staff(_) => Err(PageError::new(
            page,
            StatusCode::FORBIDDEN,
            page.t("case.applicant_only"),
        )),
    }
}

/// A warning level as a badge: a colour class and always a text.
#[derive(Debug, Clone)]
pub struct Badge {
    /// CSS class (`ok`, `warn`, `bad`).
    pub class: &'static str,
    /// Text.
    pub label: &'static str,
}

/// The badge of a warning level.
pub fn warning_badge(lang: Lang, w: WarningLevel) -> Badge {
    match w {
        WarningLevel::Normal => Badge {
            class: "ok",
            label: lang.t("warning.normal"),
        },
        WarningLevel::Yellow => Badge {
            class: "warn",
            label: lang.t("warning.yellow"),
        },
        WarningLevel::Red => Badge {
            class: "bad",
            label: lang.t("warning.red"),
        },
    }
}

/// Parses a warning level code.
pub fn parse_warning(s: &str) -> Option<WarningLevel> {
    match s {
        "normal" => Some(WarningLevel::Normal),
        "yellow" => Some(WarningLevel::Yellow),
        "red" => Some(WarningLevel::Red),
        _ => None,
    }
}

/// A department's name in the page language, or its code.
pub fn department_name(departments: &[Department], lang: Lang, code: &str) -> String {
    departments
        .iter()
        .find(|d| d.code == code)
        .map(|d| lang.pick(&d.name).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The expected completion date: the promised due date, else the statutory
/// one, marked provisional when it relies on a year without a holiday notice.
pub fn expected_completion(
    lang: Lang,
    promised: Option<time::Date>,
    statutory: Option<time::Date>,
    provisional: bool,
) -> String {
    match promised.or(statutory) {
        Some(d) if provisional => format!("{d}{}", lang.t("case.provisional")),
        Some(d) => d.to_string(),
        None => "—".to_owned(),
    }
}

/// One version of a material as shown.
#[derive(Debug, Clone)]
pub struct VersionRow {
    /// Revision.
    pub revision: i64,
    /// Kind label.
    pub kind: &'static str,
    /// File name or a short text.
    pub name: String,
    /// Size in KiB, for uploads.
    pub size: String,
    /// When.
    pub when: String,
    /// Download link for uploads.
    pub href: Option<String>,
    /// Filled-in text.
    pub text: Option<String>,
}

/// One checklist line with its versions.
#[derive(Debug, Clone)]
pub struct MaterialRow {
    /// Key (`m01`).
    pub key: String,
    /// Error path of its file field (`materials.m01.file`).
    pub file_path: String,
    /// Error path of its text field (`materials.m01.text`).
    pub text_path: String,
    /// Error path of the material itself (`materials.m01`).
    pub resubmit_path: String,
    /// Name.
    pub name: String,
    /// Required or the condition.
    pub required: String,
    /// Source label.
    pub source: &'static str,
    /// A form filled on the page.
    pub fillable: bool,
    /// Produced by another item of the case.
    pub produced_by: Option<String>,
    /// Newest version.
    pub current: Option<VersionRow>,
    /// Earlier versions, newest first.
    pub earlier: Vec<VersionRow>,
    /// Flagged by the open correction notice: problem and note.
    pub flagged: Option<(String, String)>,
    /// May be provided now by the viewer.
    pub may_provide: bool,
}

/// One line of the timeline.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// When.
    pub when: String,
    /// Action label.
    pub action: &'static str,
    /// Part, for part actions.
    pub part: Option<i64>,
    /// State after.
    pub to: &'static str,
    /// Who.
    pub actor: String,
    /// Note.
    pub note: String,
}

/// A notice link.
#[derive(Debug, Clone)]
pub struct NoticeRow {
    /// Kind label.
    pub kind: &'static str,
    /// Number.
    pub no: String,
    /// Link.
    pub href: String,
    /// When.
    pub when: String,
}

/// One part (department task) as shown.
#[derive(Debug, Clone)]
pub struct PartRow {
    /// Seq.
    pub seq: i64,
    /// Item name.
    pub name: String,
    /// Department.
    pub department: String,
    /// Status label.
    pub status: &'static str,
    /// Open or claimed.
    pub active: bool,
    /// Claimed by the viewer.
    pub mine: bool,
    /// Assignee name.
    pub assignee: String,
    /// Promised due.
    pub promised_due: String,
    /// Statutory due.
    pub statutory_due: String,
    /// Warning badge.
    pub warning: Badge,
    /// Decision label and reasons.
    pub decision: String,
    /// Extension.
    pub extension: String,
    /// Certificate.
    pub certificate: String,
}

/// One flagged line of the open correction notice.
#[derive(Debug, Clone)]
pub struct FlagRow {
    /// Material or field name.
    pub target: String,
    /// Problem label.
    pub problem: &'static str,
    /// Note.
    pub note: String,
}

/// One form field of the case.
#[derive(Debug, Clone)]
pub struct FormRow {
    /// Field name.
    pub name: &'static str,
    /// Error path (`form.<name>`).
    pub path: String,
    /// Label.
    pub label: &'static str,
    /// Current value.
    pub value: String,
    /// Flagged for correction (editable on resubmission).
    pub flagged: bool,
}

/// Everything a case page shows, resolved into the page language.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// Id.
    pub id: i64,
    /// Number.
    pub case_no: String,
    /// Title.
    pub title: String,
    /// Status code.
    pub status_code: &'static str,
    /// Status label.
    pub status: &'static str,
    /// Expected completion.
    pub expected: String,
    /// Statutory due date.
    pub statutory_due: String,
    /// Acceptance due date.
    pub accept_due: String,
    /// Departments handling it now.
    pub departments_now: Vec<String>,
    /// Channel label.
    pub channel: &'static str,
    /// Delivery label.
    pub delivery: &'static str,
    /// Delivery details (courier).
    pub delivery_details: String,
    /// Warning badge.
    pub warning: Badge,
    /// Parts.
    pub parts: Vec<PartRow>,
    /// Checklist with versions.
    pub materials: Vec<MaterialRow>,
    /// Timeline.
    pub timeline: Vec<EventRow>,
    /// Notices.
    pub notices: Vec<NoticeRow>,
    /// Open correction notice.
    pub correction: Option<(String, Vec<FlagRow>)>,
    /// The form.
    pub form: Vec<FormRow>,
    /// Certificates `(number, name, valid until)`.
    pub certificates: Vec<(String, String, String)>,
    /// Trips `(when, purpose)`.
    pub trips: Vec<(String, String)>,
    /// Allowed actions in this state (codes).
    pub allowed: Vec<&'static str>,
}

impl CaseView {
    /// True when `action` (a code) is allowed in the current state.
    pub fn allows(&self, action: &str) -> bool {
        self.allowed.contains(&action)
    }
}

fn version_row(lang: Lang, case_id: i64, m: &MaterialRecord) -> VersionRow {
    let name = match (&m.file_name, &m.form_text) {
        (Some(n), _) => n.clone(),
        (None, Some(t)) => t.chars().take(40).collect(),
        (None, None) => String::new(),
    };
    VersionRow {
        revision: m.revision,
        kind: m.kind.label(lang.code()),
        name,
        size: m
            .size_bytes
            .map(|b| format!("{:.1} KiB", b as f64 / 1024.0))
            .unwrap_or_default(),
        when: beijing_time(m.provided_at),
        href: m.file_sha256.as_ref().map(|_| {
            format!(
                "/cases/{case_id}/materials/{}/{}",
                m.material_key, m.revision
            )
        }),
        text: m.form_text.clone(),
    }
}

/// Who did something, as the viewer may see it: staff names only for staff.
fn actor_label(lang: Lang, staff: Option<&[StaffRecord]>, actor: &str) -> String {
    if actor.starts_with("applicant:") {
        return lang.t("case.actor.applicant").to_owned();
    }
    if let Some(id) = actor.strip_prefix("staff:") {
        let name = staff.and_then(|all| {
            id.parse::<i64>()
                .ok()
                .and_then(|id| all.iter().find(|s| s.id == id))
                .map(|s| s.display_name.clone())
        });
        return name.unwrap_or_else(|| lang.t("case.actor.staff").to_owned());
    }
    lang.t("case.actor.system").to_owned()
}

/// Whether the viewer may add material `key` now: drafts take anything from
/// the applicant; a case awaiting pre-review takes window staff's uploads;
/// a correction takes only what the notice flagged.
fn may_provide(detail: &CaseDetail, staff: bool, key: &str) -> bool {
    match detail.case.status {
        CaseStatus::Draft => !staff,
        CaseStatus::Submitted => staff,
        CaseStatus::CorrectionRequested => detail
            .open_correction()
            .is_some_and(|c| c.items.iter().any(|i| i.target == key)),
        _ => false,
    }
}

fn problem_label(lang: Lang, p: CorrectionProblem) -> &'static str {
    p.label(lang.code())
}

/// The name of a correction target: a checklist entry or a form field.
pub fn target_name(lang: Lang, case: &CaseRecord, target: &str) -> String {
    if let Some(field) = target.strip_prefix("form.") {
        return FORM_FIELDS
            .iter()
            .find(|(n, _, _)| *n == field)
            .map(|(_, zh, en)| lang.choose(zh, en).to_owned())
            .unwrap_or_else(|| target.to_owned());
    }
    case.checklist
        .iter()
        .find(|e| e.key == target)
        .map(|e| format!("{} {}", e.key, lang.pick(&e.name)))
        .unwrap_or_else(|| target.to_owned())
}

/// The form value of a field by name.
pub fn form_value(form: &onetrip_domain::case::ApplicationForm, name: &str) -> String {
    match name {
        "contact_name" => form.contact_name.clone(),
        "contact_phone" => form.contact_phone.clone(),
        "contact_address" => form.contact_address.clone(),
        "description" => form.description.clone(),
        _ => String::new(),
    }
}

/// Builds the view of a case for an applicant (`staff` = None) or for
/// staff (with every staff record, to name actors and assignees).
pub fn build_case_view(
    lang: Lang,
    detail: &CaseDetail,
    departments: &[Department],
    staff: Option<(&[StaffRecord], i64)>,
) -> CaseView {
    let case = &detail.case;
    let l = lang.code();
    let staff_all = staff.map(|(all, _)| all);
    let viewer = staff.map(|(_, id)| id);
    let open = detail.open_correction();
    let current = detail.current_materials();
    let materials = case
        .checklist
        .iter()
        .map(|e| {
            let cur = current.iter().find(|m| m.material_key == e.key);
            let mut earlier: Vec<VersionRow> = detail
                .materials
                .iter()
                .filter(|m| {
                    m.material_key == e.key && cur.is_some_and(|c| c.revision != m.revision)
                })
                .map(|m| version_row(lang, case.id, m))
                .collect();
            earlier.reverse();
            let flagged = open.and_then(|c| {
                c.items
                    .iter()
                    .find(|i| i.target == e.key)
                    .map(|i| (problem_label(lang, i.problem).to_owned(), i.note.clone()))
            });
            MaterialRow {
                key: e.key.clone(),
                file_path: format!("materials.{}.file", e.key),
                text_path: format!("materials.{}.text", e.key),
                resubmit_path: format!("materials.{}", e.key),
                name: lang.pick(&e.name).to_owned(),
                required: if e.required {
                    lang.t("case.required").to_owned()
                } else {
                    e.condition
                        .clone()
                        .unwrap_or_else(|| lang.t("case.optional").to_owned())
                },
                source: e.source.label(l),
                fillable: e.is_fillable_form(),
                produced_by: e.produced_by.clone(),
                current: cur.map(|m| version_row(lang, case.id, m)),
                earlier,
                flagged,
                may_provide: e.produced_by.is_none()
                    && may_provide(detail, staff.is_some(), &e.key),
            }
        })
        .collect();
    let parts = detail
        .parts
        .iter()
        .map(|p| {
            let assignee = p
                .assignee_id
                .and_then(|id| staff_all.and_then(|all| all.iter().find(|s| s.id == id)))
                .map(|s| s.display_name.clone())
                .unwrap_or_default();
            let decision = match p.decision {
                Some(d) if p.decision_reasons.is_empty() => d.label(l).to_owned(),
                Some(d) => format!("{}：{}", d.label(l), p.decision_reasons),
                None => String::new(),
            };
            PartRow {
                seq: p.seq,
                name: lang.pick(&p.name).to_owned(),
                department: department_name(departments, lang, &p.department_code),
                status: p.status.label(l),
                active: matches!(p.status, PartStatus::Open | PartStatus::Claimed),
                mine: viewer.is_some() && p.assignee_id == viewer,
                assignee,
                promised_due: expected_completion(lang, p.promised_due, None, p.due_provisional),
                statutory_due: expected_completion(lang, p.statutory_due, None, p.due_provisional),
                warning: warning_badge(lang, p.warning),
                decision,
                extension: if p.extension_days > 0 {
                    format!(
                        "{} {}：{}",
                        p.extension_days,
                        lang.t("item.working_days"),
                        p.extension_reason
                    )
                } else {
                    String::new()
                },
                certificate: p.certificate_no.clone().unwrap_or_default(),
            }
        })
        .collect::<Vec<_>>();
    let mut departments_now: Vec<String> = Vec::new();
    for p in detail
        .parts
        .iter()
        .filter(|p| matches!(p.status, PartStatus::Open | PartStatus::Claimed))
    {
        let n = department_name(departments, lang, &p.department_code);
        if !departments_now.contains(&n) {
            departments_now.push(n);
        }
    }
    let timeline = detail
        .events
        .iter()
        .map(|e| EventRow {
            when: beijing_time(e.at_micros),
            action: e.action.label(l),
            part: e.part_seq,
            to: e.to_status.label(l),
            actor: actor_label(lang, staff_all, &e.actor),
            note: e.note.clone(),
        })
        .collect();
    let notices = detail
        .notices
        .iter()
        .map(|n| NoticeRow {
            kind: n.kind.label(l),
            no: n.notice_no.clone(),
            href: format!("/cases/{}/notices/{}", case.id, n.notice_no),
            when: beijing_time(n.issued_at),
        })
        .collect();
    let correction = open.map(|c| {
        (
            c.notice_no.clone(),
            c.items
                .iter()
                .map(|i| FlagRow {
                    target: target_name(lang, case, &i.target),
                    problem: problem_label(lang, i.problem),
                    note: i.note.clone(),
                })
                .collect(),
        )
    });
    let form = FORM_FIELDS
        .iter()
        .map(|(name, zh, en)| FormRow {
            name,
            path: format!("form.{name}"),
            label: lang.choose(zh, en),
            value: form_value(&case.form, name),
            flagged: open
                .is_some_and(|c| c.items.iter().any(|i| i.target == format!("form.{name}"))),
        })
        .collect();
    let delivery_details = if case.delivery.recipient.is_empty() {
        String::new()
    } else {
        let mut s = format!(
            "{} {} {}",
            case.delivery.recipient, case.delivery.phone, case.delivery.address
        );
        if !case.delivery.tracking_no.is_empty() {
            s.push_str(&format!(
                " · {} {}",
                case.delivery.carrier, case.delivery.tracking_no
            ));
        }
        s
    };
    CaseView {
        id: case.id,
        case_no: case.case_no.clone(),
        title: lang.pick(&case.title).to_owned(),
        status_code: case.status.as_str(),
        status: case.status.label(l),
        expected: expected_completion(
            lang,
            case.promised_due,
            case.decision_due,
            case.due_provisional,
        ),
        statutory_due: expected_completion(lang, case.decision_due, None, case.due_provisional),
        accept_due: case
            .accept_due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".to_owned()),
        departments_now,
        channel: case.channel.label(l),
        delivery: case.delivery_method.label(l),
        delivery_details,
        warning: warning_badge(lang, case.warning),
        parts,
        materials,
        timeline,
        notices,
        correction,
        form,
        certificates: detail
            .certificates
            .iter()
            .map(|c| {
                (
                    c.cert_no.clone(),
                    lang.pick(&c.name).to_owned(),
                    c.valid_until.map(|d| d.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        trips: detail
            .trips
            .iter()
            .map(|t| (beijing_time(t.at_micros), t.purpose.clone()))
            .collect(),
        allowed: case
            .status
            .allowed_actions()
            .into_iter()
            .map(|a| a.as_str())
            .collect(),
    }
}

/// Every department (names for the views).
pub async fn departments(state: &AppState, page: &PageCtx) -> Result<Vec<Department>, PageError> {
    state
        .app
        .store
        .list_departments()
        .await
        .map_err(|e| PageError::from_app(page, e.into()))
}

/// The message of the first error on `field`.
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    crate::pages::admin::error_for(errors, field)
}
