//! The service catalogue (政务服务事项目录): items, situations, materials and
//! the documented JSON exchange format used by `catalogue import/export`.
//!
//! An item is versioned. Cases always refer to the exact version they were
//! filed under, so publishing a new version never alters a case already filed.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ValidationErrors;
use crate::region::{Department, Region, RegionCode, RegionLevel, ServiceCentre, parse_org_code};
use crate::text::Text;

/// Identifier of the exchange format; an import must name it.
pub const FORMAT_V1: &str = "onetrip-catalogue/1";

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant,)+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code used in storage, URLs and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Parses a stable code.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The label in the requested language (`zh` or `en`).
            pub fn label(self, lang: &str) -> &'static str {
                if lang == "en" {
                    match self { $($name::$variant => $en,)+ }
                } else {
                    match self { $($name::$variant => $zh,)+ }
                }
            }
        }
    };
}
pub(crate) use code_enum;

code_enum! {
    /// 权力类型: the category of power an item exercises.
    PowerCategory {
        /// 行政许可
        Licensing = "licensing", "行政许可", "Administrative licensing";
        /// 行政处罚
        Penalty = "penalty", "行政处罚", "Administrative penalty";
        /// 行政强制
        Enforcement = "enforcement", "行政强制", "Administrative enforcement";
        /// 行政征收
        Levy = "levy", "行政征收", "Administrative levy";
        /// 行政给付
        Benefit = "benefit", "行政给付", "Administrative benefit";
        /// 行政检查
        Inspection = "inspection", "行政检查", "Administrative inspection";
        /// 行政确认
        Confirmation = "confirmation", "行政确认", "Administrative confirmation";
        /// 行政奖励
        Reward = "reward", "行政奖励", "Administrative reward";
        /// 行政裁决
        Adjudication = "adjudication", "行政裁决", "Administrative adjudication";
        /// 其他行政权力
        OtherPower = "other_power", "其他行政权力", "Other administrative power";
        /// 公共服务
        PublicService = "public_service", "公共服务", "Public service";
    }
}

code_enum! {
    /// 审批模块: the four approval modules of the hall.
    Module {
        /// 商事登记
        BusinessRegistration = "business_registration", "商事登记", "Business registration";
        /// 企业投资项目
        InvestmentProjects = "investment_projects", "企业投资项目", "Enterprise investment projects";
        /// 建设项目
        ConstructionProjects = "construction_projects", "建设项目", "Construction projects";
        /// 单一事项
        SingleItems = "single_items", "单一事项", "Single items";
    }
}

code_enum! {
    /// Who may apply for an item.
    Audience {
        /// 自然人
        NaturalPerson = "natural_person", "自然人", "Natural persons";
        /// 法人
        LegalEntity = "legal_entity", "法人", "Legal entities";
        /// 自然人和法人
        Both = "both", "自然人、法人", "Natural persons and legal entities";
    }
}

code_enum! {
    /// Where a material comes from (材料来源).
    MaterialSource {
        /// 申请人自备
        Applicant = "applicant", "申请人自备", "Provided by the applicant";
        /// 共享数据获取
        SharedData = "shared_data", "数据共享获取", "Obtained through data sharing";
        /// 电子证照
        ECertificate = "e_certificate", "电子证照", "Electronic certificate";
        /// 窗口现场制作/发放
        IssuedAtWindow = "issued_at_window", "窗口现场提供", "Issued at the window";
    }
}

code_enum! {
    /// The medium in which a material is accepted.
    MaterialForm {
        /// 纸质
        Paper = "paper", "纸质", "Paper";
        /// 电子
        Electronic = "electronic", "电子", "Electronic";
        /// 纸质或电子
        Either = "either", "纸质或电子", "Paper or electronic";
    }
}

code_enum! {
    /// A procedure whose duration is excluded from the time limit.
    SpecialProcedure {
        /// 听证
        Hearing = "hearing", "听证", "Hearing";
        /// 检验检测
        Testing = "testing", "检验、检测、检疫", "Testing and inspection";
        /// 专家评审
        ExpertReview = "expert_review", "专家评审", "Expert review";
        /// 现场勘查
        SiteSurvey = "site_survey", "现场勘查", "Site survey";
        /// 公示
        PublicNotice = "public_notice", "公示", "Public notice";
        /// 招标拍卖
        Tendering = "tendering", "招标、拍卖", "Tendering and auction";
    }
}

