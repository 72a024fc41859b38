//! Synonym groups used to expand queries (never the index).
//!
//! Rules:
//! - Terms are normalised like queries (trimmed, whitespace collapsed, lowercased); blank terms
//!   are dropped and a group needs at least two distinct terms to have any effect.
//! - Each term maps to every other term of every group it belongs to (no transitive closure
//!   across groups: if A~B and B~C are separate groups, A expands to B only).
//! - A term is recognised anywhere in the normalised query as a substring, so 社保 is found in
//!   社保卡补办 even when jieba segments it differently. A term made only of ASCII characters
//!   must instead start and end on query word boundaries (`icp` is not found in `topicpage`).

use std::collections::{BTreeMap, BTreeSet};

use crate::tokenizer::normalize;

/// Lookup table from a normalised term to its equivalents.
#[derive(Debug, Clone, Default)]
pub(crate) struct SynonymTable {
    map: BTreeMap<String, BTreeSet<String>>,
}

/// One place where a synonym term occurs in a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Occurrence<'a> {
    /// The synonym term as found (normalised).
    pub(crate) term: &'a str,
    /// Byte offset of the occurrence in the normalised query.
    pub(crate) start: usize,
    /// Byte offset one past the occurrence.
    pub(crate) end: usize,
}

impl SynonymTable {
    /// Builds the table from groups of equivalent terms.
    pub(crate) fn new(groups: &[Vec<String>]) -> Self {
        let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for group in groups {
            let terms: BTreeSet<String> = group
                .iter()
                .map(|t| normalize(t))
                .filter(|t| !t.is_empty())
                .collect();
            if terms.len() < 2 {
                continue;
            }
            for term in &terms {
                let entry = map.entry(term.clone()).or_default();
                entry.extend(terms.iter().filter(|other| *other != term).cloned());
            }
        }
        Self { map }
    }

    /// Number of distinct terms that have at least one equivalent.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// The equivalents of a normalised term (never including the term itself).
    pub(crate) fn equivalents(&self, term: &str) -> impl Iterator<Item = &str> {
        self.map
            .get(term)
            .into_iter()
            .flat_map(|set| set.iter().map(String::as_str))
    }

    /// Every occurrence of a synonym term in `query` (already normalised), in term order then
    /// position order. `is_boundary(start, end)` tells whether a byte span starts and ends on
    /// word boundaries; it is consulted for ASCII-only terms.
    pub(crate) fn occurrences<'a>(
        &'a self,
        query: &str,
        is_boundary: impl Fn(usize, usize) -> bool,
    ) -> Vec<Occurrence<'a>> {
        let mut out = Vec::new();
        for term in self.map.keys() {
            for (start, _) in query.match_indices(term.as_str()) {
                let end = start + term.len();
                if term.is_ascii() && !is_boundary(start, end) {
                    continue;
                }
                out.push(Occurrence {
                    term: term.as_str(),
                    start,
                    end,
                });
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn groups(raw: &[&[&str]]) -> Vec<Vec<String>> {
        raw.iter()
            .map(|g| g.iter().map(|t| (*t).to_string()).collect())
            .collect()
    }

    #[test]
    fn terms_map_to_the_rest_of_their_group() {
        let table = SynonymTable::new(&groups(&[&["社保", "社会保障", "社会保险"]]));
        let eq: Vec<&str> = table.equivalents("社保").collect();
        assert_eq!(eq, vec!["社会保险", "社会保障"]);
        let eq: Vec<&str> = table.equivalents("社会保险").collect();
        assert_eq!(eq, vec!["社会保障", "社保"]);
        assert_eq!(table.equivalents("营业执照").count(), 0);
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn blank_and_single_term_groups_ignored() {
        let table = SynonymTable::new(&groups(&[&["  ", "社保"], &["ICP", "icp"], &[]]));
        assert_eq!(table.len(), 0);
    }

    #[test]
    fn finds_chinese_substrings_and_ascii_words_only_on_boundaries() {
        let table = SynonymTable::new(&groups(&[&["社保", "社会保险"], &["ICP", "增值电信"]]));
        let q = "社保卡补办";
        let occ = table.occurrences(q, |_, _| false);
        assert_eq!(occ.len(), 1);
        assert_eq!(occ[0].term, "社保");
        assert_eq!((occ[0].start, occ[0].end), (0, "社保".len()));

        let q = "topicpage";
        assert!(table.occurrences(q, |_, _| false).is_empty());
        let q = "icp 备案";
        let occ = table.occurrences(q, |s, e| s == 0 && e == 3);
        assert_eq!(occ.len(), 1);
        assert_eq!(occ[0].term, "icp");
    }

    #[test]
    fn membership_in_several_groups_unions_equivalents() {
        let table = SynonymTable::new(&groups(&[&["a1", "b1"], &["a1", "c1"]]));
        let eq: Vec<&str> = table.equivalents("a1").collect();
        assert_eq!(eq, vec!["b1", "c1"]);
        let eq: Vec<&str> = table.equivalents("b1").collect();
        assert_eq!(eq, vec!["a1"]);
    }
}
