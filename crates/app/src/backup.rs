//! `onetrip backup DIR` and `onetrip restore DIR`.
//!
//! A backup is a directory holding `database.json` (a logical snapshot of
//! every table taken in one read transaction, so it is consistent while the
//! server keeps writing), `files/` (a copy of the stored files, which are
//! content-addressed and never modified), `audit-checkpoints.jsonl` (the
//! signed checkpoints) and `manifest.json` listing every file with its
//! SHA-256. Because the snapshot is logical, a backup taken on one engine
//! restores onto either.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::App;
use crate::audit_chain::read_checkpoints;
use crate::error::{AppError, AppResult};

/// Identifies the backup format.
pub const BACKUP_FORMAT: &str = "onetrip-backup/1";

/// The manifest of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Must be [`BACKUP_FORMAT`].
    pub format: String,
    /// When the backup was taken (microseconds).
    pub created_at_micros: i64,
    /// Engine it was taken from.
    pub engine: String,
    /// Audit head at the time of the snapshot.
    pub audit_seq: i64,
    /// Hash of that entry.
    pub audit_hash: String,
    /// Every file in the backup except the manifest.
    pub files: Vec<ManifestFile>,
}

/// One file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Path relative to the backup directory, with `/` separators.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

fn io(path: &Path, e: std::io::Error) -> AppError {
    AppError::Internal(format!("{}: {e}", path.display()))
}

fn sha256_file(path: &Path) -> AppResult<(u64, String)> {
    let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
    Ok((bytes.len() as u64, hex::encode(Sha256::digest(&bytes))))
}

fn write_synced(path: &Path, bytes: &[u8]) -> AppResult<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path).map_err(|e| io(path, e))?;
    f.write_all(bytes).map_err(|e| io(path, e))?;
    f.sync_all().map_err(|e| io(path, e))
}

/// Files below `root`, relative, sorted.
fn files_below(root: &Path) -> AppResult<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !root.exists() {
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| io(&dir, e))? {
            let entry = entry.map_err(|e| io(&dir, e))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_empty_dir(dir: &Path) -> AppResult<bool> {
    if !dir.exists() {
        return Ok(true);
    }
    Ok(std::fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .next()
        .is_none())
}

fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

impl App {
    /// The directory holding stored files.
    pub fn files_dir(&self) -> PathBuf {
        self.config.storage.data_dir.join("files")
    }

    /// Writes a backup into `dir`, which must be empty or absent.
    pub async fn backup(&self, dir: &Path) -> AppResult<Manifest> {
        if !is_empty_dir(dir)? {
            return Err(AppError::Conflict(format!(
                "备份目录不为空 / backup directory {} is not empty",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        // Anchor the chain first so the backup carries a checkpoint of its head.
        self.anchor
            .checkpoint(self.store.as_ref(), self.now())
            .await?;
        let snapshot = self.store.snapshot().await?;
        let head = snapshot
            .tables
            .iter()
            .find(|t| t.name == "audit_head")
            .and_then(|t| t.rows.first())
            .map(|r| {
                (
                    r.get(1).and_then(serde_json::Value::as_i64).unwrap_or(0),
                    r.get(2).and_then(|v| v.as_str()).unwrap_or("").to_owned(),
                )
            })
            .unwrap_or_default();
        let db_json =
            serde_json::to_vec(&snapshot).map_err(|e| AppError::Internal(e.to_string()))?;
        write_synced(&dir.join("database.json"), &db_json)?;
        let source = self.files_dir();
        for rel in files_below(&source)? {
            let to = dir.join("files").join(&rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            std::fs::copy(source.join(&rel), &to).map_err(|e| io(&to, e))?;
        }
        // Only checkpoints the snapshot contains: a server may checkpoint entries
        // written after the snapshot was taken.
        let mut lines = String::new();
        for cp in read_checkpoints(&self.config.audit.checkpoint_file)?
            .into_iter()
            .filter(|c| c.seq <= head.0)
        {
            lines.push_str(
                &serde_json::to_string(&cp).map_err(|e| AppError::Internal(e.to_string()))?,
            );
            lines.push('\n');
        }
        write_synced(&dir.join("audit-checkpoints.jsonl"), lines.as_bytes())?;
        let mut files = Vec::new();
        for rel in files_below(dir)? {
            let (bytes, sha256) = sha256_file(&dir.join(&rel))?;
            files.push(ManifestFile {
                path: rel_string(&rel),
                bytes,
                sha256,
            });
        }
        let manifest = Manifest {
            format: BACKUP_FORMAT.to_owned(),
            created_at_micros: self.now(),
            engine: format!("{:?}", self.store.engine()).to_lowercase(),
            audit_seq: head.0,
            audit_hash: head.1,
            files,
        };
        let text =
            serde_json::to_vec_pretty(&manifest).map_err(|e| AppError::Internal(e.to_string()))?;
        write_synced(&dir.join("manifest.json"), &text)?;
        self.store
            .record_event(
                &self.ctx("cli"),
                "backup.create",
                "backup",
                &serde_json::json!({ "dir": dir.display().to_string(), "audit_seq": manifest.audit_seq }),
            )
            .await?;
        Ok(manifest)
    }

    /// Restores the backup in `dir` into this (empty, migrated) database and
    /// data directory, after checking every file against the manifest.
    pub async fn restore(&self, dir: &Path) -> AppResult<Manifest> {
        let manifest_path = dir.join("manifest.json");
        let text = std::fs::read(&manifest_path).map_err(|e| io(&manifest_path, e))?;
        let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
            AppError::Conflict(format!(
                "manifest.json is not a OneTrip backup manifest: {e}"
            ))
        })?;
        if manifest.format != BACKUP_FORMAT {
            return Err(AppError::Conflict(format!(
                "unsupported backup format {}",
                manifest.format
            )));
        }
        for f in &manifest.files {
            let path = dir.join(&f.path);
            let (bytes, sha256) = sha256_file(&path)?;
            if bytes != f.bytes || sha256 != f.sha256 {
                return Err(AppError::Conflict(format!(
                    "备份文件 {} 校验失败 / checksum mismatch in {}",
                    f.path, f.path
                )));
            }
        }
        if !is_empty_dir(&self.files_dir())? {
            return Err(AppError::Conflict(format!(
                "文件目录不为空 / the files directory {} is not empty",
                self.files_dir().display()
            )));
        }
        let db = dir.join("database.json");
        let bytes = std::fs::read(&db).map_err(|e| io(&db, e))?;
        let snapshot = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::Conflict(format!("database.json: {e}")))?;
        self.store.restore_snapshot(&snapshot).await?;
        for f in manifest
            .files
            .iter()
            .filter(|f| f.path.starts_with("files/"))
        {
            let to = self.config.storage.data_dir.join(&f.path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            std::fs::copy(dir.join(&f.path), &to).map_err(|e| io(&to, e))?;
        }
        let cp = dir.join("audit-checkpoints.jsonl");
        let target = &self.config.audit.checkpoint_file;
        if cp.exists() && !target.exists() {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            std::fs::copy(&cp, target).map_err(|e| io(target, e))?;
        }
        self.search.rebuild(self.store.as_ref()).await?;
        Ok(manifest)
    }
}
