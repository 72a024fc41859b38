//! User-visible strings of once-only data sharing: Simplified Chinese
//! first, English second (kept apart from `i18n.rs` so the tables merge
//! cleanly; `Lang::t` looks in both).

/// `(key, 中文, English)`.
pub const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "sharing.evidence_type",
        "共享证据类型",
        "Shared evidence type",
    ),
    (
        "sharing.consent_required",
        "需申请人授权",
        "Applicant consent needed",
    ),
];
