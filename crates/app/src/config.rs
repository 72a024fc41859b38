//! Configuration: built-in defaults, then an optional `onetrip.toml` (or the
//! file named by `ONETRIP_CONFIG`), then `ONETRIP_*` environment variables.
//!
//! Environment variables name a section and a key separated by the first
//! underscore: `ONETRIP_DATABASE_URL` sets `database.url`,
//! `ONETRIP_SECURITY_SESSION_TTL_HOURS` sets `security.session_ttl_hours`.
//! A secret may be read from a file: `database.url_file` (or
//! `ONETRIP_DATABASE_URL_FILE`) replaces `database.url` with the file's
//! trimmed content. Bad configuration fails at start with a message naming
//! the key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Sections accepted in the file and the environment.
const SECTIONS: &[&str] = &[
    "server", "database", "storage", "audit", "security", "notify", "jobs", "hall", "sharing",
];

/// The whole effective configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// HTTP server.
    pub server: ServerConfig,
    /// Database.
    pub database: DatabaseConfig,
    /// Stored files and backups.
    pub storage: StorageConfig,
    /// Audit chain anchoring.
    pub audit: AuditConfig,
    /// Sessions, login throttling, request limits.
    pub security: SecurityConfig,
    /// Outgoing e-mail and SMS.
    pub notify: NotifyConfig,
    /// Background jobs.
    pub jobs: JobsConfig,
    /// The service hall's queue rules and live board.
    #[serde(default)]
    pub hall: HallConfig,
    /// Once-only data sharing.
    #[serde(default)]
    pub sharing: SharingConfig,
}

/// `[hall]`: queue rules (see `onetrip_domain::hall`), appointment
/// reminders and the live board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HallConfig {
    /// Head start of a checked-in appointment, minutes.
    pub appointment_head_start_minutes: i64,
    /// Head start of the green channel, minutes.
    pub green_head_start_minutes: i64,
    /// Priority calls in a row after which an ordinary ticket goes next.
    pub max_priority_streak: u32,
    /// A ticket waiting this long is called before all others, minutes.
    pub aging_minutes: i64,
    /// Tickets ahead at which the holder is told their turn is near.
    pub near_position: i64,
    /// Hours before a slot when the reminder is sent.
    pub reminder_hours: i64,
    /// How often a board reads the event table when no wake-up arrives
    /// (SQLite has no notifications; on PostgreSQL this is a safety net), ms.
    pub board_poll_ms: u64,
}

impl Default for HallConfig {
    fn default() -> Self {
        let rules = onetrip_domain::hall::QueueRules::default();
        Self {
            appointment_head_start_minutes: rules.appointment_head_start_minutes,
            green_head_start_minutes: rules.green_head_start_minutes,
            max_priority_streak: rules.max_priority_streak,
            aging_minutes: rules.aging_minutes,
            near_position: rules.near_position,
            reminder_hours: 24,
            board_poll_ms: 1000,
        }
    }
}

impl HallConfig {
    /// The queue rules.
    pub fn rules(&self) -> onetrip_domain::hall::QueueRules {
        onetrip_domain::hall::QueueRules {
            appointment_head_start_minutes: self.appointment_head_start_minutes,
            green_head_start_minutes: self.green_head_start_minutes,
            max_priority_streak: self.max_priority_streak,
            aging_minutes: self.aging_minutes,
            near_position: self.near_position,
        }
    }
}

/// `[sharing]`: how OneTrip calls external registries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SharingConfig {
    /// The consumer name OneTrip signs provider requests with.
    pub consumer: String,
    /// Timeout of one provider request when the provider names none; kept
    /// short so a slow registry never holds up an applicant.
    pub provider_timeout_ms: u64,
}

impl Default for SharingConfig {
    fn default() -> Self {
        Self {
            consumer: "onetrip".to_owned(),
            provider_timeout_ms: 2000,
        }
    }
}

/// `[notify]`: where e-mail and SMS go. An empty host or URL turns the
/// channel off; its outbox rows then fail permanently with a clear reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    /// SMTP relay host ('' = no e-mail).
    pub smtp_host: String,
    /// SMTP port.
    pub smtp_port: u16,
    /// Sender, for example `OneTrip 政务服务 <noreply@onetrip.local>`.
    pub smtp_from: String,
    /// SMTP user ('' = no AUTH).
    pub smtp_username: String,
    /// SMTP password.
    pub smtp_password: String,
    /// SMS gateway endpoint ('' = no SMS).
    pub sms_url: String,
    /// Bearer token for the SMS gateway.
    pub sms_token: String,
    /// SMS signature.
    pub sms_sign: String,
    /// Timeout of one delivery attempt, milliseconds.
    pub timeout_ms: u64,
}

