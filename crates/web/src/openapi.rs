//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

/// Declares how API callers authenticate.
#[derive(Debug)]
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The `token` returned by `POST /api/v1/sessions`. No CSRF token is needed.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::session::SESSION_COOKIE,
                "The session cookie of the HTML pages. Writes must also send the session's \
                 CSRF token in the `X-CSRF-Token` header.",
            ))),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "OneTrip API",
        description = "一趟办政务服务平台 JSON API / OneTrip government service platform API.\n\n\
            Every error is an `application/problem+json` body (`Problem`) with a machine-readable \
            `code`, the bad `errors[].field`s when the input was invalid, and the `operation_id` \
            under which the failure is logged. Applicants' ID numbers, credit codes and phone \
            numbers are always masked."
    ),
    paths(
        api::sharing::offers,
        api::sharing::share,
        api::sharing::provenance,
        api::sharing::unmask,
        api::sharing::consents,
        api::sharing::revoke_consent,
        api::sharing::data_access,
        api::sharing::verify_certificate,
        api::sharing::public_key,
        api::sharing::revoke_certificate,
        api::sharing::import,
        api::sharing::save_provider,
        api::sharing::measures,
        api::sharing::verify_logs,
        crate::health::healthz,
        crate::health::readyz,
        api::items::list,
        api::items::show,
        api::items::versions,
        api::items::version,
        api::drafts::save,
        api::drafts::publish,
        api::drafts::retire,
        api::search::search,
        api::catalogue_import::import,
        api::catalogue_export::export,
        api::regions::list,
        api::departments::list,
        api::service_centres::list,
        api::life_events::list,
        api::sessions::create,
        api::sessions::delete_current,
        api::me::show,
        api::applicants::register,
        api::staff::list,
        api::staff::create,
        api::staff::show,
        api::staff::grant,
        api::staff::revoke_grant,
        api::staff::disable,
        api::staff::enable,
        api::staff::revoke_sessions,
        api::roles::list,
        api::roles::save,
        api::cases::create,
        api::cases::receive,
        api::cases::list,
        api::cases::show,
        api::cases::save_form,
        api::case_actions::act,
        api::case_materials::upload,
        api::case_materials::fill,
        api::case_materials::download,
        api::tasks::list,
        api::case_extras::bundles,
        api::case_extras::public_status,
        api::case_extras::messages,
        api::case_extras::notifications,
        api::case_extras::record_trip,
        api::case_extras::trip_stats,
        api::case_extras::calendar,
        api::case_extras::import_calendar,
        api::case_extras::due,
        api::case_extras::create_token,
        api::case_extras::revoke_token,
        api::hall::categories,
        api::hall::take,
        api::hall::reception,
        api::hall::by_token,
        api::hall::counters,
        api::hall::save_counter,
        api::hall::my_counter,
        api::hall_window::sign_in,
        api::hall_window::sign_out,
        api::hall_window::call_next,
        api::hall_window::walk_in,
        api::hall_window::act,
        api::hall_appointments::slots,
        api::hall_appointments::book,
        api::hall_appointments::mine,
        api::hall_appointments::cancel,
        api::hall_appointments::reschedule,
        api::hall_appointments::check_in,
        api::hall_reports::stats,
        api::hall_reports::stats_csv,
        api::hall_reports::plan,
        api::hall_reports::events,
    ),
    components(schemas(
        crate::problem::Problem,
        crate::problem::ProblemField,
        api::TextView,
        api::items::ItemSummaryView,
        api::items::ItemList,
        api::items::ItemVersionView,
        api::items::VersionSummaryView,
        api::items::VersionList,
        api::drafts::DraftRequest,
        api::search::SearchHitView,
        api::search::SearchResults,
        api::catalogue_import::CatalogueDocumentSchema,
        api::catalogue_import::ImportSummaryView,
        api::regions::RegionView,
        api::regions::RegionList,
        api::departments::DepartmentView,
        api::departments::DepartmentList,
        api::service_centres::HallView,
        api::service_centres::ServiceCentreView,
        api::service_centres::ServiceCentreList,
        api::life_events::LifeEventView,
        api::life_events::LifeEventList,
        api::sessions::SignInRequest,
        api::sessions::SessionCreated,
        api::me::HeldGrantView,
        api::me::StaffPrincipalView,
        api::me::PrincipalView,
        api::me::SessionInfo,
        api::me::MeView,
        api::applicants::RegistrationRequest,
        api::applicants::ApplicantView,
        api::staff::StaffView,
        api::staff::StaffList,
        api::staff::GrantView,
        api::staff::StaffDetail,
        api::staff::NewStaffRequest,
        api::staff::GrantRequest,
        api::staff::Created,
        api::staff::SessionsEnded,
        api::roles::RoleView,
        api::roles::RoleList,
        api::roles::RoleRequest,
        api::cases::FormBody,
        api::cases::CourierBody,
        api::cases::ApplicationBody,
        api::cases::WindowApplicantBody,
        api::cases::WindowBody,
        api::cases::CaseSummaryView,
        api::cases::PartView,
        api::cases::ChecklistView,
        api::cases::EventView,
        api::cases::NoticeView,
        api::cases::CaseView,
        api::case_actions::CorrectionBody,
        api::case_actions::ActionBody,
        api::case_materials::MaterialView,
        api::case_materials::FillBody,
        api::tasks::TaskView,
        api::case_extras::BundleView,
        api::case_extras::PublicStatusView,
        api::case_extras::MessageView,
        api::case_extras::NotificationView,
        api::case_extras::TripBody,
        api::case_extras::TripStatView,
        api::case_extras::NoticeSummary,
        api::case_extras::ImportView,
        api::case_extras::DueView,
        api::case_extras::TokenBody,
        api::case_extras::TokenView,
        api::hall::CategoryView,
        api::hall::TicketView,
        api::hall::PositionView,
        api::hall::KioskTicket,
        api::hall::ReceptionTicket,
        api::hall::CounterView,
        api::hall::CounterBody,
        api::hall_window::WalkInBody,
        api::hall_window::TicketActionBody,
        api::hall_appointments::SlotView,
        api::hall_appointments::AppointmentView,
        api::hall_appointments::BookBody,
        api::hall_appointments::CheckInBody,
    )),
    modifiers(&SecuritySchemes),
    tags(
        (name = "catalogue", description = "The service catalogue: items, versions, search, import and export"),
        (name = "reference", description = "Regions, departments, service centres and life events"),
        (name = "sessions", description = "Signing in and out, and who is signed in"),
        (name = "applicants", description = "Applicant registration"),
        (name = "administration", description = "Staff accounts, grants and roles"),
        (name = "cases", description = "Applications (办件): filing, materials, lifecycle actions, tasks, notices and status"),
        (name = "calendar", description = "The working-day calendar and State Council holiday notices"),
        (name = "admin", description = "API tokens for department systems"),
        (name = "hall", description = "The service hall: queue tickets, windows, appointments, statistics, the staffing plan and the board feed"),
        (name = "sharing", description = "Once-only data sharing: evidence reuse with consent, data tracker, certificate verification, providers, measures"),
        (name = "operations", description = "Health and readiness"),
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn document() -> impl IntoResponse {
    axum::Json(ApiDoc::openapi())
}
