//! OneTrip domain: pure types and business rules.
//!
//! Nothing in this crate performs I/O or reads the clock; time is always a
//! parameter. Every externally supplied value enters through a validated
//! constructor (`parse`) so that the rest of the system only ever handles
//! values that are known to be well formed.

pub mod access;
pub mod audit;
pub mod calendar;
pub mod case;
pub mod catalogue;
pub mod evidence;
pub mod hall;
pub mod identity;
pub mod region;
pub mod staffing;
pub mod text;
pub mod upload;
pub mod validation;

pub use validation::{FieldError, ValidationErrors};
