//! `GET /admin/catalogue/import` shows a textarea for a catalogue document
//! (`onetrip-catalogue/1` JSON); `POST /admin/catalogue/import` imports it
//! through `App::import_catalogue` (needs `catalogue.edit` for every item,
//! and the core `catalogue.publish` when the document publishes). A document
//! with any error imports nothing, and every bad field is listed with its
//! path. `GET /admin/catalogue/export` downloads the whole catalogue as a
//! JSON attachment (needs `data.export`; the export is audited).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use onetrip_app::AppError;
use onetrip_domain::FieldError;
use onetrip_domain::catalogue::{CatalogueDocument, FORMAT_V1};

use super::{
    Admin, AdminNav, NoticeQuery, Section, check_csrf, field, notice, parse_pairs, see_other,
};
use crate::page::{PageCtx, PageError, PageResult, render, render_status};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    page: PageCtx,
    nav: AdminNav,
    notice: Option<&'static str>,
    document: String,
    message: Option<String>,
    errors: Vec<FieldError>,
    format: &'static str,
}

/// Shows the import form.
pub async fn show(page: PageCtx, Query(q): Query<NoticeQuery>) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Import)?;
    Ok(render(&ImportPage {
        nav: admin.nav(&page, Section::Import),
        notice: notice(&page, q.notice.as_deref()),
        document: String::new(),
        message: None,
        errors: Vec::new(),
        format: FORMAT_V1,
        page,
    }))
}

/// Imports the submitted document.
pub async fn submit(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Import)?;
    let document = field(&pairs, "document").to_owned();
    let (status, message, errors) = match serde_json::from_str::<CatalogueDocument>(&document) {
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page.t("admin.import_unreadable").to_owned(),
            vec![FieldError::new(
                "document",
                "invalid_json",
                format!(
                    "第 {} 行第 {} 列：{e} / line {}, column {}",
                    e.line(),
                    e.column(),
                    e.line(),
                    e.column()
                ),
            )],
        ),
        Ok(doc) => match state.app.import_catalogue(&admin.principal, &doc).await {
            Ok(_) => return Ok(see_other("/admin/catalogue?notice=imported")),
            Err(AppError::Invalid(v)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                page.t("admin.import_invalid").to_owned(),
                v.errors,
            ),
            Err(other) => return Err(PageError::from_app(&page, other)),
        },
    };
    let view = ImportPage {
        nav: admin.nav(&page, Section::Import),
        notice: None,
        document,
        message: Some(message),
        errors,
        format: FORMAT_V1,
        page,
    };
    Ok(render_status(status, &view))
}

/// Downloads the catalogue.
pub async fn export(State(state): State<AppState>, page: PageCtx) -> Result<Response, PageError> {
    let admin = Admin::of(&page)?;
    let doc = state
        .app
        .export_catalogue(&admin.principal)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let json = serde_json::to_string_pretty(&doc)
        .map_err(|e| PageError::from_app(&page, AppError::Internal(e.to_string())))?;
    let date = super::item_edit::today_string(&state);
    let mut response = (StatusCode::OK, json).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"onetrip-catalogue-{date}.json\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
