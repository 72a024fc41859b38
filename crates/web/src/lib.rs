//! OneTrip web layer: axum routes, server-rendered pages, the JSON API and
//! its OpenAPI document. Every route is listed in [`router`].

pub mod api;
pub mod health;
pub mod i18n;
pub mod i18n_hall;
pub mod i18n_sharing;
pub mod observability;
pub mod openapi;
pub mod page;
pub mod pages;
pub mod problem;
pub mod provider_server;
pub mod router;
pub mod security;
pub mod session;
pub mod state;

pub use router::router;
pub use state::AppState;
