//! Chinese full-text search over service-catalogue items (政务服务事项).
//!
//! [`CatalogueIndex::build`] indexes [`SearchDoc`]s in RAM; [`CatalogueIndex::search`] returns
//! ranked [`SearchHit`]s. Behaviour:
//!
//! - **Segmentation.** Chinese name, keywords, department and material names are segmented with
//!   jieba in search mode, so 营业执照 is indexed as 营业执照, 营业 and 执照. English name and
//!   department are split, lowercased and stemmed. The jieba dictionary is loaded once per
//!   process, on first use.
//! - **Pinyin.** For the name and each keyword, the initials and the full toneless pinyin of the
//!   whole string and of each jieba word are indexed (`yyzz`, `yingyezhizhao`, `zz`, `zhizhao`,
//!   …). ASCII words of a query are looked up in the pinyin fields, the English fields and the
//!   Chinese fields alike, so queries may mix scripts.
//! - **Synonyms.** Groups of equivalent terms expand queries: a synonym found anywhere in the
//!   query (as a substring, whatever jieba's segmentation) also searches its equivalents, at
//!   weight 0.8.
//! - **Query words.** The query is split into words (jieba default mode); a document matches
//!   when it matches any word (OR). Function words (的, 如何, …) are ignored unless the query has
//!   nothing else. User text is never parsed as query syntax: quotes, colons, brackets,
//!   `+ - * ~ ^` are just characters.
//! - **Ranking**, best first:
//!   1. documents whose full Chinese or English name equals the whole query;
//!   2. documents matching more of the query's words;
//!   3. BM25 relevance with field weights name 4 > keywords 2.5 > pinyin of name 2 = English
//!      name 2 > pinyin of keywords 1.5 > department 1 > materials 0.8 = English department 0.8;
//!   4. code ascending.
//!
//!   [`SearchHit::score`] is consistent with that order (strictly larger for a better rank
//!   class) and comparable only within one result list.
//! - **Determinism.** The same documents in any input order give the same hits in the same
//!   order. Duplicate codes are allowed; a code appears at most once in the hits.

mod index;
mod pinyin_terms;
mod query;
mod synonyms;
mod tokenizer;

use std::collections::HashMap;
use std::fmt;

use tantivy::IndexReader;

use crate::index::Fields;
pub use crate::pinyin_terms::pinyin_initials;
use crate::synonyms::SynonymTable;

/// One catalogue item as indexed.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// Item code, returned in hits.
    pub code: String,
    /// Chinese name (事项名称); weighs most.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Search keywords (Chinese or ASCII).
    pub keywords: Vec<String>,
    /// Implementing body's Chinese name.
    pub department_zh: String,
    /// Implementing body's English name.
    pub department_en: String,
    /// Names of the required materials.
    pub materials_zh: Vec<String>,
    /// Approval module, e.g. `business_registration`; usable as an exact filter.
    pub module: String,
    /// Six-digit region code; carried for the caller, not searched.
    pub region: String,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The item code.
    pub code: String,
    /// Ranking score: larger is better; comparable only within one result list.
    pub score: f32,
}

/// Errors of building or searching an index. User query text never causes an error.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The search engine failed (index creation, writing or searching).
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The search arguments are unusable, e.g. a blank module filter (use `None` for no filter).
    #[error("invalid search query: {0}")]
    InvalidQuery(String),
}

/// An immutable in-RAM search index over catalogue items; cheap to share between threads
/// (`Send + Sync`, searches take `&self`).
pub struct CatalogueIndex {
    reader: IndexReader,
    fields: Fields,
    /// Item code of each document, by canonical rank (`ord`).
    codes: Vec<String>,
    synonyms: SynonymTable,
}

impl fmt::Debug for CatalogueIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatalogueIndex")
            .field("docs", &self.codes.len())
            .field("synonym_terms", &self.synonyms.len())
            .finish_non_exhaustive()
    }
}

impl CatalogueIndex {
    /// Builds an in-RAM index from the docs; synonyms are groups of equivalent terms.
    ///
    /// Blank synonym terms are ignored and a group needs two distinct terms to matter. The
    /// writer uses one thread and a 50 MB budget and commits once.
    pub fn build(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> Result<Self, SearchError> {
        let built = index::build(docs)?;
        Ok(Self {
            reader: built.reader,
            fields: built.fields,
            codes: built.codes,
            synonyms: SynonymTable::new(synonyms),
        })
    }

    /// Ranked search; `module` optionally restricts to one module. Returns at most `limit` hits,
    /// best first; ties broken by code ascending so results are deterministic.
    ///
    /// A blank or punctuation-only query, or `limit == 0`, gives no hits (not an error).
    /// Queries longer than 256 characters are cut; at most 12 query words are used.
    ///
    /// # Errors
    /// [`SearchError::InvalidQuery`] if `module` is `Some` but blank;
    /// [`SearchError::Tantivy`] if the engine fails.
    pub fn search(
        &self,
        query: &str,
        module: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SearchHit>, SearchError> {
        if module.is_some_and(|m| m.trim().is_empty()) {
            return Err(SearchError::InvalidQuery(
                "module filter is blank; pass None for no filter".to_string(),
            ));
        }
        if limit == 0 {
            return Ok(Vec::new());
        }
        let Some(plan) = query::plan(query, &self.synonyms) else {
            return Ok(Vec::new());
        };

        let candidates = index::scored_matches(
            &self.reader,
            &*query::main_query(&self.fields, &plan, module),
        )?;
        if candidates.is_empty() {
            return Ok(Vec::new());
        }

        // Rank classes: exact whole-name match, then number of word groups matched.
        let exact = index::matching_ords(&self.reader, &*query::exact_query(&self.fields, &plan))?;
        let mut groups_matched: HashMap<u64, u32> = HashMap::new();
        if plan.groups.len() > 1 {
            for group in &plan.groups {
                if let Some(q) = query::group_query(&self.fields, group) {
                    for ord in index::matching_ords(&self.reader, &*q)? {
                        *groups_matched.entry(ord).or_default() += 1;
                    }
                }
            }
        }
        let group_count = u32::try_from(plan.groups.len()).unwrap_or(u32::MAX);
        let class = |ord: u64| -> u32 {
            let matched = if plan.groups.len() > 1 {
                groups_matched.get(&ord).copied().unwrap_or(0)
            } else {
                1
            };
            let exact_bonus = if exact.contains(&ord) {
                group_count.saturating_add(1)
            } else {
                0
            };
            matched.saturating_add(exact_bonus)
        };

        // Scores are lifted by class so that a better class always has a larger score.
        let max_score = candidates.iter().map(|(s, _)| *s).fold(0.0_f32, f32::max);
        let step = max_score + 1.0;
        let mut best: HashMap<&str, f32> = HashMap::new();
        for (score, ord) in candidates {
            let Some(code) = usize::try_from(ord).ok().and_then(|i| self.codes.get(i)) else {
                continue;
            };
            // class is at most 2 * MAX_GROUPS + 1, exactly representable.
            let ranked = score + class(ord) as f32 * step;
            let entry = best.entry(code.as_str()).or_insert(ranked);
            if ranked > *entry {
                *entry = ranked;
            }
        }
        let mut hits: Vec<SearchHit> = best
            .into_iter()
            .map(|(code, score)| SearchHit {
                code: code.to_string(),
                score,
            })
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.code.cmp(&b.code))
        });
        hits.truncate(limit);
        Ok(hits)
    }

    /// Number of documents indexed (duplicates by code included).
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the index holds no documents.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests;
