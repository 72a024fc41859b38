//! The catalogue item form: what the editor submits, kept as the user typed
//! it, and how it becomes a [`ServiceItemBody`].
//!
//! `serde_urlencoded` cannot read indexed names such as
//! `materials[1].condition` into nested structs, so the body is read as
//! `(name, value)` pairs and assembled here. Empty rows (and rows whose
//! “remove” box is ticked) are left out; because that shifts positions, the
//! assembled body keeps a [`RowMap`] from its row positions back to the form
//! rows, and every error path is translated back before it is shown, so the
//! error summary links to the input the user actually typed into.

use std::collections::BTreeMap;

use onetrip_domain::catalogue::{
    Audience, DeliveryChannel, Fee, ItemResult, Material, MaterialForm, MaterialSource, Module,
    OnlineDepth, PowerCategory, ResultKind, ServiceItemBody, Situation, SpecialProcedure,
};
use onetrip_domain::region::{RegionCode, RegionLevel};
use onetrip_domain::text::Text;
use onetrip_domain::{FieldError, ValidationErrors};
use time::Date;

use crate::page::field_id;

/// Blank material rows offered after the existing ones.
pub const BLANK_MATERIALS: usize = 3;
/// Blank situation rows offered after the existing ones.
pub const BLANK_SITUATIONS: usize = 2;
/// Blank fee rows offered after the existing ones.
pub const BLANK_FEES: usize = 2;
/// Highest row index accepted in a submitted form.
const MAX_ROW_INDEX: usize = 499;

/// Every region level, in order.
pub const LEVELS: &[RegionLevel] = &[
    RegionLevel::Province,
    RegionLevel::City,
    RegionLevel::County,
    RegionLevel::Township,
];

/// One material row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaterialRow {
    /// Position of the row in the form (its `materials[N]` index).
    pub index: usize,
    /// Material code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Form code.
    pub form: String,
    /// Originals.
    pub originals: String,
    /// Copies.
    pub copies: String,
    /// Always required.
    pub required: bool,
    /// Condition of a conditional material.
    pub condition: String,
    /// Source code.
    pub source: String,
    /// Blank form.
    pub blank_form: String,
    /// Sample.
    pub sample: String,
    /// Notes.
    pub notes: String,
    /// Evidence type code fulfilling it by data sharing ('' for none).
    pub evidence: String,
    /// The applicant must consent before the evidence is used.
    pub evidence_consent: bool,
    /// The “remove this row” box.
    pub remove: bool,
}

/// One situation row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SituationRow {
    /// Position of the row in the form.
    pub index: usize,
    /// Situation code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Material codes, comma separated.
    pub materials: String,
    /// The “remove this row” box.
    pub remove: bool,
}

/// One fee row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeRow {
    /// Position of the row in the form.
    pub index: usize,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Legal basis.
    pub basis: String,
    /// Amount in yuan, like `120.00`.
    pub amount: String,
    /// The “remove this row” box.
    pub remove: bool,
}

/// Names and ids of the inputs of a row.
pub trait Row {
    /// The collection name (`materials`, `situations`, `fees`).
    const PREFIX: &'static str;
    /// The row's index.
    fn index(&self) -> usize;
    /// The error path of a sub-field, e.g. `materials[2].name.zh`.
    fn path(&self, sub: &str) -> String {
        format!("{}[{}].{sub}", Self::PREFIX, self.index())
    }
    /// The HTML id of a sub-field, e.g. `field-materials-2-name-zh`.
    fn id(&self, sub: &str) -> String {
        field_id(&self.path(sub))
    }
    /// The form name of a sub-field, e.g. `materials[2].name_zh`.
    fn name(&self, sub: &str) -> String {
        format!("{}[{}].{sub}", Self::PREFIX, self.index())
    }
    /// Human row number (1-based).
    fn number(&self) -> usize {
        self.index() + 1
    }
}

impl Row for MaterialRow {
    const PREFIX: &'static str = "materials";
    fn index(&self) -> usize {
        self.index
    }
}

impl Row for SituationRow {
    const PREFIX: &'static str = "situations";
    fn index(&self) -> usize {
        self.index
    }
}

