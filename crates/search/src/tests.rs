//! Behaviour tests of the public API.

use std::time::Instant;

use super::*;

#[allow(clippy::too_many_arguments)]
fn doc(
    code: &str,
    name_zh: &str,
    name_en: &str,
    keywords: &[&str],
    department_zh: &str,
    materials: &[&str],
    module: &str,
) -> SearchDoc {
    SearchDoc {
        code: code.to_string(),
        name_zh: name_zh.to_string(),
        name_en: name_en.to_string(),
        keywords: keywords.iter().map(|s| (*s).to_string()).collect(),
        department_zh: department_zh.to_string(),
        department_en: String::new(),
        materials_zh: materials.iter().map(|s| (*s).to_string()).collect(),
        module: module.to_string(),
        region: "420100".to_string(),
    }
}

fn catalogue() -> Vec<SearchDoc> {
    let mut docs = vec![
        doc(
            "Q001",
            "企业设立登记",
            "Enterprise establishment registration",
            &["营业执照", "开办企业"],
            "市场监督管理局",
            &["公司章程", "法定代表人身份证明"],
            "business_registration",
        ),
        doc(
            "Q002",
            "食品经营许可",
            "Food business licence",
            &["餐饮"],
            "市场监督管理局",
            &["食品经营许可申请书", "营业执照复印件"],
            "single_item",
        ),
        doc(
            "Q003",
            "社会保险登记",
            "Social insurance registration",
            &["参保"],
            "人力资源局",
            &["身份证"],
            "single_item",
        ),
        doc(
            "Q004",
            "社保关系转移",
            "Transfer of insurance relations",
            &["转移接续"],
            "人力资源局",
            &["身份证"],
            "single_item",
        ),
        doc(
            "Q005",
            "建设工程规划许可证核发",
            "Construction project planning permit",
            &["规划许可"],
            "自然资源和规划局",
            &["建设工程设计方案"],
            "construction_project",
        ),
        doc(
            "Q006",
            "食品安全宣传咨询",
            "Food safety publicity",
            &["食品", "食品安全"],
            "市场监督管理局",
            &["咨询登记表"],
            "single_item",
        ),
        doc(
            "Q007",
            "食品经营许可延续",
            "Renewal of food business licence",
            &["食品经营许可", "食品"],
            "市场监督管理局",
            &["食品经营许可证"],
            "single_item",
        ),
    ];
    docs[0].department_en = "Market Supervision Administration".to_string();
    docs
}

fn synonyms() -> Vec<Vec<String>> {
    vec![
        vec!["社保".into(), "社会保障".into(), "社会保险".into()],
        vec!["证照".into(), "执照".into()],
    ]
}

fn index() -> CatalogueIndex {
    CatalogueIndex::build(&catalogue(), &synonyms()).unwrap()
}

fn codes(hits: &[SearchHit]) -> Vec<&str> {
    hits.iter().map(|h| h.code.as_str()).collect()
}

fn search(idx: &CatalogueIndex, q: &str) -> Vec<String> {
    idx.search(q, None, 20)
        .unwrap()
        .into_iter()
        .map(|h| h.code)
        .collect()
}

fn position(hits: &[String], code: &str) -> usize {
    hits.iter()
        .position(|c| c == code)
        .unwrap_or_else(|| panic!("{code} not found in {hits:?}"))
}

#[test]
fn index_is_send_sync_and_debug() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CatalogueIndex>();
    let idx = index();
    let dbg = format!("{idx:?}");
    assert!(dbg.contains("docs: 7"), "{dbg}");
    assert_eq!(idx.len(), 7);
    assert!(!idx.is_empty());
}

#[test]
fn keyword_match_finds_item_with_other_name() {
    let idx = index();
    let hits = search(&idx, "营业执照");
    // Q001 has it as a keyword, Q002 only in a material name: keyword weighs more.
    assert_eq!(hits.first().map(String::as_str), Some("Q001"), "{hits:?}");
    assert!(position(&hits, "Q001") < position(&hits, "Q002"));
    // Sub-words are indexed too.
    assert!(search(&idx, "执照").contains(&"Q001".to_string()));
}

