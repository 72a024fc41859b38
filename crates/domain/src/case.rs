//! The case (办件) lifecycle under the Administrative Licensing Law.
//!
//! 收件 (window) or 提交 (online) → 预审 pre-review by a helper → 受理 accept /
//! 不予受理 refuse / 补正 one-time correction notice → 审查 review by the
//! department(s), one part (环节任务) per item → 决定 approve or deny per part →
//! 出证 result issued → 送达 delivery → 办结 completed. Also 撤回 withdrawal,
//! 挂起 suspension and special procedures that pause the statutory clock.
//!
//! This module is the single source of which action is allowed in which
//! state and who may take it; the store enforces it inside the transaction
//! that performs the change.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ValidationErrors;
use crate::access::Permission;
use crate::catalogue::{MaterialForm, MaterialSource, ServiceItemBody, code_enum};
use crate::region::RegionCode;
use crate::text::Text;

code_enum! {
    /// Where a case stands.
    CaseStatus {
        /// 草稿: the applicant is still filling it in; invisible to staff.
        Draft = "draft", "草稿", "Draft";
        /// 待预审: submitted online or received at a window.
        Submitted = "submitted", "待预审", "Awaiting pre-review";
        /// 待补正: a one-time correction notice waits for the applicant.
        CorrectionRequested = "correction_requested", "待补正", "Awaiting correction";
        /// 待受理: pre-review passed; a civil servant accepts or refuses.
        PreReviewed = "pre_reviewed", "待受理", "Awaiting acceptance";
        /// 审查中: accepted; the departments review their parts.
        UnderReview = "under_review", "审查中", "Under review";
        /// 特别程序: hearing, testing or expert review; the clock is paused.
        SpecialProcedure = "special_procedure", "特别程序中", "In a special procedure";
        /// 挂起: suspended at an allowed point; the clock is paused.
        Suspended = "suspended", "已挂起", "Suspended";
        /// 已决定: every part is decided; the result waits to be signed.
        Decided = "decided", "已作出决定", "Decided";
        /// 已出证: result signed and issued; waits for delivery.
        ResultIssued = "result_issued", "已出结果", "Result issued";
        /// 送达中: sent by courier or waiting at the window for pickup.
        InDelivery = "in_delivery", "送达中", "Being delivered";
        /// 已办结.
        Completed = "completed", "已办结", "Completed";
        /// 不予受理.
        Refused = "refused", "不予受理", "Refused";
        /// 已撤回.
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

code_enum! {
    /// What someone does to a case. Part actions (claim … deny) act on one
    /// department's part of the case.
    CaseAction {
        /// 提交申请 (online).
        Submit = "submit", "提交申请", "Submit";
        /// 提交补正材料.
        Resubmit = "resubmit", "提交补正材料", "Submit corrections";
        /// 预审通过.
        PassPreReview = "pass_pre_review", "预审通过", "Pass pre-review";
        /// 出具一次性告知书.
        RequestCorrection = "request_correction", "一次性告知补正", "Request corrections";
        /// 受理.
        Accept = "accept", "受理", "Accept";
        /// 不予受理.
        Refuse = "refuse", "不予受理", "Refuse";
        /// 逾期未告知，视为受理 (the system, never a person).
        DeemAccept = "deem_accept", "逾期视为受理", "Deemed accepted";
        /// 认领任务.
        Claim = "claim", "认领", "Claim";
        /// 分派或改派任务.
        Assign = "assign", "分派", "Assign";
        /// 退回任务到部门队列.
        ReturnTask = "return", "退回", "Return to queue";
        /// 填写意见.
        Comment = "comment", "填写意见", "Comment";
        /// 延长审批期限 (with the head's approval).
        Extend = "extend", "批准延期", "Approve an extension";
        /// 启动听证、检验检测、专家评审等特别程序.
        StartSpecialProcedure = "start_special_procedure", "启动特别程序", "Start a special procedure";
        /// 特别程序结束.
        EndSpecialProcedure = "end_special_procedure", "结束特别程序", "End the special procedure";
        /// 挂起.
        Suspend = "suspend", "挂起", "Suspend";
        /// 恢复办理.
        Resume = "resume", "恢复办理", "Resume";
        /// 准予许可.
        Approve = "approve", "准予", "Approve";
        /// 不予许可.
        Deny = "deny", "不予准予", "Deny";
        /// 签发结果、制证.
        IssueResult = "issue_result", "签发结果", "Sign and issue the result";
        /// 寄递或通知领取.
        Dispatch = "dispatch", "送达", "Dispatch";
        /// 确认签收.
        ConfirmDelivery = "confirm_delivery", "确认签收", "Confirm delivery";
        /// 撤回申请.
        Withdraw = "withdraw", "撤回申请", "Withdraw";
    }
}

code_enum! {
    /// One department's part (环节任务) of a case.
    PartStatus {
        /// Before acceptance: not yet in any inbox.
        Waiting = "waiting", "待受理", "Waiting for acceptance";
        /// In the department's queue, nobody working on it.
        Open = "open", "待认领", "Open";
        /// Claimed by or assigned to one reviewer.
        Claimed = "claimed", "办理中", "In progress";
        /// Approved or denied.
        Decided = "decided", "已决定", "Decided";
        /// The case ended before a decision (refused or withdrawn).
        Closed = "closed", "已终止", "Closed";
    }
}

code_enum! {
    /// The decision on a part.
    Decision {
        /// 准予.
        Approved = "approved", "准予", "Approved";
        /// 不予准予.
        Denied = "denied", "不予准予", "Denied";
    }
}

code_enum! {
    /// How the application reached the government.
    IntakeChannel {
        /// 网上申请.
        Online = "online", "网上申请", "Online";
        /// 窗口收件 (a helper filed it on the applicant's behalf).
        Window = "window", "窗口收件", "At a window";
    }
}

code_enum! {
    /// How acceptance happened.
    AcceptanceKind {
        /// A civil servant accepted the case.
        Explicit = "explicit", "受理", "Accepted";
        /// No answer within 5 working days: accepted by law (行政许可法第三十二条).
        Deemed = "deemed", "逾期视为受理", "Deemed accepted";
    }
}

code_enum! {
    /// Why the clock of a case is paused.
    PauseKind {
        /// 听证.
        Hearing = "hearing", "听证", "Hearing";
        /// 检验、检测、检疫.
        Testing = "testing", "检验检测", "Testing";
        /// 专家评审.
        ExpertReview = "expert_review", "专家评审", "Expert review";
        /// 现场勘查.
        SiteSurvey = "site_survey", "现场勘查", "Site survey";
        /// 公示.
        PublicNotice = "public_notice", "公示", "Public notice";
        /// 挂起.
        Suspension = "suspension", "挂起", "Suspension";
    }
}

code_enum! {
    /// What is wrong with a material or field in a correction notice.
    CorrectionProblem {
        /// 缺少.
        Missing = "missing", "缺少", "Missing";
        /// 内容有误或不完整.
        Defective = "defective", "内容有误或不完整", "Defective or incomplete";
        /// 已过有效期.
        Expired = "expired", "已过有效期", "Expired";
        /// 不清晰.
        Unclear = "unclear", "不清晰", "Unreadable";
        /// 与其他材料不一致.
        Inconsistent = "inconsistent", "与其他材料不一致", "Inconsistent";
    }
}

code_enum! {
    /// How the result reaches the applicant.
    DeliveryMethod {
        /// 窗口领取.
        Pickup = "pickup", "窗口领取", "Collect at the window";
        /// 快递送达.
        Courier = "courier", "快递送达", "Courier";
        /// 电子送达.
        Electronic = "electronic", "电子送达", "Electronic";
    }
}

code_enum! {
    /// The printable written records a case produces.
    NoticeKind {
        /// 受理通知书.
        Acceptance = "acceptance", "受理通知书", "Notice of acceptance";
        /// 一次性告知书 (补正材料通知书).
        Correction = "correction", "一次性告知书", "One-time correction notice";
        /// 不予受理决定书.
        Refusal = "refusal", "不予受理决定书", "Decision of refusal";
        /// 办理结果通知书 (准予或不予许可).
        Result = "result", "办理结果通知书", "Notice of the result";
    }
}

impl NoticeKind {
    /// Short code used in notice numbers: 受, 补, 不, 结 in pinyin initials.
    pub fn number_code(self) -> &'static str {
        match self {
            Self::Acceptance => "SL",
            Self::Correction => "BZ",
            Self::Refusal => "BY",
            Self::Result => "JG",
        }
    }
}

code_enum! {
    /// How a material was provided.
    MaterialKind {
        /// An uploaded file.
        Upload = "upload", "上传文件", "Uploaded file";
        /// A form filled on the page.
        Filled = "filled", "在线填写", "Filled in online";
        /// Paper original checked at the window.
        Paper = "paper", "窗口核验纸质材料", "Paper checked at the window";
        /// Fulfilled from shared data or the e-certificate library (免提交).
        Shared = "shared", "数据共享免提交", "Fulfilled by data sharing (no upload)";
    }
}

/// Acceptance must be answered within this many working days of receipt,
/// or the case counts as accepted (行政许可法第三十二条).
pub const ACCEPTANCE_LIMIT_DAYS: u32 = 5;
/// The longest extension one approval may grant (第四十二条: 10 working days).
pub const MAX_EXTENSION_DAYS: u32 = 10;
/// A result must be delivered within this many working days of the decision (第四十四条).
pub const DELIVERY_LIMIT_DAYS: u32 = 10;

/// Who may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionRule {
    /// The applicant who owns the case.
    pub applicant: bool,
    /// Staff holding this permission in the case's scope.
    pub staff: Option<Permission>,
    /// The background jobs.
    pub system: bool,
}

