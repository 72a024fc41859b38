//! Catalogue import, export, listing and versioning on every engine.

// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{
    AuditCursor, Clock, demo_doc, for_each_engine, invalid, invalid_fields, verified_chain,
};
use onetrip_domain::audit::GENESIS_HASH;
use onetrip_domain::catalogue::{CatalogueDocument, CatalogueItem, ItemStatus, Module};
use onetrip_domain::region::RegionCode;
use onetrip_store::{ImportSummary, ItemFilter, ItemSummary, Store, StoreError};
use time::macros::date;

/// Item codes in the document with `status` matching `pred`, sorted and unique.
fn doc_codes(
    doc: &CatalogueDocument,
    status: ItemStatus,
    pred: impl Fn(&CatalogueItem) -> bool,
) -> Vec<String> {
    let set: BTreeSet<String> = doc
        .items
        .iter()
        .filter(|i| i.status == status && pred(i))
        .map(|i| i.body.code.clone())
        .collect();
    set.into_iter().collect()
}

fn codes(list: &[ItemSummary]) -> Vec<String> {
    list.iter().map(|s| s.code.clone()).collect()
}

async fn listed(store: &dyn Store, filter: ItemFilter) -> Vec<String> {
    codes(&store.list_items(&filter).await.expect("list_items"))
}

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).expect("region code")
}

