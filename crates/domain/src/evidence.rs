//! Once-only data sharing (数据共享, 免提交): evidence types a catalogue
//! material can name, the shared sources that hold evidence (the population
//! registry, the legal-entity registry and the e-certificate library), the
//! import document for them, the certificate verification payload and the
//! signed provider protocol with its message-log hashing.
//!
//! Business rules stated here:
//! - only *valid* evidence is ever used: a certificate that is revoked, or
//!   past its validity at the day of use, is never offered or used; a legal
//!   entity that is cancelled or revoked offers no registration evidence;
//! - identifiers are validated by their check characters before anything
//!   is stored;
//! - a provider exchange is signed on the exact bytes sent, and the message
//!   log links every entry to the previous one by SHA-256.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

use crate::ValidationErrors;
use crate::catalogue::code_enum;
use crate::identity::{CreditCode, ResidentIdNumber, mask_name};
use crate::text::Text;

/// The format name of a sharing import document.
pub const SHARING_FORMAT: &str = "onetrip-sharing/1";

/// What kind of evidence a catalogue material can be fulfilled with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceType {
    /// 居民身份信息 (population registry): the applicant's identity.
    PopulationIdentity,
    /// 户籍信息 (population registry): the household registration.
    PopulationHousehold,
    /// 企业登记信息 / 营业执照 (legal-entity registry).
    EntityRegistration,
    /// 法定代表人身份信息 (legal-entity registry + population registry).
    EntityLegalRepresentative,
    /// An e-certificate of this type (电子证照库), for example
    /// `certificate.real_estate`. A certificate issued by a OneTrip case has
    /// the code of the item that issued it as its type.
    Certificate(String),
}

/// Where evidence of a type is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// 人口库.
    Population,
    /// 法人库.
    LegalEntity,
    /// 电子证照库.
    CertificateLibrary,
}

impl SourceKind {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Population => "population",
            Self::LegalEntity => "legal_entity",
            Self::CertificateLibrary => "certificate_library",
        }
    }

    /// Label.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang == "en") {
            (Self::Population, false) => "人口基础信息库",
            (Self::Population, true) => "Population registry",
            (Self::LegalEntity, false) => "法人单位基础信息库",
            (Self::LegalEntity, true) => "Legal-entity registry",
            (Self::CertificateLibrary, false) => "电子证照库",
            (Self::CertificateLibrary, true) => "E-certificate library",
        }
    }
}

impl EvidenceType {
    /// Parses a stable code (`population.identity`, `certificate.<type>`…).
    pub fn parse(s: &str) -> Result<Self, ValidationErrors> {
        let t = s.trim();
        Ok(match t {
            "population.identity" => Self::PopulationIdentity,
            "population.household" => Self::PopulationHousehold,
            "entity.registration" => Self::EntityRegistration,
            "entity.legal_representative" => Self::EntityLegalRepresentative,
            other => match other.strip_prefix("certificate.") {
                Some(code) if valid_type_code(code) => Self::Certificate(code.to_owned()),
                _ => {
                    return Err(ValidationErrors::single(
                        "",
                        "unknown_evidence_type",
                        format!(
                            "未知的证据类型“{t}”（population.identity、population.household、entity.registration、entity.legal_representative 或 certificate.<类型>） / unknown evidence type"
                        ),
                    ));
                }
            },
        })
    }

    /// The stable code.
    pub fn code(&self) -> String {
        match self {
            Self::PopulationIdentity => "population.identity".into(),
            Self::PopulationHousehold => "population.household".into(),
            Self::EntityRegistration => "entity.registration".into(),
            Self::EntityLegalRepresentative => "entity.legal_representative".into(),
            Self::Certificate(c) => format!("certificate.{c}"),
        }
    }

    /// The source holding this evidence.
    pub fn source(&self) -> SourceKind {
        match self {
            Self::PopulationIdentity | Self::PopulationHousehold => SourceKind::Population,
            Self::EntityRegistration | Self::EntityLegalRepresentative => SourceKind::LegalEntity,
            Self::Certificate(_) => SourceKind::CertificateLibrary,
        }
    }
}

