//! The demo service catalogue (`demo/catalogue.json`) is valid exchange-format
//! data and rich enough to demonstrate every module, level and material source.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet, HashSet};

use onetrip_domain::catalogue::{CatalogueDocument, ItemStatus, MaterialSource, Module};

const DEMO: &str = include_str!("../../../demo/catalogue.json");

fn load() -> CatalogueDocument {
    serde_json::from_str(DEMO).unwrap_or_else(|e| panic!("demo/catalogue.json does not parse: {e}"))
}

#[test]
fn demo_catalogue_validates() {
    let doc = load();
    if let Err(errors) = doc.validate(&[], &[]) {
        panic!(
            "demo/catalogue.json has {} validation errors:\n{errors}",
            errors.errors.len()
        );
    }
}

#[test]
fn demo_catalogue_is_large_enough() {
    let doc = load();
    assert!(doc.items.len() >= 66, "only {} items", doc.items.len());
    assert!(
        doc.departments.len() >= 10,
        "only {} departments",
        doc.departments.len()
    );
    assert!(
        doc.life_events.len() >= 8,
        "only {} life events",
        doc.life_events.len()
    );
    assert!(
        doc.synonyms.len() >= 8,
        "only {} synonym groups",
        doc.synonyms.len()
    );
    assert!(!doc.service_centres.is_empty());
}

#[test]
fn every_module_is_covered() {
    let doc = load();
    let mut per_module: BTreeMap<Module, usize> = BTreeMap::new();
    for item in &doc.items {
        *per_module.entry(item.body.module).or_default() += 1;
    }
    for module in Module::ALL {
        let n = per_module.get(module).copied().unwrap_or(0);
        let min = if *module == Module::SingleItems {
            20
        } else {
            8
        };
        assert!(
            n >= min,
            "module {} has only {n} items (need {min})",
            module.as_str()
        );
    }
}

#[test]
fn several_levels_regions_and_departments_are_used() {
    let doc = load();
    let levels: BTreeSet<_> = doc.items.iter().map(|i| i.body.level).collect();
    assert!(levels.len() >= 3, "items use only levels {levels:?}");
    let departments: HashSet<&str> = doc
        .items
        .iter()
        .map(|i| i.body.implementing_body.as_str())
        .collect();
    assert!(
        departments.len() >= 10,
        "items use only {} departments",
        departments.len()
    );
    let provinces: HashSet<&str> = doc
        .items
        .iter()
        .map(|i| &i.body.region.as_str()[..2])
        .collect();
    assert!(
        provinces.contains("42") && provinces.contains("33"),
        "need Hubei and Zhejiang items"
    );
    // Zhejiang "at most one trip": some items need no trip at all.
    assert!(
        doc.items
            .iter()
            .any(|i| i.body.region.as_str().starts_with("33") && i.body.on_site_trips == 0),
        "need zero-trip Zhejiang items"
    );
}

#[test]
fn items_are_bilingual_and_uniquely_coded() {
    let doc = load();
    let mut codes = HashSet::new();
    for item in &doc.items {
        let b = &item.body;
        assert!(
            !b.name.en.trim().is_empty(),
            "item {} has no English name",
            b.code
        );
        assert!(!b.keywords.is_empty(), "item {} has no keywords", b.code);
        assert!(
            codes.insert(b.code.as_str()),
            "duplicate item code {}",
            b.code
        );
    }
}

#[test]
fn all_material_sources_appear() {
    let doc = load();
    let sources: HashSet<MaterialSource> = doc
        .items
        .iter()
        .flat_map(|i| i.body.materials.iter().map(|m| m.source))
        .collect();
    for source in MaterialSource::ALL {
        assert!(
            sources.contains(source),
            "no material with source {}",
            source.as_str()
        );
    }
}

#[test]
fn statuses_include_drafts_and_a_retired_item() {
    let doc = load();
    let count = |s: ItemStatus| doc.items.iter().filter(|i| i.status == s).count();
    assert!(count(ItemStatus::Draft) >= 2);
    assert!(count(ItemStatus::Retired) >= 1);
    assert!(count(ItemStatus::Published) >= 66);
}

#[test]
fn required_synonym_groups_are_present() {
    let doc = load();
    let required: &[&[&str]] = &[
        &["社保", "社会保障", "社会保险"],
        &["公积金", "住房公积金"],
        &["营业执照", "执照"],
        &["身份证", "居民身份证"],
        &["开公司", "开办企业", "企业设立"],
        &["施工许可", "建筑工程施工许可"],
        &["户口", "户籍"],
        &["退休", "养老"],
    ];
    for group in required {
        let found = doc
            .synonyms
            .iter()
            .any(|g| group.iter().all(|t| g.terms.iter().any(|x| x == t)));
        assert!(found, "missing synonym group {group:?}");
    }
}

#[test]
fn document_round_trips_through_json() {
    let doc = load();
    let json = serde_json::to_string(&doc).unwrap();
    let back: CatalogueDocument = serde_json::from_str(&json).unwrap();
    assert_eq!(doc, back);
}