/// `[jobs]`: background work while serving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsConfig {
    /// Seconds between outbox delivery rounds.
    pub outbox_interval_secs: u64,
    /// Seconds between deadline rounds (deemed acceptance, warnings, escalation).
    pub deadline_interval_secs: u64,
    /// Seconds between hall rounds (reminders, missed appointments, closing the day).
    #[serde(default = "default_hall_interval")]
    pub hall_interval_secs: u64,
}

fn default_hall_interval() -> u64 {
    60
}

/// `[server]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on.
    pub bind: String,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Public base URL, used in links sent to applicants and in QR codes.
    pub public_url: String,
}

/// `[database]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://path?mode=rwc` (default) or `postgres://…`.
    pub url: String,
    /// Read `url` from this file instead (a secret kept outside the config).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_file: Option<PathBuf>,
    /// Connection pool size.
    pub max_connections: u32,
}

/// `[storage]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// Directory for uploaded files and other state kept beside the database.
    pub data_dir: PathBuf,
}

/// `[audit]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Ed25519 signing key for checkpoints (hex seed). Kept outside the
    /// database; created on first start when missing.
    pub signing_key_file: PathBuf,
    /// Where signed checkpoints are appended (outside the database).
    pub checkpoint_file: PathBuf,
    /// Seconds between automatic checkpoints while serving.
    pub checkpoint_interval_secs: u64,
}

/// `[security]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfig {
    /// Absolute lifetime of a session.
    pub session_ttl_hours: u32,
    /// Mark cookies `Secure` (turn on behind HTTPS).
    pub cookie_secure: bool,
    /// Failed logins within the window before the login name is locked.
    pub login_max_failures: u32,
    /// Window for counting failures, in seconds.
    pub login_window_secs: u32,
    /// How long a locked login name stays locked, in seconds.
    pub login_lock_secs: u32,
}

impl Default for Config {
    fn default() -> Self {
        let data_dir = PathBuf::from("data");
        Self {
            server: ServerConfig {
                bind: "127.0.0.1:8080".to_owned(),
                max_body_bytes: 2 * 1024 * 1024,
                public_url: "http://127.0.0.1:8080".to_owned(),
            },
            database: DatabaseConfig {
                url: "sqlite://data/onetrip.db?mode=rwc".to_owned(),
                url_file: None,
                max_connections: 8,
            },
            audit: AuditConfig {
                signing_key_file: PathBuf::from("keys/audit-signing.key"),
                checkpoint_file: data_dir.join("audit-checkpoints.jsonl"),
                checkpoint_interval_secs: 60,
            },
            storage: StorageConfig { data_dir },
            security: SecurityConfig {
                session_ttl_hours: 8,
                cookie_secure: false,
                login_max_failures: 5,
                login_window_secs: 900,
                login_lock_secs: 900,
            },
            notify: NotifyConfig {
                smtp_host: String::new(),
                smtp_port: 25,
                smtp_from: "OneTrip 政务服务 <noreply@onetrip.local>".to_owned(),
                smtp_username: String::new(),
                smtp_password: String::new(),
                sms_url: String::new(),
                sms_token: String::new(),
                sms_sign: "【一网通办】".to_owned(),
                timeout_ms: 5000,
            },
            jobs: JobsConfig {
                outbox_interval_secs: 5,
                deadline_interval_secs: 300,
                hall_interval_secs: 60,
            },
            hall: HallConfig::default(),
            sharing: SharingConfig::default(),
        }
    }
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error)]
#[error("configuration error at `{key}`: {message}")]
pub struct ConfigError {
    /// The dotted key, for example `database.url`.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

fn config_error(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.to_owned(),
        message: message.into(),
    }
}