impl Row for FeeRow {
    const PREFIX: &'static str = "fees";
    fn index(&self) -> usize {
        self.index
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn blank_number(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t == "0"
}

impl MaterialRow {
    /// True when nothing was typed into the row (selects and the required
    /// box carry defaults and do not count).
    pub fn is_blank(&self) -> bool {
        [
            &self.code,
            &self.name_zh,
            &self.name_en,
            &self.condition,
            &self.blank_form,
            &self.sample,
            &self.notes,
        ]
        .iter()
        .all(|s| blank(s))
            && blank_number(&self.originals)
            && blank_number(&self.copies)
    }

    fn empty(index: usize) -> Self {
        Self {
            index,
            form: MaterialForm::Either.as_str().to_owned(),
            source: MaterialSource::Applicant.as_str().to_owned(),
            required: true,
            ..Self::default()
        }
    }
}

impl SituationRow {
    /// True when nothing was typed into the row.
    pub fn is_blank(&self) -> bool {
        [&self.code, &self.name_zh, &self.name_en, &self.materials]
            .iter()
            .all(|s| blank(s))
    }
}

impl FeeRow {
    /// True when nothing was typed into the row.
    pub fn is_blank(&self) -> bool {
        [&self.name_zh, &self.name_en, &self.basis]
            .iter()
            .all(|s| blank(s))
            && blank(&self.amount)
    }
}

/// The whole form as typed. Every value is kept as text so that a
/// re-rendered form shows exactly what the user submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemForm {
    /// 实施编码.
    pub code: String,
    /// Name, Chinese.
    pub name_zh: String,
    /// Name, English.
    pub name_en: String,
    /// Keywords separated by commas or 、.
    pub keywords: String,
    /// Power category code.
    pub power_category: String,
    /// Module code.
    pub module: String,
    /// Audience code.
    pub audience: String,
    /// Level code.
    pub level: String,
    /// Region code.
    pub region: String,
    /// Competent department code.
    pub competent_department: String,
    /// Implementing body code.
    pub implementing_body: String,
    /// Legal basis, one per line.
    pub legal_basis: String,
    /// Conditions, one per line.
    pub conditions: String,
    /// Statutory limit in working days.
    pub statutory_limit_days: String,
    /// Promised limit in working days.
    pub promised_limit_days: String,
    /// Ticked special procedures.
    pub special_procedures: Vec<String>,
    /// On-site trips (0, 1, 2).
    pub on_site_trips: String,
    /// Online depth code.
    pub online_depth: String,
    /// Ticked delivery channels.
    pub delivery_channels: Vec<String>,
    /// Result name, Chinese.
    pub result_name_zh: String,
    /// Result name, English.
    pub result_name_en: String,
    /// Result kind code.
    pub result_kind: String,
    /// Consultation phone.
    pub consultation_phone: String,
    /// Complaint phone.
    pub complaint_phone: String,
    /// Place.
    pub place: String,
    /// Hours.
    pub hours: String,
    /// Ticked life events.
    pub life_events: Vec<String>,
    /// Effective date, `YYYY-MM-DD`.
    pub effective_from: String,
    /// Material rows.
    pub materials: Vec<MaterialRow>,
    /// Situation rows.
    pub situations: Vec<SituationRow>,
    /// Fee rows.
    pub fees: Vec<FeeRow>,
}

/// Maps the positions of the assembled body's rows back to form rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowMap {
    materials: Vec<usize>,
    situations: Vec<usize>,
    fees: Vec<usize>,
}

/// A body ready to be saved.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The item's elements.
    pub body: ServiceItemBody,
    /// The effective date.
    pub effective_from: Date,
    /// Row positions for translating error paths.
    pub rows: RowMap,
}