code_enum! {
    /// 网上办理深度.
    OnlineDepth {
        /// 一级：信息发布
        Information = "information", "一级：网上咨询", "Level 1: information online";
        /// 二级：在线预约/下载表格
        Booking = "booking", "二级：在线预约", "Level 2: booking and forms online";
        /// 三级：在线预审
        PreReview = "pre_review", "三级：在线预审", "Level 3: online pre-review";
        /// 四级：全程网办
        FullyOnline = "fully_online", "四级：全程网办", "Level 4: fully online";
    }
}

code_enum! {
    /// A channel through which the result is delivered (送达方式).
    DeliveryChannel {
        /// 窗口领取
        Window = "window", "窗口领取", "Collect at the window";
        /// 快递送达
        Courier = "courier", "快递送达", "Courier delivery";
        /// 电子送达
        Electronic = "electronic", "电子送达", "Electronic delivery";
    }
}

code_enum! {
    /// What kind of result the item issues.
    ResultKind {
        /// 证照
        Certificate = "certificate", "证照", "Certificate or licence";
        /// 批文
        ApprovalDocument = "approval_document", "批准文书", "Approval document";
        /// 备案/登记证明
        Filing = "filing", "备案证明", "Filing record";
        /// 其他结果
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    /// Life cycle of one catalogue version.
    ItemStatus {
        /// 草稿
        Draft = "draft", "草稿", "Draft";
        /// 已发布
        Published = "published", "已发布", "Published";
        /// 已废止
        Retired = "retired", "已废止", "Retired";
    }
}

/// One required document (申请材料).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// Code unique within the item, for example `M01`.
    pub code: String,
    /// Name of the material.
    pub name: Text,
    /// Paper, electronic or either.
    pub form: MaterialForm,
    /// Number of originals to show or hand in (原件份数).
    #[serde(default)]
    pub originals: u32,
    /// Number of copies (复印件份数).
    #[serde(default)]
    pub copies: u32,
    /// `true` when always required; otherwise `condition` says when.
    pub required: bool,
    /// When a conditional material is needed (容缺/情形说明).
    #[serde(default)]
    pub condition: Option<String>,
    /// Where the material comes from.
    pub source: MaterialSource,
    /// File name or address of the blank form (空白表格), if any.
    #[serde(default)]
    pub blank_form: Option<String>,
    /// File name or address of the filled-in sample (示例样表), if any.
    #[serde(default)]
    pub sample: Option<String>,
    /// Further notes (填报须知).
    #[serde(default)]
    pub notes: Option<String>,
    /// The shared evidence that fulfils it without an upload (免提交), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<crate::evidence::EvidenceSpec>,
}

/// A sub-case of an item (办理情形) selecting a subset of materials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Situation {
    /// Code unique within the item, for example `S01`.
    pub code: String,
    /// Name such as 新设 / 变更 / 延续 / 注销.
    pub name: Text,
    /// Codes of the materials this situation needs.
    pub materials: Vec<String>,
}

/// One fee (收费项目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    /// Name of the fee.
    pub name: Text,
    /// Legal basis for charging.
    pub basis: String,
    /// Amount in fen (分); 1 yuan = 100 fen.
    pub amount_fen: u64,
}

/// The result an item issues (审批结果).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    /// Name of the result, for example 营业执照.
    pub name: Text,
    /// Kind of result.
    pub kind: ResultKind,
}

/// The statutory elements of one catalogue entry (implementation list, 实施清单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceItemBody {
    /// 实施编码: stable across versions.
    pub code: String,
    /// Item name.
    pub name: Text,
    /// Search keywords (关键词), including common colloquial names.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// 权力类型.
    pub power_category: PowerCategory,
    /// 主管部门 (department code).
    pub competent_department: String,
    /// 实施主体 (department code).
    pub implementing_body: String,
    /// 设定依据.
    pub legal_basis: Vec<String>,
    /// 行使层级.
    pub level: RegionLevel,
    /// The region where the item is implemented.
    pub region: RegionCode,
    /// 审批模块.
    pub module: Module,
    /// Codes of life events (主题/一件事场景) the item belongs to.
    #[serde(default)]
    pub life_events: Vec<String>,
    /// 服务对象.
    pub audience: Audience,
    /// 受理条件.
    pub conditions: Vec<String>,
    /// 办理情形.
    pub situations: Vec<Situation>,
    /// 申请材料.
    pub materials: Vec<Material>,
    /// 收费: empty means free (不收费).
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// 法定办结时限 in working days.
    pub statutory_limit_days: u32,
    /// 承诺办结时限 in working days (at most the statutory limit).
    pub promised_limit_days: u32,
    /// 特别程序 excluded from the limit.
    #[serde(default)]
    pub special_procedures: Vec<SpecialProcedure>,
    /// 到现场次数: 0, 1, or 2 meaning "two or more".
    pub on_site_trips: u8,
    /// 网上办理深度.
    pub online_depth: OnlineDepth,
    /// 送达方式.
    pub delivery_channels: Vec<DeliveryChannel>,
    /// 审批结果.
    pub result: ItemResult,
    /// 咨询电话.
    pub consultation_phone: String,
    /// 监督投诉电话.
    pub complaint_phone: String,
    /// 办理地点.
    pub place: String,
    /// 办理时间.
    pub hours: String,
}