impl CaseAction {
    /// Who may take the action. Accepting, refusing, approving, denying,
    /// extending and signing need core permissions, so contractor staff can
    /// never take them whatever roles they are given.
    pub fn rule(self) -> ActionRule {
        use CaseAction::*;
        let staff = |p| ActionRule {
            applicant: false,
            staff: Some(p),
            system: false,
        };
        match self {
            Submit | Resubmit | Withdraw => ActionRule {
                applicant: true,
                staff: Some(Permission::CaseReceive),
                system: false,
            },
            PassPreReview | RequestCorrection => staff(Permission::CasePreReview),
            Accept | Refuse => staff(Permission::CaseAccept),
            DeemAccept => ActionRule {
                applicant: false,
                staff: None,
                system: true,
            },
            Claim
            | ReturnTask
            | Comment
            | StartSpecialProcedure
            | EndSpecialProcedure
            | Suspend
            | Resume => staff(Permission::CaseReview),
            Assign => staff(Permission::CaseAssign),
            Extend | Approve => staff(Permission::CaseApprove),
            Deny => staff(Permission::CaseDecide),
            IssueResult => staff(Permission::DocumentSign),
            Dispatch | ConfirmDelivery => staff(Permission::ResultDeliver),
        }
    }

    /// True when the action works on one part of the case rather than the whole.
    pub fn is_part_action(self) -> bool {
        use CaseAction::*;
        matches!(
            self,
            Claim | Assign | ReturnTask | Extend | Approve | Deny | Comment
        )
    }
}