/// A certificate type code: 1–64 of `a-z`, `0-9`, `_`, `-`.
fn valid_type_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// How a catalogue material is fulfilled from shared sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceSpec {
    /// The evidence type code, see [`EvidenceType::parse`].
    #[serde(rename = "type")]
    pub evidence_type: String,
    /// True when the applicant must consent before the evidence is used
    /// (the item says so); without consent the applicant uploads instead.
    #[serde(default)]
    pub consent_required: bool,
}

code_enum! {
    /// The registration status of a legal entity.
    EntityStatus {
        /// 存续（在营、开业、在册）
        Active = "active", "存续", "Active";
        /// 吊销
        Revoked = "revoked", "吊销", "Licence revoked";
        /// 注销
        Cancelled = "cancelled", "注销", "Deregistered";
    }
}

code_enum! {
    /// The status of a certificate as shown to users. `expired` is derived
    /// from the validity date at the day asked; revocation is stored.
    CertificateStatus {
        /// 有效
        Valid = "valid", "有效", "Valid";
        /// 已过期
        Expired = "expired", "已过期", "Expired";
        /// 已注销/吊销
        Revoked = "revoked", "已注销", "Revoked";
    }
}

/// The status of a certificate on `today`: revoked wins; then a validity
/// date before `today` makes it expired.
pub fn certificate_status(
    revoked: bool,
    valid_until: Option<Date>,
    today: Date,
) -> CertificateStatus {
    if revoked {
        CertificateStatus::Revoked
    } else if valid_until.is_some_and(|d| d < today) {
        CertificateStatus::Expired
    } else {
        CertificateStatus::Valid
    }
}

/// One natural person in the population registry (人口库).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopulationRecord {
    /// 公民身份号码 (GB 11643).
    pub id_number: String,
    /// 姓名.
    pub name: String,
    /// Name in pinyin / English, when known.
    #[serde(default)]
    pub name_en: String,
    /// `male` / `female`.
    pub gender: String,
    /// 民族.
    #[serde(default)]
    pub ethnicity: String,
    /// 住址.
    pub address: String,
    /// 户籍地址.
    #[serde(default)]
    pub household_address: String,
    /// 户主姓名.
    #[serde(default)]
    pub household_head: String,
}

/// One legal entity in the legal-entity registry (法人库).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalEntityRecord {
    /// 统一社会信用代码 (GB 32100).
    pub credit_code: String,
    /// 名称.
    pub name: String,
    /// English name, when registered.
    #[serde(default)]
    pub name_en: String,
    /// 类型 (有限责任公司…).
    pub entity_type: String,
    /// 法定代表人.
    pub legal_representative: String,
    /// 法定代表人身份证号码.
    #[serde(default)]
    pub legal_representative_id: String,
    /// 住所.
    pub address: String,
    /// 注册资本 in yuan (元).
    pub registered_capital_yuan: i64,
    /// 成立日期.
    pub established_on: Date,
    /// 登记状态.
    pub status: EntityStatus,
    /// 登记机关 (department code).
    #[serde(default)]
    pub registration_authority: String,
}

/// A certificate imported from another department into the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedCertificate {
    /// 证照编号, unique in the library.
    pub cert_no: String,
    /// Type code (`real_estate`, `driving_licence`…).
    pub cert_type: String,
    /// 证照名称.
    pub name: Text,
    /// 持证人 name.
    pub holder_name: String,
    /// 持证人 ID number or credit code (validated).
    pub holder_identifier: String,
    /// 发证机关 code.
    pub issuer_code: String,
    /// 发证日期.
    pub issued_on: Date,
    /// 有效期至 (none: long-term).
    #[serde(default)]
    pub valid_until: Option<Date>,
    /// Revoked at the issuer (注销/吊销).
    #[serde(default)]
    pub revoked: bool,
    /// Why, when revoked.
    #[serde(default)]
    pub revoked_reason: String,
}