impl Config {
    /// Loads defaults, then `file` (or `ONETRIP_CONFIG`, or `./onetrip.toml`
    /// when present), then the environment; resolves secret files; validates.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let env_file = std::env::var_os("ONETRIP_CONFIG").map(PathBuf::from);
        let file = file.map(Path::to_path_buf).or(env_file);
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match &file {
            Some(path) if !path.exists() => {
                return Err(config_error(
                    "ONETRIP_CONFIG",
                    format!("file {} does not exist", path.display()),
                ));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("onetrip.toml").exists() => {
                figment = figment.merge(Toml::file_exact("onetrip.toml"))
            }
            None => {}
        }
        figment = figment.merge(
            Env::prefixed("ONETRIP_")
                .filter(|k| {
                    let k = k.as_str().to_ascii_lowercase();
                    SECTIONS
                        .iter()
                        .any(|s| k.strip_prefix(s).is_some_and(|rest| rest.starts_with('_')))
                })
                .map(|k| {
                    let k = k.as_str().to_ascii_lowercase();
                    match k.split_once('_') {
                        Some((section, key)) => format!("{section}.{key}").into(),
                        None => k.into(),
                    }
                }),
        );
        let mut config: Config = figment.extract().map_err(|e| {
            let key = if e.path.is_empty() {
                "(root)".to_owned()
            } else {
                e.path.join(".")
            };
            config_error(&key, e.kind.to_string())
        })?;
        if let Some(path) = &config.database.url_file {
            let url = std::fs::read_to_string(path).map_err(|e| {
                config_error(
                    "database.url_file",
                    format!("cannot read {}: {e}", path.display()),
                )
            })?;
            config.database.url = url.trim().to_owned();
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.server.bind.parse::<SocketAddr>().map_err(|e| {
            config_error(
                "server.bind",
                format!(
                    "{:?} is not an address like 127.0.0.1:8080: {e}",
                    self.server.bind
                ),
            )
        })?;
        if self.server.max_body_bytes < 1024 {
            return Err(config_error(
                "server.max_body_bytes",
                "must be at least 1024",
            ));
        }
        let url = &self.database.url;
        let known = url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://");
        if !known {
            return Err(config_error(
                "database.url",
                "must start with sqlite:, postgres:// or postgresql://",
            ));
        }
        if url.starts_with("postgres") && url::Url::parse(url).is_err() {
            return Err(config_error(
                "database.url",
                "is not a valid PostgreSQL URL",
            ));
        }
        if !(50..=30_000).contains(&self.sharing.provider_timeout_ms) {
            return Err(config_error(
                "sharing.provider_timeout_ms",
                "must be between 50 and 30000",
            ));
        }
        if self.database.max_connections == 0 {
            return Err(config_error(
                "database.max_connections",
                "must be at least 1",
            ));
        }
        if self.security.session_ttl_hours == 0 {
            return Err(config_error(
                "security.session_ttl_hours",
                "must be at least 1",
            ));
        }
        if self.security.login_max_failures == 0 {
            return Err(config_error(
                "security.login_max_failures",
                "must be at least 1",
            ));
        }
        if !self.server.public_url.starts_with("http://")
            && !self.server.public_url.starts_with("https://")
        {
            return Err(config_error(
                "server.public_url",
                "must start with http:// or https://",
            ));
        }
        if self.jobs.outbox_interval_secs == 0
            || self.jobs.deadline_interval_secs == 0
            || self.jobs.hall_interval_secs == 0
        {
            return Err(config_error("jobs", "intervals must be at least 1 second"));
        }
        let h = &self.hall;
        if h.appointment_head_start_minutes < 0
            || h.green_head_start_minutes < 0
            || h.aging_minutes < 1
            || h.near_position < 1
            || h.reminder_hours < 1
            || h.board_poll_ms < 50
        {
            return Err(config_error(
                "hall",
                "head starts must be ≥ 0; aging_minutes, near_position, reminder_hours ≥ 1; board_poll_ms ≥ 50",
            ));
        }
        if self.audit.checkpoint_interval_secs == 0 {
            return Err(config_error(
                "audit.checkpoint_interval_secs",
                "must be at least 1",
            ));
        }
        Ok(())
    }

    /// The configuration as TOML with secrets redacted (`check-config`).
    pub fn redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database.url = redact_url(&self.database.url);
        for secret in [&mut shown.notify.smtp_password, &mut shown.notify.sms_token] {
            if !secret.is_empty() {
                *secret = "***".to_owned();
            }
        }
        toml::to_string_pretty(&shown)
            .unwrap_or_else(|e| format!("# cannot render configuration: {e}"))
    }
}

/// Replaces a URL's password with `***`.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            if u.set_password(Some("***")).is_ok() {
                u.to_string()
            } else {
                "***".to_owned()
            }
        }
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/onetrip"),
            "postgres://app:***@db:5432/onetrip"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().unwrap();
    }
}
