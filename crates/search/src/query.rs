//! Turning user text into a query plan and tantivy queries — built programmatically, never via
//! tantivy's query parser, so quotes, colons, parentheses, `+ - * ~ ^` are just text.
//!
//! Rules:
//! 1. The query is normalised (whitespace collapsed, lowercased) and cut to
//!    [`MAX_QUERY_CHARS`] characters. Nothing searchable left → no plan (empty result).
//! 2. It is split into the user's *words* with jieba's default mode; punctuation is dropped.
//! 3. Every synonym term found in the query (as a substring, see [`crate::synonyms`]) joins the
//!    words it overlaps into one *group*, and adds itself and its equivalents to that group
//!    (equivalents at [`SYNONYM_BOOST`]).
//! 4. Groups made only of function words (的, 如何, 怎么, …) are dropped, unless nothing would
//!    remain; duplicate groups are merged; at most [`MAX_GROUPS`] groups are kept.
//! 5. A group matches a document when any of its phrases matches any field. A Chinese phrase
//!    matches a field when each of its words does; a word matches as itself (weight 1) or else
//!    through its jieba sub-words (weight [`SUBWORD_BOOST`]). An ASCII phrase is also looked
//!    up in the English fields (stemmed) and the pinyin fields.
//! 6. Scores: for one phrase, the weighted field scores add up (see [`FieldBoosts`]); among a
//!    word's alternatives (itself or its sub-words) and among a group's phrases (typed word or
//!    synonyms) only the best counts; the groups' scores add up. The normalised whole query
//!    equal to a full name — Chinese, English, or the Chinese name's pinyin initials or full
//!    pinyin — adds [`EXACT_NAME_BOOST`].
//!
//! Ranking (applied in [`crate::CatalogueIndex::search`]): documents matching the whole name
//! exactly come first, then documents matching more groups, then by BM25 score, then by code.

use std::collections::BTreeMap;

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::index::Fields;
use crate::synonyms::SynonymTable;
use crate::tokenizer::{
    Word, analyze, default_words, en_analyzer, normalize, pinyin_analyzer, search_words,
};

/// Longer queries are cut to this many characters.
pub(crate) const MAX_QUERY_CHARS: usize = 256;
/// At most this many word groups are searched (the first ones in the query).
pub(crate) const MAX_GROUPS: usize = 12;
/// Weight of a synonym relative to the term the user typed.
pub(crate) const SYNONYM_BOOST: f32 = 0.8;
/// Weight of a sub-word (执照 for 营业执照) relative to the whole word.
pub(crate) const SUBWORD_BOOST: f32 = 0.5;
/// Weight of an exact, whole-name match.
pub(crate) const EXACT_NAME_BOOST: f32 = 10.0;

/// Field weights: name > keywords > pinyin/English > department > materials.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldBoosts;

impl FieldBoosts {
    pub(crate) const NAME: f32 = 4.0;
    pub(crate) const KEYWORDS: f32 = 2.5;
    pub(crate) const PINYIN_NAME: f32 = 2.0;
    pub(crate) const PINYIN_KEYWORDS: f32 = 1.5;
    pub(crate) const NAME_EN: f32 = 2.0;
    pub(crate) const DEPARTMENT: f32 = 1.0;
    pub(crate) const DEPARTMENT_EN: f32 = 0.8;
    pub(crate) const MATERIALS: f32 = 0.8;
}

/// Function words that carry no meaning in a catalogue search.
const STOPWORDS: &[&str] = &[
    "的",
    "了",
    "和",
    "与",
    "及",
    "或",
    "是",
    "在",
    "我",
    "我要",
    "要",
    "想",
    "怎么",
    "怎样",
    "如何",
    "哪里",
    "哪儿",
    "在哪",
    "在哪里",
    "什么",
    "吗",
    "呢",
    "吧",
    "啊",
    "请问",
    "the",
    "a",
    "an",
    "of",
    "for",
    "to",
    "and",
    "or",
    "in",
    "how",
];

