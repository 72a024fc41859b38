//! The one JSON error shape of the API (`application/problem+json`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use onetrip_app::AppError;
use onetrip_domain::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

/// One bad field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// Field path, for example `items[3].materials[1].source`.
    pub field: String,
    /// Machine-readable code.
    pub code: String,
    /// Explanation.
    pub message: String,
}

/// Every API error has this body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// HTTP status.
    pub status: u16,
    /// Machine-readable code, for example `invalid_input`, `forbidden`, `conflict`.
    pub code: String,
    /// Explanation (Chinese / English).
    pub message: String,
    /// Field errors, when the input was invalid.
    #[serde(default)]
    pub errors: Vec<ProblemField>,
    /// Identifier of this failure in the server log.
    pub operation_id: String,
}

/// An error leaving an API handler.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// Status to answer with.
    pub status: StatusCode,
    /// Machine-readable code.
    pub code: &'static str,
    /// Explanation.
    pub message: String,
    /// Field errors.
    pub errors: Vec<FieldError>,
}

impl ApiError {
    /// Builds an error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// 401.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录 / please sign in",
        )
    }

    /// 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("未找到 {what} / not found: {what}"),
        )
    }
}

/// A fresh operation id (random, 12 hex digits).
pub fn operation_id() -> String {
    let mut b = [0u8; 6];
    if getrandom::fill(&mut b).is_err() {
        return "000000000000".to_owned();
    }
    hex::encode(b)
}

/// Status and code for an application error.
pub fn classify(err: &AppError) -> (StatusCode, &'static str) {
    match err {
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        AppError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        let (status, code) = classify(&err);
        let message = match &err {
            AppError::Invalid(_) => "输入有误，请检查各字段 / the input is invalid".to_owned(),
            AppError::Internal(_) => "服务器内部错误 / internal server error".to_owned(),
            other => other.to_string(),
        };
        if let AppError::Internal(detail) = &err {
            tracing::error!(%detail, "internal error");
        }
        let errors = match err {
            AppError::Invalid(v) => v.errors,
            _ => Vec::new(),
        };
        Self {
            status,
            code,
            message,
            errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let operation_id = operation_id();
        if self.status.is_server_error() {
            tracing::error!(%operation_id, status = %self.status, code = self.code, message = %self.message, "api error");
        } else {
            tracing::info!(%operation_id, status = %self.status, code = self.code, "api error");
        }
        let body = Problem {
            status: self.status.as_u16(),
            code: self.code.to_owned(),
            message: self.message,
            errors: self
                .errors
                .into_iter()
                .map(|e| ProblemField {
                    field: e.field,
                    code: e.code,
                    message: e.message,
                })
                .collect(),
            operation_id: operation_id.clone(),
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Ok(v) = HeaderValue::from_str(&operation_id) {
            headers.insert("x-operation-id", v);
        }
        response
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "payload_too_large"
        } else {
            "invalid_body"
        };
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "请求体过大 / the request body is too large".to_owned()
        } else {
            format!(
                "请求体不是有效的 JSON / the body is not valid JSON: {}",
                rejection.body_text()
            )
        };
        Self::new(status, code, message)
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            rejection.body_text(),
        )
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            rejection.body_text(),
        )
    }
}

/// `Json<T>` whose rejections are problem bodies (including 413 for a body over the limit).
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `Query<T>` whose rejections are problem bodies.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Path<T>` whose rejections are problem bodies.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);
