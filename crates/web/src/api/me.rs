//! `GET /api/v1/me` — who the caller is.
//!
//! Rules: staff see their grants and the permissions they hold (core
//! permissions never appear for contractor staff, whatever is stored);
//! applicants see their own record with the identifier and mobile number
//! masked, like every other API output.

use std::collections::BTreeSet;

use axum::Json;
use onetrip_app::auth::Principal;
use onetrip_domain::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::applicants::ApplicantView;
use crate::api::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::session::Via;

/// One role a staff member holds, with where it applies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeldGrantView {
    /// Role code.
    pub role: String,
    /// Region covered (and everything inside it).
    pub region: String,
    /// Limited to this department, if set.
    pub department: Option<String>,
    /// Limited to this service centre, if set.
    pub centre: Option<String>,
    /// The role's permission codes.
    pub permissions: Vec<String>,
}

/// A staff member as an authenticated principal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffPrincipalView {
    /// Login name.
    pub username: String,
    /// `civil_servant`, `public_institution` or `contractor`.
    pub employment_type: String,
    /// Granted roles.
    pub grants: Vec<HeldGrantView>,
    /// Every permission the staff member can use somewhere, sorted.
    pub permissions: Vec<String>,
}

/// Who is acting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrincipalView {
    /// `staff` or `applicant`.
    pub kind: String,
    /// Staff or applicant id.
    pub id: i64,
    /// Name to show.
    pub display_name: String,
    /// Set for staff.
    pub staff: Option<StaffPrincipalView>,
    /// Set for applicants (identifier and mobile masked).
    pub applicant: Option<ApplicantView>,
}

impl From<&Principal> for PrincipalView {
    fn from(p: &Principal) -> Self {
        match p {
            Principal::Staff(s) => {
                let held: BTreeSet<&'static str> = Permission::ALL
                    .iter()
                    .filter(|perm| s.has_anywhere(**perm))
                    .map(|perm| perm.as_str())
                    .collect();
                Self {
                    kind: "staff".to_owned(),
                    id: s.id,
                    display_name: s.display_name.clone(),
                    staff: Some(StaffPrincipalView {
                        username: s.username.clone(),
                        employment_type: s.employment.as_str().to_owned(),
                        grants: s
                            .grants
                            .iter()
                            .map(|g| HeldGrantView {
                                role: g.role.clone(),
                                region: g.scope.region.as_str().to_owned(),
                                department: g.scope.department.clone(),
                                centre: g.scope.centre.clone(),
                                permissions: g
                                    .permissions
                                    .iter()
                                    .map(|perm| perm.as_str().to_owned())
                                    .collect(),
                            })
                            .collect(),
                        permissions: held.into_iter().map(str::to_owned).collect(),
                    }),
                    applicant: None,
                }
            }
            Principal::Applicant(a) => Self {
                kind: "applicant".to_owned(),
                id: a.id,
                display_name: a.name.clone(),
                staff: None,
                applicant: Some(ApplicantView::from(a)),
            },
        }
    }
}

/// The session the request used.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionInfo {
    /// `bearer` or `cookie`.
    pub via: String,
    /// When it started (microseconds since the Unix epoch).
    pub created_at: i64,
    /// When it ends (microseconds since the Unix epoch).
    pub expires_at: i64,
}

/// Who I am.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeView {
    /// The principal.
    pub principal: PrincipalView,
    /// The session.
    pub session: SessionInfo,
}

/// Who the caller is.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The caller", body = MeView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(caller: Caller) -> Result<Json<MeView>, ApiError> {
    let record = &caller.session.record;
    Ok(Json(MeView {
        principal: PrincipalView::from(caller.principal()),
        session: SessionInfo {
            via: match caller.via {
                Via::Bearer => "bearer",
                Via::Cookie => "cookie",
            }
            .to_owned(),
            created_at: record.created_at_micros,
            expires_at: record.expires_at_micros,
        },
    }))
}
