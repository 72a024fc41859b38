//! Records and commands of case handling.

use onetrip_domain::calendar::{HolidayNotice, WarningLevel};
use onetrip_domain::case::{
    AcceptanceKind, ApplicationForm, CaseAction, CaseStatus, ChecklistEntry, CorrectionItem,
    CourierDetails, Decision, DeliveryMethod, IntakeChannel, MaterialKind, NoticeKind, PartStatus,
    PauseKind,
};
use onetrip_domain::region::RegionCode;
use onetrip_domain::text::Text;
use serde::Serialize;
use time::Date;

/// Who acts on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CaseActor {
    /// The applicant (owner checked by the application layer).
    Applicant(i64),
    /// A staff member (permission checked by the application layer).
    Staff(i64),
    /// A background job.
    System,
}

impl CaseActor {
    /// The staff id, when a staff member acts.
    pub fn staff_id(self) -> Option<i64> {
        match self {
            Self::Staff(id) => Some(id),
            _ => None,
        }
    }
}

/// A notification to put into the outbox in the same transaction as the
/// change it reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewNotification {
    /// `email`, `sms` or `in_app`.
    pub channel: String,
    /// Address, mobile number, or `applicant:<id>` / `staff:<id>` for in-app.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// One item of a new case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCasePart {
    /// Item code.
    pub item_code: String,
    /// The item version the case is filed under.
    pub item_version: i64,
    /// Situation code.
    pub situation_code: String,
    /// Implementing body.
    pub department_code: String,
    /// Region of the item.
    pub region_code: String,
    /// Item name.
    pub name: Text,
    /// Name of the item's result (the certificate's name).
    pub result_name: Text,
    /// Statutory limit in working days.
    pub statutory_days: u32,
    /// Promised limit in working days.
    pub promised_days: u32,
    /// Promised number of on-site trips.
    pub promised_trips: u32,
}

/// A new case: a draft online, or received at a window (already submitted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// The applicant.
    pub applicant_id: i64,
    /// Online or window.
    pub channel: IntakeChannel,
    /// The staff member who received it at a window.
    pub received_by: Option<i64>,
    /// The bundle, when this is a 一件事 application.
    pub bundle_code: Option<String>,
    /// Region whose code starts the case number.
    pub region: RegionCode,
    /// Handling service centre (empty when none).
    pub centre_code: String,
    /// Item or bundle name.
    pub title: Text,
    /// The applicant's form.
    pub form: ApplicationForm,
    /// The material checklist, fixed at filing.
    pub checklist: Vec<ChecklistEntry>,
    /// Chosen delivery.
    pub delivery_method: DeliveryMethod,
    /// Courier address when delivering by courier.
    pub delivery: CourierDetails,
    /// The items.
    pub parts: Vec<NewCasePart>,
    /// Beijing date of filing (numbering and, for windows, receipt).
    pub today: Date,
    /// Random value signed into public status links.
    pub status_nonce: String,
    /// Notifications to queue with it; `{case_no}` in their subject and
    /// body is replaced by the number drawn.
    pub notifications: Vec<NewNotification>,
}

/// A case row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseRecord {
    /// Id.
    pub id: i64,
    /// Case number.
    pub case_no: String,
    /// Applicant id.
    pub applicant_id: i64,
    /// Intake channel.
    pub channel: IntakeChannel,
    /// Receiving staff member.
    pub received_by: Option<i64>,
    /// Bundle code.
    pub bundle_code: Option<String>,
    /// Region code.
    pub region_code: String,
    /// Service centre code ('' when none).
    pub centre_code: String,
    /// Title.
    pub title: Text,
    /// Status.
    pub status: CaseStatus,
    /// Current form.
    pub form: ApplicationForm,
    /// Checklist.
    pub checklist: Vec<ChecklistEntry>,
    /// Delivery method.
    pub delivery_method: DeliveryMethod,
    /// Courier details.
    pub delivery: CourierDetails,
    /// Date the acceptance clock started (receipt or resubmission).
    pub submitted_on: Option<Date>,
    /// Last day to answer acceptance.
    pub accept_due: Option<Date>,
    /// Legal acceptance date.
    pub accepted_on: Option<Date>,
    /// How acceptance happened.
    pub acceptance: Option<AcceptanceKind>,
    /// Latest statutory due date of the parts (none while paused).
    pub decision_due: Option<Date>,
    /// Latest promised due date of the parts.
    pub promised_due: Option<Date>,
    /// Whether a due date relies on a year without an imported holiday notice.
    pub due_provisional: bool,
    /// Current warning level.
    pub warning: WarningLevel,
    /// Date of the last decision.
    pub decided_on: Option<Date>,
    /// Delivery deadline.
    pub delivery_due: Option<Date>,
    /// Completion time.
    pub completed_at: Option<i64>,
    /// Status-link nonce.
    pub status_nonce: String,
    /// Bumped on every change.
    pub revision: i64,
    /// Created.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