/// One item version in the exchange format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueItem {
    /// The statutory elements.
    #[serde(flatten)]
    pub body: ServiceItemBody,
    /// Draft, published or retired.
    pub status: ItemStatus,
    /// 生效日期 (ISO date).
    pub effective_from: Date,
}

/// A life event (办事主题 / 人生事件) used to browse the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeEvent {
    /// Stable code, for example `starting-business`.
    pub code: String,
    /// Name.
    pub name: Text,
    /// Who the event concerns.
    pub audience: Audience,
}

/// A search synonym group: every term finds items containing any other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynonymGroup {
    /// The terms, for example `["社保", "社会保障", "社会保险"]`.
    pub terms: Vec<String>,
}

/// One item of a bundle with the situation the bundle applies for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleItem {
    /// Item code.
    pub item: String,
    /// Situation code of that item.
    pub situation: String,
}

/// 一件事: items of several departments handled as one application. The
/// applicant fills one form and provides one de-duplicated set of
/// materials; the departments work in parallel; the results come back in
/// one delivery; the bundle completes when every part completes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// Stable code, for example `420100-YJS-KBQY`.
    pub code: String,
    /// Name, for example 开办企业“一件事”.
    pub name: Text,
    /// Region whose service centre handles it.
    pub region: RegionCode,
    /// The service centre whose comprehensive windows accept it.
    pub centre: String,
    /// What it is for.
    pub description: Text,
    /// The items, at least two.
    pub items: Vec<BundleItem>,
    /// Working days the bundle promises for all parts together.
    pub promised_limit_days: u32,
}

impl Bundle {
    /// Checks the bundle against the item bodies it names (`items` holds
    /// every item of the document): at least two items, no item twice, every
    /// item and situation known, promised limit not beyond the longest
    /// statutory limit of its items.
    pub fn validate(&self, items: &[&ServiceItemBody]) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        check_text(&mut e, "name", &self.name, 60);
        check_code(&mut e, "code", &self.code);
        if self.items.len() < 2 {
            e.push(
                "items",
                "too_few",
                "一件事至少包含两个事项 / a bundle has at least two items",
            );
        }
        let mut longest = 0;
        for (i, b) in self.items.iter().enumerate() {
            let p = format!("items[{i}]");
            if self.items[..i].iter().any(|o| o.item == b.item) {
                e.push(
                    format!("{p}.item"),
                    "duplicate",
                    "事项重复 / item listed twice",
                );
            }
            match items.iter().find(|it| it.code == b.item) {
                None => e.push(
                    format!("{p}.item"),
                    "unknown_item",
                    format!("未知事项 {} / unknown item", b.item),
                ),
                Some(it) => {
                    longest = longest.max(it.statutory_limit_days);
                    if !it.situations.iter().any(|s| s.code == b.situation) {
                        e.push(
                            format!("{p}.situation"),
                            "unknown_situation",
                            format!("事项没有情形 {} / unknown situation", b.situation),
                        );
                    }
                }
            }
        }
        if self.promised_limit_days > longest.max(1) * 2 {
            e.push(
                "promised_limit_days",
                "too_long",
                "承诺时限不应超过各事项法定时限 / the promise exceeds the statutory limits",
            );
        }
        e.finish(())
    }
}

