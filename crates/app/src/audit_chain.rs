//! Anchoring and verifying the audit chain.
//!
//! The chain lives in the database, so anyone who can write to the database
//! could recompute it. Signed checkpoints kept outside the database (a
//! JSON-lines file, signed with an Ed25519 key that is also kept outside the
//! database) make such a rewrite, and a truncated tail, detectable.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use onetrip_domain::audit::{ChainProblem, ChainVerifier, Checkpoint};
use onetrip_store::Store;
use serde::Serialize;

use crate::error::{AppError, AppResult};

/// Holds the checkpoint signing key and where checkpoints go.
#[derive(Clone)]
pub struct AuditAnchor {
    key: SigningKey,
    checkpoint_file: PathBuf,
}

impl std::fmt::Debug for AuditAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditAnchor")
            .field(
                "public_key",
                &hex::encode(self.key.verifying_key().as_bytes()),
            )
            .field("checkpoint_file", &self.checkpoint_file)
            .finish()
    }
}

fn io_error(path: &Path, e: std::io::Error) -> AppError {
    AppError::Internal(format!("{}: {e}", path.display()))
}

impl AuditAnchor {
    /// Loads the signing key, creating it (mode 0600) when `create` is set and it is missing.
    pub fn open(key_file: &Path, checkpoint_file: &Path, create: bool) -> AppResult<Self> {
        let key = if key_file.exists() {
            let text = std::fs::read_to_string(key_file).map_err(|e| io_error(key_file, e))?;
            let bytes = hex::decode(text.trim()).map_err(|_| {
                AppError::Internal(format!("{}: not a hex Ed25519 seed", key_file.display()))
            })?;
            let seed: [u8; 32] = bytes.try_into().map_err(|_| {
                AppError::Internal(format!(
                    "{}: an Ed25519 seed has 32 bytes",
                    key_file.display()
                ))
            })?;
            SigningKey::from_bytes(&seed)
        } else if create {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| AppError::Internal(e.to_string()))?;
            if let Some(dir) = key_file.parent() {
                std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
            }
            write_private(key_file, &hex::encode(seed))?;
            SigningKey::from_bytes(&seed)
        } else {
            return Err(AppError::Internal(format!(
                "audit signing key {} does not exist",
                key_file.display()
            )));
        };
        Ok(Self {
            key,
            checkpoint_file: checkpoint_file.to_owned(),
        })
    }

    /// A secret for another purpose derived from the signing key, so that
    /// links signed with it stay valid across restarts without another key
    /// file: SHA-256 of the label and the seed.
    pub fn derive_secret(&self, label: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(label.as_bytes());
        h.update([0u8]);
        h.update(self.key.to_bytes());
        h.finalize().into()
    }

    /// The public key, hex.
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.key.verifying_key().as_bytes())
    }

    /// Signs the current head and appends it to the checkpoint file (fsynced),
    /// unless the last checkpoint already covers it. Returns the checkpoint.
    pub async fn checkpoint(
        &self,
        store: &dyn Store,
        at_micros: i64,
    ) -> AppResult<Option<Checkpoint>> {
        let (seq, hash) = store.audit_head().await?;
        if seq == 0 {
            return Ok(None);
        }
        let existing = read_checkpoints(&self.checkpoint_file)?;
        if existing.last().is_some_and(|c| c.seq >= seq) {
            return Ok(None);
        }
        let signature = self.key.sign(&Checkpoint::message(seq, &hash, at_micros));
        let cp = Checkpoint {
            seq,
            hash,
            at_micros,
            public_key: self.public_key_hex(),
            signature: hex::encode(signature.to_bytes()),
        };
        if let Some(dir) = self.checkpoint_file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.checkpoint_file)
            .map_err(|e| io_error(&self.checkpoint_file, e))?;
        let line = serde_json::to_string(&cp).map_err(|e| AppError::Internal(e.to_string()))?;
        writeln!(f, "{line}").map_err(|e| io_error(&self.checkpoint_file, e))?;
        f.sync_all()
            .map_err(|e| io_error(&self.checkpoint_file, e))?;
        Ok(Some(cp))
    }

    /// Verifies the whole chain and every checkpoint; see [`verify_chain`].
    pub async fn verify(&self, store: &dyn Store) -> AppResult<VerifyReport> {
        verify_chain(
            store,
            &read_checkpoints(&self.checkpoint_file)?,
            &self.key.verifying_key(),
        )
        .await
    }
}

fn write_private(path: &Path, content: &str) -> AppResult<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).map_err(|e| io_error(path, e))?;
    f.write_all(content.as_bytes())
        .map_err(|e| io_error(path, e))?;
    f.sync_all().map_err(|e| io_error(path, e))
}

/// Reads the checkpoint file; a missing file means no checkpoints yet.
pub fn read_checkpoints(path: &Path) -> AppResult<Vec<Checkpoint>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| AppError::Internal(format!("{} line {}: {e}", path.display(), i + 1)))
        })
        .collect()
}

/// The outcome of `verify-audit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Entries read.
    pub entries: i64,
    /// Checkpoints checked.
    pub checkpoints: usize,
    /// The first problem, if any.
    pub problem: Option<ChainProblem>,
}

impl VerifyReport {
    /// True when the chain and all checkpoints are intact.
    pub fn is_intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// Recomputes every entry's hash and link in order, then checks every
/// checkpoint's signature, that the entry it names has its hash, and that
/// no checkpoint lies beyond the end of the chain (a truncated tail).
pub async fn verify_chain(
    store: &dyn Store,
    checkpoints: &[Checkpoint],
    key: &VerifyingKey,
) -> AppResult<VerifyReport> {
    let mut report = VerifyReport {
        entries: 0,
        checkpoints: checkpoints.len(),
        problem: None,
    };
    for cp in checkpoints {
        let ok = hex::decode(&cp.signature)
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .is_some_and(|sig| {
                cp.public_key == hex::encode(key.as_bytes())
                    && key
                        .verify(&Checkpoint::message(cp.seq, &cp.hash, cp.at_micros), &sig)
                        .is_ok()
            });
        if !ok {
            report.problem = Some(ChainProblem::BadCheckpointSignature { seq: cp.seq });
            return Ok(report);
        }
    }
    let wanted: BTreeMap<i64, &str> = checkpoints
        .iter()
        .map(|c| (c.seq, c.hash.as_str()))
        .collect();
    let mut verifier = ChainVerifier::new();
    let mut after = 0;
    loop {
        let batch = store.audit_entries(after, 2000).await?;
        if batch.is_empty() {
            break;
        }
        for entry in &batch {
            if let Err(problem) = verifier.feed(entry) {
                report.problem = Some(problem);
                return Ok(report);
            }
            if let Some(hash) = wanted.get(&entry.seq)
                && *hash != entry.hash
            {
                report.problem = Some(ChainProblem::CheckpointMismatch { seq: entry.seq });
                return Ok(report);
            }
            report.entries += 1;
            after = entry.seq;
        }
    }
    if let Some((&last_cp, _)) = wanted.iter().next_back()
        && last_cp > verifier.last_seq()
    {
        report.problem = Some(ChainProblem::TruncatedTail {
            last_seq: verifier.last_seq(),
            checkpoint_seq: last_cp,
        });
    }
    Ok(report)
}