#[test]
fn segment_of_name_finds_item() {
    let idx = index();
    let hits = search(&idx, "食品");
    assert!(hits.contains(&"Q002".to_string()), "{hits:?}");
    let hits = search(&idx, "许可");
    assert!(hits.contains(&"Q005".to_string()), "{hits:?}");
}

#[test]
fn item_matching_all_words_outranks_items_matching_one() {
    let idx = index();
    let hits = idx.search("食品 规划", None, 20).unwrap();
    // Nothing matches both; both kinds appear (OR semantics).
    let c = codes(&hits);
    assert!(c.contains(&"Q005") && c.contains(&"Q006"), "{c:?}");

    let hits = search(&idx, "食品 许可");
    // Q006 is all about 食品 (name and two keywords) but has no 许可; Q005 has only 许可.
    let both = ["Q002", "Q007"];
    let one = ["Q005", "Q006"];
    for b in both {
        for o in one {
            assert!(
                position(&hits, b) < position(&hits, o),
                "{b} vs {o}: {hits:?}"
            );
        }
    }
}

#[test]
fn exact_full_name_ranks_first() {
    let idx = index();
    // Q007 mentions 食品经营许可 in its name, keywords and materials; Q002's name is exactly it.
    let hits = search(&idx, "食品经营许可");
    assert_eq!(hits.first().map(String::as_str), Some("Q002"), "{hits:?}");
    assert_eq!(hits.get(1).map(String::as_str), Some("Q007"), "{hits:?}");
    // Whitespace and case do not matter; the English name also counts.
    let hits = search(&idx, "  FOOD business   licence ");
    assert_eq!(hits.first().map(String::as_str), Some("Q002"), "{hits:?}");
}

#[test]
fn field_weights_name_keywords_department_materials() {
    let base = |code: &str| SearchDoc {
        code: code.to_string(),
        name_zh: "资料查询".into(),
        name_en: "Records".into(),
        keywords: vec!["证明".into()],
        department_zh: "市民服务中心".into(),
        department_en: "Service centre".into(),
        materials_zh: vec!["身份证".into()],
        module: "single_item".into(),
        region: "420100".into(),
    };
    let mut materials = base("A-materials");
    materials.materials_zh = vec!["档案".into()];
    let mut department = base("B-department");
    department.department_zh = "档案局".into();
    let mut keywords = base("C-keywords");
    keywords.keywords = vec!["档案".into()];
    let mut name = base("D-name");
    name.name_zh = "档案查询".into();
    let idx = CatalogueIndex::build(&[materials, department, keywords, name], &[]).unwrap();
    let hits = search(&idx, "档案");
    assert_eq!(
        hits,
        vec!["D-name", "C-keywords", "B-department", "A-materials"]
    );
}

#[test]
fn pinyin_initials_and_full_pinyin() {
    let idx = index();
    let hits = search(&idx, "yyzz");
    assert_eq!(hits.first().map(String::as_str), Some("Q001"), "{hits:?}");
    let hits = search(&idx, "YYZZ");
    assert_eq!(hits.first().map(String::as_str), Some("Q001"), "{hits:?}");
    // Initials (or full pinyin) of the whole name count as an exact name match: Q002 first,
    // although Q007 has 食品经营许可 as a keyword.
    let hits = search(&idx, "spjyxk");
    assert_eq!(hits.first().map(String::as_str), Some("Q002"), "{hits:?}");
    assert!(hits.contains(&"Q007".to_string()), "{hits:?}");
    let hits = search(&idx, "shipinjingyingxuke");
    assert_eq!(hits.first().map(String::as_str), Some("Q002"), "{hits:?}");
    assert!(search(&idx, "sp").contains(&"Q002".to_string()));
    let hits = search(&idx, "yingyezhizhao");
    assert_eq!(hits.first().map(String::as_str), Some("Q001"), "{hits:?}");
    // Full pinyin per word: Q002 and Q007 have both words, Q006 only shipin.
    let hits = search(&idx, "shipin jingying");
    assert!(
        position(&hits, "Q002") < position(&hits, "Q006"),
        "{hits:?}"
    );
    assert!(
        position(&hits, "Q007") < position(&hits, "Q006"),
        "{hits:?}"
    );
    let hits = search(&idx, "kaiban qiye");
    assert_eq!(hits.first().map(String::as_str), Some("Q001"), "{hits:?}");
    assert!(search(&idx, "shebao").contains(&"Q004".to_string()));
}

