//! Case handling (办件): filing online or at a window, materials, the
//! lifecycle actions with their authorisation, deadlines, status links and
//! the lists each user sees. The rules of the lifecycle itself live in
//! `onetrip_domain::case`; each change is one store transaction.

pub mod access;
mod actions;
pub mod api_tokens;
mod calendar;
pub mod deadlines;
pub mod filing;
pub mod materials;
mod messages;
mod status_link;
pub mod views;

pub use deadlines::DeadlineReport;
pub use filing::{ApplicationRequest, ApplyTarget, WindowApplicant};
pub use views::WorkbenchFilter;