/// A set of alternative phrases (the user's word(s) and their synonyms) with weights.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    /// `(normalised phrase, weight)`, sorted by phrase, no duplicates.
    pub(crate) phrases: Vec<(String, f32)>,
}

/// What to search for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// Word groups in query order.
    pub(crate) groups: Vec<Group>,
    /// The normalised whole query, for the exact-name match.
    pub(crate) exact: String,
}

/// A group under construction.
#[derive(Debug, Default)]
struct Draft {
    phrases: Vec<(String, f32)>,
    has_synonyms: bool,
}

/// Cuts `s` to at most `max` characters.
fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Builds the plan for a raw user query; `None` when nothing searchable is left.
pub(crate) fn plan(raw: &str, synonyms: &SynonymTable) -> Option<Plan> {
    let normalized = normalize(raw);
    let query = truncate_chars(&normalized, MAX_QUERY_CHARS).trim_end();
    let words = default_words(query);
    if words.is_empty() {
        return None;
    }

    // Union of words into groups: label[i] is the group label of word i.
    let mut label: Vec<usize> = (0..words.len()).collect();
    // Synonym terms attached to a word (resolved to its group at the end).
    let mut attached: Vec<(usize, &str)> = Vec::new();
    let is_boundary = |start: usize, end: usize| {
        words.iter().any(|w| w.start == start) && words.iter().any(|w| w.end == end)
    };
    for occ in synonyms.occurrences(query, is_boundary) {
        let overlapping: Vec<usize> = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.start < occ.end && w.end > occ.start)
            .map(|(i, _)| i)
            .collect();
        let Some(&first) = overlapping.first() else {
            continue;
        };
        let merged: Vec<usize> = overlapping.iter().map(|&i| label[i]).collect();
        let target = merged.iter().copied().min().unwrap_or(label[first]);
        for l in label.iter_mut() {
            if merged.contains(l) {
                *l = target;
            }
        }
        attached.push((first, occ.term));
    }

    // Labels are the smallest word index of each group, so label order is query order.
    let mut drafts: BTreeMap<usize, Draft> = BTreeMap::new();
    for (i, word) in words.iter().enumerate() {
        let draft = drafts.entry(label[i]).or_default();
        draft.phrases.push((word.text.clone(), 1.0));
    }
    for (i, term) in attached {
        let draft = drafts.entry(label[i]).or_default();
        draft.has_synonyms = true;
        draft.phrases.push((term.to_string(), 1.0));
        for eq in synonyms.equivalents(term) {
            draft.phrases.push((eq.to_string(), SYNONYM_BOOST));
        }
    }

    let mut out: Vec<Group> = Vec::new();
    let mut stop_only: Vec<Group> = Vec::new();
    for Draft {
        mut phrases,
        has_synonyms,
    } in drafts.into_values()
    {
        phrases.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        phrases.dedup_by(|later, earlier| later.0 == earlier.0);
        let group = Group { phrases };
        let is_stop = !has_synonyms
            && group
                .phrases
                .iter()
                .all(|(p, _)| STOPWORDS.contains(&p.as_str()));
        let target = if is_stop { &mut stop_only } else { &mut out };
        if !target.contains(&group) {
            target.push(group);
        }
    }
    if out.is_empty() {
        out = stop_only;
    }
    out.truncate(MAX_GROUPS);
    Some(Plan {
        groups: out,
        exact: query.to_string(),
    })
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

/// Conjunction of the queries; a single query is returned as is, none gives `None`.
fn all_of(mut queries: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match queries.len() {
        0 => None,
        1 => queries.pop(),
        _ => Some(Box::new(BooleanQuery::intersection(queries))),
    }
}

/// Disjunction with scores summed (more evidence, higher score); a single query is returned
/// as is.
fn sum_of(mut queries: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match queries.len() {
        0 => None,
        1 => queries.pop(),
        _ => Some(Box::new(BooleanQuery::union(queries))),
    }
}