#[test]
fn english_names_are_searchable_and_stemmed() {
    let idx = index();
    let hits = search(&idx, "licences");
    assert!(hits.contains(&"Q002".to_string()), "{hits:?}");
    let hits = search(&idx, "social insurance");
    assert_eq!(hits.first().map(String::as_str), Some("Q003"), "{hits:?}");
    let hits = search(&idx, "market supervision");
    assert_eq!(hits, vec!["Q001"]);
}

#[test]
fn mixed_script_query() {
    let idx = index();
    let hits = search(&idx, "yyzz 开办");
    assert_eq!(hits.first().map(String::as_str), Some("Q001"), "{hits:?}");
    // Q002 and Q007 match both words, Q005 (许可) and Q006 (food) one each.
    let hits = search(&idx, "food许可");
    let mut top: Vec<&str> = hits.iter().take(2).map(String::as_str).collect();
    top.sort_unstable();
    assert_eq!(top, vec!["Q002", "Q007"], "{hits:?}");
    assert!(hits.contains(&"Q005".to_string()) && hits.contains(&"Q006".to_string()));
}

#[test]
fn synonyms_expand_both_ways() {
    let idx = index();
    // Q003 (社会保险登记) never mentions 社保.
    let hits = search(&idx, "社保");
    assert!(hits.contains(&"Q003".to_string()), "{hits:?}");
    // ... and the typed word beats the synonym.
    assert!(
        position(&hits, "Q004") < position(&hits, "Q003"),
        "{hits:?}"
    );
    // Vice versa: Q004 (社保关系转移) never mentions 社会保险.
    let hits = search(&idx, "社会保险");
    assert!(hits.contains(&"Q004".to_string()), "{hits:?}");
    assert!(
        position(&hits, "Q003") < position(&hits, "Q004"),
        "{hits:?}"
    );
    // Without the synonym table 社保 does not find Q003.
    let plain = CatalogueIndex::build(&catalogue(), &[]).unwrap();
    assert!(!search(&plain, "社保").contains(&"Q003".to_string()));
}

#[test]
fn synonym_inside_a_longer_query_word() {
    let idx = index();
    // 社保登记 / 社保卡转移: however jieba segments them, 社保 is recognised.
    let hits = search(&idx, "社保登记");
    assert_eq!(hits.first().map(String::as_str), Some("Q003"), "{hits:?}");
    let hits = search(&idx, "社保卡");
    assert!(hits.contains(&"Q003".to_string()), "{hits:?}");
    assert!(hits.contains(&"Q004".to_string()), "{hits:?}");
}

#[test]
fn blank_query_gives_no_hits() {
    let idx = index();
    for q in ["", "   ", "\t\n", "，。！", "\"\""] {
        assert!(idx.search(q, None, 10).unwrap().is_empty(), "{q:?}");
    }
    assert!(idx.search("食品", None, 0).unwrap().is_empty());
}

#[test]
fn query_syntax_characters_never_error() {
    let idx = index();
    let nasty = [
        "\"营业执照",
        "name:食品",
        "(食品) AND +许可 -宣传",
        "食品^2 许可~1 *",
        "\\",
        ":",
        "(((",
        ")))",
        "[1 TO 5]",
        "{",
        "/regex.*/",
        "食品\"\"\"",
        "!@#$%^&*()_+-=[]{}|;':\",./<>?",
        "\u{0}\u{1}",
        "𠀀𠀁",
    ];
    for q in nasty {
        let result = idx.search(q, None, 10);
        assert!(result.is_ok(), "{q:?}: {result:?}");
    }
    // The words inside still count.
    let hits = search(&idx, "name:食品 AND (许可)");
    assert!(hits.contains(&"Q002".to_string()), "{hits:?}");
}

