//! `onetrip`: the one binary of OneTrip.

mod bench;
mod bench_cases;
mod bench_hall;
mod calendar_cmd;
mod commands;
mod jobs_cmd;
mod serve;
mod sharing_cmd;
mod tokens_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// OneTrip (一趟办) integrated government service platform.
#[derive(Debug, Parser)]
#[command(name = "onetrip", version, about)]
struct Cli {
    /// Configuration file (default: ./onetrip.toml when present, or $ONETRIP_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal, the staff pages and the API.
    Serve,
    /// Serve with demo data loaded into a fresh embedded database and print the demo accounts.
    Demo {
        /// Directory for the demo's database, files and keys (wiped at start).
        #[arg(long, default_value = "onetrip-demo")]
        dir: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Apply database migrations.
    Migrate,
    /// Staff accounts.
    #[command(subcommand)]
    User(commands::UserCommand),
    /// Catalogue import and export.
    #[command(subcommand)]
    Catalogue(commands::CatalogueCommand),
    /// Verify the audit chain and its signed checkpoints.
    VerifyAudit,
    /// Write a signed checkpoint of the audit chain now.
    AuditCheckpoint,
    /// Write a consistent backup into an empty directory (works while the server runs).
    Backup {
        /// Target directory (empty or absent).
        dir: PathBuf,
    },
    /// Restore a backup into an empty database and data directory.
    Restore {
        /// Backup directory.
        dir: PathBuf,
    },
    /// Print the effective configuration with secrets redacted.
    CheckConfig,
    /// The working-day calendar: import a year's holiday notice, show a year.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
    /// API tokens for departments' own systems.
    #[command(subcommand)]
    ApiToken(tokens_cmd::TokenCommand),
    /// Once-only data sharing: import registries and certificates, connect providers, verify logs.
    #[command(subcommand)]
    Sharing(sharing_cmd::SharingCommand),
    /// Serve a department registry as a signed external provider.
    #[command(subcommand)]
    Provider(sharing_cmd::ProviderCommand),
    /// Run the background jobs once.
    #[command(subcommand)]
    Jobs(jobs_cmd::JobsCommand),
    /// Benchmarks: catalogue search latency and HTTP throughput, or (`bench cases`) case throughput.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ONETRIP_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.config.as_deref(), cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
