//! OneTrip application layer: use cases and their authorisation, written
//! against the domain and the store trait only.

pub mod admin;
pub mod applicants;
pub mod audit_chain;
pub mod auth;
pub mod backup;
pub mod cases;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod demo;
pub mod demo_cases;
pub mod demo_hall;
pub mod error;
pub mod hall;
pub mod notifications;
pub mod passwords;
pub mod roles;
pub mod search;
pub mod sharing;

use std::sync::Arc;

use onetrip_store::{Ctx, Store};

pub use crate::audit_chain::{AuditAnchor, VerifyReport};
pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use crate::config::Config;
pub use crate::error::{AppError, AppResult};
use crate::search::SearchService;

/// Everything a request or a command needs.
#[derive(Debug)]
pub struct App {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Effective configuration.
    pub config: Config,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Catalogue search.
    pub search: SearchService,
    /// Audit checkpoint signing.
    pub anchor: AuditAnchor,
    /// Wake-ups of the hall boards.
    pub hall_feed: hall::live::HallFeed,
}

impl App {
    /// Connects to the configured database, applies migrations, opens (or
    /// creates) the audit signing key and builds the search index.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> AppResult<Self> {
        let store = Self::connect(&config).await?;
        Self::with_store(config, clock, store).await
    }

    /// Connects to the configured database, creating a SQLite file's directory.
    async fn connect(config: &Config) -> AppResult<Arc<dyn Store>> {
        if let Some(path) = config.database.url.strip_prefix("sqlite://")
            && let Some(parent) =
                std::path::Path::new(path.split('?').next().unwrap_or(path)).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)
                .map_err(|e| AppError::Internal(format!("{}: {e}", parent.display())))?;
        }
        Ok(onetrip_store::connect(&config.database.url, config.database.max_connections).await?)
    }

    /// Opens the application for restoring a backup into an empty
    /// database: like [`App::open`] but without storing the built-in holiday
    /// notices, since a restore accepts only an empty database and brings
    /// its own calendar.
    pub async fn open_for_restore(config: Config, clock: Arc<dyn Clock>) -> AppResult<Self> {
        let store = Self::connect(&config).await?;
        Self::assemble(config, clock, store).await
    }

    /// Like [`App::open`] on an already connected store.
    pub async fn with_store(
        config: Config,
        clock: Arc<dyn Clock>,
        store: Arc<dyn Store>,
    ) -> AppResult<Self> {
        let app = Self::assemble(config, clock, store).await?;
        app.seed_calendar().await?;
        Ok(app)
    }

    async fn assemble(
        config: Config,
        clock: Arc<dyn Clock>,
        store: Arc<dyn Store>,
    ) -> AppResult<Self> {
        store.migrate().await?;
        let anchor = AuditAnchor::open(
            &config.audit.signing_key_file,
            &config.audit.checkpoint_file,
            true,
        )?;
        let search = SearchService::build(store.as_ref()).await?;
        Ok(Self {
            store,
            config,
            clock,
            search,
            anchor,
            hall_feed: hall::live::HallFeed::new(),
        })
    }

    /// Now, from the injected clock.
    pub fn now(&self) -> i64 {
        self.clock.now_micros()
    }

    /// Today's date in Beijing time (UTC+8), from the injected clock.
    pub fn today(&self) -> time::Date {
        let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.now()) * 1000)
            .map(|t| t.to_offset(offset).date())
            .unwrap_or(time::Date::MIN)
    }

    /// A store context for `actor` at the current time.
    pub fn ctx(&self, actor: &str) -> Ctx {
        Ctx::new(actor, self.now())
    }

    /// Verifies the audit chain against the signed checkpoints.
    pub async fn verify_audit(&self) -> AppResult<VerifyReport> {
        self.anchor.verify(self.store.as_ref()).await
    }

    /// Writes a signed checkpoint of the current audit head.
    pub async fn checkpoint_audit(&self) -> AppResult<Option<onetrip_domain::audit::Checkpoint>> {
        self.anchor
            .checkpoint(self.store.as_ref(), self.now())
            .await
    }
}