#[test]
fn module_filter() {
    let idx = index();
    let hits = idx
        .search("许可", Some("construction_project"), 10)
        .unwrap();
    assert_eq!(codes(&hits), vec!["Q005"]);
    let hits = idx.search("许可", Some("single_item"), 10).unwrap();
    assert!(!hits.is_empty());
    assert!(!codes(&hits).contains(&"Q005"));
    assert!(
        idx.search("许可", Some("no_such_module"), 10)
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        idx.search("许可", Some("  "), 10),
        Err(SearchError::InvalidQuery(_))
    ));
}

#[test]
fn limit_and_score_order() {
    let idx = index();
    let all = idx.search("食品 许可 登记", None, 100).unwrap();
    assert!(all.len() > 3);
    let top = idx.search("食品 许可 登记", None, 3).unwrap();
    assert_eq!(top, all[..3].to_vec());
    for pair in all.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            a.score > b.score || (a.score == b.score && a.code < b.code),
            "{a:?} before {b:?}"
        );
    }
}

#[test]
fn ties_are_broken_by_code() {
    let same = |code: &str| doc(code, "户籍证明", "", &[], "公安局", &[], "single_item");
    let docs = vec![same("C3"), same("C1"), same("C2")];
    let idx = CatalogueIndex::build(&docs, &[]).unwrap();
    let hits = idx.search("户籍", None, 10).unwrap();
    assert_eq!(codes(&hits), vec!["C1", "C2", "C3"]);
    assert!(hits.iter().all(|h| h.score == hits[0].score));
    let hits = idx.search("户籍", None, 2).unwrap();
    assert_eq!(codes(&hits), vec!["C1", "C2"]);
}

#[test]
fn duplicate_codes_appear_once() {
    let docs = vec![
        doc("D1", "户籍证明", "", &[], "公安局", &[], "single_item"),
        doc("D1", "户籍迁移", "", &[], "公安局", &[], "single_item"),
        doc("D2", "户籍注销", "", &[], "公安局", &[], "single_item"),
    ];
    let idx = CatalogueIndex::build(&docs, &[]).unwrap();
    assert_eq!(idx.len(), 3);
    let hits = idx.search("户籍", None, 10).unwrap();
    assert_eq!(codes(&hits), vec!["D1", "D2"]);
}

#[test]
fn empty_index() {
    let idx = CatalogueIndex::build(&[], &synonyms()).unwrap();
    assert!(idx.is_empty());
    assert_eq!(idx.len(), 0);
    assert!(idx.search("社保", None, 10).unwrap().is_empty());
}

/// A deterministic pseudo-random sequence (LCG), so tests need no RNG crate.
fn lcg(seed: &mut u64) -> usize {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    usize::try_from(*seed >> 33).unwrap()
}

