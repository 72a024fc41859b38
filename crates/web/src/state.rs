//! Shared request state.

use std::sync::Arc;

use onetrip_app::App;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The application.
    pub app: Arc<App>,
}

impl AppState {
    /// Wraps an application.
    pub fn new(app: Arc<App>) -> Self {
        Self { app }
    }
}