impl CaseStatus {
    /// The state an action leads to from this state, or `None` when the
    /// action is not allowed here. Part actions keep the case in review; the
    /// case becomes [`CaseStatus::Decided`] when its last part is decided
    /// (see [`after_part_decided`]).
    pub fn next(self, action: CaseAction) -> Option<CaseStatus> {
        use CaseAction as A;
        use CaseStatus as S;
        let next = match (self, action) {
            (S::Draft, A::Submit) => S::Submitted,
            (S::CorrectionRequested, A::Resubmit) => S::Submitted,
            (S::Submitted, A::PassPreReview) => S::PreReviewed,
            (S::Submitted | S::PreReviewed, A::RequestCorrection) => S::CorrectionRequested,
            (S::PreReviewed, A::Accept) => S::UnderReview,
            (S::Submitted | S::PreReviewed, A::Refuse) => S::Refused,
            (S::Submitted | S::PreReviewed, A::DeemAccept) => S::UnderReview,
            (S::UnderReview, A::Claim | A::Assign | A::ReturnTask | A::Extend) => S::UnderReview,
            (S::UnderReview, A::Approve | A::Deny) => S::UnderReview,
            (s, A::Comment) if !s.is_terminal() && s != S::Draft => s,
            (S::UnderReview, A::StartSpecialProcedure) => S::SpecialProcedure,
            (S::SpecialProcedure, A::EndSpecialProcedure) => S::UnderReview,
            (S::UnderReview, A::Suspend) => S::Suspended,
            (S::Suspended, A::Resume) => S::UnderReview,
            (S::Decided, A::IssueResult) => S::ResultIssued,
            (S::ResultIssued, A::Dispatch) => S::InDelivery,
            (S::InDelivery, A::ConfirmDelivery) => S::Completed,
            (
                S::Draft
                | S::Submitted
                | S::CorrectionRequested
                | S::PreReviewed
                | S::UnderReview
                | S::SpecialProcedure
                | S::Suspended,
                A::Withdraw,
            ) => S::Withdrawn,
            _ => return None,
        };
        Some(next)
    }