/// A document importing records into the shared sources: all or nothing,
/// every bad field reported with its path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingDocument {
    /// Must be [`SHARING_FORMAT`].
    pub format: String,
    /// Which department supplied the records (shown as provenance).
    pub source: String,
    /// Natural persons.
    #[serde(default)]
    pub population: Vec<PopulationRecord>,
    /// Legal entities.
    #[serde(default)]
    pub legal_entities: Vec<LegalEntityRecord>,
    /// Certificates.
    #[serde(default)]
    pub certificates: Vec<ImportedCertificate>,
}

fn required(e: &mut ValidationErrors, field: String, value: &str, max: usize) {
    let n = value.trim().chars().count();
    if n == 0 || n > max {
        e.push(
            field,
            "required",
            format!("必填，不超过{max}字 / required, at most {max} characters"),
        );
    }
}

/// An ID number or credit code, whichever it parses as.
pub fn parse_holder(identifier: &str) -> Result<String, ValidationErrors> {
    let t = identifier.trim();
    if t.len() == 18
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && let Ok(id) = ResidentIdNumber::parse(t)
    {
        return Ok(id.as_str().to_owned());
    }
    if let Ok(code) = CreditCode::parse(t) {
        return Ok(code.as_str().to_owned());
    }
    ResidentIdNumber::parse(t).map(|id| id.as_str().to_owned())
}