impl CaseRecord {
    /// The case as one line of a listing.
    pub fn summary(&self) -> CaseSummary {
        CaseSummary {
            id: self.id,
            case_no: self.case_no.clone(),
            title: self.title.clone(),
            status: self.status,
            channel: self.channel,
            bundle_code: self.bundle_code.clone(),
            applicant_id: self.applicant_id,
            submitted_on: self.submitted_on,
            accept_due: self.accept_due,
            decision_due: self.decision_due,
            promised_due: self.promised_due,
            due_provisional: self.due_provisional,
            warning: self.warning,
            updated_at: self.updated_at,
        }
    }
}

/// One department's part of a case (the task in its inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartRecord {
    /// Id.
    pub id: i64,
    /// Case id.
    pub case_id: i64,
    /// 1-based position in the case.
    pub seq: i64,
    /// Item code.
    pub item_code: String,
    /// Item version.
    pub item_version: i64,
    /// Situation.
    pub situation_code: String,
    /// Department.
    pub department_code: String,
    /// Region of the item.
    pub region_code: String,
    /// Item name.
    pub name: Text,
    /// Name of the result.
    pub result_name: Text,
    /// Status.
    pub status: PartStatus,
    /// Reviewer working on it.
    pub assignee_id: Option<i64>,
    /// Statutory working days.
    pub statutory_days: i64,
    /// Promised working days.
    pub promised_days: i64,
    /// Promised trips.
    pub promised_trips: i64,
    /// Approved extension.
    pub extension_days: i64,
    /// Reason told to the applicant.
    pub extension_reason: String,
    /// Who approved it.
    pub extension_by: Option<i64>,
    /// Statutory due date.
    pub statutory_due: Option<Date>,
    /// Promised due date.
    pub promised_due: Option<Date>,
    /// Provisional due dates.
    pub due_provisional: bool,
    /// Warning level.
    pub warning: WarningLevel,
    /// Decision.
    pub decision: Option<Decision>,
    /// Reasons or opinion.
    pub decision_reasons: String,
    /// Deciding officer.
    pub decided_by: Option<i64>,
    /// When.
    pub decided_at: Option<i64>,
    /// Validity of the certificate to issue.
    pub valid_until: Option<Date>,
    /// Issued certificate number.
    pub certificate_no: Option<String>,
}

/// One provided version of a material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaterialRecord {
    /// Checklist key.
    pub material_key: String,
    /// 1, 2, … (each correction adds one).
    pub revision: i64,
    /// Upload, filled form or paper.
    pub kind: MaterialKind,
    /// Stored file.
    pub file_sha256: Option<String>,
    /// Cleaned original name.
    pub file_name: Option<String>,
    /// Sniffed content type.
    pub content_type: Option<String>,
    /// Size.
    pub size_bytes: Option<i64>,
    /// Filled-in text.
    pub form_text: Option<String>,
    /// Actor.
    pub provided_by: String,
    /// When.
    pub provided_at: i64,
}

/// A material to add to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMaterial {
    /// Checklist key.
    pub material_key: String,
    /// Kind.
    pub kind: MaterialKind,
    /// Stored file hash.
    pub file_sha256: Option<String>,
    /// File name.
    pub file_name: Option<String>,
    /// Content type.
    pub content_type: Option<String>,
    /// Size.
    pub size_bytes: Option<i64>,
    /// Filled text.
    pub form_text: Option<String>,
}

/// A saved version of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormVersion {
    /// 1, 2, …
    pub revision: i64,
    /// The form.
    pub form: ApplicationForm,
    /// Actor.
    pub saved_by: String,
    /// When.
    pub saved_at: i64,
}

/// A one-time correction notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionRecord {
    /// Notice number.
    pub notice_no: String,
    /// Flagged materials and fields.
    pub items: Vec<CorrectionItem>,
    /// Actor.
    pub issued_by: String,
    /// When.
    pub issued_at: i64,
    /// When the applicant answered.
    pub answered_at: Option<i64>,
}

