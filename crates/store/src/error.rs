//! Errors of store operations.

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::AccessError;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The named record does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The operation lost a race or the record is not in a state that allows it.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input breaks a business rule; nothing was changed.
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// The operation would cross the negative list of inherent functions.
    #[error("{0}")]
    Forbidden(AccessError),
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Stored data could not be read back (corrupt or edited by hand).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The configuration (for example the database URL) is unusable.
    #[error("configuration error: {0}")]
    Config(String),
}

impl StoreError {
    /// Maps a unique-constraint violation to a conflict with `what`, passing other errors through.
    pub(crate) fn unique_as_conflict(err: sqlx::Error, what: &str) -> Self {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            return Self::Conflict(what.to_owned());
        }
        Self::Database(err)
    }
}

impl From<ValidationErrors> for StoreError {
    fn from(value: ValidationErrors) -> Self {
        Self::Invalid(value)
    }
}

impl From<AccessError> for StoreError {
    fn from(value: AccessError) -> Self {
        Self::Forbidden(value)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(value: serde_json::Error) -> Self {
        Self::Corrupt(value.to_string())
    }
}

impl From<onetrip_domain::calendar::CalendarError> for StoreError {
    fn from(value: onetrip_domain::calendar::CalendarError) -> Self {
        Self::Invalid(ValidationErrors::single(
            "date",
            "out_of_range",
            value.to_string(),
        ))
    }
}

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;
