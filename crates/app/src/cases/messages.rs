//! What the applicant and staff are told, and through which channels.
//!
//! Rule: every step that changes what the applicant must do or can expect
//! (received, correction needed, accepted, refused, extended, result
//! issued, dispatched, completed) is told in the app, by SMS to the contact
//! phone, and by e-mail when the applicant gave one. Internal steps (claim,
//! assign, comments) notify nobody.

use onetrip_domain::case::{CaseAction, DeliveryMethod};
use onetrip_domain::text::Text;
use onetrip_store::{ApplicantRecord, CaseRecord, NewCase, NewNotification};

use crate::App;

/// What a message says about a case.
struct Facts<'a> {
    case_no: &'a str,
    title: &'a Text,
    phone: &'a str,
    link: String,
}

/// The applicant-facing wording of an action, or `None` when it is internal.
fn wording(action: CaseAction, delivery: DeliveryMethod) -> Option<(&'static str, &'static str)> {
    use CaseAction as A;
    Some(match action {
        A::Submit => ("已收到您的申请", "we have received your application"),
        A::Resubmit => ("已收到您的补正材料", "we have received your corrections"),
        A::RequestCorrection => (
            "需要补正材料，请按一次性告知书一次补齐",
            "corrections are needed; see the one-time notice",
        ),
        A::Accept => ("已受理", "has been accepted"),
        A::DeemAccept => ("已依法视为受理", "counts as accepted by law"),
        A::Refuse => ("不予受理，请查看决定书", "was refused; see the decision"),
        A::Extend => ("审批期限已依法延长", "the time limit was extended"),
        A::StartSpecialProcedure => (
            "进入特别程序，期间不计入办理时限",
            "is in a special procedure; the clock is paused",
        ),
        A::Suspend => ("已挂起", "is suspended"),
        A::Resume | A::EndSpecialProcedure => ("恢复办理", "is being handled again"),
        A::IssueResult => ("已办结并出具结果", "has a result"),
        A::Dispatch => match delivery {
            DeliveryMethod::Courier => ("结果已寄出", "the result has been posted"),
            DeliveryMethod::Pickup => ("结果可到窗口领取", "the result is ready at the window"),
            DeliveryMethod::Electronic => {
                ("结果已电子送达", "the result was delivered electronically")
            }
        },
        A::ConfirmDelivery => (
            "结果已签收，办件完成",
            "the result was received; the case is complete",
        ),
        A::Withdraw => ("已撤回", "was withdrawn"),
        A::PassPreReview
        | A::Claim
        | A::Assign
        | A::ReturnTask
        | A::Comment
        | A::Approve
        | A::Deny => return None,
    })
}

impl App {
    /// The public status link of a case.
    pub fn status_url(&self, case: &CaseRecord) -> String {
        self.status_url_for_nonce(&case.status_nonce)
    }

    fn status_url_for_nonce(&self, nonce: &str) -> String {
        format!(
            "{}/status/{}",
            self.config.server.public_url.trim_end_matches('/'),
            self.status_token_for_nonce(nonce)
        )
    }

    /// Notifications for a case being filed at a window, before its number
    /// is drawn: the store puts the number in place of `{case_no}`.
    pub fn filing_notifications(
        &self,
        applicant: &ApplicantRecord,
        new: &NewCase,
    ) -> Vec<NewNotification> {
        self.compose(
            applicant,
            &Facts {
                case_no: "{case_no}",
                title: &new.title,
                phone: &new.form.contact_phone,
                link: self.status_url_for_nonce(&new.status_nonce),
            },
            CaseAction::Submit,
            new.delivery_method,
        )
    }

    /// Notifications to the applicant about `action` on `case`.
    pub fn applicant_notifications(
        &self,
        applicant: &ApplicantRecord,
        case: &CaseRecord,
        action: CaseAction,
    ) -> Vec<NewNotification> {
        self.compose(
            applicant,
            &Facts {
                case_no: &case.case_no,
                title: &case.title,
                phone: &case.form.contact_phone,
                link: self.status_url(case),
            },
            action,
            case.delivery_method,
        )
    }

    fn compose(
        &self,
        applicant: &ApplicantRecord,
        facts: &Facts<'_>,
        action: CaseAction,
        delivery: DeliveryMethod,
    ) -> Vec<NewNotification> {
        let Some((zh, en)) = wording(action, delivery) else {
            return Vec::new();
        };
        let Facts {
            case_no,
            title,
            link,
            ..
        } = facts;
        let subject = format!("办件 {case_no}：{zh} / case {case_no}: {en}");
        let body = format!(
            "{} 您好：您申请的“{}”（办件编号 {case_no}）{zh}。办理进度：{link}\n\nDear {}, your application \"{}\" (case {case_no}) — {en}. Status: {link}",
            applicant.name, title.zh, applicant.name, title.en
        );
        let phone = if facts.phone.trim().is_empty() {
            applicant.mobile.clone()
        } else {
            facts.phone.trim().to_owned()
        };
        let mut out = vec![
            NewNotification {
                channel: "in_app".to_owned(),
                recipient: format!("applicant:{}", applicant.id),
                subject: subject.clone(),
                body: body.clone(),
            },
            NewNotification {
                channel: "sms".to_owned(),
                recipient: phone,
                subject: subject.clone(),
                body: format!("您申请的“{}”（{case_no}）{zh}。进度：{link}", title.zh),
            },
        ];
        if let Some(email) = &applicant.email {
            out.push(NewNotification {
                channel: "email".to_owned(),
                recipient: email.clone(),
                subject,
                body,
            });
        }
        out
    }
}
