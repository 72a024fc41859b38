//! Once-only data sharing (数据共享、免提交): use cases and their rules.
//!
//! - A checklist entry naming an evidence type can be fulfilled from the
//!   shared sources: the population registry, the legal-entity registry or
//!   the e-certificate library, or an external provider registered for
//!   that type (which then answers instead of the local copy).
//! - Where the item says consent is needed, nothing is fetched or used
//!   until the applicant consents; a refusal is recorded and the applicant
//!   uploads instead. Consent is revocable; revoking it on a draft makes the
//!   material unfulfilled again.
//! - Expired or revoked certificates and inactive entities are never used;
//!   the applicant is told why and uploads.
//! - Every use of personal data for a case, every staff view of shared
//!   evidence and every unmasked view writes an access-log row whose hash is
//!   kept in the audit chain. Reads by the holder themselves are not logged.
//! - Staff see masked values; the unmask permission (`data.unmask`) in the
//!   case's scope shows full values, and each such view is logged as
//!   unmasked.

pub mod provider;
pub mod verify;

use std::collections::BTreeMap;

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::Permission;
use onetrip_domain::case::ApplicationForm;
use onetrip_domain::evidence::{
    CertificateFacts, Evidence, EvidenceType, SharingDocument, SourceKind, Unavailable,
    entity_evidence, person_evidence, pick_certificate,
};
use onetrip_domain::identity::ApplicantIdentity;
use onetrip_domain::text::Text;
use onetrip_store::{
    AccessRecord, ApplicantRecord, CaseEvidenceRecord, CaseRecord, ConsentRecord, EvidenceUse,
    NewAccess, NewConsent, PartRecord, ProviderRecord, SharingImportSummary, SharingMeasures,
};
use serde::Serialize;
use serde_json::json;

use crate::App;
use crate::auth::Principal;
use crate::cases::access::{case_target, part_target};
use crate::error::{AppError, AppResult};

/// The legal basis recorded when evidence replaces an upload.
pub const LEGAL_BASIS: &str =
    "《优化营商环境条例》：能够通过政务信息共享获取的材料，不得要求申请人重复提供";
/// The legal basis of staff reading shared evidence of a case in their scope.
pub const STAFF_BASIS: &str = "《中华人民共和国行政许可法》：审查申请材料（本人职责范围内的办件）";

/// What can be done about one checklist entry that names evidence.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceOffer {
    /// Checklist key.
    pub key: String,
    /// Material name.
    pub name: Text,
    /// Evidence type code.
    pub evidence_type: String,
    /// Where it comes from.
    pub source: SourceKind,
    /// The external provider answering for it, if any.
    pub provider: Option<String>,
    /// Consent needed first.
    pub consent_required: bool,
    /// The consent decision in force, if any.
    pub consent: Option<ConsentRecord>,
    /// Already fulfilled: its provenance.
    pub fulfilled: Option<CaseEvidenceRecord>,
    /// Found evidence (masked fields are what is shown).
    pub preview: Option<Evidence>,
    /// Why it cannot be used, if so.
    pub unavailable: Option<Unavailable>,
}

/// What happened to one entry when the applicant asked to use shared data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ShareOutcome {
    /// Fulfilled now (免提交).
    Fulfilled {
        /// Key.
        key: String,
    },
    /// Was fulfilled before.
    AlreadyFulfilled {
        /// Key.
        key: String,
    },
    /// Waits for the applicant's consent.
    NeedsConsent {
        /// Key.
        key: String,
    },
    /// Not usable: the applicant uploads.
    Upload {
        /// Key.
        key: String,
        /// Why.
        unavailable: Unavailable,
    },
}

/// A row of the applicant's data tracker.
#[derive(Debug, Clone, Serialize)]
pub struct AccessView {
    /// The row.
    pub record: AccessRecord,
    /// Who, as shown (staff name, or “系统”).
    pub who: String,
}