/// Disjunction scored by the best alternative only (alternatives of one thing must not add
/// up); a single query is returned as is.
fn best_of(mut queries: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match queries.len() {
        0 => None,
        1 => queries.pop(),
        _ => Some(Box::new(DisjunctionMaxQuery::new(queries))),
    }
}

/// A phrase analysed once, ready to be turned into per-field queries.
struct AnalyzedPhrase {
    /// For each jieba word of the phrase: the word and its search-mode sub-words.
    zh: Vec<(String, Vec<String>)>,
    /// English-analyzer tokens (empty unless the phrase is ASCII).
    en: Vec<String>,
    /// Pinyin-analyzer tokens (empty unless the phrase is ASCII).
    pinyin: Vec<String>,
}

fn analyze_phrase(phrase: &str) -> AnalyzedPhrase {
    let zh = default_words(phrase)
        .into_iter()
        .map(|Word { text, .. }| {
            let mut subs: Vec<String> = search_words(&text)
                .into_iter()
                .map(|w| w.text)
                .filter(|s| *s != text)
                .collect();
            subs.sort();
            subs.dedup();
            (text, subs)
        })
        .collect();
    let (en, pinyin) = if phrase.is_ascii() {
        (
            analyze(&mut en_analyzer(), phrase),
            analyze(&mut pinyin_analyzer(), phrase),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    AnalyzedPhrase { zh, en, pinyin }
}

/// The phrase in one Chinese field: every word must match, itself or else via its sub-words
/// (the best alternative counts).
fn zh_field_query(field: Field, phrase: &AnalyzedPhrase) -> Option<Box<dyn Query>> {
    let per_word = phrase
        .zh
        .iter()
        .filter_map(|(word, subs)| {
            let mut alternatives = vec![term_query(field, word)];
            alternatives.extend(
                subs.iter()
                    .map(|s| boosted(term_query(field, s), SUBWORD_BOOST)),
            );
            best_of(alternatives)
        })
        .collect();
    all_of(per_word)
}

/// The phrase in one ASCII field: every token must match.
fn token_field_query(field: Field, tokens: &[String]) -> Option<Box<dyn Query>> {
    all_of(tokens.iter().map(|t| term_query(field, t)).collect())
}

/// The query matching any phrase of the group in any field. Per phrase, field scores add up
/// (weighted); across the phrases of a group only the best counts, so an item mentioning several
/// synonyms is not favoured over one mentioning the typed word.
pub(crate) fn group_query(fields: &Fields, group: &Group) -> Option<Box<dyn Query>> {
    let mut per_phrase: Vec<Box<dyn Query>> = Vec::new();
    for (text, phrase_boost) in &group.phrases {
        let phrase = analyze_phrase(text);
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        let zh_fields = [
            (fields.name, FieldBoosts::NAME),
            (fields.keywords, FieldBoosts::KEYWORDS),
            (fields.department, FieldBoosts::DEPARTMENT),
            (fields.materials, FieldBoosts::MATERIALS),
        ];
        for (field, boost) in zh_fields {
            if let Some(q) = zh_field_query(field, &phrase) {
                clauses.push(boosted(q, boost));
            }
        }
        let ascii_fields = [
            (fields.name_en, FieldBoosts::NAME_EN, &phrase.en),
            (fields.department_en, FieldBoosts::DEPARTMENT_EN, &phrase.en),
            (fields.pinyin_name, FieldBoosts::PINYIN_NAME, &phrase.pinyin),
            (
                fields.pinyin_keywords,
                FieldBoosts::PINYIN_KEYWORDS,
                &phrase.pinyin,
            ),
        ];
        for (field, boost, tokens) in ascii_fields {
            if let Some(q) = token_field_query(field, tokens) {
                clauses.push(boosted(q, boost));
            }
        }
        if let Some(q) = sum_of(clauses) {
            per_phrase.push(boosted(q, *phrase_boost));
        }
    }
    best_of(per_phrase)
}

/// The exact whole-name query.
pub(crate) fn exact_query(fields: &Fields, plan: &Plan) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(fields.name_exact, &plan.exact),
        IndexRecordOption::Basic,
    ))
}

