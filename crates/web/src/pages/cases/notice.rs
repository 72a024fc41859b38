//! `GET /cases/{id}/notices/{notice_no}` — a printable written record of the
//! case (受理通知书, 一次性告知书, 不予受理决定书, 办理结果通知书), laid out
//! for A4, with a QR code of the case's public status link.
//!
//! Rules: the applicant who owns the case and staff who may see it can open
//! its notices; anyone else gets 404. The notice is rendered from the
//! snapshot stored when it was issued (`NoticeRecord.content`), never from
//! the case as it is now, so a reprint says exactly what was told.

use askama::Template;
use axum::extract::{Path, State};
use onetrip_domain::case::{CorrectionItem, Decision, NoticeKind};
use onetrip_domain::text::Text;
use qrcode::QrCode;
use qrcode::render::svg;
use serde_json::Value;

use super::{department_name, departments, target_name};
use crate::i18n::Lang;
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::account::beijing_time;
use crate::state::AppState;

/// A table in the notice.
#[derive(Debug, Clone, Default)]
pub struct NoticeTable {
    /// Column headers.
    pub headers: Vec<&'static str>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "cases/notice.html")]
struct NoticePage {
    page: PageCtx,
    kind: &'static str,
    notice_no: String,
    case_no: String,
    title: String,
    addressee: String,
    body: Vec<String>,
    table: NoticeTable,
    issuer: String,
    issued_on: String,
    status_url: String,
    qr_svg: String,
    back: String,
}

/// An inline SVG QR code of `data` (without the XML declaration), or empty.
pub fn qr_svg(data: &str) -> String {
    match QrCode::new(data.as_bytes()) {
        Ok(code) => {
            let full = code
                .render::<svg::Color<'_>>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build();
            match full.find("<svg") {
                Some(i) => full[i..].to_owned(),
                None => full,
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "qr code failed");
            String::new()
        }
    }
}

fn text_of(lang: Lang, v: &Value) -> String {
    serde_json::from_value::<Text>(v.clone())
        .map(|t| lang.pick(&t).to_owned())
        .unwrap_or_else(|_| v.as_str().unwrap_or_default().to_owned())
}

fn str_of(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Shows one notice.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, notice_no)): Path<(i64, String)>,
) -> PageResult {
    let who = page.require_principal()?.clone();
    let detail = state
        .app
        .case_for(&who, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let Some(notice) = detail.notices.iter().find(|n| n.notice_no == notice_no) else {
        return Err(PageError::not_found(&page));
    };
    let lang = page.lang;
    let all_departments = departments(&state, &page).await?;
    let applicant = state
        .app
        .store
        .applicant_by_id(detail.case.applicant_id)
        .await
        .map_err(|e| PageError::from_app(&page, e.into()))?
        .map(|a| a.name)
        .unwrap_or_default();
    let c = &notice.content;
    let mut body = Vec::new();
    let mut table = NoticeTable::default();
    let dept = |code: &str| department_name(&all_departments, lang, code);
    let days = lang.t("item.working_days");
    match notice.kind {
        NoticeKind::Acceptance => {
            body.push(lang.t("notice.acceptance.body").to_owned());
            if str_of(c, "acceptance") == "deemed" {
                body.push(lang.t("notice.acceptance.deemed").to_owned());
            }
            table.headers = vec![
                lang.t("notice.col.item"),
                lang.t("notice.col.department"),
                lang.t("notice.col.statutory"),
                lang.t("notice.col.promised"),
            ];
            for it in c
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                table.rows.push(vec![
                    it.get("name").map(|n| text_of(lang, n)).unwrap_or_default(),
                    dept(&str_of(it, "department")),
                    format!("{} {days}", str_of(it, "statutory_days")),
                    format!("{} {days}", str_of(it, "promised_days")),
                ]);
            }
        }
        NoticeKind::Correction => {
            body.push(lang.t("notice.correction.body").to_owned());
            table.headers = vec![
                lang.t("notice.col.target"),
                lang.t("notice.col.problem"),
                lang.t("notice.col.note"),
            ];
            let items: Vec<CorrectionItem> = c
                .get("items")
                .cloned()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
            for i in items {
                table.rows.push(vec![
                    target_name(lang, &detail.case, &i.target),
                    i.problem.label(lang.code()).to_owned(),
                    i.note,
                ]);
            }
        }
        NoticeKind::Refusal => {
            body.push(lang.t("notice.refusal.body").to_owned());
            body.push(format!(
                "{}：{}",
                lang.t("notice.refusal.reasons"),
                str_of(c, "reasons")
            ));
            let redirect = str_of(c, "redirect");
            if !redirect.is_empty() {
                body.push(format!("{}：{redirect}", lang.t("notice.refusal.redirect")));
            }
            body.push(lang.t("notice.refusal.remedy").to_owned());
        }
        NoticeKind::Result => {
            body.push(lang.t("notice.result.body").to_owned());
            table.headers = vec![
                lang.t("notice.col.item"),
                lang.t("notice.col.department"),
                lang.t("notice.col.decision"),
                lang.t("notice.col.certificate"),
            ];
            for p in c
                .get("parts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let decision = Decision::parse(&str_of(p, "decision"))
                    .map(|d| d.label(lang.code()).to_owned())
                    .unwrap_or_default();
                let reasons = str_of(p, "reasons");
                table.rows.push(vec![
                    p.get("name").map(|n| text_of(lang, n)).unwrap_or_default(),
                    dept(&str_of(p, "department")),
                    if reasons.is_empty() {
                        decision
                    } else {
                        format!("{decision}：{reasons}")
                    },
                    str_of(p, "certificate_no"),
                ]);
            }
        }
    }
    let mut issuers: Vec<String> = Vec::new();
    for p in &detail.parts {
        let n = dept(&p.department_code);
        if !issuers.contains(&n) {
            issuers.push(n);
        }
    }
    let status_url = state.app.status_url(&detail.case);
    let back = match who {
        onetrip_app::auth::Principal::Staff(_) => format!("/workbench/cases/{id}"),
        onetrip_app::auth::Principal::Applicant(_) => format!("/cases/{id}"),
    };
    Ok(render(&NoticePage {
        kind: notice.kind.label(lang.code()),
        notice_no: notice.notice_no.clone(),
        case_no: detail.case.case_no.clone(),
        title: c
            .get("title")
            .map(|t| text_of(lang, t))
            .unwrap_or_else(|| lang.pick(&detail.case.title).to_owned()),
        addressee: applicant,
        body,
        table,
        issuer: issuers.join("、"),
        issued_on: beijing_time(notice.issued_at)
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_owned(),
        qr_svg: qr_svg(&status_url),
        status_url,
        back,
        page,
    }))
}
