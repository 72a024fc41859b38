//! `onetrip api-token …`: tokens that let a department's own system act as
//! one staff account through the API. The token is printed once and only
//! its hash is stored; the account's grants and the negative list apply
//! to everything done with it.

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Subcommand;
use onetrip_app::App;
use onetrip_store::StaffRecord;

/// `onetrip api-token …`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token for a staff account and print it (shown only this once).
    Create {
        /// Login name of the staff account the token acts as.
        #[arg(long)]
        staff: String,
        /// What the token is for (for example the department system's name).
        #[arg(long)]
        name: String,
        /// Days until it expires (1 to 366).
        #[arg(long, default_value_t = 90)]
        days: u32,
    },
    /// List a staff account's tokens (never the tokens themselves).
    List {
        /// Login name of the staff account.
        #[arg(long)]
        staff: String,
    },
}

async fn staff(app: &App, username: &str) -> anyhow::Result<StaffRecord> {
    app.store
        .staff_by_username(username)
        .await
        .map_err(|e| anyhow!("{e}"))?
        .ok_or_else(|| anyhow!("--staff: no staff account {username}"))
}

fn when(micros: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(micros / 1_000_000)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

/// Runs an api-token command.
pub async fn run(app: &App, command: TokenCommand) -> anyhow::Result<ExitCode> {
    match command {
        TokenCommand::Create {
            staff: who,
            name,
            days,
        } => {
            let s = staff(app, &who).await?;
            let (record, token) = app
                .create_api_token_as("cli", s.id, &name, days)
                .await
                .map_err(crate::commands::app_err)?;
            println!(
                "token #{} \"{}\" for {} expires {} — copy it now, it is not shown again:",
                record.id,
                record.name,
                s.username,
                when(record.expires_at)
            );
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::List { staff: who } => {
            let s = staff(app, &who).await?;
            let tokens = app
                .store
                .api_tokens_of(s.id)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            if tokens.is_empty() {
                println!("{} has no API tokens", s.username);
            }
            for t in tokens {
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {}", when(at)),
                    None if t.expires_at <= app.now() => "expired".to_owned(),
                    None => "live".to_owned(),
                };
                println!(
                    "{:>5}  {:<30}  created {}  expires {}  {state}",
                    t.id,
                    t.name,
                    when(t.created_at),
                    when(t.expires_at)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