/// One line of a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseEvent {
    /// When.
    pub at_micros: i64,
    /// Actor.
    pub actor: String,
    /// Action code.
    pub action: CaseAction,
    /// Part, for part actions.
    pub part_seq: Option<i64>,
    /// State before.
    pub from_status: CaseStatus,
    /// State after.
    pub to_status: CaseStatus,
    /// Reasons, comments, opinions.
    pub note: String,
}

/// A pause of the case clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PauseRecord {
    /// Why.
    pub kind: PauseKind,
    /// Stated reason.
    pub reason: String,
    /// First paused date (the pause excludes the working days after it).
    pub from: Date,
    /// Resume date.
    pub until: Option<Date>,
    /// Actor.
    pub started_by: String,
}

/// A printable written record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeRecord {
    /// Kind.
    pub kind: NoticeKind,
    /// Number.
    pub notice_no: String,
    /// Snapshot of what it states.
    pub content: serde_json::Value,
    /// Actor.
    pub issued_by: String,
    /// When.
    pub issued_at: i64,
}

/// A certificate (电子证照) record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateRecord {
    /// Number.
    pub cert_no: String,
    /// Issuing case.
    pub case_id: Option<i64>,
    /// Part.
    pub part_seq: Option<i64>,
    /// Item.
    pub item_code: String,
    /// Certificate name.
    pub name: Text,
    /// Holder name.
    pub holder_name: String,
    /// Holder ID number or credit code.
    pub holder_identifier: String,
    /// Issuing department.
    pub issuer_code: String,
    /// Issue date.
    pub issued_on: Date,
    /// Validity end.
    pub valid_until: Option<Date>,
    /// `valid`, `expired` or `revoked`.
    pub status: String,
}

/// An on-site visit of the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TripRecord {
    /// Why they came.
    pub purpose: String,
    /// Actor.
    pub recorded_by: String,
    /// When.
    pub at_micros: i64,
}

/// Everything about one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDetail {
    /// The case.
    pub case: CaseRecord,
    /// Its parts.
    pub parts: Vec<PartRecord>,
    /// Every material version, by key then revision.
    pub materials: Vec<MaterialRecord>,
    /// Every form version.
    pub form_versions: Vec<FormVersion>,
    /// Correction notices.
    pub corrections: Vec<CorrectionRecord>,
    /// Timeline.
    pub events: Vec<CaseEvent>,
    /// Pauses.
    pub pauses: Vec<PauseRecord>,
    /// Notices.
    pub notices: Vec<NoticeRecord>,
    /// Certificates.
    pub certificates: Vec<CertificateRecord>,
    /// Trips.
    pub trips: Vec<TripRecord>,
}

impl CaseDetail {
    /// The newest version of each material.
    pub fn current_materials(&self) -> Vec<&MaterialRecord> {
        let mut out: Vec<&MaterialRecord> = Vec::new();
        for m in &self.materials {
            match out.iter_mut().find(|o| o.material_key == m.material_key) {
                Some(o) if o.revision < m.revision => *o = m,
                Some(_) => {}
                None => out.push(m),
            }
        }
        out
    }

    /// The open correction notice, when the case waits for corrections.
    pub fn open_correction(&self) -> Option<&CorrectionRecord> {
        self.corrections
            .iter()
            .rev()
            .find(|c| c.answered_at.is_none())
    }
}

