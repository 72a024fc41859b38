//! Who does what in the demo cases: every step is taken by a demo staff
//! member who really holds the permission for it in the case's scope, so
//! the demo goes through the same authorisation as a real user.

use onetrip_domain::access::{Permission, StaffPrincipal, Target};

use crate::App;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};

/// The enabled demo staff with their grants.
#[derive(Debug, Clone)]
pub struct Cast {
    staff: Vec<StaffPrincipal>,
}

impl Cast {
    /// Loads every enabled staff member. Staff scoped to one department
    /// come first, so a department's own officer handles its items and the
    /// centre's chief representative only what has no single department
    /// (accepting and signing 一件事 cases, items of departments without an
    /// officer of their own).
    pub async fn load(app: &App) -> AppResult<Self> {
        let mut staff = Vec::new();
        for s in app.store.list_staff().await? {
            if s.disabled {
                continue;
            }
            if let Some(p) = app.store.staff_principal(s.id).await? {
                staff.push(p);
            }
        }
        staff.sort_by_key(|p| !p.grants.iter().any(|g| g.scope.department.is_some()));
        Ok(Self { staff })
    }

    /// The first staff member holding `permission` for `target`.
    pub fn pick(&self, permission: Permission, target: &Target) -> AppResult<Principal> {
        self.staff
            .iter()
            .find(|s| s.authorize(permission, target).is_ok())
            .cloned()
            .map(Principal::Staff)
            .ok_or_else(|| {
                AppError::Internal(format!(
                    "no demo staff member holds {} for {target:?}",
                    permission.as_str()
                ))
            })
    }
}
