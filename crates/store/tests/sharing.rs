//! Once-only data sharing conformance: the same rules on every engine.

// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cases::{person, setup};
use common::sharing::{demo_sharing, evidence, shared_draft};
use common::{Clock, assert_conflict, for_each_engine, invalid_fields, verified_chain};
use onetrip_domain::case::MaterialKind;
use onetrip_domain::evidence::{
    CertificateStatus, EntityStatus, MESSAGE_LOG_GENESIS, message_hash,
};
use onetrip_store::{EvidenceUse, NewAccess, NewConsent, NewProviderMessage, StoreError};
use time::macros::date;

#[tokio::test]
async fn an_import_is_all_or_nothing_and_upserts() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(s.as_ref(), &clock).await;
        let mut bad = demo_sharing();
        bad.population[1].id_number = "420106198511082640".into();
        bad.certificates[0].valid_until = Some(date!(2000 - 01 - 01));
        let fields = invalid_fields(s.import_sharing(&clock.ctx(), &bad).await);
        assert!(
            fields.contains("population[1].id_number")
                && fields.contains("certificates[0].valid_until"),
            "{fields:?}"
        );
        assert!(
            s.population_record("420111199003151239")
                .await
                .unwrap()
                .is_none(),
            "nothing imported"
        );

        let summary = s
            .import_sharing(&clock.ctx(), &demo_sharing())
            .await
            .unwrap();
        assert_eq!(
            (
                summary.population,
                summary.legal_entities,
                summary.certificates
            ),
            (5, 3, 6)
        );
        let p = s
            .population_record("420111199003151239")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.record.name, "张伟");
        let l = s.legal_entity("91420111MA4L0P1Q24").await.unwrap().unwrap();
        assert_eq!(l.record.status, EntityStatus::Cancelled);
        assert!(!l.is_active());
        // Re-importing updates in place.
        let mut again = demo_sharing();
        again.population[0].address = "湖北省武汉市洪山区关山大道1号".into();
        s.import_sharing(&clock.ctx(), &again).await.unwrap();
        let p = s
            .population_record("420111199003151239")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.record.address, "湖北省武汉市洪山区关山大道1号");

        let certs = s.certificates_of("420106198511082641").await.unwrap();
        assert_eq!(certs.len(), 2);
        let licence = certs
            .iter()
            .find(|c| c.cert_type == "driving_licence")
            .unwrap();
        assert_eq!(
            licence.status(date!(2026 - 03 - 01)),
            CertificateStatus::Expired
        );
        let revoked = s
            .library_certificate("420103197509230314-JSZ")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            revoked.status(date!(2026 - 03 - 01)),
            CertificateStatus::Revoked
        );
        s.revoke_certificate(&clock.ctx(), "420111199003151239-JSZ", "遗失")
            .await
            .unwrap();
        assert_conflict(
            s.revoke_certificate(&clock.ctx(), "420111199003151239-JSZ", "遗失")
                .await,
        );
        assert!(matches!(
            s.revoke_certificate(&clock.ctx(), "NO-SUCH", "x").await,
            Err(StoreError::NotFound(_))
        ));
        let chain = verified_chain(s.as_ref()).await;
        assert_eq!(
            chain
                .iter()
                .filter(|e| e.action == "sharing.imported")
                .count(),
            2
        );
        assert!(chain.iter().any(|e| e.action == "certificate.revoked"));
    })
    .await;
}

