//! `onetrip jobs run-once`: one round of the background jobs, for cron or
//! for operators: the deadline job (deemed acceptance, warning levels,
//! escalation) and one outbox delivery round with the configured
//! transports. Both hold the same leases as the server's jobs, so running
//! it beside a server never does the work twice.

use std::process::ExitCode;

use clap::Subcommand;
use onetrip_app::App;
use onetrip_app::notifications::transports;

/// `onetrip jobs …`
#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run the deadline job and one outbox delivery round, print both reports as JSON.
    RunOnce {
        /// Most outbox rows to deliver in this round.
        #[arg(long, default_value_t = 200)]
        limit: i64,
    },
}

/// Runs a jobs command.
pub async fn run(app: &App, command: JobsCommand) -> anyhow::Result<ExitCode> {
    match command {
        JobsCommand::RunOnce { limit } => {
            let holder = format!("cli-{}", std::process::id());
            let deadlines = app
                .run_deadline_job(&holder)
                .await
                .map_err(crate::commands::app_err)?;
            let hall = app
                .run_hall_jobs()
                .await
                .map_err(crate::commands::app_err)?;
            let t = transports(&app.config.notify).map_err(crate::commands::app_err)?;
            let outbox = app
                .deliver_outbox(&t, &holder, limit)
                .await
                .map_err(crate::commands::app_err)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "deadlines": deadlines,
                    "outbox": outbox,
                    "hall": hall,
                }))?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