    /// Every action allowed in this state, in display order.
    pub fn allowed_actions(self) -> Vec<CaseAction> {
        CaseAction::ALL
            .iter()
            .copied()
            .filter(|a| self.next(*a).is_some())
            .collect()
    }

    /// True for states a case never leaves.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Refused | Self::Withdrawn)
    }

    /// True while the acceptance clock (5 working days) runs.
    pub fn awaits_acceptance(self) -> bool {
        matches!(self, Self::Submitted | Self::PreReviewed)
    }

    /// True while the decision clock runs or is paused (accepted, not decided).
    pub fn in_review(self) -> bool {
        matches!(
            self,
            Self::UnderReview | Self::SpecialProcedure | Self::Suspended
        )
    }

    /// True when staff see the case (anything but a draft).
    pub fn visible_to_staff(self) -> bool {
        self != Self::Draft
    }
}

/// The case state after a part is decided: `Decided` when no part is left
/// undecided, otherwise still under review.
pub fn after_part_decided(undecided_parts_left: usize) -> CaseStatus {
    if undecided_parts_left == 0 {
        CaseStatus::Decided
    } else {
        CaseStatus::UnderReview
    }
}

/// An action attempted in a state that does not allow it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "当前状态“{}”不允许“{}”，可执行：{} / action {} is not allowed while the case is {}; allowed: {}",
    status.label("zh"), action.label("zh"), list(allowed, "zh"),
    action.as_str(), status.as_str(), list(allowed, "en")
)]
pub struct NotAllowed {
    /// The current state.
    pub status: CaseStatus,
    /// The attempted action.
    pub action: CaseAction,
    /// What is allowed instead.
    pub allowed: Vec<CaseAction>,
}

fn list(actions: &[CaseAction], lang: &str) -> String {
    if actions.is_empty() {
        return if lang == "en" { "none" } else { "无" }.to_owned();
    }
    actions
        .iter()
        .map(|a| {
            if lang == "en" {
                a.as_str()
            } else {
                a.label("zh")
            }
        })
        .collect::<Vec<_>>()
        .join(if lang == "en" { ", " } else { "、" })
}

/// The next state, or why the action is not allowed.
pub fn transition(status: CaseStatus, action: CaseAction) -> Result<CaseStatus, NotAllowed> {
    status.next(action).ok_or_else(|| NotAllowed {
        status,
        action,
        allowed: status.allowed_actions(),
    })
}

/// A case number: the six-digit region code, the Beijing date of filing
/// (YYYYMMDD) and a daily sequence of at least five digits, for example
/// `4201002026120100042`. The sequence is drawn inside the filing
/// transaction, so numbers are unique however many servers run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseNumber(String);

impl CaseNumber {
    /// Builds the number of the `seq`-th case of `date` in `region`.
    pub fn new(region: &RegionCode, date: Date, seq: u32) -> Self {
        let code = region.as_str();
        let six = &code[..code.len().min(6)];
        Self(format!(
            "{six}{:04}{:02}{:02}{seq:05}",
            date.year(),
            u8::from(date.month()),
            date.day()
        ))
    }

