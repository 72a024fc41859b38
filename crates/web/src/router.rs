//! Every route of OneTrip, in one place.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

use crate::state::AppState;
use crate::{health, observability, openapi, pages, security, session};

/// Largest catalogue document accepted by the import endpoints.
pub const IMPORT_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Builds the application router.
pub fn router(state: AppState) -> Router {
    let _ = observability::handle();
    let body_limit = state.app.config.server.max_body_bytes;
    let routes = Router::new()
        // ---- public pages ----
        .route("/", get(pages::home::show))
        .route("/catalogue", get(pages::catalogue::show))
        .route("/items/{code}", get(pages::guide::show))
        .route("/items/{code}/print", get(pages::guide::print))
        .route("/search", get(pages::search::show))
        .route("/login", get(pages::login::show).post(pages::login::submit))
        .route("/logout", post(pages::logout::submit))
        .route(
            "/register",
            get(pages::register::show).post(pages::register::submit),
        )
        .route("/lang/{code}", get(pages::lang::switch))
        .route("/account", get(pages::account::show))
        .route(
            "/account/sessions/revoke-all",
            post(pages::account::revoke_all),
        )
        .route(
            "/account/sessions/{id}/revoke",
            post(pages::account::revoke_one),
        )
        .route("/static/app.css", get(pages::static_files::app_css))
        .route("/bundles", get(pages::bundles::show))
        .route("/status/{token}", get(pages::status::show))
        // ---- hall pages ----
        .route("/static/board.js", get(pages::static_files::board_js))
        .route("/hall/{centre}/{hall}/kiosk", get(pages::hall::kiosk::show))
        .route(
            "/hall/{centre}/{hall}/kiosk/ticket",
            post(pages::hall::kiosk::take_ticket),
        )
        .route(
            "/hall/{centre}/{hall}/kiosk/check-in",
            post(pages::hall::kiosk::check_in),
        )
        .route("/hall/{centre}/{hall}/board", get(pages::hall::board::show))
        .route("/tickets/{token}", get(pages::hall::ticket::show))
        .route("/workbench/counter", get(pages::hall::counter::show))
        .route(
            "/workbench/counter/sign-in",
            post(pages::hall::counter::sign_in),
        )
        .route(
            "/workbench/counter/sign-out",
            post(pages::hall::counter::sign_out),
        )
        .route(
            "/workbench/counter/call-next",
            post(pages::hall::counter::call_next),
        )
        .route(
            "/workbench/counter/walk-in",
            post(pages::hall::counter::walk_in),
        )
        .route(
            "/workbench/counter/issue",
            post(pages::hall::counter::issue),
        )
        .route(
            "/workbench/counter/tickets/{id}/{action}",
            post(pages::hall::counter::act),
        )
        .route(
            "/appointments",
            get(pages::hall::appointments::show).post(pages::hall::appointment_new::book),
        )
        .route("/appointments/new", get(pages::hall::appointment_new::show))
        .route(
            "/appointments/{id}/cancel",
            post(pages::hall::appointments::cancel),
        )
        .route(
            "/appointments/{id}/reschedule",
            post(pages::hall::appointments::reschedule),
        )
        .route("/admin/hall/stats", get(pages::hall::stats::show))
        .route("/admin/hall/planner", get(pages::hall::planner::show))
        // ---- end of hall pages ----
        // ---- admin pages ----
        .route("/admin", get(pages::admin::dashboard::show))
        .route("/admin/catalogue", get(pages::admin::catalogue::show))
        .route(
            "/admin/catalogue/new",
            get(pages::admin::item_edit::new).post(pages::admin::item_edit::create),
        )
        .route(
            "/admin/catalogue/import",
            get(pages::admin::import_export::show)
                .post(pages::admin::import_export::submit)
                .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route(
            "/admin/catalogue/export",
            get(pages::admin::import_export::export),
        )
        .route(
            "/admin/catalogue/{code}/edit",
            get(pages::admin::item_edit::edit),
        )
        .route(
            "/admin/catalogue/{code}/draft",
            post(pages::admin::item_edit::save_draft),
        )
        .route(
            "/admin/catalogue/{code}/publish",
            post(pages::admin::item_publish::publish),
        )
        .route(
            "/admin/catalogue/{code}/retire",
            post(pages::admin::item_publish::retire),
        )
        .route(
            "/admin/staff",
            get(pages::admin::staff::show).post(pages::admin::staff::create),
        )
        .route("/admin/staff/{id}", get(pages::admin::staff_detail::show))
        .route(
            "/admin/staff/{id}/grants",
            post(pages::admin::staff_detail::grant),
        )
        .route(
            "/admin/staff/{id}/grants/{grant}/revoke",
            post(pages::admin::staff_detail::revoke_grant),
        )
        .route(
            "/admin/staff/{id}/sessions/revoke",
            post(pages::admin::staff_detail::revoke_sessions),
        )
        .route(
            "/admin/staff/{id}/disable",
            post(pages::admin::staff_detail::disable),
        )
        .route(
            "/admin/staff/{id}/enable",
            post(pages::admin::staff_detail::enable),
        )
        .route(
            "/admin/roles",
            get(pages::admin::roles::show).post(pages::admin::roles::save),
        )
        .route("/admin/audit", get(pages::admin::audit::show))
        .route(
            "/admin/calendar",
            get(pages::admin::calendar::show).post(pages::admin::calendar::submit),
        )
        // ---- case pages ----
        .route(
            "/apply/bundle/{bundle_code}",
            get(pages::apply::show_bundle).post(pages::apply::submit_bundle),
        )
        .route(
            "/apply/{item_code}",
            get(pages::apply::show_item).post(pages::apply::submit_item),
        )
        .route("/cases", get(pages::cases::list::show))
        .route("/cases/{id}", get(pages::cases::detail::show))
        .route("/cases/{id}/submit", post(pages::cases::detail::submit))
        .route("/cases/{id}/withdraw", post(pages::cases::detail::withdraw))
        .route("/cases/{id}/resubmit", post(pages::cases::detail::resubmit))
        .route(
            "/cases/{id}/materials/{key}",
            post(pages::cases::upload::applicant).layer(DefaultBodyLimit::max(
                pages::cases::upload::UPLOAD_BODY_LIMIT,
            )),
        )
        .route(
            "/cases/{id}/materials/{key}/fill",
            post(pages::cases::detail::fill),
        )
        .route(
            "/cases/{id}/materials/{key}/{revision}",
            get(pages::cases::download::download),
        )
        .route(
            "/cases/{id}/notices/{notice_no}",
            get(pages::cases::notice::show),
        )
        .route("/workbench", get(pages::workbench::list::show))
        .route(
            "/workbench/receive",
            get(pages::workbench::receive::show).post(pages::workbench::receive::submit),
        )
        .route("/workbench/cases/{id}", get(pages::workbench::case::show))
        .route(
            "/workbench/cases/{id}/actions/{action}",
            post(pages::workbench::actions::take),
        )
        .route(
            "/workbench/cases/{id}/materials/{key}",
            post(pages::cases::upload::staff).layer(DefaultBodyLimit::max(
                pages::cases::upload::UPLOAD_BODY_LIMIT,
            )),
        )
        // ---- JSON API ----
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/v1/items", get(crate::api::items::list))
        .route("/api/v1/items/{code}", get(crate::api::items::show))
        .route(
            "/api/v1/items/{code}/versions",
            get(crate::api::items::versions),
        )
        .route(
            "/api/v1/items/{code}/versions/{version}",
            get(crate::api::items::version),
        )
        .route(
            "/api/v1/items/{code}/draft",
            axum::routing::put(crate::api::drafts::save),
        )
        .route(
            "/api/v1/items/{code}/versions/{version}/publish",
            post(crate::api::drafts::publish),
        )
        .route(
            "/api/v1/items/{code}/retire",
            post(crate::api::drafts::retire),
        )
        .route("/api/v1/search", get(crate::api::search::search))
        .route(
            "/api/v1/catalogue/import",
            post(crate::api::catalogue_import::import)
                .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route(
            "/api/v1/catalogue/export",
            get(crate::api::catalogue_export::export),
        )
        .route("/api/v1/regions", get(crate::api::regions::list))
        .route("/api/v1/departments", get(crate::api::departments::list))
        .route(
            "/api/v1/service-centres",
            get(crate::api::service_centres::list),
        )
        .route("/api/v1/life-events", get(crate::api::life_events::list))
        .route("/api/v1/sessions", post(crate::api::sessions::create))
        .route(
            "/api/v1/sessions/current",
            axum::routing::delete(crate::api::sessions::delete_current),
        )
        .route("/api/v1/me", get(crate::api::me::show))
        .route("/api/v1/applicants", post(crate::api::applicants::register))
        .route(
            "/api/v1/staff",
            get(crate::api::staff::list).post(crate::api::staff::create),
        )
        .route("/api/v1/staff/{id}", get(crate::api::staff::show))
        .route("/api/v1/staff/{id}/grants", post(crate::api::staff::grant))
        .route(
            "/api/v1/staff/{id}/grants/{grant_id}",
            axum::routing::delete(crate::api::staff::revoke_grant),
        )
        .route(
            "/api/v1/staff/{id}/disable",
            post(crate::api::staff::disable),
        )
        .route("/api/v1/staff/{id}/enable", post(crate::api::staff::enable))
        .route(
            "/api/v1/staff/{id}/sessions",
            axum::routing::delete(crate::api::staff::revoke_sessions),
        )
        .route("/api/v1/roles", get(crate::api::roles::list))
        .route(
            "/api/v1/roles/{code}",
            axum::routing::put(crate::api::roles::save),
        )
        .route(
            "/api/v1/cases",
            get(crate::api::cases::list).post(crate::api::cases::create),
        )
        .route("/api/v1/window/cases", post(crate::api::cases::receive))
        .route("/api/v1/cases/{id}", get(crate::api::cases::show))
        .route(
            "/api/v1/cases/{id}/form",
            axum::routing::put(crate::api::cases::save_form),
        )
        .route(
            "/api/v1/cases/{id}/actions",
            post(crate::api::case_actions::act),
        )
        .route(
            "/api/v1/cases/{id}/materials/{key}",
            axum::routing::put(crate::api::case_materials::upload).layer(DefaultBodyLimit::max(
                usize::try_from(onetrip_domain::upload::MAX_UPLOAD_BYTES).unwrap_or(usize::MAX),
            )),
        )
        .route(
            "/api/v1/cases/{id}/materials/{key}/text",
            post(crate::api::case_materials::fill),
        )
        .route(
            "/api/v1/cases/{id}/materials/{key}/{revision}",
            get(crate::api::case_materials::download),
        )
        .route(
            "/api/v1/cases/{id}/notifications",
            get(crate::api::case_extras::notifications),
        )
        .route(
            "/api/v1/cases/{id}/trips",
            post(crate::api::case_extras::record_trip),
        )
        .route("/api/v1/tasks", get(crate::api::tasks::list))
        .route("/api/v1/bundles", get(crate::api::case_extras::bundles))
        .route(
            "/api/v1/status/{token}",
            get(crate::api::case_extras::public_status),
        )
        .route("/api/v1/messages", get(crate::api::case_extras::messages))
        .route(
            "/api/v1/stats/trips",
            get(crate::api::case_extras::trip_stats),
        )
        .route(
            "/api/v1/calendar",
            get(crate::api::case_extras::calendar).post(crate::api::case_extras::import_calendar),
        )
        .route("/api/v1/calendar/due", get(crate::api::case_extras::due))
        .route(
            "/api/v1/api-tokens",
            post(crate::api::case_extras::create_token),
        )
        .route(
            "/api/v1/api-tokens/{id}",
            axum::routing::delete(crate::api::case_extras::revoke_token),
        )
        // ---- hall queue, appointments, board feed (issue 5) ----
        .route(
            "/api/v1/halls/{centre}/{hall}/categories",
            get(crate::api::hall::categories),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/tickets",
            post(crate::api::hall::take),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/reception/tickets",
            post(crate::api::hall::reception),
        )
        .route("/api/v1/tickets/{token}", get(crate::api::hall::by_token))
        .route(
            "/api/v1/halls/{centre}/{hall}/counters",
            get(crate::api::hall::counters),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/counters/{number}",
            axum::routing::put(crate::api::hall::save_counter),
        )
        .route("/api/v1/counter", get(crate::api::hall::my_counter))
        .route(
            "/api/v1/counters/{id}/sign-in",
            post(crate::api::hall_window::sign_in),
        )
        .route(
            "/api/v1/counter/sign-out",
            post(crate::api::hall_window::sign_out),
        )
        .route(
            "/api/v1/counter/call-next",
            post(crate::api::hall_window::call_next),
        )
        .route(
            "/api/v1/counter/walk-in",
            post(crate::api::hall_window::walk_in),
        )
        .route(
            "/api/v1/hall-tickets/{id}/actions",
            post(crate::api::hall_window::act),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/slots",
            get(crate::api::hall_appointments::slots),
        )
        .route(
            "/api/v1/appointments",
            get(crate::api::hall_appointments::mine).post(crate::api::hall_appointments::book),
        )
        .route(
            "/api/v1/appointments/{id}",
            axum::routing::delete(crate::api::hall_appointments::cancel),
        )
        .route(
            "/api/v1/appointments/{id}/reschedule",
            post(crate::api::hall_appointments::reschedule),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/check-in",
            post(crate::api::hall_appointments::check_in),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/stats",
            get(crate::api::hall_reports::stats),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/stats.csv",
            get(crate::api::hall_reports::stats_csv),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/plan",
            get(crate::api::hall_reports::plan),
        )
        .route(
            "/api/v1/halls/{centre}/{hall}/events",
            get(crate::api::hall_reports::events),
        )
        .route(
            "/hall/{centre}/{hall}/board/events",
            get(crate::api::hall_reports::board_events),
        )
        // ---- once-only data sharing ----
        .route(
            "/api/v1/cases/{id}/evidence",
            get(crate::api::sharing::offers).post(crate::api::sharing::share),
        )
        .route(
            "/api/v1/cases/{id}/evidence/provenance",
            get(crate::api::sharing::provenance),
        )
        .route(
            "/api/v1/cases/{id}/evidence/{key}/unmask",
            post(crate::api::sharing::unmask),
        )
        .route("/api/v1/me/consents", get(crate::api::sharing::consents))
        .route(
            "/api/v1/me/consents/{id}",
            axum::routing::delete(crate::api::sharing::revoke_consent),
        )
        .route(
            "/api/v1/me/data-access",
            get(crate::api::sharing::data_access),
        )
        .route(
            "/api/v1/certificates/{no}/verify",
            get(crate::api::sharing::verify_certificate),
        )
        .route(
            "/api/v1/certificates/{no}/revoke",
            post(crate::api::sharing::revoke_certificate),
        )
        .route(
            "/api/v1/sharing/public-key",
            get(crate::api::sharing::public_key),
        )
        .route("/api/v1/sharing/import", post(crate::api::sharing::import))
        .route(
            "/api/v1/sharing/providers",
            post(crate::api::sharing::save_provider),
        )
        .route(
            "/api/v1/sharing/measures",
            get(crate::api::sharing::measures),
        )
        .route(
            "/api/v1/sharing/verify",
            get(crate::api::sharing::verify_logs),
        )
        .route(
            "/cases/{id}/evidence",
            get(crate::pages::sharing::case_evidence::page)
                .post(crate::pages::sharing::case_evidence::submit),
        )
        .route(
            "/me/data-tracker",
            get(crate::pages::sharing::tracker::page),
        )
        .route(
            "/verify/certificates",
            get(crate::pages::sharing::verify::form),
        )
        .route(
            "/verify/certificates/{no}",
            get(crate::pages::sharing::verify::page),
        )
        .route(
            "/workbench/cases/{id}/evidence",
            get(crate::pages::sharing::staff_evidence::page)
                .post(crate::pages::sharing::staff_evidence::unmask),
        )
        // ---- operations ----
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics));
    routes
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::ensure_csrf_cookie,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn(security::readable_errors))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn(observability::track))
        .with_state(state)
}
