//! Materials: uploads kept by content and forms filled on the page.
//!
//! Rules: an upload is at most [`MAX_UPLOAD_BYTES`] (the web layer stops
//! reading beyond it); its type is decided by its magic bytes, never by its
//! name or the client's claim; it is stored once under its SHA-256 in the
//! data directory (`files/ab/abcd…`), written to a temporary file, synced
//! and renamed, so a crash never leaves half a file under a real name; and
//! it is only ever served as a download. Who may add a material is who may
//! answer a correction: the applicant, or window staff on their behalf.

use std::io::Write as _;
use std::path::PathBuf;

use onetrip_domain::ValidationErrors;
use onetrip_domain::case::{CaseAction, MaterialKind};
use onetrip_domain::upload::{
    FileKind, MAX_UPLOAD_BYTES, clean_file_name, is_sha256_hex, sha256_hex, sniff,
};
use onetrip_store::{CaseActor, MaterialRecord, NewMaterial};

use crate::App;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};

/// A file in the content-addressed store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// SHA-256, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Sniffed kind.
    pub kind: FileKind,
}

fn io(e: std::io::Error) -> AppError {
    AppError::Internal(format!("file store: {e}"))
}

impl App {
    /// Where the file with this hash lives.
    pub fn file_path(&self, sha256: &str) -> AppResult<PathBuf> {
        if !is_sha256_hex(sha256) {
            return Err(AppError::NotFound("file".into()));
        }
        Ok(self.files_dir().join(&sha256[..2]).join(sha256))
    }

    /// Checks and stores a file by content; storing the same bytes twice
    /// keeps one copy.
    pub async fn store_file(&self, bytes: Vec<u8>, file_name: &str) -> AppResult<StoredFile> {
        if bytes.len() as u64 > MAX_UPLOAD_BYTES {
            return Err(AppError::Invalid(ValidationErrors::single(
                "file",
                "too_large",
                "文件不能超过10MB / files are at most 10 MB",
            )));
        }
        let kind = sniff(&bytes, file_name)?;
        let sha256 = sha256_hex(&bytes);
        let path = self.file_path(&sha256)?;
        let size = bytes.len() as u64;
        tokio::task::spawn_blocking(move || -> AppResult<()> {
            if path.exists() {
                return Ok(());
            }
            let dir = path
                .parent()
                .ok_or_else(|| AppError::Internal("file path".into()))?;
            std::fs::create_dir_all(dir).map_err(io)?;
            let tmp = dir.join(format!(
                ".{}.tmp",
                path.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("upload")
            ));
            let mut f = std::fs::File::create(&tmp).map_err(io)?;
            f.write_all(&bytes).map_err(io)?;
            f.sync_all().map_err(io)?;
            std::fs::rename(&tmp, &path).map_err(io)?;
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
        Ok(StoredFile { sha256, size, kind })
    }

    /// Who may add a material: whoever may answer a correction.
    async fn material_actor(&self, who: &Principal, case_id: i64) -> AppResult<CaseActor> {
        let (case, parts) = self.case_head_for(who, case_id).await?;
        self.authorize_case_action(who, CaseAction::Resubmit, &case, &parts, None)
            .await
    }

    async fn provide(
        &self,
        who: &Principal,
        case_id: i64,
        material: NewMaterial,
    ) -> AppResult<MaterialRecord> {
        let actor = self.material_actor(who, case_id).await?;
        self.provide_as(who, case_id, actor, material).await
    }

    async fn provide_as(
        &self,
        who: &Principal,
        case_id: i64,
        actor: CaseActor,
        material: NewMaterial,
    ) -> AppResult<MaterialRecord> {
        Ok(self
            .store
            .provide_material(&self.ctx(&who.actor()), case_id, actor, &material)
            .await?)
    }

    /// Uploads a file as a material of the case.
    pub async fn upload_material(
        &self,
        who: &Principal,
        case_id: i64,
        key: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> AppResult<MaterialRecord> {
        let name = clean_file_name(file_name)?;
        // Refuse before storing anything when the caller may not add it.
        let actor = self.material_actor(who, case_id).await?;
        let stored = self.store_file(bytes, &name).await?;
        self.provide_as(
            who,
            case_id,
            actor,
            NewMaterial {
                material_key: key.to_owned(),
                kind: MaterialKind::Upload,
                file_sha256: Some(stored.sha256),
                file_name: Some(name),
                content_type: Some(stored.kind.mime().to_owned()),
                size_bytes: i64::try_from(stored.size).ok(),
                form_text: None,
            },
        )
        .await
    }

    /// Provides a material as a form filled on the page.
    pub async fn fill_material(
        &self,
        who: &Principal,
        case_id: i64,
        key: &str,
        text: &str,
    ) -> AppResult<MaterialRecord> {
        let t = text.trim();
        if t.is_empty() || t.chars().count() > 5000 {
            return Err(AppError::Invalid(ValidationErrors::single(
                "text",
                "required",
                "请填写内容（不超过5000字） / fill in the form (at most 5000 characters)",
            )));
        }
        self.provide(
            who,
            case_id,
            NewMaterial {
                material_key: key.to_owned(),
                kind: MaterialKind::Filled,
                file_sha256: None,
                file_name: None,
                content_type: None,
                size_bytes: None,
                form_text: Some(t.to_owned()),
            },
        )
        .await
    }

    /// Records that window staff checked a paper original.
    pub async fn check_paper_material(
        &self,
        who: &Principal,
        case_id: i64,
        key: &str,
    ) -> AppResult<MaterialRecord> {
        who.staff()?;
        self.provide(
            who,
            case_id,
            NewMaterial {
                material_key: key.to_owned(),
                kind: MaterialKind::Paper,
                file_sha256: None,
                file_name: None,
                content_type: None,
                size_bytes: None,
                form_text: None,
            },
        )
        .await
    }

    /// One version of an uploaded material with its bytes, for download by
    /// whoever may see the case.
    pub async fn material_file(
        &self,
        who: &Principal,
        case_id: i64,
        key: &str,
        revision: i64,
    ) -> AppResult<(MaterialRecord, Vec<u8>)> {
        let detail = self.case_for(who, case_id).await?;
        let m = detail
            .materials
            .into_iter()
            .find(|m| m.material_key == key && m.revision == revision)
            .ok_or_else(|| AppError::NotFound("material".into()))?;
        let sha = m
            .file_sha256
            .clone()
            .ok_or_else(|| AppError::NotFound("file".into()))?;
        let path = self.file_path(&sha)?;
        let bytes = tokio::fs::read(&path).await.map_err(io)?;
        if sha256_hex(&bytes) != sha {
            return Err(AppError::Internal(format!("stored file {sha} is damaged")));
        }
        Ok((m, bytes))
    }
}