/// Splits `materials[3].name_zh` into `("materials", 3, "name_zh")`.
fn split_indexed(key: &str) -> Option<(&str, &str, &str)> {
    let (prefix, rest) = key.split_once('[')?;
    let (index, rest) = rest.split_once(']')?;
    let sub = rest.strip_prefix('.')?;
    Some((prefix, index, sub))
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn split_list(s: &str, separators: &[char]) -> Vec<String> {
    s.split(|c: char| separators.contains(&c))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

const KEYWORD_SEPARATORS: &[char] = &[',', '，', '、', ';', '；', '\n', '\r'];
const CODE_SEPARATORS: &[char] = &[
    ',', '，', '、', ';', '；', ' ', '\u{3000}', '\n', '\r', '\t',
];

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Parses an amount in yuan (`120`, `120.5`, `120.00`) into fen.
pub fn parse_yuan(input: &str) -> Option<u64> {
    let s = input.trim();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
        return None;
    }
    if s.ends_with('.') {
        return None;
    }
    let yuan: u64 = whole.parse().ok()?;
    let fen: u64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    yuan.checked_mul(100)?.checked_add(fen)
}

/// Formats fen as yuan with two decimals (`12000` → `120.00`).
pub fn format_yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn join_codes(codes: &[String]) -> String {
    codes.join(", ")
}

impl ItemForm {
    /// A form for a new item with sensible defaults.
    pub fn blank(effective_from: Date) -> Self {
        Self {
            power_category: PowerCategory::Licensing.as_str().to_owned(),
            module: Module::SingleItems.as_str().to_owned(),
            audience: Audience::Both.as_str().to_owned(),
            level: RegionLevel::City.as_str().to_owned(),
            on_site_trips: "1".to_owned(),
            online_depth: OnlineDepth::PreReview.as_str().to_owned(),
            result_kind: ResultKind::Certificate.as_str().to_owned(),
            delivery_channels: vec![DeliveryChannel::Window.as_str().to_owned()],
            effective_from: effective_from.to_string(),
            ..Self::default()
        }
        .with_blank_rows()
    }

    /// The form prefilled from an existing version.
    pub fn from_body(b: &ServiceItemBody, effective_from: Date) -> Self {
        Self {
            code: b.code.clone(),
            name_zh: b.name.zh.clone(),
            name_en: b.name.en.clone(),
            keywords: b.keywords.join("、"),
            power_category: b.power_category.as_str().to_owned(),
            module: b.module.as_str().to_owned(),
            audience: b.audience.as_str().to_owned(),
            level: b.level.as_str().to_owned(),
            region: b.region.as_str().to_owned(),
            competent_department: b.competent_department.clone(),
            implementing_body: b.implementing_body.clone(),
            legal_basis: b.legal_basis.join("\n"),
            conditions: b.conditions.join("\n"),
            statutory_limit_days: b.statutory_limit_days.to_string(),
            promised_limit_days: b.promised_limit_days.to_string(),
            special_procedures: b
                .special_procedures
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            on_site_trips: b.on_site_trips.to_string(),
            online_depth: b.online_depth.as_str().to_owned(),
            delivery_channels: b
                .delivery_channels
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            result_name_zh: b.result.name.zh.clone(),
            result_name_en: b.result.name.en.clone(),
            result_kind: b.result.kind.as_str().to_owned(),
            consultation_phone: b.consultation_phone.clone(),
            complaint_phone: b.complaint_phone.clone(),
            place: b.place.clone(),
            hours: b.hours.clone(),
            life_events: b.life_events.clone(),
            effective_from: effective_from.to_string(),
            materials: b
                .materials
                .iter()
                .enumerate()
                .map(|(index, m)| MaterialRow {
                    index,
                    code: m.code.clone(),
                    name_zh: m.name.zh.clone(),
                    name_en: m.name.en.clone(),
                    form: m.form.as_str().to_owned(),
                    originals: m.originals.to_string(),
                    copies: m.copies.to_string(),
                    required: m.required,
                    condition: m.condition.clone().unwrap_or_default(),
                    source: m.source.as_str().to_owned(),
                    blank_form: m.blank_form.clone().unwrap_or_default(),
                    sample: m.sample.clone().unwrap_or_default(),
                    notes: m.notes.clone().unwrap_or_default(),
                    evidence: m
                        .evidence
                        .as_ref()
                        .map(|e| e.evidence_type.clone())
                        .unwrap_or_default(),
                    evidence_consent: m.evidence.as_ref().is_some_and(|e| e.consent_required),
                    remove: false,
                })
                .collect(),
            situations: b
                .situations
                .iter()
                .enumerate()
                .map(|(index, s)| SituationRow {
                    index,
                    code: s.code.clone(),
                    name_zh: s.name.zh.clone(),
                    name_en: s.name.en.clone(),
                    materials: join_codes(&s.materials),
                    remove: false,
                })
                .collect(),
            fees: b
                .fees
                .iter()
                .enumerate()
                .map(|(index, f)| FeeRow {
                    index,
                    name_zh: f.name.zh.clone(),
                    name_en: f.name.en.clone(),
                    basis: f.basis.clone(),
                    amount: format_yuan(f.amount_fen),
                    remove: false,
                })
                .collect(),
        }
        .with_blank_rows()
    }

    /// Reads submitted `(name, value)` pairs. Unknown names are ignored; a
    /// row index that is not a number or is absurdly large is reported (and
    /// that value dropped) next to the form read from the rest.
    pub fn from_pairs(pairs: &[(String, String)]) -> (Self, Vec<FieldError>) {
        let mut f = Self::default();
        let mut errors = ValidationErrors::new();
        let mut materials: BTreeMap<usize, MaterialRow> = BTreeMap::new();
        let mut situations: BTreeMap<usize, SituationRow> = BTreeMap::new();
        let mut fees: BTreeMap<usize, FeeRow> = BTreeMap::new();
        for (key, value) in pairs {
            let v = value.clone();
            if let Some((prefix, index, sub)) = split_indexed(key) {
                let index = match index.parse::<usize>() {
                    Ok(i) if i <= MAX_ROW_INDEX => i,
                    _ => {
                        errors.push(
                            prefix,
                            "invalid_row",
                            format!("表格行号无效：{key} / invalid row index: {key}"),
                        );
                        continue;
                    }
                };
                match prefix {
                    "materials" => {
                        let r = materials.entry(index).or_insert_with(|| MaterialRow {
                            index,
                            ..MaterialRow::default()
                        });
                        match sub {
                            "code" => r.code = v,
                            "name_zh" => r.name_zh = v,
                            "name_en" => r.name_en = v,
                            "form" => r.form = v,
                            "originals" => r.originals = v,
                            "copies" => r.copies = v,
                            "required" => r.required = true,
                            "condition" => r.condition = v,
                            "source" => r.source = v,
                            "blank_form" => r.blank_form = v,
                            "sample" => r.sample = v,
                            "notes" => r.notes = v,
                            "evidence" => r.evidence = v,
                            "evidence_consent" => r.evidence_consent = true,
                            "remove" => r.remove = true,
                            _ => {}
                        }
                    }
                    "situations" => {
                        let r = situations.entry(index).or_insert_with(|| SituationRow {
                            index,
                            ..SituationRow::default()
                        });
                        match sub {
                            "code" => r.code = v,
                            "name_zh" => r.name_zh = v,
                            "name_en" => r.name_en = v,
                            "materials" => r.materials = v,
                            "remove" => r.remove = true,
                            _ => {}
                        }
                    }
                    "fees" => {
                        let r = fees.entry(index).or_insert_with(|| FeeRow {
                            index,
                            ..FeeRow::default()
                        });
                        match sub {
                            "name_zh" => r.name_zh = v,
                            "name_en" => r.name_en = v,
                            "basis" => r.basis = v,
                            "amount" => r.amount = v,
                            "remove" => r.remove = true,
                            _ => {}
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match key.as_str() {
                "code" => f.code = v,
                "name_zh" => f.name_zh = v,
                "name_en" => f.name_en = v,
                "keywords" => f.keywords = v,
                "power_category" => f.power_category = v,
                "module" => f.module = v,
                "audience" => f.audience = v,
                "level" => f.level = v,
                "region" => f.region = v,
                "competent_department" => f.competent_department = v,
                "implementing_body" => f.implementing_body = v,
                "legal_basis" => f.legal_basis = v,
                "conditions" => f.conditions = v,
                "statutory_limit_days" => f.statutory_limit_days = v,
                "promised_limit_days" => f.promised_limit_days = v,
                "special_procedures" => f.special_procedures.push(v),
                "on_site_trips" => f.on_site_trips = v,
                "online_depth" => f.online_depth = v,
                "delivery_channels" => f.delivery_channels.push(v),
                "result_name_zh" => f.result_name_zh = v,
                "result_name_en" => f.result_name_en = v,
                "result_kind" => f.result_kind = v,
                "consultation_phone" => f.consultation_phone = v,
                "complaint_phone" => f.complaint_phone = v,
                "place" => f.place = v,
                "hours" => f.hours = v,
                "life_events" => f.life_events.push(v),
                "effective_from" => f.effective_from = v,
                _ => {}
            }
        }
        f.materials = materials.into_values().collect();
        f.situations = situations.into_values().collect();
        f.fees = fees.into_values().collect();
        (f, errors.errors)
    }

    /// Adds blank rows after the last row until there are enough to type
    /// new materials, situations and fees into.
    pub fn with_blank_rows(mut self) -> Self {
        fn pad<T>(
            rows: &mut Vec<T>,
            wanted: usize,
            is_blank: fn(&T) -> bool,
            index: fn(&T) -> usize,
            make: impl Fn(usize) -> T,
        ) {
            let trailing = rows.iter().rev().take_while(|r| is_blank(r)).count();
            let next = rows.last().map_or(0, |r| index(r) + 1);
            let missing = wanted.saturating_sub(trailing);
            rows.extend((next..next + missing).map(make));
        }
        pad(
            &mut self.materials,
            BLANK_MATERIALS,
            MaterialRow::is_blank,
            |r| r.index,
            MaterialRow::empty,
        );
        pad(
            &mut self.situations,
            BLANK_SITUATIONS,
            SituationRow::is_blank,
            |r| r.index,
            |index| SituationRow {
                index,
                ..SituationRow::default()
            },
        );
        pad(
            &mut self.fees,
            BLANK_FEES,
            FeeRow::is_blank,
            |r| r.index,
            |index| FeeRow {
                index,
                ..FeeRow::default()
            },
        );
        self
    }

    /// Assembles the body. Values that cannot even be read (a number that is
    /// not a number, an unknown code, a bad date) are errors; in that case
    /// the body's own rules are checked too so that every problem is
    /// reported at once. Error paths refer to form rows.
    pub fn to_body(&self) -> Result<Assembled, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let mut rows = RowMap::default();

        fn pick<T: Copy>(
            e: &mut ValidationErrors,
            field: &str,
            value: &str,
            parse: fn(&str) -> Option<T>,
            fallback: T,
        ) -> T {
            match parse(value.trim()) {
                Some(v) => v,
                None => {
                    e.push(
                        field,
                        "invalid_choice",
                        format!("请选择有效的选项（{value}） / choose a valid option"),
                    );
                    fallback
                }
            }
        }
        fn number<T: std::str::FromStr + Default>(
            e: &mut ValidationErrors,
            field: &str,
            value: &str,
            empty_ok: bool,
        ) -> T {
            let t = value.trim();
            if t.is_empty() {
                if !empty_ok {
                    e.push(field, "required", "请填写一个整数 / enter a whole number");
                }
                return T::default();
            }
            match t.parse::<T>() {
                Ok(n) => n,
                Err(_) => {
                    e.push(
                        field,
                        "not_a_number",
                        format!("“{t}”不是有效的非负整数 / “{t}” is not a whole number"),
                    );
                    T::default()
                }
            }
        }

        let region = match RegionCode::parse(&self.region) {
            Ok(r) => Some(r),
            Err(err) => {
                e.extend_prefixed("region", err);
                None
            }
        };
        let level = match RegionLevel::parse(self.level.trim()) {
            Ok(l) => l,
            Err(err) => {
                e.extend_prefixed("level", err);
                region.as_ref().map_or(RegionLevel::City, RegionCode::level)
            }
        };
        let effective_from = match Date::parse(
            self.effective_from.trim(),
            time::macros::format_description!("[year]-[month]-[day]"),
        ) {
            Ok(d) => Some(d),
            Err(_) => {
                e.push(
                    "effective_from",
                    "invalid_date",
                    "生效日期格式应为 YYYY-MM-DD / the date must be YYYY-MM-DD",
                );
                None
            }
        };

        let mut materials = Vec::new();
        for r in &self.materials {
            if r.remove || r.is_blank() {
                continue;
            }
            let p = |sub: &str| r.path(sub);
            materials.push(Material {
                code: r.code.trim().to_owned(),
                name: Text::new(r.name_zh.trim(), r.name_en.trim()),
                form: pick(
                    &mut e,
                    &p("form"),
                    &r.form,
                    MaterialForm::parse,
                    MaterialForm::Either,
                ),
                originals: number(&mut e, &p("originals"), &r.originals, true),
                copies: number(&mut e, &p("copies"), &r.copies, true),
                required: r.required,
                condition: opt(&r.condition),
                source: pick(
                    &mut e,
                    &p("source"),
                    &r.source,
                    MaterialSource::parse,
                    MaterialSource::Applicant,
                ),
                blank_form: opt(&r.blank_form),
                sample: opt(&r.sample),
                notes: opt(&r.notes),
                evidence: opt(&r.evidence).map(|t| onetrip_domain::evidence::EvidenceSpec {
                    evidence_type: t,
                    consent_required: r.evidence_consent,
                }),
            });
            rows.materials.push(r.index);
        }
        let mut situations = Vec::new();
        for r in &self.situations {
            if r.remove || r.is_blank() {
                continue;
            }
            situations.push(Situation {
                code: r.code.trim().to_owned(),
                name: Text::new(r.name_zh.trim(), r.name_en.trim()),
                materials: split_list(&r.materials, CODE_SEPARATORS),
            });
            rows.situations.push(r.index);
        }
        let mut fees = Vec::new();
        for r in &self.fees {
            if r.remove || r.is_blank() {
                continue;
            }
            let amount_fen = match parse_yuan(&r.amount) {
                Some(a) => a,
                None => {
                    e.push(
                        r.path("amount"),
                        "invalid_amount",
                        "金额应为元，最多两位小数，例如 120.00 / an amount in yuan with at most two decimals, e.g. 120.00",
                    );
                    0
                }
            };
            fees.push(Fee {
                name: Text::new(r.name_zh.trim(), r.name_en.trim()),
                basis: r.basis.trim().to_owned(),
                amount_fen,
            });
            rows.fees.push(r.index);
        }

        let mut special_procedures = Vec::new();
        for s in &self.special_procedures {
            match SpecialProcedure::parse(s) {
                Some(p) if !special_procedures.contains(&p) => special_procedures.push(p),
                Some(_) => {}
                None => e.push(
                    "special_procedures",
                    "invalid_choice",
                    format!("未知的特别程序 {s} / unknown special procedure"),
                ),
            }
        }
        let mut delivery_channels = Vec::new();
        for s in &self.delivery_channels {
            match DeliveryChannel::parse(s) {
                Some(c) if !delivery_channels.contains(&c) => delivery_channels.push(c),
                Some(_) => {}
                None => e.push(
                    "delivery_channels",
                    "invalid_choice",
                    format!("未知的送达方式 {s} / unknown delivery channel"),
                ),
            }
        }
        let mut life_events: Vec<String> = Vec::new();
        for s in &self.life_events {
            let s = s.trim();
            if !s.is_empty() && !life_events.iter().any(|l| l == s) {
                life_events.push(s.to_owned());
            }
        }

        // Without a region there is no body to check further.
        let Some(region) = region else {
            return Err(e);
        };
        let body = ServiceItemBody {
            code: self.code.trim().to_owned(),
            name: Text::new(self.name_zh.trim(), self.name_en.trim()),
            keywords: split_list(&self.keywords, KEYWORD_SEPARATORS),
            power_category: pick(
                &mut e,
                "power_category",
                &self.power_category,
                PowerCategory::parse,
                PowerCategory::OtherPower,
            ),
            competent_department: self.competent_department.trim().to_owned(),
            implementing_body: self.implementing_body.trim().to_owned(),
            legal_basis: lines(&self.legal_basis),
            level,
            region,
            module: pick(
                &mut e,
                "module",
                &self.module,
                Module::parse,
                Module::SingleItems,
            ),
            life_events,
            audience: pick(
                &mut e,
                "audience",
                &self.audience,
                Audience::parse,
                Audience::Both,
            ),
            conditions: lines(&self.conditions),
            situations,
            materials,
            fees,
            statutory_limit_days: number(
                &mut e,
                "statutory_limit_days",
                &self.statutory_limit_days,
                false,
            ),
            promised_limit_days: number(
                &mut e,
                "promised_limit_days",
                &self.promised_limit_days,
                false,
            ),
            special_procedures,
            on_site_trips: number(&mut e, "on_site_trips", &self.on_site_trips, false),
            online_depth: pick(
                &mut e,
                "online_depth",
                &self.online_depth,
                OnlineDepth::parse,
                OnlineDepth::Information,
            ),
            delivery_channels,
            result: ItemResult {
                name: Text::new(self.result_name_zh.trim(), self.result_name_en.trim()),
                kind: pick(
                    &mut e,
                    "result.kind",
                    &self.result_kind,
                    ResultKind::parse,
                    ResultKind::Other,
                ),
            },
            consultation_phone: self.consultation_phone.trim().to_owned(),
            complaint_phone: self.complaint_phone.trim().to_owned(),
            place: self.place.trim().to_owned(),
            hours: self.hours.trim().to_owned(),
        };

        match (effective_from, e.is_empty()) {
            (Some(effective_from), true) => Ok(Assembled {
                body,
                effective_from,
                rows,
            }),
            _ => {
                // Report the body's own rules as well, except on fields that
                // already have a reading error (their values are stand-ins).
                let mut errors = e.errors;
                if let Err(more) = body.validate() {
                    // A stand-in statutory limit says nothing about the promised one.
                    let statutory_failed = errors.iter().any(|x| x.field == "statutory_limit_days");
                    let extra: Vec<FieldError> = rows
                        .remap(more.errors)
                        .into_iter()
                        .filter(|m| !errors.iter().any(|x| x.field == m.field))
                        .filter(|m| !(statutory_failed && m.field == "promised_limit_days"))
                        .collect();
                    errors.extend(extra);
                }
                Err(ValidationErrors { errors })
            }
        }
    }
}

impl RowMap {
    fn translate(list: &[usize], index: &str) -> Option<usize> {
        index
            .parse::<usize>()
            .ok()
            .and_then(|i| list.get(i).copied())
    }

    /// Rewrites error paths of the assembled body (`materials[1].condition`)
    /// into paths of the form rows (`materials[2].condition`). A path into a
    /// list inside a row (`situations[0].materials[3]`) or a top-level list
    /// (`life_events[1]`) points at the input holding the whole list.
    pub fn remap(&self, errors: Vec<FieldError>) -> Vec<FieldError> {
        errors
            .into_iter()
            .map(|mut e| {
                e.field = self.remap_path(&e.field);
                e
            })
            .collect()
    }

    fn remap_path(&self, path: &str) -> String {
        if let Some((prefix, index, rest)) = path
            .split_once('[')
            .and_then(|(p, r)| r.split_once(']').map(|(i, rest)| (p, i, rest)))
        {
            let list = match prefix {
                "materials" => Some(&self.materials),
                "situations" => Some(&self.situations),
                "fees" => Some(&self.fees),
                _ => None,
            };
            if let Some(list) = list {
                let Some(form_index) = Self::translate(list, index) else {
                    return prefix.to_owned();
                };
                let rest = match rest.find('[') {
                    Some(cut) => &rest[..cut],
                    None => rest,
                };
                return format!("{prefix}[{form_index}]{rest}");
            }
            if matches!(
                prefix,
                "life_events" | "keywords" | "legal_basis" | "conditions"
            ) {
                return prefix.to_owned();
            }
        }
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn sample_body() -> ServiceItemBody {
        ServiceItemBody {
            code: "420100-SCJGJ-XK-001".into(),
            name: Text::new("企业设立登记", "Enterprise establishment registration"),
            keywords: vec!["营业执照".into(), "开公司".into()],
            power_category: PowerCategory::Licensing,
            competent_department: "420100-SCJGJ".into(),
            implementing_body: "420100-SCJGJ".into(),
            legal_basis: vec!["《市场主体登记管理条例》".into()],
            level: RegionLevel::City,
            region: RegionCode::parse("420100").unwrap(),
            module: Module::BusinessRegistration,
            life_events: vec!["starting-business".into()],
            audience: Audience::Both,
            conditions: vec!["材料齐全".into()],
            situations: vec![Situation {
                code: "S01".into(),
                name: Text::new("新设", "New"),
                materials: vec!["M01".into(), "M02".into()],
            }],
            materials: vec![
                Material {
                    code: "M01".into(),
                    name: Text::new("申请书", "Application"),
                    form: MaterialForm::Either,
                    originals: 1,
                    copies: 0,
                    required: true,
                    condition: None,
                    source: MaterialSource::Applicant,
                    blank_form: Some("申请书.docx".into()),
                    sample: None,
                    notes: None,
                    evidence: None,
                },
                Material {
                    code: "M02".into(),
                    name: Text::new("前置审批文件", "Prior approval"),
                    form: MaterialForm::Paper,
                    originals: 0,
                    copies: 1,
                    required: false,
                    condition: Some("涉及前置审批的".into()),
                    source: MaterialSource::Applicant,
                    blank_form: None,
                    sample: None,
                    notes: Some("复印件加盖公章".into()),
                    evidence: None,
                },
            ],
            fees: vec![Fee {
                name: Text::new("工本费", "Fee"),
                basis: "价格文件".into(),
                amount_fen: 12_050,
            }],
            statutory_limit_days: 3,
            promised_limit_days: 1,
            special_procedures: vec![SpecialProcedure::Hearing],
            on_site_trips: 1,
            online_depth: OnlineDepth::FullyOnline,
            delivery_channels: vec![DeliveryChannel::Window, DeliveryChannel::Courier],
            result: ItemResult {
                name: Text::new("营业执照", "Business licence"),
                kind: ResultKind::Certificate,
            },
            consultation_phone: "027-12345".into(),
            complaint_phone: "12345".into(),
            place: "武汉市民之家".into(),
            hours: "工作日 9:00-17:00".into(),
        }
    }

    fn date() -> Date {
        Date::from_calendar_date(2026, time::Month::March, 1).unwrap()
    }

    /// Serialises a form the way a browser would submit it.
    fn submit(form: &ItemForm) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut push = |k: &str, v: &str| out.push((k.to_owned(), v.to_owned()));
        push("code", &form.code);
        push("name_zh", &form.name_zh);
        push("name_en", &form.name_en);
        push("keywords", &form.keywords);
        push("power_category", &form.power_category);
        push("module", &form.module);
        push("audience", &form.audience);
        push("level", &form.level);
        push("region", &form.region);
        push("competent_department", &form.competent_department);
        push("implementing_body", &form.implementing_body);
        push("legal_basis", &form.legal_basis);
        push("conditions", &form.conditions);
        push("statutory_limit_days", &form.statutory_limit_days);
        push("promised_limit_days", &form.promised_limit_days);
        for s in &form.special_procedures {
            push("special_procedures", s);
        }
        push("on_site_trips", &form.on_site_trips);
        push("online_depth", &form.online_depth);
        for s in &form.delivery_channels {
            push("delivery_channels", s);
        }
        push("result_name_zh", &form.result_name_zh);
        push("result_name_en", &form.result_name_en);
        push("result_kind", &form.result_kind);
        push("consultation_phone", &form.consultation_phone);
        push("complaint_phone", &form.complaint_phone);
        push("place", &form.place);
        push("hours", &form.hours);
        for s in &form.life_events {
            push("life_events", s);
        }
        push("effective_from", &form.effective_from);
        for m in &form.materials {
            for (sub, v) in [
                ("code", &m.code),
                ("name_zh", &m.name_zh),
                ("name_en", &m.name_en),
                ("form", &m.form),
                ("originals", &m.originals),
                ("copies", &m.copies),
                ("condition", &m.condition),
                ("source", &m.source),
                ("blank_form", &m.blank_form),
                ("sample", &m.sample),
                ("notes", &m.notes),
                ("evidence", &m.evidence),
            ] {
                push(&m.name(sub), v);
            }
            if m.required {
                push(&m.name("required"), "on");
            }
            if m.evidence_consent {
                push(&m.name("evidence_consent"), "on");
            }
        }
        for s in &form.situations {
            for (sub, v) in [
                ("code", &s.code),
                ("name_zh", &s.name_zh),
                ("name_en", &s.name_en),
                ("materials", &s.materials),
            ] {
                push(&s.name(sub), v);
            }
        }
        for f in &form.fees {
            for (sub, v) in [
                ("name_zh", &f.name_zh),
                ("name_en", &f.name_en),
                ("basis", &f.basis),
                ("amount", &f.amount),
            ] {
                push(&f.name(sub), v);
            }
        }
        out
    }

    #[test]
    fn a_body_survives_the_form_round_trip() {
        let body = sample_body();
        let form = ItemForm::from_body(&body, date());
        assert_eq!(form.materials.len(), 2 + BLANK_MATERIALS);
        assert_eq!(form.situations.len(), 1 + BLANK_SITUATIONS);
        assert_eq!(form.fees.len(), 1 + BLANK_FEES);
        assert_eq!(form.fees[0].amount, "120.50");
        let (parsed, errors) = ItemForm::from_pairs(&submit(&form));
        assert!(errors.is_empty());
        assert_eq!(parsed, form);
        let assembled = parsed.to_body().unwrap();
        assert_eq!(assembled.body, body);
        assert_eq!(assembled.effective_from, date());
    }

    #[test]
    fn blank_and_removed_rows_are_ignored_and_errors_point_at_form_rows() {
        let mut form = ItemForm::from_body(&sample_body(), date());
        // Row 0 removed, row 1 loses its condition, a new row typed into row 3.
        form.materials[0].remove = true;
        form.materials[1].condition.clear();
        form.materials[3].code = "M09".into();
        form.materials[3].name_zh = "补充材料".into();
        form.materials[3].name_en = "Supplement".into();
        form.materials[3].copies = "1".into();
        form.situations[0].materials = "M02、M09".into();
        form.promised_limit_days = "5".into();
        let mut pairs = submit(&form);
        pairs.push(("materials[0].remove".into(), "on".into()));
        let (parsed, _) = ItemForm::from_pairs(&pairs);
        let assembled = parsed.to_body().unwrap();
        assert_eq!(assembled.body.materials.len(), 2);
        assert_eq!(assembled.body.materials[1].code, "M09");
        assert_eq!(assembled.body.situations[0].materials, vec!["M02", "M09"]);
        let errors = assembled.body.validate().unwrap_err();
        let fields: Vec<String> = assembled
            .rows
            .remap(errors.errors)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert!(
            fields.contains(&"materials[1].condition".to_owned()),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"promised_limit_days".to_owned()),
            "{fields:?}"
        );
    }

    #[test]
    fn unreadable_values_are_reported_with_the_body_rules() {
        let mut form = ItemForm::from_body(&sample_body(), date());
        form.statutory_limit_days = "three".into();
        form.fees[0].amount = "12.345".into();
        form.effective_from = "2026/03/01".into();
        form.materials[1].condition = " ".into();
        form.situations[0].materials = "M01, M77".into();
        let errors = form.to_body().unwrap_err();
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        for wanted in [
            "statutory_limit_days",
            "fees[0].amount",
            "effective_from",
            "materials[1].condition",
            "situations[0].materials",
        ] {
            assert!(fields.contains(&wanted), "{wanted} missing from {fields:?}");
        }
        // The stand-in statutory limit (0) must not also produce “promised > statutory”.
        assert!(!fields.contains(&"promised_limit_days"), "{fields:?}");
    }

    #[test]
    fn bad_row_indexes_are_refused() {
        let (form, errors) =
            ItemForm::from_pairs(&pairs(&[("materials[x].code", "M01"), ("name_zh", "名称")]));
        assert_eq!(errors[0].field, "materials");
        assert_eq!(form.name_zh, "名称");
        assert!(form.materials.is_empty());
        let (_, errors) = ItemForm::from_pairs(&pairs(&[("fees[100000].basis", "b")]));
        assert_eq!(errors[0].field, "fees");
    }

    #[test]
    fn yuan_amounts() {
        assert_eq!(parse_yuan("120.00"), Some(12_000));
        assert_eq!(parse_yuan("120"), Some(12_000));
        assert_eq!(parse_yuan(" 0.5 "), Some(50));
        assert_eq!(parse_yuan("3.07"), Some(307));
        for bad in [
            "",
            "-1",
            "1.234",
            "1.",
            ".5",
            "1,000",
            "abc",
            "99999999999999999999",
        ] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
        assert_eq!(format_yuan(12_050), "120.50");
        assert_eq!(format_yuan(7), "0.07");
    }

    #[test]
    fn keywords_and_lines_are_split() {
        assert_eq!(
            split_list("营业执照、开公司, 注册公司，执照", KEYWORD_SEPARATORS),
            vec!["营业执照", "开公司", "注册公司", "执照"]
        );
        assert_eq!(lines(" a \n\n b\r\n"), vec!["a", "b"]);
    }

    #[test]
    fn padding_keeps_existing_blank_rows_and_indexes() {
        let mut form = ItemForm::from_body(&sample_body(), date());
        let before = form.materials.len();
        form = form.with_blank_rows();
        assert_eq!(form.materials.len(), before);
        assert!(form.materials.iter().enumerate().all(|(i, m)| m.index == i));
        assert_eq!(form.materials[2].id("name.zh"), "field-materials-2-name-zh");
        assert_eq!(form.materials[2].name("name_zh"), "materials[2].name_zh");
    }

    #[test]
    fn remap_paths() {
        let map = RowMap {
            materials: vec![0, 2, 5],
            situations: vec![1],
            fees: vec![],
        };
        let e = |f: &str| FieldError::new(f, "x", "y");
        let out: Vec<String> = map
            .remap(vec![
                e("materials[2].name.zh"),
                e("situations[0].materials[1]"),
                e("life_events[0]"),
                e("promised_limit_days"),
                e("fees[3].basis"),
            ])
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            out,
            vec![
                "materials[5].name.zh",
                "situations[1].materials",
                "life_events",
                "promised_limit_days",
                "fees",
            ]
        );
    }
}
