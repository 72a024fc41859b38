//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use axum::response::IntoResponse;
use utoipa::OpenApi;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "OneTrip API", description = "一趟办政务服务平台 JSON API / OneTrip government service platform API"),
    paths(crate::health::healthz, crate::health::readyz),
    components(schemas(crate::problem::Problem, crate::problem::ProblemField)),
    tags((name = "operations", description = "Health and readiness"))
)]
#[derive(Debug)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn document() -> impl IntoResponse {
    axum::Json(ApiDoc::openapi())
}