impl SharingDocument {
    /// Checks the whole document, collecting every problem with its path
    /// (`population[2].id_number`): check characters of every identifier,
    /// required names, no duplicate keys, certificate dates in order.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.format != SHARING_FORMAT {
            e.push(
                "format",
                "unsupported_format",
                format!("格式须为 {SHARING_FORMAT} / the format must be {SHARING_FORMAT}"),
            );
        }
        required(&mut e, "source".into(), &self.source, 100);
        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.population.iter().enumerate() {
            let at = format!("population[{i}]");
            e.check(
                &format!("{at}.id_number"),
                ResidentIdNumber::parse(&p.id_number),
            );
            if !seen.insert(p.id_number.trim().to_uppercase()) {
                e.push(
                    format!("{at}.id_number"),
                    "duplicate",
                    "重复的身份证号码 / duplicate ID number",
                );
            }
            required(&mut e, format!("{at}.name"), &p.name, 50);
            required(&mut e, format!("{at}.address"), &p.address, 200);
            if !matches!(p.gender.as_str(), "male" | "female") {
                e.push(
                    format!("{at}.gender"),
                    "invalid",
                    "性别须为 male 或 female / gender must be male or female",
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, l) in self.legal_entities.iter().enumerate() {
            let at = format!("legal_entities[{i}]");
            e.check(
                &format!("{at}.credit_code"),
                CreditCode::parse(&l.credit_code),
            );
            if !seen.insert(l.credit_code.trim().to_uppercase()) {
                e.push(
                    format!("{at}.credit_code"),
                    "duplicate",
                    "重复的统一社会信用代码 / duplicate credit code",
                );
            }
            required(&mut e, format!("{at}.name"), &l.name, 200);
            required(&mut e, format!("{at}.entity_type"), &l.entity_type, 50);
            required(
                &mut e,
                format!("{at}.legal_representative"),
                &l.legal_representative,
                50,
            );
            required(&mut e, format!("{at}.address"), &l.address, 200);
            if !l.legal_representative_id.trim().is_empty() {
                e.check(
                    &format!("{at}.legal_representative_id"),
                    ResidentIdNumber::parse(&l.legal_representative_id),
                );
            }
            if l.registered_capital_yuan < 0 {
                e.push(
                    format!("{at}.registered_capital_yuan"),
                    "negative",
                    "注册资本不能为负 / capital cannot be negative",
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, c) in self.certificates.iter().enumerate() {
            let at = format!("certificates[{i}]");
            required(&mut e, format!("{at}.cert_no"), &c.cert_no, 64);
            if !seen.insert(c.cert_no.trim().to_owned()) {
                e.push(
                    format!("{at}.cert_no"),
                    "duplicate",
                    "重复的证照编号 / duplicate certificate number",
                );
            }
            if !valid_type_code(&c.cert_type) {
                e.push(
                    format!("{at}.cert_type"),
                    "invalid",
                    "证照类型编码仅含小写字母、数字、_ 和 - / a type code has a-z, 0-9, _ and -",
                );
            }
            required(&mut e, format!("{at}.name.zh"), &c.name.zh, 100);
            required(&mut e, format!("{at}.holder_name"), &c.holder_name, 200);
            e.check(
                &format!("{at}.holder_identifier"),
                parse_holder(&c.holder_identifier),
            );
            required(&mut e, format!("{at}.issuer_code"), &c.issuer_code, 64);
            if c.valid_until.is_some_and(|d| d < c.issued_on) {
                e.push(
                    format!("{at}.valid_until"),
                    "before_issue",
                    "有效期不能早于发证日期 / validity ends before issue",
                );
            }
            if c.revoked && c.revoked_reason.trim().is_empty() {
                e.push(
                    format!("{at}.revoked_reason"),
                    "required",
                    "已注销的证照须说明原因 / a revoked certificate needs a reason",
                );
            }
        }
        e.finish(())
    }
}

/// One field of evidence as shown: the full value and its masked form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceField {
    /// Label.
    pub label: Text,
    /// Full value (only shown to its holder or with the unmask permission).
    pub value: String,
    /// Masked value shown to everyone else.
    pub masked: String,
}

impl EvidenceField {
    /// A field whose value is not personal (shown unmasked).
    pub fn plain(zh: &str, en: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        Self {
            label: Text::new(zh, en),
            masked: value.clone(),
            value,
        }
    }

    /// A field masked with `mask`.
    pub fn masked(zh: &str, en: &str, value: impl Into<String>, mask: fn(&str) -> String) -> Self {
        let value = value.into();
        Self {
            label: Text::new(zh, en),
            masked: mask(&value),
            value,
        }
    }
}

/// Masks an address after its first six characters.
pub fn mask_address(a: &str) -> String {
    let head: String = a.chars().take(6).collect();
    if a.chars().count() <= 6 {
        head
    } else {
        format!("{head}****")
    }
}

/// Masks a person's name (`张*`).
pub fn mask_person(n: &str) -> String {
    mask_name(n)
}

/// Evidence found for a holder: what is used to fulfil a material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Evidence type code.
    pub evidence_type: String,
    /// Source kind.
    pub source: SourceKind,
    /// Who supplied it: `local` or the name of an external provider.
    pub provider: String,
    /// Reference in the source (certificate number, ID number, credit code).
    pub reference: String,
    /// What is shown in the preview.
    pub fields: Vec<EvidenceField>,
}

/// Masks an ID number or credit code (`420***********1239`).
pub fn mask_identifier(s: &str) -> String {
    crate::identity::mask_middle(s, 3, 4)
}

/// Why no evidence could be used for a material; the applicant then uploads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Unavailable {
    /// The source holds nothing for this holder.
    NotFound,
    /// The only certificates are past their validity.
    Expired {
        /// The newest expired certificate.
        cert_no: String,
    },
    /// The only certificates are revoked.
    Revoked {
        /// The newest revoked certificate.
        cert_no: String,
    },
    /// The entity is cancelled or revoked.
    EntityInactive,
    /// The evidence type does not apply to this kind of applicant.
    NotApplicable,
    /// The provider did not answer in time.
    Timeout {
        /// Provider.
        provider: String,
    },
    /// The provider's answer failed signature verification.
    BadSignature {
        /// Provider.
        provider: String,
    },
    /// The provider failed otherwise.
    ProviderError {
        /// Provider.
        provider: String,
        /// What happened.
        detail: String,
    },
    /// The applicant refused consent.
    ConsentRefused,
}

