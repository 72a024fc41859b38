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
    let _ = IMPORT_BODY_LIMIT;
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
        .route("/static/app.css", get(pages::static_files::app_css))
        // ---- admin pages ----
        // ---- JSON API ----
        .route("/api/openapi.json", get(openapi::document))
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
