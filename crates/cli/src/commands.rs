//! The subcommands other than `serve` and `bench`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use onetrip_app::admin::StaffForm;
use onetrip_app::{App, Config, SystemClock};
use onetrip_domain::access::Scope;
use onetrip_domain::catalogue::CatalogueDocument;
use onetrip_domain::region::RegionCode;

use crate::Command;

/// `onetrip user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account, optionally granting one role.
    Add {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// civil_servant, public_institution or contractor.
        #[arg(long)]
        employment: String,
        /// File holding the password (default: read one line from standard input).
        #[arg(long)]
        password_file: Option<std::path::PathBuf>,
        /// Role to grant.
        #[arg(long)]
        role: Option<String>,
        /// Region code of the grant's scope.
        #[arg(long, default_value = "420000")]
        region: String,
        /// Department code of the scope.
        #[arg(long)]
        department: Option<String>,
        /// Service-centre code of the scope.
        #[arg(long)]
        centre: Option<String>,
    },
    /// List staff accounts.
    List,
}

/// `onetrip catalogue …`
#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Import a catalogue document (all or nothing).
    Import {
        /// JSON file in the onetrip-catalogue/1 format.
        file: std::path::PathBuf,
    },
    /// Export the catalogue (every version) as JSON.
    Export {
        /// Output file (default: standard output).
        file: Option<std::path::PathBuf>,
    },
}

async fn open(config: Config) -> anyhow::Result<Arc<App>> {
    let app = App::open(config, Arc::new(SystemClock))
        .await
        .map_err(|e| anyhow!("{e}"))?;
    Ok(Arc::new(app))
}

/// An application error as a readable message (every field of a validation error).
pub(crate) fn app_err(e: onetrip_app::AppError) -> anyhow::Error {
    match e {
        onetrip_app::AppError::Invalid(v) => anyhow!("invalid input:\n{v}"),
        other => anyhow!("{other}"),
    }
}

/// Prints how many cases are in each state, in lifecycle order.
async fn print_case_counts(app: &App) -> anyhow::Result<()> {
    let counts = app.store.case_counts().await.map_err(|e| anyhow!("{e}"))?;
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    println!("Demo cases ({total}) by state:");
    for status in onetrip_domain::case::CaseStatus::ALL {
        let n = counts
            .iter()
            .find(|(s, _)| s == status.as_str())
            .map_or(0, |(_, n)| *n);
        println!(
            "  {:<22} {:<10} {n:>4}",
            status.as_str(),
            status.label("zh")
        );
    }
    Ok(())
}