impl Unavailable {
    /// The reason as shown to the applicant.
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            Self::NotFound => if en {
                "No record was found in the shared source; please upload."
            } else {
                "共享数据中未查到相关信息，请上传。"
            }
            .to_owned(),
            Self::Expired { cert_no } => {
                if en {
                    format!(
                        "Certificate {cert_no} has expired and cannot be used; please upload a valid one."
                    )
                } else {
                    format!("证照 {cert_no} 已过有效期，不能使用，请上传有效材料。")
                }
            }
            Self::Revoked { cert_no } => {
                if en {
                    format!(
                        "Certificate {cert_no} has been revoked and cannot be used; please upload."
                    )
                } else {
                    format!("证照 {cert_no} 已注销，不能使用，请上传。")
                }
            }
            Self::EntityInactive => if en {
                "The entity is not in active registration; please upload."
            } else {
                "该主体非存续状态，不能使用共享信息，请上传。"
            }
            .to_owned(),
            Self::NotApplicable => if en {
                "Not available for this kind of applicant; please upload."
            } else {
                "该类申请人不适用此共享信息，请上传。"
            }
            .to_owned(),
            Self::Timeout { provider } => {
                if en {
                    format!(
                        "The provider {provider} did not answer in time; please upload instead."
                    )
                } else {
                    format!("数据提供方 {provider} 响应超时，请改为上传。")
                }
            }
            Self::BadSignature { provider } => {
                if en {
                    format!(
                        "The answer of {provider} failed signature verification and was rejected; please upload."
                    )
                } else {
                    format!("数据提供方 {provider} 的应答验签失败，已拒绝，请上传。")
                }
            }
            Self::ProviderError { provider, detail } => {
                if en {
                    format!("The provider {provider} failed ({detail}); please upload instead.")
                } else {
                    format!("数据提供方 {provider} 出错（{detail}），请改为上传。")
                }
            }
            Self::ConsentRefused => if en {
                "You did not consent to data sharing; please upload."
            } else {
                "您未同意数据共享，请上传。"
            }
            .to_owned(),
        }
    }
}

/// Evidence of a person for a population evidence type.
pub fn person_evidence(t: &EvidenceType, p: &PopulationRecord, provider: &str) -> Option<Evidence> {
    let gender = if p.gender == "female" { "女" } else { "男" };
    let fields = match t {
        EvidenceType::PopulationIdentity => vec![
            EvidenceField::masked("姓名", "Name", &p.name, mask_person),
            EvidenceField::masked("公民身份号码", "ID number", &p.id_number, mask_identifier),
            EvidenceField::plain("性别", "Gender", gender),
            EvidenceField::masked("住址", "Address", &p.address, mask_address),
        ],
        EvidenceType::PopulationHousehold => vec![
            EvidenceField::masked("姓名", "Name", &p.name, mask_person),
            EvidenceField::masked("户主", "Head of household", &p.household_head, mask_person),
            EvidenceField::masked(
                "户籍地址",
                "Registered residence",
                &p.household_address,
                mask_address,
            ),
        ],
        _ => return None,
    };
    Some(Evidence {
        evidence_type: t.code(),
        source: SourceKind::Population,
        provider: provider.to_owned(),
        reference: p.id_number.clone(),
        fields,
    })
}

