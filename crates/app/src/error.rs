//! Errors of use cases, independent of how they are shown.

use onetrip_domain::ValidationErrors;
use onetrip_store::StoreError;

/// Why a use case did not complete. Nothing was changed in any case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input breaks a rule; every bad field is listed.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// No valid session.
    #[error("请先登录 / please sign in")]
    Unauthenticated,
    /// Sign-in failed (the same for a wrong password and an unknown account).
    #[error("用户名或密码错误 / wrong user name or password")]
    BadCredentials,
    /// Signed in but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// Not found.
    #[error("未找到 {0} / not found: {0}")]
    NotFound(String),
    /// Lost a race or not allowed in the current state.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts.
    #[error("尝试次数过多，请稍后再试 / too many attempts, try again later")]
    TooManyAttempts,
    /// Something broke that the user cannot fix.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(value: StoreError) -> Self {
        match value {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Conflict(msg) => Self::Conflict(msg),
            StoreError::Invalid(errors) => Self::Invalid(errors),
            StoreError::Forbidden(e) => Self::Forbidden(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(value: ValidationErrors) -> Self {
        Self::Invalid(value)
    }
}

impl From<onetrip_domain::access::AccessError> for AppError {
    fn from(value: onetrip_domain::access::AccessError) -> Self {
        Self::Forbidden(value.to_string())
    }
}

/// Result of a use case.
pub type AppResult<T> = Result<T, AppError>;
