//! Sharing fixtures shared by the sharing conformance tests and the backup tests.

use onetrip_domain::case::IntakeChannel;
use onetrip_domain::evidence::{
    Evidence, EvidenceField, EvidenceSpec, SharingDocument, SourceKind,
};
use onetrip_store::{
    CaseRecord, EvidenceUse, NewAccess, NewConsent, NewProviderMessage, ProviderRecord, Store,
};
use time::macros::date;

use super::Clock;
use super::cases::{new_case, person};

/// The demo sharing document.
pub fn demo_sharing() -> SharingDocument {
    serde_json::from_str(include_str!("../../../../demo/sharing.json")).expect("demo/sharing.json")
}

/// Evidence as a provider or the local registry would give it.
pub fn evidence(t: &str, reference: &str) -> Evidence {
    Evidence {
        evidence_type: t.into(),
        source: SourceKind::Population,
        provider: "local".into(),
        reference: reference.into(),
        fields: vec![EvidenceField::masked("姓名", "Name", "王小明", |n| {
            format!("{}*", n.chars().next().unwrap_or('?'))
        })],
    }
}

/// A draft whose first two checklist entries name evidence: the first
/// without consent, the second with.
pub async fn shared_draft(s: &dyn Store, clock: &Clock, applicant: i64) -> CaseRecord {
    let mut new = new_case(
        &[("420111-SCJGJ-XK-002", "S01")],
        applicant,
        IntakeChannel::Online,
        date!(2026 - 09 - 01),
    );
    new.status_nonce = format!("nonce-sharing-{applicant}");
    new.checklist[0].evidence = Some(EvidenceSpec {
        evidence_type: "population.identity".into(),
        consent_required: false,
    });
    new.checklist[1].evidence = Some(EvidenceSpec {
        evidence_type: "certificate.real_estate".into(),
        consent_required: true,
    });
    s.open_case(&clock.ctx(), &new).await.expect("open")
}

/// Fills every sharing table.
pub async fn populate(s: &dyn Store, clock: &Clock) {
    s.import_sharing(&clock.ctx(), &demo_sharing())
        .await
        .expect("import");
    s.revoke_certificate(&clock.ctx(), "420111199003151239-JSZ", "遗失补领 / lost")
        .await
        .expect("revoke");
    let a = person(s, clock, "420106198511082641", "李娜").await;
    let case = shared_draft(s, clock, a.id).await;
    let access = NewAccess {
        holder: "420106198511082641".into(),
        case_id: Some(case.id),
        case_no: case.case_no.clone(),
        purpose: "办件材料免提交".into(),
        legal_basis: "测试".into(),
        data: "population.identity".into(),
        unmasked: false,
    };
    let seqs = s
        .append_provider_messages(
            &clock.ctx(),
            &[
                NewProviderMessage {
                    request_id: "r1".into(),
                    provider: "hubei-population".into(),
                    direction: "request".into(),
                    case_id: Some(case.id),
                    body: "{}".into(),
                    signature: "c2ln".into(),
                    outcome: "sent".into(),
                },
                NewProviderMessage {
                    request_id: "r1".into(),
                    provider: "hubei-population".into(),
                    direction: "response".into(),
                    case_id: Some(case.id),
                    body: "{}".into(),
                    signature: "c2ln".into(),
                    outcome: "verified".into(),
                },
            ],
        )
        .await
        .expect("messages");
    s.use_evidence(
        &clock.ctx(),
        &EvidenceUse {
            case_id: case.id,
            material_key: case.checklist[0].key.clone(),
            evidence: evidence("population.identity", "420106198511082641"),
            consent_id: None,
            message_seq: seqs.last().copied(),
            by_staff: false,
        },
        &access,
    )
    .await
    .expect("use");
    let consent = s
        .record_consent(
            &clock.ctx(),
            &NewConsent {
                applicant_id: a.id,
                case_id: case.id,
                material_key: case.checklist[1].key.clone(),
                evidence_type: "certificate.real_estate".into(),
                granted: true,
            },
        )
        .await
        .expect("consent");
    assert_eq!(consent.decision, "granted");
    s.save_provider(
        &clock.ctx(),
        &ProviderRecord {
            name: "hubei-population".into(),
            base_url: "http://127.0.0.1:9".into(),
            public_key: "00".repeat(32),
            evidence_types: vec!["population.household".into()],
            timeout_ms: 300,
            enabled: true,
        },
    )
    .await
    .expect("provider");
}