/// Evidence of an entity; `Err` when the entity is not active.
pub fn entity_evidence(
    t: &EvidenceType,
    l: &LegalEntityRecord,
    provider: &str,
) -> Result<Evidence, Unavailable> {
    if l.status != EntityStatus::Active {
        return Err(Unavailable::EntityInactive);
    }
    let fields = match t {
        EvidenceType::EntityRegistration => vec![
            EvidenceField::plain("名称", "Name", &l.name),
            EvidenceField::plain("统一社会信用代码", "Credit code", &l.credit_code),
            EvidenceField::plain("类型", "Type", &l.entity_type),
            EvidenceField::masked(
                "法定代表人",
                "Legal representative",
                &l.legal_representative,
                mask_person,
            ),
            EvidenceField::plain("住所", "Address", &l.address),
            EvidenceField::plain(
                "注册资本",
                "Registered capital",
                format!("{}万元", l.registered_capital_yuan / 10_000),
            ),
            EvidenceField::plain("成立日期", "Established", l.established_on.to_string()),
            EvidenceField::plain("登记状态", "Status", l.status.label("zh")),
        ],
        EvidenceType::EntityLegalRepresentative => {
            if l.legal_representative_id.is_empty() {
                return Err(Unavailable::NotFound);
            }
            vec![
                EvidenceField::masked(
                    "法定代表人",
                    "Legal representative",
                    &l.legal_representative,
                    mask_person,
                ),
                EvidenceField::masked(
                    "公民身份号码",
                    "ID number",
                    &l.legal_representative_id,
                    mask_identifier,
                ),
            ]
        }
        _ => return Err(Unavailable::NotApplicable),
    };
    Ok(Evidence {
        evidence_type: t.code(),
        source: SourceKind::LegalEntity,
        provider: provider.to_owned(),
        reference: l.credit_code.clone(),
        fields,
    })
}

/// The facts of a certificate needed to offer it as evidence.
#[derive(Debug, Clone, Copy)]
pub struct CertificateFacts<'a> {
    /// Number.
    pub cert_no: &'a str,
    /// Type code.
    pub cert_type: &'a str,
    /// Name.
    pub name: &'a Text,
    /// Holder name.
    pub holder_name: &'a str,
    /// Issuer.
    pub issuer_code: &'a str,
    /// Issued.
    pub issued_on: Date,
    /// Valid until.
    pub valid_until: Option<Date>,
    /// Revoked.
    pub revoked: bool,
}

/// Picks the newest valid certificate of the type among `certs` on
/// `today`; expired and revoked ones are never used, and when only such
/// exist the reason names the newest of them.
pub fn pick_certificate(
    t: &EvidenceType,
    certs: &[CertificateFacts<'_>],
    today: Date,
    provider: &str,
) -> Result<Evidence, Unavailable> {
    let EvidenceType::Certificate(code) = t else {
        return Err(Unavailable::NotApplicable);
    };
    let mut of_type: Vec<&CertificateFacts<'_>> =
        certs.iter().filter(|c| c.cert_type == code).collect();
    of_type.sort_by_key(|c| std::cmp::Reverse(c.issued_on));
    if let Some(c) = of_type
        .iter()
        .find(|c| certificate_status(c.revoked, c.valid_until, today) == CertificateStatus::Valid)
    {
        return Ok(Evidence {
            evidence_type: t.code(),
            source: SourceKind::CertificateLibrary,
            provider: provider.to_owned(),
            reference: c.cert_no.to_owned(),
            fields: vec![
                EvidenceField::plain("证照名称", "Certificate", &c.name.zh),
                EvidenceField::plain("证照编号", "Number", c.cert_no),
                EvidenceField::masked("持证人", "Holder", c.holder_name, mask_person),
                EvidenceField::plain("发证机关", "Issuer", c.issuer_code),
                EvidenceField::plain("发证日期", "Issued", c.issued_on.to_string()),
                EvidenceField::plain(
                    "有效期至",
                    "Valid until",
                    c.valid_until
                        .map_or_else(|| "长期".to_owned(), |d| d.to_string()),
                ),
            ],
        });
    }
    match of_type.first() {
        None => Err(Unavailable::NotFound),
        Some(c) if c.revoked => Err(Unavailable::Revoked {
            cert_no: c.cert_no.to_owned(),
        }),
        Some(c) => Err(Unavailable::Expired {
            cert_no: c.cert_no.to_owned(),
        }),
    }
}

/// The bytes signed into a certificate's QR code: every fact the
/// verification page states about the certificate, in a fixed order.
pub fn certificate_payload(
    cert_no: &str,
    cert_type: &str,
    holder_identifier: &str,
    issued_on: Date,
    valid_until: Option<Date>,
) -> Vec<u8> {
    format!(
        "onetrip-certificate/1\n{cert_no}\n{cert_type}\n{holder_identifier}\n{issued_on}\n{}",
        valid_until.map(|d| d.to_string()).unwrap_or_default()
    )
    .into_bytes()
}

/// A signed request to an external provider. The signature covers the
/// exact JSON bytes sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderRequest {
    /// Random id, echoed by the response.
    pub request_id: String,
    /// The consumer (this OneTrip installation).
    pub consumer: String,
    /// The case the request is made for (case number).
    pub case_ref: String,
    /// Purpose and legal basis.
    pub purpose: String,
    /// Holder identifier.
    pub holder: String,
    /// Evidence type code.
    pub evidence_type: String,
    /// Sent at, microseconds.
    pub sent_at: i64,
}