/// Runs one command.
pub async fn run(config_file: Option<&Path>, command: Command) -> anyhow::Result<ExitCode> {
    let mut config = Config::load(config_file).map_err(|e| anyhow!("{e}"))?;
    match command {
        Command::CheckConfig => {
            print!("{}", config.redacted_toml());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve => {
            let app = open(config).await?;
            let bind = app.config.server.bind.clone();
            crate::serve::serve(app, &bind).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { dir, bind } => {
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .with_context(|| format!("cannot clear {}", dir.display()))?;
            }
            std::fs::create_dir_all(&dir)?;
            config.database.url = format!("sqlite://{}/onetrip.db?mode=rwc", dir.display());
            config.storage.data_dir = dir.join("data");
            config.audit.signing_key_file = dir.join("keys/audit-signing.key");
            config.audit.checkpoint_file = dir.join("data/audit-checkpoints.jsonl");
            config.server.bind = bind;
            config.validate().map_err(|e| anyhow!("{e}"))?;
            let app = open(config).await?;
            let accounts = app.load_demo_with_cases().await.map_err(app_err)?;
            println!(
                "OneTrip demo data loaded ({} published items). Demo accounts:",
                app.search.len()
            );
            for a in &accounts {
                println!("  {:<28} {:<20} {}", a.role, a.login, a.password);
            }
            print_case_counts(&app).await?;
            let bind = app.config.server.bind.clone();
            crate::serve::serve(app, &bind).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let app = open(config).await?;
            println!("migrations applied ({:?})", app.store.engine());
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Add {
            username,
            name,
            employment,
            password_file,
            role,
            region,
            department,
            centre,
        }) => {
            let password = match password_file {
                Some(f) => std::fs::read_to_string(&f)
                    .with_context(|| format!("cannot read {}", f.display()))?,
                None => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line
                }
            };
            let app = open(config).await?;
            app.install_builtin_roles().await.map_err(app_err)?;
            // Refuse before creating anything: the account and its grant land together or not at all.
            if let Some(role) = &role {
                let roles = app.store.list_roles().await.map_err(|e| anyhow!("{e}"))?;
                let found = roles
                    .iter()
                    .find(|r| &r.code == role)
                    .ok_or_else(|| anyhow!("--role: unknown role {role}"))?;
                let employment_type = onetrip_domain::access::EmploymentType::parse(&employment)
                    .map_err(|e| anyhow!("--employment: {e}"))?;
                onetrip_domain::access::check_grant(employment_type, &found.permissions)
                    .map_err(|e| anyhow!("{e}"))?;
            }
            let form = StaffForm {
                username,
                display_name: name,
                employment_type: employment,
                password: password.trim_end().to_owned(),
            };
            let staff = app.create_staff_as("cli", &form).await.map_err(app_err)?;
            if let Some(role) = role {
                let scope = Scope {
                    region: RegionCode::parse(&region).map_err(|e| anyhow!("--region: {e}"))?,
                    department,
                    centre,
                };
                app.grant_role_as("cli", staff.id, &role, &scope)
                    .await
                    .map_err(app_err)?;
            }
            println!("created staff #{} {}", staff.id, staff.username);
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::List) => {
            let app = open(config).await?;
            for s in app.store.list_staff().await.map_err(|e| anyhow!("{e}"))? {
                println!(
                    "{:>5} {:<20} {:<20} {:<18} {}",
                    s.id,
                    s.username,
                    s.display_name,
                    s.employment.as_str(),
                    if s.disabled { "disabled" } else { "" }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalogue(CatalogueCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let doc: CatalogueDocument = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a catalogue document", file.display()))?;
            let app = open(config).await?;
            let summary = app
                .import_catalogue_as("cli", &doc)
                .await
                .map_err(app_err)?;
            println!("{}", serde_json::to_string_pretty(&summary)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalogue(CatalogueCommand::Export { file }) => {
            let app = open(config).await?;
            let doc = app
                .store
                .export_catalogue(&app.ctx("cli"))
                .await
                .map_err(|e| anyhow!("{e}"))?;
            let text = serde_json::to_string_pretty(&doc)?;
            match file {
                Some(f) => std::fs::write(&f, text)
                    .with_context(|| format!("cannot write {}", f.display()))?,
                None => println!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyAudit => {
            let app = open(config).await?;
            let report = app.verify_audit().await.map_err(app_err)?;
            match &report.problem {
                None => {
                    println!(
                        "audit chain intact: {} entries, {} signed checkpoints verified",
                        report.entries, report.checkpoints
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some(problem) => {
                    println!("AUDIT CHAIN BROKEN: {}", problem.describe());
                    println!("{}", serde_json::to_string(problem)?);
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::AuditCheckpoint => {
            let app = open(config).await?;
            match app.checkpoint_audit().await.map_err(app_err)? {
                Some(cp) => println!("checkpoint written at #{} {}", cp.seq, cp.hash),
                None => println!("the last checkpoint already covers the head"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { dir } => {
            let app = open(config).await?;
            let m = app.backup(&dir).await.map_err(app_err)?;
            println!(
                "backup written to {} ({} files, audit head #{})",
                dir.display(),
                m.files.len(),
                m.audit_seq
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { dir } => {
            let app = App::open_for_restore(config, Arc::new(SystemClock))
                .await
                .map_err(|e| anyhow!("{e}"))?;
            let m = app.restore(&dir).await.map_err(app_err)?;
            let report = app.verify_audit().await.map_err(app_err)?;
            println!(
                "restored backup of {} (audit head #{}); audit chain {}",
                m.engine,
                m.audit_seq,
                if report.is_intact() {
                    "intact"
                } else {
                    "BROKEN"
                }
            );
            Ok(if report.is_intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Calendar(c) => crate::calendar_cmd::run(&*open(config).await?, c).await,
        Command::ApiToken(c) => crate::tokens_cmd::run(&*open(config).await?, c).await,
        Command::Jobs(c) => crate::jobs_cmd::run(&*open(config).await?, c).await,
        Command::Sharing(c) => crate::sharing_cmd::run(&*open(config).await?, c).await,
        Command::Provider(c) => crate::sharing_cmd::run_provider(c).await,
        Command::Bench(args) => {
            crate::bench::run(args).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
