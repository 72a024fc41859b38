//! `onetrip sharing …` (import registry data and certificates, connect a
//! provider, verify the message and access logs) and `onetrip provider
//! serve` (a department registry answering signed requests over HTTP).
//!
//! Rules: an import is checked as a whole and every bad field is reported
//! (exit 1, nothing stored); a provider signs every answer with its own key
//! (created, mode 0600, when missing) and answers only consumers whose
//! public keys it was given; `verify` exits 2 when either log fails.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use ed25519_dalek::SigningKey;
use onetrip_app::App;
use onetrip_app::sharing::ProviderForm;
use onetrip_app::sharing::provider::parse_public_key;
use onetrip_domain::evidence::SharingDocument;
use onetrip_web::provider_server::{ProviderState, provider_router};

use crate::commands::app_err;

/// `onetrip sharing …`
#[derive(Debug, Subcommand)]
pub enum SharingCommand {
    /// Import population records, legal entities and certificates (onetrip-sharing/1; all or nothing).
    Import {
        /// The document.
        file: PathBuf,
    },
    /// Connect (or update) an external provider.
    AddProvider {
        /// Name, for example hubei-population.
        #[arg(long)]
        name: String,
        /// Base URL (requests go to URL/v1/evidence).
        #[arg(long)]
        url: String,
        /// The provider's hex Ed25519 public key.
        #[arg(long)]
        public_key: String,
        /// Evidence type it answers for (repeat).
        #[arg(long = "evidence", required = true)]
        evidence_types: Vec<String>,
        /// Timeout in milliseconds (default: sharing.provider_timeout_ms).
        #[arg(long, default_value_t = 0)]
        timeout_ms: i64,
    },
    /// Print OneTrip's sharing public key (give it to providers).
    PublicKey,
    /// Verify the provider message log and the access log.
    Verify,
}

/// `onetrip provider …`
#[derive(Debug, Subcommand)]
pub enum ProviderCommand {
    /// Serve a registry as an external provider.
    Serve {
        /// Provider name put into answers.
        #[arg(long)]
        name: String,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9090")]
        bind: String,
        /// The provider's signing key (hex seed; created when missing).
        #[arg(long)]
        key_file: PathBuf,
        /// The records served (onetrip-sharing/1).
        #[arg(long)]
        data: PathBuf,
        /// A consumer allowed to ask: NAME=HEX_PUBLIC_KEY (repeat).
        #[arg(long = "consumer", required = true)]
        consumers: Vec<String>,
    },
}

fn read_doc(file: &PathBuf) -> anyhow::Result<SharingDocument> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| anyhow!("{}: not an onetrip-sharing/1 document: {e}", file.display()))
}

/// Runs `onetrip sharing …`.
pub async fn run(app: &App, command: SharingCommand) -> anyhow::Result<ExitCode> {
    match command {
        SharingCommand::Import { file } => {
            let doc = read_doc(&file)?;
            let s = app.import_sharing_as("cli", &doc).await.map_err(app_err)?;
            println!(
                "imported {} persons, {} legal entities, {} certificates",
                s.population, s.legal_entities, s.certificates
            );
            Ok(ExitCode::SUCCESS)
        }
        SharingCommand::AddProvider {
            name,
            url,
            public_key,
            evidence_types,
            timeout_ms,
        } => {
            let form = ProviderForm {
                name,
                base_url: url,
                public_key,
                evidence_types,
                timeout_ms,
                enabled: true,
            };
            let p = app.save_provider_as("cli", &form).await.map_err(app_err)?;
            println!("provider {} connected at {}", p.name, p.base_url);
            Ok(ExitCode::SUCCESS)
        }
        SharingCommand::PublicKey => {
            println!("{}", app.sharing_public_key_hex());
            Ok(ExitCode::SUCCESS)
        }
        SharingCommand::Verify => {
            let messages = app.verify_message_log().await.map_err(app_err)?;
            let access = app.verify_access_log().await.map_err(app_err)?;
            println!(
                "message log: {} entries, {} problems",
                messages.entries,
                messages.problems.len()
            );
            for p in &messages.problems {
                println!("  message {}: {}", p.at, p.problem);
            }
            println!(
                "access log: {} rows, {} problems",
                access.entries,
                access.problems.len()
            );
            for p in &access.problems {
                println!("  access {}: {}", p.at, p.problem);
            }
            Ok(if messages.is_intact() && access.is_intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
    }
}

fn load_or_create_key(path: &PathBuf) -> anyhow::Result<SigningKey> {
    if path.exists() {
        let text = std::fs::read_to_string(path)?;
        let seed: [u8; 32] = hex_seed(text.trim())
            .ok_or_else(|| anyhow!("{}: not a hex Ed25519 seed", path.display()))?;
        return Ok(SigningKey::from_bytes(&seed));
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow!("{e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(path, hex)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(SigningKey::from_bytes(&seed))
}

fn hex_seed(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Runs `onetrip provider …`.
pub async fn run_provider(command: ProviderCommand) -> anyhow::Result<ExitCode> {
    let ProviderCommand::Serve {
        name,
        bind,
        key_file,
        data,
        consumers,
    } = command;
    let key = load_or_create_key(&key_file)?;
    let data = read_doc(&data)?;
    data.validate()
        .map_err(|e| anyhow!("invalid input:\n{e}"))?;
    let mut known = Vec::new();
    for c in consumers {
        let (n, k) = c
            .split_once('=')
            .ok_or_else(|| anyhow!("--consumer takes NAME=HEX_PUBLIC_KEY"))?;
        let k = parse_public_key(k)
            .ok_or_else(|| anyhow!("--consumer {n}: not a hex Ed25519 public key"))?;
        known.push((n.to_owned(), k));
    }
    let public: String = key
        .verifying_key()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let state = Arc::new(ProviderState {
        name: name.clone(),
        key,
        consumers: known,
        data,
    });
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    println!("provider {name} listening on http://{bind} (public key {public})");
    axum::serve(listener, provider_router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(ExitCode::SUCCESS)
}