/// Everything a reader can see of the catalogue, for comparing stores.
async fn catalogue_view(store: &dyn Store) -> Vec<Vec<ItemSummary>> {
    let mut filters = vec![ItemFilter::default()];
    for status in ItemStatus::ALL {
        filters.push(ItemFilter {
            status: Some(*status),
            ..Default::default()
        });
    }
    for module in Module::ALL {
        filters.push(ItemFilter {
            module: Some(*module),
            ..Default::default()
        });
    }
    for r in store.list_regions().await.expect("regions") {
        filters.push(ItemFilter {
            region: Some(r.code.as_str().to_owned()),
            ..Default::default()
        });
    }
    for d in store.list_departments().await.expect("departments") {
        filters.push(ItemFilter {
            department: Some(d.code),
            ..Default::default()
        });
    }
    for l in store.list_life_events().await.expect("life events") {
        filters.push(ItemFilter {
            life_event: Some(l.code),
            ..Default::default()
        });
    }
    let mut out = Vec::new();
    for f in filters {
        out.push(store.list_items(&f).await.expect("list_items"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_import_counts_lists_and_bodies() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        let doc = demo_doc();
        let mut audit = AuditCursor::new(&**s).await;

        let summary = s
            .import_catalogue(&clock.ctx(), &doc)
            .await
            .expect("import demo");
        assert_eq!(
            summary,
            ImportSummary {
                regions: doc.regions.len(),
                departments: doc.departments.len(),
                service_centres: doc.service_centres.len(),
                life_events: doc.life_events.len(),
                synonym_groups: doc.synonyms.len(),
                items: doc.items.len(),
                bundles: doc.bundles.len(),
            }
        );
        assert!(summary.bundles >= 3, "the demo has at least three bundles");
        // The demo data as it stands: 83 versions, 80 of them published.
        assert_eq!(summary.items, 83);
        let entries = audit.expect(&**s, &["catalogue.import"]).await;
        assert_eq!(entries[0].subject, "catalogue");
        assert_eq!(entries[0].actor, "test");

        // Organisations read back as imported, ordered by code.
        let mut regions = doc.regions.clone();
        regions.sort_by(|a, b| a.code.cmp(&b.code));
        assert_eq!(s.list_regions().await.expect("regions"), regions);
        let mut departments = doc.departments.clone();
        departments.sort_by(|a, b| a.code.cmp(&b.code));
        assert_eq!(
            s.list_departments().await.expect("departments"),
            departments
        );
        let mut centres = doc.service_centres.clone();
        centres.sort_by(|a, b| a.code.cmp(&b.code));
        for c in &mut centres {
            c.halls.sort_by(|a, b| a.code.cmp(&b.code));
        }
        assert_eq!(s.list_service_centres().await.expect("centres"), centres);
        let mut events = doc.life_events.clone();
        events.sort_by(|a, b| a.code.cmp(&b.code));
        assert_eq!(s.list_life_events().await.expect("life events"), events);
        assert_eq!(s.list_synonyms().await.expect("synonyms"), doc.synonyms);

        // Default listing: published versions, one line per item, ordered by code.
        let all = s.list_items(&ItemFilter::default()).await.expect("list");
        let published = doc_codes(&doc, ItemStatus::Published, |_| true);
        assert_eq!(published.len(), 80);
        assert_eq!(codes(&all), published);
        assert!(
            all.iter()
                .all(|i| i.status == ItemStatus::Published && i.version == 1)
        );
        assert_eq!(
            s.published_items().await.expect("published_items").len(),
            published.len()
        );

        // One summary line in full.
        let first = &doc.items[0];
        let line = all
            .iter()
            .find(|i| i.code == first.body.code)
            .expect("first item listed");
        assert_eq!(line.name_zh, first.body.name.zh);
        assert_eq!(line.name_en, first.body.name.en);
        assert_eq!(line.module, first.body.module);
        assert_eq!(line.power_category, first.body.power_category);
        assert_eq!(line.implementing_body, first.body.implementing_body);
        assert_eq!(line.region, first.body.region.as_str());
        assert_eq!(
            line.promised_limit_days,
            i64::from(first.body.promised_limit_days)
        );
        assert_eq!(line.on_site_trips, i64::from(first.body.on_site_trips));

        // Filters.
        for module in Module::ALL {
            let want = doc_codes(&doc, ItemStatus::Published, |i| i.body.module == *module);
            assert!(!want.is_empty(), "demo covers module {module:?}");
            assert_eq!(
                listed(
                    &**s,
                    ItemFilter {
                        module: Some(*module),
                        ..Default::default()
                    }
                )
                .await,
                want,
                "{module:?}"
            );
        }
        for dept in ["420100-SCJGJ", "420100-GAJ", "330521-SCJGJ"] {
            let want = doc_codes(&doc, ItemStatus::Published, |i| {
                i.body.implementing_body == dept
            });
            assert!(!want.is_empty());
            assert_eq!(
                listed(
                    &**s,
                    ItemFilter {
                        department: Some(dept.into()),
                        ..Default::default()
                    }
                )
                .await,
                want,
                "{dept}"
            );
        }
        for event in ["starting-business", "construction", "social-security"] {
            let want = doc_codes(&doc, ItemStatus::Published, |i| {
                i.body.life_events.iter().any(|l| l == event)
            });
            assert!(!want.is_empty());
            assert_eq!(
                listed(
                    &**s,
                    ItemFilter {
                        life_event: Some(event.into()),
                        ..Default::default()
                    }
                )
                .await,
                want,
                "{event}"
            );
        }
        // A region filter covers the region and everything inside it.
        for code in ["420000", "420100", "420111", "330000", "330521"] {
            let r = region(code);
            let want = doc_codes(&doc, ItemStatus::Published, |i| i.body.region.is_within(&r));
            assert!(!want.is_empty());
            assert_eq!(
                listed(
                    &**s,
                    ItemFilter {
                        region: Some(code.into()),
                        ..Default::default()
                    }
                )
                .await,
                want,
                "{code}"
            );
        }
        let wuhan_business = doc_codes(&doc, ItemStatus::Published, |i| {
            i.body.module == Module::BusinessRegistration
                && i.body.region.is_within(&region("420100"))
        });
        let filter = ItemFilter {
            module: Some(Module::BusinessRegistration),
            region: Some("420100".into()),
            ..Default::default()
        };
        assert_eq!(listed(&**s, filter).await, wuhan_business);
        let nothing = ItemFilter {
            department: Some("420100-SCJGJ".into()),
            region: Some("330000".into()),
            ..Default::default()
        };
        assert!(listed(&**s, nothing).await.is_empty());
        for status in [ItemStatus::Draft, ItemStatus::Retired] {
            let want = doc_codes(&doc, status, |_| true);
            assert!(!want.is_empty());
            assert_eq!(
                listed(
                    &**s,
                    ItemFilter {
                        status: Some(status),
                        ..Default::default()
                    }
                )
                .await,
                want,
                "{status:?}"
            );
        }

        // Item reads.
        for item in doc
            .items
            .iter()
            .filter(|i| i.status == ItemStatus::Published)
        {
            let v = s
                .published_item(&item.body.code)
                .await
                .expect("published_item")
                .expect("published");
            assert_eq!(v.body, item.body);
            assert_eq!(v.version, 1);
            assert_eq!(v.status, ItemStatus::Published);
            assert_eq!(v.effective_from, item.effective_from);
            assert!(v.published_at_micros.is_some());
            assert_eq!(
                s.draft_item(&item.body.code).await.expect("draft_item"),
                None
            );
        }
        for item in doc.items.iter().filter(|i| i.status == ItemStatus::Draft) {
            let v = s
                .draft_item(&item.body.code)
                .await
                .expect("draft_item")
                .expect("draft");
            assert_eq!(
                (v.body.clone(), v.status, v.published_at_micros),
                (item.body.clone(), ItemStatus::Draft, None)
            );
            assert_eq!(
                s.item_version(&item.body.code, 1)
                    .await
                    .expect("item_version"),
                Some(v)
            );
        }
        for item in doc.items.iter().filter(|i| i.status == ItemStatus::Retired) {
            assert_eq!(
                s.published_item(&item.body.code)
                    .await
                    .expect("published_item"),
                None
            );
            let h = s.item_history(&item.body.code).await.expect("history");
            assert_eq!(h.len(), 1);
            assert_eq!((h[0].status, &h[0].body), (ItemStatus::Retired, &item.body));
        }
        assert_eq!(
            s.published_item("NO-SUCH-ITEM")
                .await
                .expect("published_item"),
            None
        );
        assert_eq!(
            s.item_version(&doc.items[0].body.code, 2)
                .await
                .expect("item_version"),
            None
        );
        assert!(
            s.item_history("NO-SUCH-ITEM")
                .await
                .expect("history")
                .is_empty()
        );

        // Importing the same document again writes no item version.
        let before = catalogue_view(&**s).await;
        let again = s
            .import_catalogue(&clock.ctx(), &doc)
            .await
            .expect("second import");
        assert_eq!(again.items, 0, "re-import is idempotent");
        assert_eq!(catalogue_view(&**s).await, before);
        assert_eq!(
            s.item_history(&doc.items[0].body.code)
                .await
                .expect("history")
                .len(),
            1
        );
        audit.expect(&**s, &["catalogue.import"]).await;
        verified_chain(&**s).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_import_into_a_fresh_store_round_trips() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        let doc = demo_doc();
        s.import_catalogue(&clock.ctx(), &doc)
            .await
            .expect("import demo");
        // Give one item some history first, so export carries several versions.
        let code = "420100-SCJGJ-XK-001";
        let mut body = s
            .published_item(code)
            .await
            .expect("read")
            .expect("published")
            .body;
        body.name.zh = "企业设立登记（第二版）".into();
        let v2 = s
            .save_item_draft(&clock.ctx(), &body, date!(2026 - 07 - 01))
            .await
            .expect("draft");
        s.publish_item(&clock.ctx(), code, v2.version)
            .await
            .expect("publish");

        let mut audit = AuditCursor::new(&**s).await;
        let exported = s.export_catalogue(&clock.ctx()).await.expect("export");
        audit.expect(&**s, &["catalogue.export"]).await;
        assert_eq!(exported.format, onetrip_domain::catalogue::FORMAT_V1);
        assert_eq!(exported.items.len(), doc.items.len() + 1);
        // Every demo version is exported unchanged (the item given history is now retired).
        for item in &doc.items {
            let expected_status = if item.body.code == code {
                ItemStatus::Retired
            } else {
                item.status
            };
            assert!(
                exported.items.iter().any(|e| e.body == item.body
                    && e.effective_from == item.effective_from
                    && e.status == expected_status),
                "{} exported",
                item.body.code
            );
        }
        // The exported document is itself valid exchange data, also through JSON.
        let text = serde_json::to_string(&exported).expect("serialise");
        let reparsed: CatalogueDocument = serde_json::from_str(&text).expect("deserialise");
        assert_eq!(reparsed, exported);

        let other = env.fresh().await;
        let summary = other
            .import_catalogue(&clock.ctx(), &reparsed)
            .await
            .expect("import export");
        assert_eq!(summary.items, exported.items.len());
        assert_eq!(catalogue_view(&*other).await, catalogue_view(&**s).await);
        assert_eq!(other.item_history(code).await.expect("history").len(), 2);
        let exported_again = other
            .export_catalogue(&clock.ctx())
            .await
            .expect("export again");
        assert_eq!(exported_again.items, exported.items);
        assert_eq!(exported_again, exported);
        verified_chain(&*other).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_import_lists_every_bad_field_and_changes_nothing() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        let mut bad = demo_doc();
        bad.format = "onetrip-catalogue/0".into();
        bad.items[0].body.promised_limit_days = bad.items[0].body.statutory_limit_days + 1;
        let j = bad.items[1].body.situations[0].materials.len();
        bad.items[1].body.situations[0].materials.push("M99".into());
        bad.items[2].body.implementing_body = "420100-NOSUCH".into();
        bad.items[3].body.materials[0].code = "bad code".into();
        let expected: BTreeSet<String> = [
            "format".to_owned(),
            "items[0].promised_limit_days".to_owned(),
            format!("items[1].situations[0].materials[{j}]"),
            "items[2].implementing_body".to_owned(),
            "items[3].materials[0].code".to_owned(),
        ]
        .into_iter()
        .collect();

        // On an empty store.
        let result = s.import_catalogue(&clock.ctx(), &bad).await;
        let errors = invalid(result);
        let fields: BTreeSet<String> = errors.iter().map(|e| e.field.clone()).collect();
        // Item 3's material code is no longer one that its situations refer to,
        // which is reported too; every other error is exactly one of ours.
        let extra: Vec<&String> = fields.difference(&expected).collect();
        assert!(
            extra.iter().all(|f| f.starts_with("items[3].situations[")),
            "unexpected errors {extra:?} in {errors:#?}"
        );
        assert!(
            fields.is_superset(&expected),
            "missing errors: {:?}",
            expected.difference(&fields).collect::<Vec<_>>()
        );
        let codes: BTreeSet<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        for code in [
            "unsupported_format",
            "exceeds_statutory",
            "unknown_material",
            "unknown_department",
            "invalid_code",
        ] {
            assert!(codes.contains(code), "error code {code} reported");
        }
        assert!(
            s.list_items(&ItemFilter::default())
                .await
                .expect("list")
                .is_empty()
        );
        assert!(s.list_regions().await.expect("regions").is_empty());
        assert!(s.list_departments().await.expect("departments").is_empty());
        assert!(s.list_synonyms().await.expect("synonyms").is_empty());
        assert_eq!(
            s.audit_head().await.expect("head"),
            (0, GENESIS_HASH.to_owned())
        );

        // On a populated store: still nothing changes.
        s.import_catalogue(&clock.ctx(), &demo_doc())
            .await
            .expect("import demo");
        let before = catalogue_view(&**s).await;
        let head = s.audit_head().await.expect("head");
        let mut renamed = bad.clone();
        renamed.regions[0].name.zh = "改名".into();
        assert!(
            invalid_fields(s.import_catalogue(&clock.ctx(), &renamed).await).is_superset(&expected)
        );
        assert_eq!(catalogue_view(&**s).await, before);
        assert_eq!(s.list_regions().await.expect("regions"), {
            let mut r = demo_doc().regions;
            r.sort_by(|a, b| a.code.cmp(&b.code));
            r
        });
        assert_eq!(s.audit_head().await.expect("head"), head);

        // A document may refer to organisations stored by an earlier import.
        let mut items_only = demo_doc();
        items_only.regions.clear();
        items_only.departments.clear();
        items_only.service_centres.clear();
        items_only.life_events.clear();
        items_only.synonyms.clear();
        let summary = s
            .import_catalogue(&clock.ctx(), &items_only)
            .await
            .expect("items-only import");
        assert_eq!(
            summary,
            ImportSummary::default(),
            "nothing new: every version is stored already"
        );
        assert_eq!(
            s.list_synonyms().await.expect("synonyms").len(),
            demo_doc().synonyms.len(),
            "synonyms kept"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_are_immutable_and_publishing_moves_the_current_version() {
    for_each_engine(|env| async move {
        let s = &env.store;
        let clock = Clock::new();
        s.import_catalogue(&clock.ctx(), &demo_doc())
            .await
            .expect("import demo");
        let code = "420100-SCJGJ-XK-001";
        let v1 = s
            .published_item(code)
            .await
            .expect("read")
            .expect("published v1");
        assert_eq!((v1.version, v1.status), (1, ItemStatus::Published));
        let mut audit = AuditCursor::new(&**s).await;

        // A draft for a published item is version 2; version 1 stays published.
        let mut body2 = v1.body.clone();
        body2.name.zh = "企业设立登记（修订）".into();
        body2.promised_limit_days = 1;
        let draft = s
            .save_item_draft(&clock.ctx(), &body2, date!(2026 - 07 - 01))
            .await
            .expect("save draft");
        assert_eq!(
            (draft.version, draft.status, draft.published_at_micros),
            (2, ItemStatus::Draft, None)
        );
        assert_eq!(draft.effective_from, date!(2026 - 07 - 01));
        let entries = audit.expect(&**s, &["catalogue.save_draft"]).await;
        assert_eq!(entries[0].subject, format!("item:{code}"));
        assert_eq!(
            s.published_item(code).await.expect("read"),
            Some(v1.clone())
        );
        assert_eq!(s.draft_item(code).await.expect("read"), Some(draft.clone()));
        let listed = s.list_items(&ItemFilter::default()).await.expect("list");
        let line = listed.iter().find(|l| l.code == code).expect("listed");
        assert_eq!(
            (line.version, line.name_zh.as_str()),
            (1, v1.body.name.zh.as_str())
        );
        let drafts = s
            .list_items(&ItemFilter {
                status: Some(ItemStatus::Draft),
                ..Default::default()
            })
            .await
            .expect("list");
        let line = drafts
            .iter()
            .find(|l| l.code == code)
            .expect("draft listed");
        assert_eq!((line.version, line.promised_limit_days), (2, 1));

        // Saving again replaces the open draft instead of opening another.
        let mut body2b = body2.clone();
        body2b.keywords.push("开办企业".into());
        let draft_b = s
            .save_item_draft(&clock.ctx(), &body2b, date!(2026 - 08 - 01))
            .await
            .expect("save draft again");
        assert_eq!((draft_b.id, draft_b.version), (draft.id, 2));
        assert_eq!(
            s.draft_item(code)
                .await
                .expect("read")
                .map(|d| (d.body, d.effective_from)),
            Some((body2b.clone(), date!(2026 - 08 - 01)))
        );
        assert_eq!(s.item_history(code).await.expect("history").len(), 2);
        audit.expect(&**s, &["catalogue.save_draft"]).await;

        // Publishing moves the current version; the old one is retired, unchanged.
        let at = clock.tick();
        let published = s
            .publish_item(&onetrip_store::Ctx::new("test", at), code, 2)
            .await
            .expect("publish");
        assert_eq!(
            (
                published.version,
                published.status,
                published.published_at_micros
            ),
            (2, ItemStatus::Published, Some(at))
        );
        assert_eq!(published.body, body2b);
        audit.expect(&**s, &["catalogue.publish"]).await;
        assert_eq!(
            s.published_item(code).await.expect("read"),
            Some(published.clone())
        );
        assert_eq!(s.draft_item(code).await.expect("read"), None);
        let old = s
            .item_version(code, 1)
            .await
            .expect("read")
            .expect("v1 kept");
        assert_eq!(old.status, ItemStatus::Retired);
        assert_eq!(
            (old.id, &old.body, old.effective_from),
            (v1.id, &v1.body, v1.effective_from)
        );
        let history = s.item_history(code).await.expect("history");
        assert_eq!(
            history
                .iter()
                .map(|v| (v.version, v.status))
                .collect::<Vec<_>>(),
            vec![(2, ItemStatus::Published), (1, ItemStatus::Retired)]
        );

        // Publishing a version that is not a draft is a conflict, and changes nothing.
        common::assert_conflict(s.publish_item(&clock.ctx(), code, 2).await);
        common::assert_conflict(s.publish_item(&clock.ctx(), code, 1).await);
        common::assert_not_found(s.publish_item(&clock.ctx(), code, 9).await);
        common::assert_not_found(s.publish_item(&clock.ctx(), "NO-SUCH-ITEM", 1).await);
        audit.expect_none(&**s).await;
        assert_eq!(
            s.published_item(code).await.expect("read"),
            Some(published.clone())
        );

        // A later draft never alters the versions before it.
        let mut body3 = body2b.clone();
        body3.name.zh = "企业设立登记（第三版）".into();
        let v3 = s
            .save_item_draft(&clock.ctx(), &body3, date!(2026 - 09 - 01))
            .await
            .expect("draft v3");
        assert_eq!(v3.version, 3);
        assert_eq!(
            s.item_version(code, 1).await.expect("read").map(|v| v.body),
            Some(v1.body.clone())
        );
        assert_eq!(
            s.item_version(code, 2).await.expect("read"),
            Some(published.clone())
        );
        audit.expect(&**s, &["catalogue.save_draft"]).await;

        // Retiring ends the published version; the draft stays open.
        s.retire_item(&clock.ctx(), code).await.expect("retire");
        audit.expect(&**s, &["catalogue.retire"]).await;
        assert_eq!(s.published_item(code).await.expect("read"), None);
        assert!(
            !s.list_items(&ItemFilter::default())
                .await
                .expect("list")
                .iter()
                .any(|l| l.code == code)
        );
        assert_eq!(
            s.item_version(code, 2)
                .await
                .expect("read")
                .map(|v| v.status),
            Some(ItemStatus::Retired)
        );
        assert_eq!(
            s.draft_item(code).await.expect("read").map(|v| v.version),
            Some(3)
        );
        common::assert_conflict(s.retire_item(&clock.ctx(), code).await);
        audit.expect_none(&**s).await;
        // The open draft can still be published after a retirement.
        s.publish_item(&clock.ctx(), code, 3)
            .await
            .expect("publish v3");
        audit.expect(&**s, &["catalogue.publish"]).await;
        assert_eq!(
            s.published_item(code)
                .await
                .expect("read")
                .map(|v| v.version),
            Some(3)
        );

        // A draft for a new item is version 1.
        let mut new_body = v1.body.clone();
        new_body.code = "420100-SCJGJ-XK-900".into();
        let fresh = s
            .save_item_draft(&clock.ctx(), &new_body, date!(2026 - 03 - 01))
            .await
            .expect("new draft");
        assert_eq!((fresh.version, fresh.status), (1, ItemStatus::Draft));
        audit.expect(&**s, &["catalogue.save_draft"]).await;

        // Drafts are validated: every bad field, and unknown organisations.
        let mut bad = v1.body.clone();
        bad.code = "420100-SCJGJ-XK-901".into();
        bad.implementing_body = "420100-NOSUCH".into();
        bad.competent_department = "420100-NOSUCH".into();
        bad.promised_limit_days = bad.statutory_limit_days + 5;
        bad.region = region("420115");
        bad.level = onetrip_domain::region::RegionLevel::County;
        bad.life_events = vec!["no-such-event".into()];
        let errors = invalid(
            s.save_item_draft(&clock.ctx(), &bad, date!(2026 - 03 - 01))
                .await,
        );
        let got: BTreeSet<(String, String)> = errors
            .iter()
            .map(|e| (e.field.clone(), e.code.clone()))
            .collect();
        let want: BTreeSet<(String, String)> = [
            ("implementing_body", "unknown_department"),
            ("competent_department", "unknown_department"),
            ("promised_limit_days", "exceeds_statutory"),
            ("life_events[0]", "unknown_life_event"),
        ]
        .into_iter()
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
        .collect();
        assert_eq!(got, want);
        let mut unknown_region = v1.body.clone();
        unknown_region.code = "420100-SCJGJ-XK-902".into();
        unknown_region.region = region("110105");
        unknown_region.level = onetrip_domain::region::RegionLevel::County;
        assert_eq!(
            invalid_fields(
                s.save_item_draft(&clock.ctx(), &unknown_region, date!(2026 - 03 - 01))
                    .await
            ),
            BTreeSet::from(["region".to_owned()])
        );
        assert_eq!(
            s.draft_item("420100-SCJGJ-XK-901").await.expect("read"),
            None
        );
        assert_eq!(
            s.draft_item("420100-SCJGJ-XK-902").await.expect("read"),
            None
        );
        audit.expect_none(&**s).await;
        verified_chain(&**s).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_publishes_of_one_draft_yield_exactly_one_winner() {
    for_each_engine(|env| async move {
        let s: Arc<dyn Store> = env.store.clone();
        let clock = Arc::new(Clock::new());
        s.import_catalogue(&clock.ctx(), &demo_doc())
            .await
            .expect("import demo");
        let code = "420100-SCJGJ-XK-002";
        for round in 0..3 {
            let mut body = s
                .published_item(code)
                .await
                .expect("read")
                .expect("published")
                .body;
            body.name.zh = format!("第{round}轮");
            let draft = s
                .save_item_draft(&clock.ctx(), &body, date!(2026 - 07 - 01))
                .await
                .expect("draft");
            let head_before = s.audit_head().await.expect("head").0;

            let mut tasks = Vec::new();
            for _ in 0..8 {
                let s = s.clone();
                let ctx = clock.ctx();
                let version = draft.version;
                tasks.push(tokio::spawn(async move {
                    s.publish_item(&ctx, code, version).await
                }));
            }
            let mut ok = 0;
            let mut conflicts = 0;
            for t in tasks {
                match t.await.expect("task") {
                    Ok(v) => {
                        assert_eq!(
                            (v.version, v.status),
                            (draft.version, ItemStatus::Published)
                        );
                        ok += 1;
                    }
                    Err(StoreError::Conflict(_)) => conflicts += 1,
                    Err(other) => panic!(
                        "round {round}: publish failed with {other:?}, expected Ok or Conflict"
                    ),
                }
            }
            assert_eq!((ok, conflicts), (1, 7), "round {round}");
            let current = s
                .published_item(code)
                .await
                .expect("read")
                .expect("published");
            assert_eq!(
                (current.version, current.body.name.zh.as_str()),
                (draft.version, body.name.zh.as_str())
            );
            let published: Vec<_> = s
                .item_history(code)
                .await
                .expect("history")
                .into_iter()
                .filter(|v| v.status == ItemStatus::Published)
                .collect();
            assert_eq!(published.len(), 1, "exactly one published version");
            let entries = s.audit_entries(head_before, 100).await.expect("audit");
            assert_eq!(
                entries
                    .iter()
                    .map(|e| e.action.as_str())
                    .collect::<Vec<_>>(),
                vec!["catalogue.publish"]
            );
        }
        verified_chain(&*s).await;
    })
    .await;
}