/// Codes already stored, which a document may refer to without declaring them.
#[derive(Debug, Clone, Copy)]
pub struct KnownRefs<'a> {
    /// Region codes.
    pub regions: &'a [String],
    /// Department codes.
    pub departments: &'a [String],
    /// Life-event codes.
    pub life_events: &'a [String],
}

/// The whole exchange document (`onetrip-catalogue/1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueDocument {
    /// Must be [`FORMAT_V1`].
    pub format: String,
    /// Regions referenced by the document.
    #[serde(default)]
    pub regions: Vec<Region>,
    /// Departments referenced by the items.
    #[serde(default)]
    pub departments: Vec<Department>,
    /// Service centres and their halls.
    #[serde(default)]
    pub service_centres: Vec<ServiceCentre>,
    /// Life events.
    #[serde(default)]
    pub life_events: Vec<LifeEvent>,
    /// Search synonyms.
    #[serde(default)]
    pub synonyms: Vec<SynonymGroup>,
    /// Item versions.
    #[serde(default)]
    pub items: Vec<CatalogueItem>,
    /// 一件事 bundles; their items must be in the same document.
    #[serde(default)]
    pub bundles: Vec<Bundle>,
}

fn check_text(errors: &mut ValidationErrors, field: &str, text: &Text, max: usize) {
    let r = text.validate(max, true);
    errors.check(field, r);
}

fn check_code(errors: &mut ValidationErrors, field: &str, code: &str) {
    let r = parse_org_code(code);
    errors.check(field, r);
}

fn check_nonempty(errors: &mut ValidationErrors, field: &str, value: &str, what: &str) {
    if value.trim().is_empty() {
        errors.push(
            field,
            "required",
            format!("{what}必填 / {field} is required"),
        );
    }
}

impl ServiceItemBody {
    /// Checks every rule that does not need other records: required elements,
    /// unique material and situation codes, situations naming existing
    /// materials, promised limit within the statutory one, trips 0–2, at least
    /// one delivery channel, fees with a basis. Collects every error.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        check_code(&mut e, "code", &self.code);
        check_text(&mut e, "name", &self.name, 100);
        check_code(&mut e, "competent_department", &self.competent_department);
        check_code(&mut e, "implementing_body", &self.implementing_body);
        if self.legal_basis.iter().all(|b| b.trim().is_empty()) {
            e.push(
                "legal_basis",
                "required",
                "设定依据必填 / legal basis is required",
            );
        }
        if self.region.level() != self.level {
            e.push(
                "level",
                "level_mismatch",
                format!(
                    "行使层级与行政区划 {} 不一致 / level does not match the region",
                    self.region
                ),
            );
        }
        if self.conditions.iter().all(|c| c.trim().is_empty()) {
            e.push(
                "conditions",
                "required",
                "受理条件必填 / conditions are required",
            );
        }
        let mut material_codes = std::collections::HashSet::new();
        for (i, m) in self.materials.iter().enumerate() {
            let p = format!("materials[{i}]");
            check_code(&mut e, &format!("{p}.code"), &m.code);
            if !material_codes.insert(m.code.as_str()) {
                e.push(
                    format!("{p}.code"),
                    "duplicate",
                    "材料编码重复 / duplicate material code",
                );
            }
            check_text(&mut e, &format!("{p}.name"), &m.name, 200);
            if let Some(spec) = &m.evidence {
                e.check(
                    &format!("{p}.evidence.type"),
                    crate::evidence::EvidenceType::parse(&spec.evidence_type),
                );
            }
            if !m.required && m.condition.as_deref().is_none_or(|c| c.trim().is_empty()) {
                e.push(
                    format!("{p}.condition"),
                    "required",
                    "非必要材料须说明适用情形 / a conditional material needs its condition",
                );
            }
            if m.originals == 0
                && m.copies == 0
                && m.source == MaterialSource::Applicant
                && m.form == MaterialForm::Paper
            {
                e.push(
                    format!("{p}.originals"),
                    "no_quantity",
                    "纸质材料须注明原件或复印件份数 / a paper material needs a number of originals or copies",
                );
            }
        }
        if self.situations.is_empty() {
            e.push(
                "situations",
                "required",
                "至少一个办理情形 / at least one situation",
            );
        }
        let mut situation_codes = std::collections::HashSet::new();
        for (i, s) in self.situations.iter().enumerate() {
            let p = format!("situations[{i}]");
            check_code(&mut e, &format!("{p}.code"), &s.code);
            if !situation_codes.insert(s.code.as_str()) {
                e.push(
                    format!("{p}.code"),
                    "duplicate",
                    "情形编码重复 / duplicate situation code",
                );
            }
            check_text(&mut e, &format!("{p}.name"), &s.name, 100);
            for (j, m) in s.materials.iter().enumerate() {
                if !material_codes.contains(m.as_str()) {
                    e.push(
                        format!("{p}.materials[{j}]"),
                        "unknown_material",
                        format!("情形引用了不存在的材料 {m} / unknown material {m}"),
                    );
                }
            }
        }
        for (i, f) in self.fees.iter().enumerate() {
            let p = format!("fees[{i}]");
            check_text(&mut e, &format!("{p}.name"), &f.name, 100);
            check_nonempty(&mut e, &format!("{p}.basis"), &f.basis, "收费依据");
        }
        if self.statutory_limit_days == 0 && self.power_category == PowerCategory::Licensing {
            e.push(
                "statutory_limit_days",
                "required",
                "行政许可须有法定时限 / a licensing item needs a statutory limit",
            );
        }
        if self.promised_limit_days > self.statutory_limit_days {
            e.push(
                "promised_limit_days",
                "exceeds_statutory",
                "承诺时限不得超过法定时限 / the promised limit may not exceed the statutory limit",
            );
        }
        if self.on_site_trips > 2 {
            e.push(
                "on_site_trips",
                "out_of_range",
                "到现场次数应为0、1或2（2表示多次） / trips must be 0, 1 or 2",
            );
        }
        if self.delivery_channels.is_empty() {
            e.push(
                "delivery_channels",
                "required",
                "至少一种送达方式 / at least one delivery channel",
            );
        }
        check_text(&mut e, "result.name", &self.result.name, 100);
        check_nonempty(
            &mut e,
            "consultation_phone",
            &self.consultation_phone,
            "咨询电话",
        );
        check_nonempty(&mut e, "complaint_phone", &self.complaint_phone, "投诉电话");
        check_nonempty(&mut e, "place", &self.place, "办理地点");
        check_nonempty(&mut e, "hours", &self.hours, "办理时间");
        e.finish(())
    }

    /// The materials a situation needs, in catalogue order; all materials when
    /// the situation code is unknown.
    pub fn materials_for(&self, situation: &str) -> Vec<&Material> {
        match self.situations.iter().find(|s| s.code == situation) {
            Some(s) => self
                .materials
                .iter()
                .filter(|m| s.materials.iter().any(|c| c == &m.code))
                .collect(),
            None => self.materials.iter().collect(),
        }
    }

    /// True when the item charges nothing.
    pub fn is_free(&self) -> bool {
        self.fees.is_empty()
    }
}