/// What to do to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseCommand {
    /// Submit a draft.
    Submit,
    /// Answer a correction notice; only flagged form fields may differ.
    Resubmit {
        /// The form with the flagged fields changed.
        form: ApplicationForm,
    },
    /// Pre-review passed (every needed material present).
    PassPreReview,
    /// Issue a one-time correction notice.
    RequestCorrection {
        /// Everything to fix.
        items: Vec<CorrectionItem>,
    },
    /// Accept.
    Accept,
    /// Refuse, with reasons and where to go instead.
    Refuse {
        /// Reasons.
        reasons: String,
        /// The competent authority to apply to instead, if any.
        redirect: String,
    },
    /// Deemed acceptance by the system.
    DeemAccept,
    /// Claim an open part.
    Claim {
        /// Part seq.
        part: i64,
    },
    /// Assign or reassign a part.
    Assign {
        /// Part seq.
        part: i64,
        /// Reviewer.
        to_staff: i64,
    },
    /// Return a claimed part to the queue.
    ReturnTask {
        /// Part seq.
        part: i64,
        /// Why.
        note: String,
    },
    /// Comment on the case or a part.
    Comment {
        /// Part seq.
        part: Option<i64>,
        /// Text.
        text: String,
    },
    /// Approve an extension of a part's statutory limit.
    Extend {
        /// Part seq.
        part: i64,
        /// Working days, at most 10.
        days: u32,
        /// Reason told to the applicant.
        reason: String,
    },
    /// Start a special procedure (clock paused).
    StartSpecialProcedure {
        /// Kind.
        kind: PauseKind,
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
    /// Approve a part.
    Approve {
        /// Part seq.
        part: i64,
        /// Opinion.
        opinion: String,
        /// Validity of the resulting certificate.
        valid_until: Option<Date>,
    },
    /// Deny a part.
    Deny {
        /// Part seq.
        part: i64,
        /// Reasons.
        reasons: String,
    },
    /// Sign and issue the result; certificates for approved parts.
    IssueResult,
    /// Dispatch: courier (carrier, tracking number), pickup notice, or
    /// electronic delivery (which completes at once).
    Dispatch {
        /// Carrier for courier delivery.
        carrier: String,
        /// Tracking number for courier delivery.
        tracking_no: String,
    },
    /// Delivered or picked up.
    ConfirmDelivery {
        /// Who signed, remarks.
        note: String,
    },
    /// Withdraw.
    Withdraw {
        /// Reason.
        reason: String,
    },
}

impl CaseCommand {
    /// The lifecycle action this command performs.
    pub fn action(&self) -> CaseAction {
        match self {
            Self::Submit => CaseAction::Submit,
            Self::Resubmit { .. } => CaseAction::Resubmit,
            Self::PassPreReview => CaseAction::PassPreReview,
            Self::RequestCorrection { .. } => CaseAction::RequestCorrection,
            Self::Accept => CaseAction::Accept,
            Self::Refuse { .. } => CaseAction::Refuse,
            Self::DeemAccept => CaseAction::DeemAccept,
            Self::Claim { .. } => CaseAction::Claim,
            Self::Assign { .. } => CaseAction::Assign,
            Self::ReturnTask { .. } => CaseAction::ReturnTask,
            Self::Comment { .. } => CaseAction::Comment,
            Self::Extend { .. } => CaseAction::Extend,
            Self::StartSpecialProcedure { .. } => CaseAction::StartSpecialProcedure,
            Self::EndSpecialProcedure => CaseAction::EndSpecialProcedure,
            Self::Suspend { .. } => CaseAction::Suspend,
            Self::Resume => CaseAction::Resume,
            Self::Approve { .. } => CaseAction::Approve,
            Self::Deny { .. } => CaseAction::Deny,
            Self::IssueResult => CaseAction::IssueResult,
            Self::Dispatch { .. } => CaseAction::Dispatch,
            Self::ConfirmDelivery { .. } => CaseAction::ConfirmDelivery,
            Self::Withdraw { .. } => CaseAction::Withdraw,
        }
    }

    /// The part the command acts on, if any.
    pub fn part(&self) -> Option<i64> {
        match self {
            Self::Claim { part }
            | Self::Assign { part, .. }
            | Self::ReturnTask { part, .. }
            | Self::Extend { part, .. }
            | Self::Approve { part, .. }
            | Self::Deny { part, .. } => Some(*part),
            Self::Comment { part, .. } => *part,
            _ => None,
        }
    }
}

/// A change to apply to one case in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseChange {
    /// Case id.
    pub case_id: i64,
    /// Who acts.
    pub actor: CaseActor,
    /// Beijing date of the change (clock arithmetic).
    pub today: Date,
    /// What to do.
    pub command: CaseCommand,
    /// Notifications to queue if the change commits.
    pub notifications: Vec<NewNotification>,
}

/// Filter for case listings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Only this applicant's cases.
    pub applicant_id: Option<i64>,
    /// Only these states (empty: all but drafts unless the applicant filter is set).
    pub statuses: Vec<CaseStatus>,
    /// Only cases of regions starting with one of these codes (empty: all).
    pub region_prefixes: Vec<String>,
    /// Only cases with a part in one of these departments (empty: all).
    pub departments: Vec<String>,
    /// Only this warning level.
    pub warning: Option<WarningLevel>,
    /// Case number, exact.
    pub case_no: Option<String>,
    /// At most.
    pub limit: i64,
    /// Skip.
    pub offset: i64,
}