    /// Parses a case number typed or scanned by a user.
    pub fn parse(input: &str) -> Result<Self, ValidationErrors> {
        let s = input.trim();
        let ok = s.len() >= 19 && s.len() <= 24 && s.bytes().all(|b| b.is_ascii_digit());
        let date_ok = ok && {
            let year = s[6..10].parse::<i32>().unwrap_or(0);
            let month = s[10..12].parse::<u8>().unwrap_or(0);
            let day = s[12..14].parse::<u8>().unwrap_or(0);
            time::Month::try_from(month)
                .ok()
                .and_then(|m| Date::from_calendar_date(year, m, day).ok())
                .is_some()
        };
        if date_ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(ValidationErrors::single(
                "",
                "invalid_case_number",
                "办件编号应为19位数字（区划代码+日期+序号） / a case number is 19 digits: region, date, sequence",
            ))
        }
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One line of a case's material checklist. In a bundle, a material asked
/// for by several items (the same name) appears once and serves them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistEntry {
    /// Stable key within the case (`m01`, `m02`…), used in forms and notices.
    pub key: String,
    /// Name.
    pub name: Text,
    /// Required for the chosen situations.
    pub required: bool,
    /// Where it comes from.
    pub source: MaterialSource,
    /// Paper or electronic.
    pub form: MaterialForm,
    /// `item code/material code` of every catalogue material it stands for.
    pub serves: Vec<String>,
    /// The item in the same bundle whose result provides it; the applicant
    /// then provides nothing.
    pub produced_by: Option<String>,
    /// Condition text when only sometimes required.
    pub condition: Option<String>,
    /// The shared evidence that can fulfil it (免提交), copied from the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<crate::evidence::EvidenceSpec>,
}

impl ChecklistEntry {
    /// True when the applicant must provide it before pre-review passes.
    pub fn needed_from_applicant(&self) -> bool {
        self.required && self.produced_by.is_none()
    }

    /// True when the material is a form filled on the page rather than an upload
    /// (tables issued at the window, 《…表》).
    pub fn is_fillable_form(&self) -> bool {
        self.source == MaterialSource::IssuedAtWindow
    }
}

/// Builds the one de-duplicated checklist for the items and situations of a
/// case, in item order. A material whose name is the result of another item
/// in the same case (for example 营业执照 in 开办企业) is produced inside the
/// case and not asked of the applicant.
pub fn build_checklist(parts: &[(&ServiceItemBody, &str)]) -> Vec<ChecklistEntry> {
    let mut out: Vec<ChecklistEntry> = Vec::new();
    for (item, situation) in parts {
        for m in item.materials_for(situation) {
            let serves = format!("{}/{}", item.code, m.code);
            let name_key = m.name.zh.trim();
            if let Some(e) = out.iter_mut().find(|e| e.name.zh.trim() == name_key) {
                e.required |= m.required;
                e.serves.push(serves);
                if m.required {
                    e.condition = None;
                }
                continue;
            }
            let produced_by = parts
                .iter()
                .find(|(other, _)| {
                    other.code != item.code && other.result.name.zh.trim() == name_key
                })
                .map(|(other, _)| other.code.clone());
            out.push(ChecklistEntry {
                key: format!("m{:02}", out.len() + 1),
                name: m.name.clone(),
                required: m.required,
                source: m.source,
                form: m.form,
                serves: vec![serves],
                produced_by,
                condition: m.condition.clone(),
                evidence: m.evidence.clone(),
            });
        }
    }
    out
}

/// The applicant's one form for a case (a bundle too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    /// 联系人.
    pub contact_name: String,
    /// 联系电话 (mainland mobile).
    pub contact_phone: String,
    /// 联系地址.
    pub contact_address: String,
    /// 申请事项说明.
    pub description: String,
}

/// Names of the form's fields, as used in correction notices (`form.<name>`).
pub const FORM_FIELDS: &[(&str, &str, &str)] = &[
    ("contact_name", "联系人", "Contact person"),
    ("contact_phone", "联系电话", "Contact phone"),
    ("contact_address", "联系地址", "Contact address"),
    ("description", "申请事项说明", "Description"),
];

impl ApplicationForm {
    /// Validates every field, reporting all problems at once.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = self.contact_name.trim();
        if name.is_empty() || name.chars().count() > 40 {
            errors.push(
                "contact_name",
                "required",
                "请填写联系人（不超过40字） / enter a contact person (at most 40 characters)",
            );
        }
        errors.check(
            "contact_phone",
            crate::identity::parse_mobile(&self.contact_phone),
        );
        if self.contact_address.trim().chars().count() > 200 {
            errors.push(
                "contact_address",
                "too_long",
                "联系地址不超过200字 / the address has at most 200 characters",
            );
        }
        if self.description.chars().count() > 2000 {
            errors.push(
                "description",
                "too_long",
                "申请事项说明不超过2000字 / the description has at most 2000 characters",
            );
        }
        errors.finish(())
    }
}

