//! Once-only data sharing pages: the applicant's evidence page of a case
//! (preview, consent, 免提交), the data tracker, the public certificate
//! verification page and the staff provenance page with audited unmasking.

pub mod case_evidence;
pub mod staff_evidence;
pub mod tracker;
pub mod verify;

use onetrip_domain::evidence::EvidenceField;

use crate::i18n::Lang;

/// One field as shown: label and the value the viewer may see.
#[derive(Debug, Clone)]
pub struct FieldRow {
    /// Label.
    pub label: String,
    /// Value.
    pub value: String,
}

/// Fields with masked values (or full ones when `full`).
pub fn field_rows(lang: Lang, fields: &[EvidenceField], full: bool) -> Vec<FieldRow> {
    fields
        .iter()
        .map(|f| FieldRow {
            label: lang.pick(&f.label).to_owned(),
            value: if full {
                f.value.clone()
            } else {
                f.masked.clone()
            },
        })
        .collect()
}