/// One line of a case listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    /// Id.
    pub id: i64,
    /// Number.
    pub case_no: String,
    /// Title.
    pub title: Text,
    /// Status.
    pub status: CaseStatus,
    /// Channel.
    pub channel: IntakeChannel,
    /// Bundle.
    pub bundle_code: Option<String>,
    /// Applicant.
    pub applicant_id: i64,
    /// Receipt date.
    pub submitted_on: Option<Date>,
    /// Acceptance due.
    pub accept_due: Option<Date>,
    /// Statutory due.
    pub decision_due: Option<Date>,
    /// Promised due.
    pub promised_due: Option<Date>,
    /// Provisional dues.
    pub due_provisional: bool,
    /// Warning.
    pub warning: WarningLevel,
    /// Last change.
    pub updated_at: i64,
}

/// Filter for a department inbox of parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxFilter {
    /// Parts of these departments (empty: none, unless `assignee` is set).
    pub departments: Vec<String>,
    /// Only parts assigned to this reviewer.
    pub assignee: Option<i64>,
    /// Only parts in these states (empty: open and claimed).
    pub statuses: Vec<PartStatus>,
    /// Only this warning level.
    pub warning: Option<WarningLevel>,
    /// Only parts due on or before this date.
    pub due_by: Option<Date>,
    /// At most.
    pub limit: i64,
}

/// One task in an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskRow {
    /// The part.
    pub part: PartRecord,
    /// Case number.
    pub case_no: String,
    /// Case title.
    pub case_title: Text,
    /// Case status.
    pub case_status: CaseStatus,
    /// Bundle.
    pub bundle_code: Option<String>,
}

/// What importing a holiday notice did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarImport {
    /// Year.
    pub year: i32,
    /// A notice for the year existed and was replaced.
    pub replaced: bool,
    /// Open cases whose due dates were recomputed.
    pub cases_recomputed: u64,
}

/// A stored holiday notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredNotice {
    /// The notice.
    pub notice: HolidayNotice,
    /// When imported.
    pub imported_at: i64,
}

/// A case's clock inputs for the deadline job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenClock {
    /// Case id.
    pub case_id: i64,
    /// Case number.
    pub case_no: String,
    /// Case title.
    pub title: Text,
    /// Region.
    pub region_code: String,
    /// Status.
    pub status: CaseStatus,
    /// Acceptance clock start.
    pub submitted_on: Option<Date>,
    /// Decision clock start.
    pub accepted_on: Option<Date>,
    /// Parts with their limits and current warning.
    pub parts: Vec<PartRecord>,
    /// Pauses.
    pub pauses: Vec<PauseRecord>,
    /// Case warning.
    pub warning: WarningLevel,
}

/// An outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxRecord {
    /// Id (also the idempotency key).
    pub id: i64,
    /// Channel.
    pub channel: String,
    /// Recipient.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Case.
    pub case_id: Option<i64>,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i64,
    /// Next attempt.
    pub next_attempt_at: i64,
    /// Last error.
    pub last_error: String,
    /// Created.
    pub created_at: i64,
    /// Sent.
    pub sent_at: Option<i64>,
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Delivered.
    Sent,
    /// Try again at the given time.
    Retry {
        /// Error text.
        error: String,
        /// Next attempt, microseconds.
        next_attempt_at: i64,
    },
    /// Give up.
    Failed {
        /// Error text.
        error: String,
    },
}

/// An in-app message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageRecord {
    /// Id.
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Case.
    pub case_id: Option<i64>,
    /// Created.
    pub created_at: i64,
    /// Read.
    pub read_at: Option<i64>,
}

/// An API token (stored as a hash only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiTokenRecord {
    /// Id.
    pub id: i64,
    /// Staff account it acts as.
    pub staff_id: i64,
    /// Label.
    pub name: String,
    /// Created.
    pub created_at: i64,
    /// Expiry.
    pub expires_at: i64,
    /// Revocation.
    pub revoked_at: Option<i64>,
}

/// Trip figures of one item: completed cases and how many kept the promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TripStat {
    /// Item code.
    pub item_code: String,
    /// Item name.
    pub name: Text,
    /// Promised trips.
    pub promised_trips: i64,
    /// Completed cases.
    pub completed: i64,
    /// Completed cases with no more trips than promised.
    pub within_promise: i64,
    /// Total trips of completed cases.
    pub trips: i64,
}
