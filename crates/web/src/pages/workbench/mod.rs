//! Staff pages for handling cases: the workbench (my tasks, department
//! inbox, front-desk queue), the staff view of one case with every action
//! the user may take now, the action endpoint and window intake.
//!
//! Rules shared by these pages: anonymous visitors are sent to sign in;
//! applicants get 403. Pages show only the actions whose rule the user's
//! permissions satisfy in the case's (or part's) scope, but every action is
//! checked again by the app, which also enforces the negative list (core
//! permissions never work for contractor staff). Every form carries the
//! CSRF token; a successful POST answers 303 back to the case.

pub mod actions;
pub mod case;
pub mod list;
pub mod receive;

use onetrip_app::auth::Principal;
use onetrip_domain::access::StaffPrincipal;

use crate::page::{PageCtx, PageError};

/// The signed-in staff member of a workbench request.
pub fn require_staff(page: &PageCtx) -> Result<(Principal, StaffPrincipal), PageError> {
    let who = page.require_principal()?.clone();
    let staff = who
        .staff()
        .map_err(|e| PageError::from_app(page, e))?
        .clone();
    Ok((who, staff))
}