/// One flagged material or field in a one-time correction notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionItem {
    /// A checklist key (`m03`) or a form field (`form.contact_phone`).
    pub target: String,
    /// What is wrong.
    pub problem: CorrectionProblem,
    /// What exactly to fix.
    pub note: String,
}

/// Checks a one-time correction notice: it lists at least one item, every
/// target is a checklist key or form field of this case, no target twice,
/// each with a note of at most 500 characters. The notice must be complete
/// because the applicant is told only once (一次性告知).
pub fn validate_correction(
    items: &[CorrectionItem],
    checklist: &[ChecklistEntry],
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if items.is_empty() {
        errors.push(
            "items",
            "required",
            "一次性告知书至少列明一项材料或字段 / list at least one material or field",
        );
    }
    for (i, item) in items.iter().enumerate() {
        let field = format!("items[{i}]");
        let known = checklist.iter().any(|e| e.key == item.target)
            || item
                .target
                .strip_prefix("form.")
                .is_some_and(|f| FORM_FIELDS.iter().any(|(n, _, _)| *n == f));
        if !known {
            errors.push(
                format!("{field}.target"),
                "unknown_target",
                format!(
                    "“{}”不是本件的材料或字段 / not a material or field of this case",
                    item.target
                ),
            );
        }
        if items[..i].iter().any(|o| o.target == item.target) {
            errors.push(
                format!("{field}.target"),
                "duplicate",
                "同一材料只列一次 / list each material once",
            );
        }
        let note = item.note.trim();
        if note.is_empty() || note.chars().count() > 500 {
            errors.push(
                format!("{field}.note"),
                "required",
                "请说明需要补正的具体内容（不超过500字） / say exactly what to fix (at most 500 characters)",
            );
        }
    }
    errors.finish(())
}

/// Checks a reasoned text (refusal or denial reasons, extension reason):
/// required, at most `max` characters.
pub fn validate_reason(field: &str, text: &str, max: usize) -> Result<(), ValidationErrors> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > max {
        Err(ValidationErrors::single(
            field,
            "required",
            format!("请填写理由（不超过{max}字） / give the reasons (at most {max} characters)"),
        ))
    } else {
        Ok(())
    }
}

/// Where a courier delivery goes and, once dispatched, how it travels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourierDetails {
    /// 收件人.
    pub recipient: String,
    /// 收件人电话.
    pub phone: String,
    /// 收件地址.
    pub address: String,
    /// 快递公司 (filled at dispatch).
    #[serde(default)]
    pub carrier: String,
    /// 运单号 (filled at dispatch).
    #[serde(default)]
    pub tracking_no: String,
}

impl CourierDetails {
    /// Validates the address part (chosen when applying).
    pub fn validate_address(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.recipient.trim().is_empty() || self.recipient.chars().count() > 40 {
            errors.push(
                "recipient",
                "required",
                "请填写收件人 / enter the recipient",
            );
        }
        errors.check("phone", crate::identity::parse_mobile(&self.phone));
        let addr = self.address.trim().chars().count();
        if !(5..=200).contains(&addr) {
            errors.push(
                "address",
                "required",
                "请填写完整的收件地址（5至200字） / enter the full address (5-200 characters)",
            );
        }
        errors.finish(())
    }