/// A provider registration as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProviderForm {
    /// Name.
    pub name: String,
    /// Base URL.
    pub base_url: String,
    /// Hex public key.
    pub public_key: String,
    /// Evidence type codes.
    pub evidence_types: Vec<String>,
    /// Timeout (0 = configured default).
    #[serde(default)]
    pub timeout_ms: i64,
    /// Enabled.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl ProviderForm {
    /// Validates every field.
    pub fn validate(&self) -> Result<ProviderRecord, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let name = self.name.trim();
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            e.push(
                "name",
                "invalid",
                "名称为1–64位小写字母、数字或 - / 1–64 of a-z, 0-9, -",
            );
        }
        match url::Url::parse(self.base_url.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => e.push(
                "base_url",
                "invalid_url",
                "须为 http(s) 地址 / must be an http(s) URL",
            ),
        }
        if provider::parse_public_key(&self.public_key).is_none() {
            e.push(
                "public_key",
                "invalid_key",
                "须为64位十六进制 Ed25519 公钥 / a hex Ed25519 public key",
            );
        }
        if self.evidence_types.is_empty() {
            e.push(
                "evidence_types",
                "required",
                "至少一种证据类型 / at least one evidence type",
            );
        }
        for (i, t) in self.evidence_types.iter().enumerate() {
            e.check(&format!("evidence_types[{i}]"), EvidenceType::parse(t));
        }
        if self.timeout_ms != 0 && !(50..=30_000).contains(&self.timeout_ms) {
            e.push(
                "timeout_ms",
                "out_of_range",
                "超时须在50–30000毫秒之间 / 50–30000 ms",
            );
        }
        e.finish(ProviderRecord {
            name: name.to_owned(),
            base_url: self.base_url.trim().trim_end_matches('/').to_owned(),
            public_key: self.public_key.trim().to_lowercase(),
            evidence_types: self
                .evidence_types
                .iter()
                .map(|t| t.trim().to_owned())
                .collect(),
            timeout_ms: self.timeout_ms,
            enabled: self.enabled,
        })
    }
}

fn identifier(a: &ApplicantRecord) -> &str {
    a.identity.identifier()
}

