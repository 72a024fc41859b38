//! First-party static assets, compiled into the binary.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

/// The stylesheet.
pub const APP_CSS: &str = include_str!("../../static/app.css");

/// `GET /static/app.css`.
pub async fn app_css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_CSS,
    )
}

/// The display board's script.
pub const BOARD_JS: &str = include_str!("../../static/board.js");

/// `GET /static/board.js`.
pub async fn board_js() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        BOARD_JS,
    )
}