    /// Validates the dispatch part (carrier and tracking number).
    pub fn validate_dispatch(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.carrier.trim().is_empty() || self.carrier.chars().count() > 40 {
            errors.push("carrier", "required", "请填写快递公司 / enter the carrier");
        }
        let t = self.tracking_no.trim();
        if t.len() < 6 || t.len() > 40 || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            errors.push(
                "tracking_no",
                "invalid",
                "运单号应为6至40位字母或数字 / the tracking number has 6-40 letters or digits",
            );
        }
        errors.finish(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn happy_path_reaches_completion() {
        let mut s = CaseStatus::Draft;
        for a in [
            CaseAction::Submit,
            CaseAction::RequestCorrection,
            CaseAction::Resubmit,
            CaseAction::PassPreReview,
            CaseAction::Accept,
            CaseAction::Approve,
        ] {
            s = transition(s, a).unwrap();
        }
        assert_eq!(s, CaseStatus::UnderReview);
        s = after_part_decided(0);
        for a in [
            CaseAction::IssueResult,
            CaseAction::Dispatch,
            CaseAction::ConfirmDelivery,
        ] {
            s = transition(s, a).unwrap();
        }
        assert_eq!(s, CaseStatus::Completed);
        assert!(s.allowed_actions().is_empty());
    }

    #[test]
    fn not_allowed_names_the_allowed_actions() {
        let e = transition(CaseStatus::Submitted, CaseAction::Approve).unwrap_err();
        assert!(e.allowed.contains(&CaseAction::PassPreReview));
        assert!(e.allowed.contains(&CaseAction::Refuse));
        let text = e.to_string();
        assert!(text.contains("pass_pre_review"), "{text}");
        assert!(text.contains("预审通过"), "{text}");
    }

    #[test]
    fn acceptance_needs_pre_review_but_deemed_acceptance_does_not() {
        assert!(transition(CaseStatus::Submitted, CaseAction::Accept).is_err());
        assert_eq!(
            transition(CaseStatus::Submitted, CaseAction::DeemAccept).unwrap(),
            CaseStatus::UnderReview
        );
        assert!(transition(CaseStatus::CorrectionRequested, CaseAction::DeemAccept).is_err());
    }

    #[test]
    fn decisions_and_signing_need_core_permissions() {
        for a in [
            CaseAction::Accept,
            CaseAction::Refuse,
            CaseAction::Approve,
            CaseAction::Deny,
            CaseAction::IssueResult,
            CaseAction::Extend,
        ] {
            let p = a.rule().staff.unwrap();
            assert!(p.is_core(), "{a:?} needs a core permission, got {p:?}");
            assert!(!a.rule().applicant);
        }
        assert!(!CaseAction::PassPreReview.rule().staff.unwrap().is_core());
        assert!(CaseAction::DeemAccept.rule().system);
        assert!(CaseAction::DeemAccept.rule().staff.is_none());
    }

    #[test]
    fn terminal_states_allow_nothing() {
        for s in [
            CaseStatus::Completed,
            CaseStatus::Refused,
            CaseStatus::Withdrawn,
        ] {
            assert!(s.allowed_actions().is_empty(), "{s:?}");
        }
        assert!(transition(CaseStatus::Decided, CaseAction::Withdraw).is_err());
    }

    #[test]
    fn case_numbers_have_region_date_and_sequence() {
        let region = RegionCode::parse("420100").unwrap();
        let date = Date::from_calendar_date(2026, time::Month::December, 1).unwrap();
        let n = CaseNumber::new(&region, date, 42);
        assert_eq!(n.as_str(), "4201002026120100042");
        assert_eq!(CaseNumber::parse(n.as_str()).unwrap(), n);
        assert!(CaseNumber::parse("4201002026130100042").is_err());
        assert!(CaseNumber::parse("42010020261201").is_err());
    }

    #[test]
    fn correction_notice_must_be_complete_and_known() {
        let checklist = vec![ChecklistEntry {
            key: "m01".into(),
            name: Text::new("营业执照", "Business licence"),
            required: true,
            source: MaterialSource::Applicant,
            form: MaterialForm::Either,
            serves: vec!["X/M01".into()],
            produced_by: None,
            condition: None,
            evidence: None,
        }];
        let ok = CorrectionItem {
            target: "m01".into(),
            problem: CorrectionProblem::Missing,
            note: "请上传营业执照副本".into(),
        };
        assert!(validate_correction(std::slice::from_ref(&ok), &checklist).is_ok());
        let field = CorrectionItem {
            target: "form.contact_phone".into(),
            problem: CorrectionProblem::Defective,
            note: "号码无法接通".into(),
        };
        assert!(validate_correction(&[ok.clone(), field], &checklist).is_ok());
        let bad = CorrectionItem {
            target: "m09".into(),
            problem: CorrectionProblem::Missing,
            note: String::new(),
        };
        let e = validate_correction(&[ok.clone(), ok, bad], &checklist).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["items[1].target", "items[2].target", "items[2].note"]
        );
        assert!(validate_correction(&[], &checklist).is_err());
    }
}
