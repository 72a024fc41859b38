//! Field-level validation errors shared by every parser in the domain.

use serde::Serialize;

/// One problem with one input field, addressed by a dotted path such as
/// `items[3].materials[1].source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Where the problem is (a JSON-path-like address or a form field name).
    pub field: String,
    /// Stable machine-readable code, for example `invalid_check_digit`.
    pub code: String,
    /// Human-readable explanation (Simplified Chinese first, English after).
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// A non-empty collection of field errors. Validators collect *every* problem
/// instead of stopping at the first, so a user can fix all of them at once
/// (the same principle as the one-time correction notice).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors {
    /// The collected errors, in input order.
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// A collection holding exactly one error.
    pub fn single(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            errors: vec![FieldError::new(field, code, message)],
        }
    }

    /// Records one more error.
    pub fn push(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Adds every error of `other`, prefixing their field paths with `prefix`.
    pub fn extend_prefixed(&mut self, prefix: &str, other: ValidationErrors) {
        for e in other.errors {
            let field = if e.field.is_empty() {
                prefix.to_owned()
            } else if e.field.starts_with('[') {
                format!("{prefix}{}", e.field)
            } else {
                format!("{prefix}.{}", e.field)
            };
            self.errors.push(FieldError { field, ..e });
        }
    }

    /// Records the error of a parse result under `field` and returns the value if valid.
    pub fn check<T>(&mut self, field: &str, result: Result<T, ValidationErrors>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.extend_prefixed(field, e);
                None
            }
        }
    }

    /// True when no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(value)` when no error was recorded, otherwise `Err(self)`.
    pub fn finish<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {} ({})", e.field, e.message, e.code)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