impl App {
    fn sharing_admin(&self, who: &Principal) -> AppResult<()> {
        let staff = who.staff()?;
        if staff.has_anywhere(Permission::SharingManage) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "需要权限 {} / the {} permission is needed",
                Permission::SharingManage.as_str(),
                Permission::SharingManage.as_str()
            )))
        }
    }

    /// Imports a sharing document (staff with `sharing.manage`): validated
    /// as a whole, all or nothing, audited.
    pub async fn import_sharing(
        &self,
        who: &Principal,
        doc: &SharingDocument,
    ) -> AppResult<SharingImportSummary> {
        self.sharing_admin(who)?;
        self.import_sharing_as(&who.actor(), doc).await
    }

    /// Operator entry point (CLI, demo loader) for [`App::import_sharing`].
    pub async fn import_sharing_as(
        &self,
        actor: &str,
        doc: &SharingDocument,
    ) -> AppResult<SharingImportSummary> {
        doc.validate()?;
        Ok(self.store.import_sharing(&self.ctx(actor), doc).await?)
    }

    /// Connects or updates an external provider (`sharing.manage`).
    pub async fn save_provider(
        &self,
        who: &Principal,
        form: &ProviderForm,
    ) -> AppResult<ProviderRecord> {
        self.sharing_admin(who)?;
        self.save_provider_as(&who.actor(), form).await
    }

    /// Operator entry point for [`App::save_provider`].
    pub async fn save_provider_as(
        &self,
        actor: &str,
        form: &ProviderForm,
    ) -> AppResult<ProviderRecord> {
        let record = form.validate()?;
        self.store.save_provider(&self.ctx(actor), &record).await?;
        Ok(record)
    }

    /// Revokes a certificate of the library; revoking certifies, so it needs
    /// the core `certificate.issue` permission.
    pub async fn revoke_certificate(
        &self,
        who: &Principal,
        cert_no: &str,
        reason: &str,
    ) -> AppResult<()> {
        let staff = who.staff()?;
        if !staff.has_anywhere(Permission::CertificateIssue) {
            return Err(AppError::Forbidden(format!(
                "需要权限 {} / the {} permission is needed",
                Permission::CertificateIssue.as_str(),
                Permission::CertificateIssue.as_str()
            )));
        }
        Ok(self
            .store
            .revoke_certificate(&self.ctx(&who.actor()), cert_no, reason)
            .await?)
    }

    async fn provider_for(&self, t: &EvidenceType) -> AppResult<Option<ProviderRecord>> {
        let code = t.code();
        Ok(self
            .store
            .list_providers()
            .await?
            .into_iter()
            .find(|p| p.enabled && p.evidence_types.contains(&code)))
    }

    /// Looks evidence of the applicant up in the local sources.
    async fn local_evidence(
        &self,
        applicant: &ApplicantRecord,
        t: &EvidenceType,
    ) -> AppResult<Result<Evidence, Unavailable>> {
        Ok(match (t.source(), &applicant.identity) {
            (SourceKind::Population, ApplicantIdentity::NaturalPerson(id)) => {
                match self.store.population_record(id.as_str()).await? {
                    Some(p) => {
                        person_evidence(t, &p.record, "local").ok_or(Unavailable::NotApplicable)
                    }
                    None => Err(Unavailable::NotFound),
                }
            }
            (SourceKind::LegalEntity, ApplicantIdentity::LegalEntity(code)) => {
                match self.store.legal_entity(code.as_str()).await? {
                    Some(l) => entity_evidence(t, &l.record, "local"),
                    None => Err(Unavailable::NotFound),
                }
            }
            (SourceKind::CertificateLibrary, _) => {
                let certs = self.store.certificates_of(identifier(applicant)).await?;
                let facts: Vec<CertificateFacts<'_>> = certs
                    .iter()
                    .map(|c| CertificateFacts {
                        cert_no: &c.cert_no,
                        cert_type: &c.cert_type,
                        name: &c.name,
                        holder_name: &c.holder_name,
                        issuer_code: &c.issuer_code,
                        issued_on: c.issued_on,
                        valid_until: c.valid_until,
                        revoked: c.revoked,
                    })
                    .collect();
                pick_certificate(t, &facts, self.today(), "local")
            }
            _ => Err(Unavailable::NotApplicable),
        })
    }

    async fn applicant_case(
        &self,
        who: &Principal,
        case_id: i64,
    ) -> AppResult<(CaseRecord, Vec<PartRecord>, ApplicantRecord)> {
        let (case, parts) = self.case_head_for(who, case_id).await?;
        let applicant = self
            .store
            .applicant_by_id(case.applicant_id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("applicant {}", case.applicant_id)))?;
        Ok((case, parts, applicant))
    }

    /// The evidence offers of a case for its applicant: per entry naming
    /// evidence, whether it is fulfilled, the consent in force, and — from the
    /// local sources, for entries not waiting for consent — a preview or the
    /// reason it cannot be used. External providers are only asked when the
    /// applicant chooses to use shared data.
    pub async fn evidence_offers(
        &self,
        who: &Principal,
        case_id: i64,
    ) -> AppResult<Vec<EvidenceOffer>> {
        let (case, _, applicant) = self.applicant_case(who, case_id).await?;
        let fulfilled = self.store.case_evidence(case_id).await?;
        let consents: Vec<ConsentRecord> = self
            .store
            .consents_of(applicant.id)
            .await?
            .into_iter()
            .filter(|c| c.case_id == case_id && c.revoked_at.is_none())
            .collect();
        let mut out = Vec::new();
        for e in &case.checklist {
            let Some(spec) = &e.evidence else { continue };
            let Ok(t) = EvidenceType::parse(&spec.evidence_type) else {
                continue;
            };
            let provider = self.provider_for(&t).await?.map(|p| p.name);
            let consent = consents.iter().find(|c| c.material_key == e.key).cloned();
            let done = fulfilled.iter().find(|f| f.material_key == e.key).cloned();
            let refused = consent.as_ref().is_some_and(|c| c.decision == "refused");
            let (preview, unavailable) = if done.is_some() {
                (None, None)
            } else if refused {
                (None, Some(Unavailable::ConsentRefused))
            } else if provider.is_some() {
                (None, None)
            } else {
                match self.local_evidence(&applicant, &t).await? {
                    Ok(ev) => (Some(ev), None),
                    Err(u) => (None, Some(u)),
                }
            };
            out.push(EvidenceOffer {
                key: e.key.clone(),
                name: e.name.clone(),
                evidence_type: spec.evidence_type.clone(),
                source: t.source(),
                provider,
                consent_required: spec.consent_required,
                consent,
                fulfilled: done,
                preview,
                unavailable,
            });
        }
        Ok(out)
    }

    /// Uses shared evidence for the case's entries (the applicant on a draft,
    /// or a window helper with `case.receive` on a submitted window case):
    /// `consents` carries the applicant's decisions by checklist key. Entries
    /// needing consent without a decision wait; refused ones fall back to
    /// upload; the rest are looked up (or asked of their provider) and, when
    /// valid evidence exists, fulfilled without an upload.
    pub async fn share_evidence(
        &self,
        who: &Principal,
        case_id: i64,
        consents: &BTreeMap<String, bool>,
    ) -> AppResult<Vec<ShareOutcome>> {
        let (case, parts, applicant) = self.applicant_case(who, case_id).await?;
        let by_staff = match who {
            Principal::Applicant(a) if a.id == case.applicant_id => false,
            Principal::Staff(s) => {
                let target = case_target(&case, &parts);
                let ok = s.authorize(Permission::CaseReceive, &target).is_ok()
                    || parts.iter().any(|p| {
                        s.authorize(Permission::CaseReceive, &part_target(&case, p))
                            .is_ok()
                    });
                if !ok {
                    return Err(AppError::Forbidden(format!(
                        "需要权限 {} / the {} permission is needed",
                        Permission::CaseReceive.as_str(),
                        Permission::CaseReceive.as_str()
                    )));
                }
                true
            }
            Principal::Applicant(_) => return Err(AppError::NotFound(format!("case {case_id}"))),
        };
        let mut errors = ValidationErrors::new();
        for key in consents.keys() {
            if !case
                .checklist
                .iter()
                .any(|e| &e.key == key && e.evidence.is_some())
            {
                errors.push(
                    format!("consents.{key}"),
                    "not_shared",
                    "该材料不能通过数据共享获取 / this material cannot be obtained by data sharing",
                );
            }
        }
        errors.finish(())?;
        let ctx = self.ctx(&who.actor());
        let fulfilled = self.store.case_evidence(case_id).await?;
        let in_force: Vec<ConsentRecord> = self
            .store
            .consents_of(applicant.id)
            .await?
            .into_iter()
            .filter(|c| c.case_id == case_id && c.revoked_at.is_none())
            .collect();
        let mut out = Vec::new();
        for e in &case.checklist {
            let Some(spec) = &e.evidence else { continue };
            let Ok(t) = EvidenceType::parse(&spec.evidence_type) else {
                continue;
            };
            let key = e.key.clone();
            if fulfilled.iter().any(|f| f.material_key == key) {
                out.push(ShareOutcome::AlreadyFulfilled { key });
                continue;
            }
            let mut consent_id = None;
            if spec.consent_required {
                let decision = match consents.get(&key) {
                    Some(granted) => {
                        let c = self
                            .store
                            .record_consent(
                                &ctx,
                                &NewConsent {
                                    applicant_id: applicant.id,
                                    case_id,
                                    material_key: key.clone(),
                                    evidence_type: spec.evidence_type.clone(),
                                    granted: *granted,
                                },
                            )
                            .await?;
                        Some(c)
                    }
                    None => in_force.iter().find(|c| c.material_key == key).cloned(),
                };
                match decision {
                    None => {
                        out.push(ShareOutcome::NeedsConsent { key });
                        continue;
                    }
                    Some(c) if c.decision != "granted" => {
                        out.push(ShareOutcome::Upload {
                            key,
                            unavailable: Unavailable::ConsentRefused,
                        });
                        continue;
                    }
                    Some(c) => consent_id = Some(c.id),
                }
            }
            let (result, message_seq) = match self.provider_for(&t).await? {
                Some(p) => {
                    let answer = self
                        .ask_provider(
                            &p,
                            case_id,
                            &case.case_no,
                            identifier(&applicant),
                            &t,
                            "办件材料免提交 / once-only evidence",
                        )
                        .await?;
                    (answer.result, answer.message_seq)
                }
                None => (self.local_evidence(&applicant, &t).await?, None),
            };
            match result {
                Ok(evidence) => {
                    let access = NewAccess {
                        holder: identifier(&applicant).to_owned(),
                        case_id: Some(case_id),
                        case_no: case.case_no.clone(),
                        purpose: format!("办件材料免提交：{}", e.name.zh),
                        legal_basis: if consent_id.is_some() {
                            format!("{LEGAL_BASIS}；申请人授权同意")
                        } else {
                            LEGAL_BASIS.to_owned()
                        },
                        data: format!("{} {}", t.source().label("zh"), t.code()),
                        unmasked: false,
                    };
                    self.store
                        .use_evidence(
                            &ctx,
                            &EvidenceUse {
                                case_id,
                                material_key: key.clone(),
                                evidence,
                                consent_id,
                                message_seq,
                                by_staff,
                            },
                            &access,
                        )
                        .await?;
                    out.push(ShareOutcome::Fulfilled { key });
                }
                Err(unavailable) => out.push(ShareOutcome::Upload { key, unavailable }),
            }
        }
        Ok(out)
    }

    /// The applicant's consents, newest first.
    pub async fn my_consents(&self, who: &Principal) -> AppResult<Vec<ConsentRecord>> {
        let Principal::Applicant(a) = who else {
            return Err(AppError::Forbidden("仅限申请人 / applicants only".into()));
        };
        Ok(self.store.consents_of(a.id).await?)
    }

    /// Revokes one of the applicant's consents.
    pub async fn revoke_consent(
        &self,
        who: &Principal,
        consent_id: i64,
    ) -> AppResult<ConsentRecord> {
        let Principal::Applicant(a) = who else {
            return Err(AppError::Forbidden("仅限申请人 / applicants only".into()));
        };
        Ok(self
            .store
            .revoke_consent(&self.ctx(&who.actor()), a.id, consent_id)
            .await?)
    }

    /// Provenance of the case's shared materials. Applicants see their own;
    /// staff who may see the case get masked values, and the view is logged.
    pub async fn case_evidence_for(
        &self,
        who: &Principal,
        case_id: i64,
    ) -> AppResult<Vec<CaseEvidenceRecord>> {
        let (case, _, applicant) = self.applicant_case(who, case_id).await?;
        let mut records = self.store.case_evidence(case_id).await?;
        if let Principal::Staff(_) = who {
            if !records.is_empty() {
                self.store
                    .record_access(
                        &self.ctx(&who.actor()),
                        &NewAccess {
                            holder: identifier(&applicant).to_owned(),
                            case_id: Some(case_id),
                            case_no: case.case_no.clone(),
                            purpose: "查看共享材料来源（脱敏） / view shared evidence (masked)"
                                .into(),
                            legal_basis: STAFF_BASIS.into(),
                            data: records
                                .iter()
                                .map(|r| r.evidence_type.as_str())
                                .collect::<Vec<_>>()
                                .join(","),
                            unmasked: false,
                        },
                    )
                    .await?;
            }
            for r in &mut records {
                for f in &mut r.fields {
                    f.value = f.masked.clone();
                }
                r.reference = onetrip_domain::evidence::mask_identifier(&r.reference);
            }
        }
        Ok(records)
    }

    /// Full values of one shared material for staff holding `data.unmask` in
    /// the case's scope; the view is logged as unmasked (and audited).
    /// Without the permission the refusal is audited and 403 returned.
    pub async fn unmask_case_evidence(
        &self,
        who: &Principal,
        case_id: i64,
        key: &str,
        reason: &str,
    ) -> AppResult<CaseEvidenceRecord> {
        let staff = who.staff()?;
        let (case, parts, applicant) = self.applicant_case(who, case_id).await?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(AppError::Invalid(ValidationErrors::single(
                "reason",
                "required",
                "请说明查看完整信息的理由（不超过200字） / give the reason (at most 200 characters)",
            )));
        }
        let allowed = staff
            .authorize(Permission::DataUnmask, &case_target(&case, &parts))
            .is_ok()
            || parts.iter().any(|p| {
                staff
                    .authorize(Permission::DataUnmask, &part_target(&case, p))
                    .is_ok()
            });
        if !allowed {
            self.store
                .record_event(
                    &self.ctx(&who.actor()),
                    "data.unmask_forbidden",
                    &format!("case:{}", case.case_no),
                    &json!({ "material": key }),
                )
                .await?;
            return Err(AppError::Forbidden(format!(
                "需要权限 {} / the {} permission is needed",
                Permission::DataUnmask.as_str(),
                Permission::DataUnmask.as_str()
            )));
        }
        let record = self
            .store
            .case_evidence(case_id)
            .await?
            .into_iter()
            .find(|r| r.material_key == key)
            .ok_or_else(|| AppError::NotFound(format!("evidence {key}")))?;
        self.store
            .record_access(
                &self.ctx(&who.actor()),
                &NewAccess {
                    holder: identifier(&applicant).to_owned(),
                    case_id: Some(case_id),
                    case_no: case.case_no.clone(),
                    purpose: format!("查看完整信息 / unmasked view: {reason}"),
                    legal_basis: STAFF_BASIS.into(),
                    data: record.evidence_type.clone(),
                    unmasked: true,
                },
            )
            .await?;
        Ok(record)
    }

    /// The applicant's data tracker: every logged read of their data.
    pub async fn data_tracker(&self, who: &Principal, limit: i64) -> AppResult<Vec<AccessView>> {
        let Principal::Applicant(a) = who else {
            return Err(AppError::Forbidden("仅限申请人 / applicants only".into()));
        };
        let rows = self
            .store
            .access_log_for(identifier(a), limit.clamp(1, 1000))
            .await?;
        let mut out = Vec::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for r in rows {
            let who = if let Some(n) = names.get(&r.actor) {
                n.clone()
            } else {
                let n = match r
                    .actor
                    .strip_prefix("staff:")
                    .and_then(|id| id.parse::<i64>().ok())
                {
                    Some(id) => match self.store.staff_by_id(id).await? {
                        Some(s) => format!("工作人员 {}", s.display_name),
                        None => r.actor.clone(),
                    },
                    None if r.actor.starts_with("applicant:") => "本人 / yourself".to_owned(),
                    None => "系统 / system".to_owned(),
                };
                names.insert(r.actor.clone(), n.clone());
                n
            };
            out.push(AccessView { record: r, who });
        }
        Ok(out)
    }

    /// A form prefilled from the registries for the applicant (the holder's
    /// own read, not logged): name and address of a person, legal
    /// representative and address of an entity; the mobile from the account.
    pub async fn prefill_form(&self, who: &Principal) -> AppResult<ApplicationForm> {
        let Principal::Applicant(a) = who else {
            return Ok(ApplicationForm::default());
        };
        let mut form = ApplicationForm {
            contact_name: a.name.clone(),
            contact_phone: a.mobile.clone(),
            ..ApplicationForm::default()
        };
        match &a.identity {
            ApplicantIdentity::NaturalPerson(id) => {
                if let Some(p) = self.store.population_record(id.as_str()).await? {
                    form.contact_name = p.record.name;
                    form.contact_address = p.record.address;
                }
            }
            ApplicantIdentity::LegalEntity(code) => {
                if let Some(l) = self.store.legal_entity(code.as_str()).await? {
                    form.contact_name = l.record.legal_representative;
                    form.contact_address = l.record.address;
                }
            }
        }
        Ok(form)
    }

    /// Sharing figures per case and per item (`supervision.view`).
    pub async fn sharing_measures(&self, who: &Principal) -> AppResult<SharingMeasures> {
        let staff = who.staff()?;
        if !staff.has_anywhere(Permission::SupervisionView) {
            return Err(AppError::Forbidden(format!(
                "需要权限 {} / the {} permission is needed",
                Permission::SupervisionView.as_str(),
                Permission::SupervisionView.as_str()
            )));
        }
        Ok(self.store.sharing_measures().await?)
    }
}