#[tokio::test]
async fn evidence_fulfils_a_draft_and_revoking_consent_undoes_it() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(s.as_ref(), &clock).await;
        let a = person(s.as_ref(), &clock, "420106198511082641", "李娜").await;
        let case = shared_draft(s.as_ref(), &clock, a.id).await;
        let (k0, k1) = (case.checklist[0].key.clone(), case.checklist[1].key.clone());
        let access = |unmasked| NewAccess {
            holder: "420106198511082641".into(),
            case_id: Some(case.id),
            case_no: case.case_no.clone(),
            purpose: "办件材料免提交".into(),
            legal_basis: "测试".into(),
            data: "population.identity".into(),
            unmasked,
        };
        // The evidence type must be the entry's.
        let wrong = EvidenceUse {
            case_id: case.id,
            material_key: k0.clone(),
            evidence: evidence("population.household", "x"),
            consent_id: None,
            message_seq: None,
            by_staff: false,
        };
        assert!(
            invalid_fields(s.use_evidence(&clock.ctx(), &wrong, &access(false)).await)
                .contains("material")
        );
        let ok = EvidenceUse {
            evidence: evidence("population.identity", "420106198511082641"),
            ..wrong
        };
        s.use_evidence(&clock.ctx(), &ok, &access(false))
            .await
            .unwrap();
        let consent = s
            .record_consent(
                &clock.ctx(),
                &NewConsent {
                    applicant_id: a.id,
                    case_id: case.id,
                    material_key: k1.clone(),
                    evidence_type: "certificate.real_estate".into(),
                    granted: true,
                },
            )
            .await
            .unwrap();
        let used = EvidenceUse {
            case_id: case.id,
            material_key: k1.clone(),
            evidence: evidence("certificate.real_estate", "鄂(2024)"),
            consent_id: Some(consent.id),
            message_seq: None,
            by_staff: false,
        };
        s.use_evidence(&clock.ctx(), &used, &access(false))
            .await
            .unwrap();
        let detail = s.case_detail(case.id).await.unwrap().unwrap();
        let shared: Vec<_> = detail
            .current_materials()
            .into_iter()
            .filter(|m| m.kind == MaterialKind::Shared)
            .map(|m| m.material_key.clone())
            .collect();
        assert_eq!(shared, vec![k0.clone(), k1.clone()]);
        assert_eq!(s.case_evidence(case.id).await.unwrap().len(), 2);
        // Another applicant cannot revoke it; the owner can, once.
        assert!(matches!(
            s.revoke_consent(&clock.ctx(), a.id + 100, consent.id).await,
            Err(StoreError::NotFound(_))
        ));
        let revoked = s
            .revoke_consent(&clock.ctx(), a.id, consent.id)
            .await
            .unwrap();
        assert!(revoked.revoked_at.is_some());
        assert_conflict(s.revoke_consent(&clock.ctx(), a.id, consent.id).await);
        let evidence_left: Vec<String> = s
            .case_evidence(case.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.material_key)
            .collect();
        assert_eq!(evidence_left, vec![k0.clone()]);
        let detail = s.case_detail(case.id).await.unwrap().unwrap();
        assert!(
            !detail
                .current_materials()
                .iter()
                .any(|m| m.material_key == k1)
        );
        // The access log has both uses, linked to their audit entries.
        let log = s.access_log_for("420106198511082641", 10).await.unwrap();
        assert_eq!(log.len(), 2);
        let chain = verified_chain(s.as_ref()).await;
        for row in &log {
            let entry = chain.iter().find(|e| e.seq == row.audit_seq).unwrap();
            assert_eq!(entry.subject, format!("access:{}", row.id));
            assert!(entry.detail.contains(&row.content_hash()));
        }
        let unmasked = s.record_access(&clock.ctx(), &access(true)).await.unwrap();
        let chain = verified_chain(s.as_ref()).await;
        assert!(
            chain
                .iter()
                .any(|e| e.action == "data.unmasked" && e.subject == format!("access:{unmasked}"))
        );
        // Measures count the shared material once the case leaves draft; a draft counts nothing.
        assert!(
            s.sharing_measures()
                .await
                .unwrap()
                .cases
                .iter()
                .all(|c| c.case_id != case.id)
        );
    })
    .await;
}

#[tokio::test]
async fn the_message_log_is_a_hash_chain() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(s.as_ref(), &clock).await;
        let msg = |d: &str, body: &str| NewProviderMessage {
            request_id: "r".into(),
            provider: "p".into(),
            direction: d.into(),
            case_id: None,
            body: body.into(),
            signature: "sig".into(),
            outcome: "sent".into(),
        };
        let first = s
            .append_provider_messages(
                &clock.ctx(),
                &[msg("request", "{\"a\":1}"), msg("response", "{}")],
            )
            .await
            .unwrap();
        let second = s
            .append_provider_messages(&clock.ctx(), &[msg("request", "{\"b\":2}")])
            .await
            .unwrap();
        assert_eq!((first, second), (vec![1, 2], vec![3]));
        let log = s.provider_messages(0, 10).await.unwrap();
        let mut prev = MESSAGE_LOG_GENESIS.to_owned();
        for m in &log {
            assert_eq!(m.prev_hash, prev);
            assert_eq!(
                m.hash,
                message_hash(&prev, &m.direction, &m.provider, &m.body, &m.signature)
            );
            prev = m.hash.clone();
        }
        let chain = verified_chain(s.as_ref()).await;
        let logged: Vec<_> = chain
            .iter()
            .filter(|e| e.action == "sharing.messages_logged")
            .collect();
        assert_eq!(logged.len(), 2);
        assert!(
            logged[1].detail.contains(&prev),
            "the audit chain keeps the log head"
        );
    })
    .await;
}