/// The ranked query: any group or the exact name, optionally restricted to one module.
pub(crate) fn main_query(fields: &Fields, plan: &Plan, module: Option<&str>) -> Box<dyn Query> {
    let mut should: Vec<Box<dyn Query>> = plan
        .groups
        .iter()
        .filter_map(|g| group_query(fields, g))
        .collect();
    should.push(boosted(exact_query(fields, plan), EXACT_NAME_BOOST));
    let text: Box<dyn Query> = Box::new(BooleanQuery::union(should));
    match module {
        None => text,
        Some(m) => Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.module, m),
                    IndexRecordOption::Basic,
                )),
            ),
            (Occur::Must, text),
        ])),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn table(groups: &[&[&str]]) -> SynonymTable {
        let groups: Vec<Vec<String>> = groups
            .iter()
            .map(|g| g.iter().map(|t| (*t).to_string()).collect())
            .collect();
        SynonymTable::new(&groups)
    }

    fn phrases(group: &Group) -> Vec<&str> {
        group.phrases.iter().map(|(p, _)| p.as_str()).collect()
    }

    #[test]
    fn blank_and_punctuation_only_queries_have_no_plan() {
        let t = table(&[]);
        assert!(plan("", &t).is_none());
        assert!(plan("   \t ", &t).is_none());
        assert!(plan("\"():+-*~^", &t).is_none());
    }

    #[test]
    fn words_become_groups() {
        let p = plan("食品 营业执照", &table(&[])).unwrap();
        assert_eq!(p.groups.len(), 2);
        assert_eq!(phrases(&p.groups[0]), vec!["食品"]);
        assert_eq!(phrases(&p.groups[1]), vec!["营业执照"]);
        assert_eq!(p.exact, "食品 营业执照");
    }

    #[test]
    fn synonyms_expand_with_lower_weight() {
        let t = table(&[&["社保", "社会保障", "社会保险"]]);
        let p = plan("社保", &t).unwrap();
        assert_eq!(p.groups.len(), 1);
        let g = &p.groups[0];
        assert_eq!(phrases(g), vec!["社会保险", "社会保障", "社保"]);
        for (phrase, boost) in &g.phrases {
            let expected = if phrase == "社保" {
                1.0
            } else {
                SYNONYM_BOOST
            };
            assert!((boost - expected).abs() < f32::EPSILON, "{phrase} {boost}");
        }
    }

    #[test]
    fn synonym_substring_merges_the_words_it_spans() {
        // However jieba cuts 社保卡补办, the substring 社保 is recognised.
        let t = table(&[&["社保", "社会保险"]]);
        let p = plan("社保卡补办", &t).unwrap();
        assert!(
            p.groups.iter().any(|g| phrases(g).contains(&"社会保险")),
            "{p:?}"
        );
    }

    #[test]
    fn stopwords_dropped_unless_alone() {
        let p = plan("如何办理营业执照", &table(&[])).unwrap();
        assert!(
            p.groups.iter().all(|g| !phrases(g).contains(&"如何")),
            "{p:?}"
        );
        let p = plan("如何", &table(&[])).unwrap();
        assert_eq!(p.groups.len(), 1);
    }

    #[test]
    fn duplicate_words_give_one_group_and_long_queries_are_capped() {
        let p = plan("营业执照 营业执照", &table(&[])).unwrap();
        assert_eq!(p.groups.len(), 1);
        let long = (0..40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let p = plan(&long, &table(&[])).unwrap();
        assert_eq!(p.groups.len(), MAX_GROUPS);
        let huge = "营".repeat(10_000);
        let p = plan(&huge, &table(&[])).unwrap();
        assert!(p.exact.chars().count() <= MAX_QUERY_CHARS);
    }
}
