//! The demo loader files about 300 cases in every state through the real
//! use cases, and loading it again changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use onetrip_domain::case::CaseStatus;

#[tokio::test]
async fn demo_cases_cover_every_state_and_load_once() {
    for env in common::envs().await {
        let app = env.app().await;
        let started = std::time::Instant::now();
        app.load_demo_with_cases().await.expect("demo");
        let took = started.elapsed();
        let counts = app.store.case_counts().await.unwrap();
        let total: i64 = counts.iter().map(|(_, n)| n).sum();
        eprintln!("[{}] demo loaded in {took:.1?}: {counts:?}", env.name);
        assert!((250..=350).contains(&total), "{}: {total} cases", env.name);
        for status in CaseStatus::ALL {
            let n = counts
                .iter()
                .find(|(s, _)| s == status.as_str())
                .map_or(0, |(_, n)| *n);
            assert!(n > 0, "{}: no case is {}", env.name, status.as_str());
        }
        assert_eq!(app.load_demo_cases().await.unwrap(), 0, "{}", env.name);
        let again: i64 = app
            .store
            .case_counts()
            .await
            .unwrap()
            .iter()
            .map(|(_, n)| n)
            .sum();
        assert_eq!(again, total, "{}", env.name);
        assert!(
            app.verify_audit().await.unwrap().is_intact(),
            "{}",
            env.name
        );
    }
}