fn synthetic(n: usize) -> Vec<SearchDoc> {
    const SUBJECTS: &[&str] = &[
        "食品",
        "药品",
        "医疗器械",
        "建筑工程",
        "道路运输",
        "餐饮服务",
        "烟草专卖",
        "出版物",
        "医疗机构",
        "排污",
        "取水",
        "广告发布",
        "人力资源服务",
        "旅行社",
        "危险化学品",
        "社会保险",
        "营业执照",
        "户籍",
        "不动产",
        "公积金",
    ];
    const ACTIONS: &[&str] = &[
        "经营许可",
        "生产许可",
        "变更登记",
        "注销登记",
        "备案",
        "延续",
        "补办",
        "核发",
        "年度检验",
        "信息查询",
    ];
    const DEPARTMENTS: &[&str] = &[
        "市场监督管理局",
        "卫生健康委员会",
        "交通运输局",
        "生态环境局",
        "水务局",
        "人力资源和社会保障局",
        "公安局",
        "住房和城乡建设局",
    ];
    const MODULES: &[&str] = &[
        "business_registration",
        "investment_project",
        "construction_project",
        "single_item",
    ];
    let mut seed = 42;
    (0..n)
        .map(|i| {
            let subject = SUBJECTS[lcg(&mut seed) % SUBJECTS.len()];
            let action = ACTIONS[lcg(&mut seed) % ACTIONS.len()];
            let department = DEPARTMENTS[lcg(&mut seed) % DEPARTMENTS.len()];
            let other = SUBJECTS[lcg(&mut seed) % SUBJECTS.len()];
            SearchDoc {
                code: format!("SYN{i:05}"),
                name_zh: format!("{subject}{action}"),
                name_en: format!("Item {i} {action}"),
                keywords: vec![subject.to_string(), format!("{other}{action}")],
                department_zh: department.to_string(),
                department_en: "Department".to_string(),
                materials_zh: vec![
                    "申请表".to_string(),
                    format!("{other}证明材料"),
                    "身份证明".to_string(),
                ],
                module: MODULES[i % MODULES.len()].to_string(),
                region: format!("42{:04}", i % 10_000),
            }
        })
        .collect()
}

#[test]
fn two_thousand_docs_build_quickly_and_search() {
    let docs = synthetic(2_000);
    let start = Instant::now();
    let idx = CatalogueIndex::build(&docs, &synonyms()).unwrap();
    let built = start.elapsed();
    assert_eq!(idx.len(), 2_000);
    // Generous bound so that slow CI machines pass; typically well under a second (release).
    assert!(built.as_secs() < 60, "build took {built:?}");
    let start = Instant::now();
    let hits = idx.search("食品经营许可", None, 10).unwrap();
    let searched = start.elapsed();
    assert_eq!(hits.len(), 10);
    eprintln!("built 2000 docs in {built:?}, searched in {searched:?}");
    let hits = idx.search("社保 变更", Some("single_item"), 50).unwrap();
    assert!(!hits.is_empty());
}

#[test]
fn same_docs_in_any_order_give_same_hits() {
    let docs = synthetic(300);
    let mut shuffled = docs.clone();
    let mut seed = 7;
    for i in (1..shuffled.len()).rev() {
        let j = lcg(&mut seed) % (i + 1);
        shuffled.swap(i, j);
    }
    let mut reversed = docs.clone();
    reversed.reverse();
    let a = CatalogueIndex::build(&docs, &synonyms()).unwrap();
    let b = CatalogueIndex::build(&shuffled, &synonyms()).unwrap();
    let c = CatalogueIndex::build(&reversed, &synonyms()).unwrap();
    for q in [
        "食品",
        "许可 登记",
        "社保",
        "yyzz",
        "shipin",
        "备案",
        "市场监督管理局 延续",
    ] {
        let ha = a.search(q, None, 25).unwrap();
        assert!(!ha.is_empty(), "{q}");
        assert_eq!(ha, b.search(q, None, 25).unwrap(), "{q}");
        assert_eq!(ha, c.search(q, None, 25).unwrap(), "{q}");
        // Repeated searches are stable too.
        assert_eq!(ha, a.search(q, None, 25).unwrap(), "{q}");
    }
}

/// Timing check for the 10,000-document target: `cargo test -p onetrip-search --release --
/// --ignored --nocapture ten_thousand`.
#[test]
#[ignore = "timing check, run explicitly"]
fn ten_thousand_docs_timing() {
    let docs = synthetic(10_000);
    let start = Instant::now();
    let idx = CatalogueIndex::build(&docs, &synonyms()).unwrap();
    let built = start.elapsed();
    let start = Instant::now();
    for q in ["食品经营许可", "社保 变更", "yyzz", "户籍 补办 证明"] {
        idx.search(q, None, 20).unwrap();
    }
    eprintln!(
        "built 10000 docs in {built:?}, 4 searches in {:?}",
        start.elapsed()
    );
}