impl CatalogueDocument {
    /// Validates the whole document against itself and against the regions
    /// and departments already known (`known_regions`, `known_departments`),
    /// collecting every bad row and field. Nothing is imported unless this
    /// returns `Ok`.
    pub fn validate(
        &self,
        known_regions: &[String],
        known_departments: &[String],
    ) -> Result<(), ValidationErrors> {
        self.validate_with(&KnownRefs {
            regions: known_regions,
            departments: known_departments,
            life_events: &[],
        })
    }

    /// Like [`Self::validate`], also accepting life events stored earlier.
    pub fn validate_with(&self, known: &KnownRefs<'_>) -> Result<(), ValidationErrors> {
        let (known_regions, known_departments) = (known.regions, known.departments);
        let mut e = ValidationErrors::new();
        if self.format != FORMAT_V1 {
            e.push(
                "format",
                "unsupported_format",
                format!("格式应为 {FORMAT_V1} / format must be {FORMAT_V1}"),
            );
        }
        let mut regions: std::collections::HashSet<String> =
            known_regions.iter().cloned().collect();
        for r in &self.regions {
            regions.insert(r.code.as_str().to_owned());
        }
        for (i, r) in self.regions.iter().enumerate() {
            let p = format!("regions[{i}]");
            check_text(&mut e, &format!("{p}.name"), &r.name, 60);
            match (&r.parent, r.code.implied_parent()) {
                (None, None) => {}
                (Some(parent), Some(implied))
                    if parent == &implied
                        || regions.contains(parent.as_str()) && r.code.is_within(parent) => {}
                (None, Some(_)) => e.push(
                    format!("{p}.parent"),
                    "required",
                    "上级行政区划必填 / parent region is required",
                ),
                _ => e.push(
                    format!("{p}.parent"),
                    "invalid_parent",
                    "上级行政区划与代码不符 / parent does not contain this region",
                ),
            }
            if let Some(parent) = &r.parent
                && !regions.contains(parent.as_str())
            {
                e.push(
                    format!("{p}.parent"),
                    "unknown_region",
                    format!("未知行政区划 {parent} / unknown region"),
                );
            }
        }
        let mut departments: std::collections::HashSet<String> =
            known_departments.iter().cloned().collect();
        let mut seen = std::collections::HashSet::new();
        for (i, d) in self.departments.iter().enumerate() {
            let p = format!("departments[{i}]");
            check_code(&mut e, &format!("{p}.code"), &d.code);
            check_text(&mut e, &format!("{p}.name"), &d.name, 60);
            if !seen.insert(d.code.clone()) {
                e.push(
                    format!("{p}.code"),
                    "duplicate",
                    "部门编码重复 / duplicate department code",
                );
            }
            if !regions.contains(d.region.as_str()) {
                e.push(
                    format!("{p}.region"),
                    "unknown_region",
                    format!("未知行政区划 {} / unknown region", d.region),
                );
            }
            departments.insert(d.code.clone());
        }
        for (i, c) in self.service_centres.iter().enumerate() {
            let p = format!("service_centres[{i}]");
            check_code(&mut e, &format!("{p}.code"), &c.code);
            check_text(&mut e, &format!("{p}.name"), &c.name, 60);
            if !regions.contains(c.region.as_str()) {
                e.push(
                    format!("{p}.region"),
                    "unknown_region",
                    format!("未知行政区划 {} / unknown region", c.region),
                );
            }
            for (j, h) in c.halls.iter().enumerate() {
                check_code(&mut e, &format!("{p}.halls[{j}].code"), &h.code);
                check_text(&mut e, &format!("{p}.halls[{j}].name"), &h.name, 60);
            }
        }
        let mut events: std::collections::HashSet<&str> =
            self.life_events.iter().map(|l| l.code.as_str()).collect();
        events.extend(known.life_events.iter().map(String::as_str));
        for (i, l) in self.life_events.iter().enumerate() {
            let p = format!("life_events[{i}]");
            check_text(&mut e, &format!("{p}.name"), &l.name, 60);
            if l.code.trim().is_empty() {
                e.push(
                    format!("{p}.code"),
                    "required",
                    "主题编码必填 / code is required",
                );
            }
        }
        for (i, s) in self.synonyms.iter().enumerate() {
            if s.terms.len() < 2 || s.terms.iter().any(|t| t.trim().is_empty()) {
                e.push(
                    format!("synonyms[{i}].terms"),
                    "too_few",
                    "同义词组至少两个非空词 / a synonym group needs two terms",
                );
            }
        }
        let mut item_versions = std::collections::HashSet::new();
        for (i, item) in self.items.iter().enumerate() {
            let p = format!("items[{i}]");
            let r = item.body.validate();
            e.check(&p, r);
            if !item_versions.insert((item.body.code.clone(), item.effective_from)) {
                e.push(
                    format!("{p}.code"),
                    "duplicate",
                    "同一事项同一生效日期重复 / duplicate item version",
                );
            }
            for (field, dept) in [
                ("competent_department", &item.body.competent_department),
                ("implementing_body", &item.body.implementing_body),
            ] {
                if !departments.contains(dept) {
                    e.push(
                        format!("{p}.{field}"),
                        "unknown_department",
                        format!("未知部门 {dept} / unknown department"),
                    );
                }
            }
            if !regions.contains(item.body.region.as_str()) {
                e.push(
                    format!("{p}.region"),
                    "unknown_region",
                    format!("未知行政区划 {} / unknown region", item.body.region),
                );
            }
            for (j, l) in item.body.life_events.iter().enumerate() {
                if !events.contains(l.as_str()) {
                    e.push(
                        format!("{p}.life_events[{j}]"),
                        "unknown_life_event",
                        format!("未知主题 {l} / unknown life event"),
                    );
                }
            }
        }
        let bodies: Vec<&ServiceItemBody> = self.items.iter().map(|i| &i.body).collect();
        for (i, b) in self.bundles.iter().enumerate() {
            let r = b.validate(&bodies);
            e.check(&format!("bundles[{i}]"), r);
        }
        e.finish(())
    }
}
