//! `POST /admin/catalogue/{code}/publish` (form field `version`) publishes a
//! draft; `POST /admin/catalogue/{code}/retire` retires the published
//! version. Both need `catalogue.publish`, a core permission: the app
//! refuses contractor staff and staff who only edit, shown as a 403 page.
//! Publishing makes the previous published version retired; cases keep
//! referring to the version they were filed under.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{Admin, check_csrf, field, parse_pairs, see_other};
use crate::page::{PageCtx, PageError, PageResult};
use crate::state::AppState;

/// Publishes the draft `version` of the item.
pub async fn publish(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    let Ok(version) = field(&pairs, "version").trim().parse::<i64>() else {
        return Err(PageError::new(
            &page,
            StatusCode::BAD_REQUEST,
            page.t("admin.bad_version"),
        ));
    };
    state
        .app
        .publish_item(&admin.principal, &code, version)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    Ok(see_other(&format!(
        "/admin/catalogue/{code}/edit?notice=published"
    )))
}

/// Retires the item's published version.
pub async fn retire(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    state
        .app
        .retire_item(&admin.principal, &code)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    Ok(see_other(&format!(
        "/admin/catalogue/{code}/edit?notice=retired"
    )))
}