/// A provider's signed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderResponse {
    /// The request's id.
    pub request_id: String,
    /// The provider's name.
    pub provider: String,
    /// Holder asked about.
    pub holder: String,
    /// Evidence type asked about.
    pub evidence_type: String,
    /// The evidence, when the provider holds valid evidence.
    pub evidence: Option<Evidence>,
    /// Why not, otherwise.
    #[serde(default)]
    pub unavailable: Option<Unavailable>,
    /// Answered at, microseconds.
    pub answered_at: i64,
}

/// The hash of one message-log entry: SHA-256 over the previous hash, the
/// direction, the peer, the exact body and its signature, separated by NUL.
pub fn message_hash(
    prev: &str,
    direction: &str,
    peer: &str,
    body: &str,
    signature: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, direction, peer, body, signature] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// The hash before the first message-log entry.
pub const MESSAGE_LOG_GENESIS: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    #[test]
    fn evidence_types_round_trip_and_unknown_ones_are_refused() {
        for code in [
            "population.identity",
            "population.household",
            "entity.registration",
            "entity.legal_representative",
            "certificate.real_estate",
        ] {
            assert_eq!(EvidenceType::parse(code).unwrap().code(), code);
        }
        assert!(EvidenceType::parse("certificate.").is_err());
        assert!(EvidenceType::parse("certificate.Bad Type").is_err());
        assert!(EvidenceType::parse("tax.record").is_err());
    }

    #[test]
    fn revoked_beats_expired_and_validity_is_inclusive() {
        let today = date!(2026 - 03 - 01);
        assert_eq!(
            certificate_status(false, Some(today), today),
            CertificateStatus::Valid
        );
        assert_eq!(
            certificate_status(false, Some(date!(2026 - 02 - 28)), today),
            CertificateStatus::Expired
        );
        assert_eq!(
            certificate_status(true, None, today),
            CertificateStatus::Revoked
        );
        assert_eq!(
            certificate_status(false, None, today),
            CertificateStatus::Valid
        );
    }

    #[test]
    fn a_document_reports_every_bad_field() {
        let doc = SharingDocument {
            format: "x".into(),
            source: "".into(),
            population: vec![PopulationRecord {
                id_number: "420111199003151230".into(),
                name: "".into(),
                name_en: String::new(),
                gender: "m".into(),
                ethnicity: String::new(),
                address: "湖北省武汉市".into(),
                household_address: String::new(),
                household_head: String::new(),
            }],
            legal_entities: vec![],
            certificates: vec![],
        };
        let err = doc.validate().unwrap_err();
        let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "format",
                "source",
                "population[0].id_number",
                "population[0].name",
                "population[0].gender"
            ]
        );
    }

    #[test]
    fn the_message_hash_covers_every_part() {
        let a = message_hash(MESSAGE_LOG_GENESIS, "request", "p", "{}", "sig");
        assert_ne!(
            a,
            message_hash(MESSAGE_LOG_GENESIS, "request", "p", "{ }", "sig")
        );
        assert_ne!(
            a,
            message_hash(MESSAGE_LOG_GENESIS, "response", "p", "{}", "sig")
        );
        assert_eq!(
            a,
            message_hash(MESSAGE_LOG_GENESIS, "request", "p", "{}", "sig")
        );
    }
}
