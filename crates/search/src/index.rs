//! Schema, index building and result collection.
//!
//! Fields (none is stored; hits are mapped back to codes through the `ord` fast field):
//!
//! | field | content | analyzer |
//! |---|---|---|
//! | `name` | `name_zh` | jieba search mode |
//! | `keywords` | each keyword | jieba search mode |
//! | `department` | `department_zh` | jieba search mode |
//! | `materials` | each material name | jieba search mode |
//! | `name_en` | `name_en` | English (lowercase + stem) |
//! | `department_en` | `department_en` | English |
//! | `pinyin_name` | pinyin terms of `name_zh` | pinyin |
//! | `pinyin_keywords` | pinyin terms of each keyword | pinyin |
//! | `name_exact` | normalised `name_zh`, `name_en`, initials and full pinyin of `name_zh` (forms of 2+ chars) | raw (one term each) |
//! | `module` | `module` | raw (filter) |
//! | `ord` | rank of the doc in (code, …) order | u64 fast field |
//!
//! Documents are added in a canonical order (sorted by code, then every other field) with a
//! single indexing thread and one commit, so the index is the same whatever the input order.

use std::collections::HashSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument,
};

use crate::pinyin_terms::{pinyin_full, pinyin_initials, pinyin_terms};
use crate::tokenizer::{EN_TOKENIZER, PINYIN_TOKENIZER, ZH_TOKENIZER, normalize, register};
use crate::{SearchDoc, SearchError};

/// Memory budget of the (single-threaded) index writer.
const WRITER_MEMORY_BYTES: usize = 50_000_000;

/// Name of the fast field holding each document's canonical rank.
const ORD_FIELD: &str = "ord";

/// Handles of the schema's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) name: Field,
    pub(crate) keywords: Field,
    pub(crate) department: Field,
    pub(crate) materials: Field,
    pub(crate) name_en: Field,
    pub(crate) department_en: Field,
    pub(crate) pinyin_name: Field,
    pub(crate) pinyin_keywords: Field,
    pub(crate) name_exact: Field,
    pub(crate) module: Field,
    pub(crate) ord: Field,
}

fn text_options(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        name: b.add_text_field("name", text_options(ZH_TOKENIZER)),
        keywords: b.add_text_field("keywords", text_options(ZH_TOKENIZER)),
        department: b.add_text_field("department", text_options(ZH_TOKENIZER)),
        materials: b.add_text_field("materials", text_options(ZH_TOKENIZER)),
        name_en: b.add_text_field("name_en", text_options(EN_TOKENIZER)),
        department_en: b.add_text_field("department_en", text_options(EN_TOKENIZER)),
        pinyin_name: b.add_text_field("pinyin_name", text_options(PINYIN_TOKENIZER)),
        pinyin_keywords: b.add_text_field("pinyin_keywords", text_options(PINYIN_TOKENIZER)),
        name_exact: b.add_text_field("name_exact", STRING),
        module: b.add_text_field("module", STRING),
        ord: b.add_u64_field(ORD_FIELD, FAST),
    };
    (b.build(), fields)
}

/// The canonical order of documents: by code, then by every other field.
type SortKey<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a [String],
    &'a [String],
);

fn sort_key(d: &SearchDoc) -> SortKey<'_> {
    (
        &d.code,
        &d.region,
        &d.module,
        &d.name_zh,
        &d.name_en,
        &d.department_zh,
        &d.department_en,
        &d.keywords,
        &d.materials_zh,
    )
}

/// A built index: the reader, field handles and codes by canonical rank.
pub(crate) struct Built {
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) codes: Vec<String>,
}

fn to_document(fields: &Fields, doc: &SearchDoc, ord: u64) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(fields.name, &doc.name_zh);
    for keyword in &doc.keywords {
        d.add_text(fields.keywords, keyword);
    }
    d.add_text(fields.department, &doc.department_zh);
    for material in &doc.materials_zh {
        d.add_text(fields.materials, material);
    }
    d.add_text(fields.name_en, &doc.name_en);
    d.add_text(fields.department_en, &doc.department_en);
    d.add_text(fields.pinyin_name, pinyin_terms(&doc.name_zh).join(" "));
    for keyword in &doc.keywords {
        d.add_text(fields.pinyin_keywords, pinyin_terms(keyword).join(" "));
    }
    let mut exact_forms = vec![normalize(&doc.name_zh), normalize(&doc.name_en)];
    if !doc.name_zh.is_ascii() {
        exact_forms.push(pinyin_initials(&doc.name_zh));
        exact_forms.push(pinyin_full(&doc.name_zh));
    }
    exact_forms.retain(|f| f.chars().count() >= 2);
    exact_forms.sort();
    exact_forms.dedup();
    for form in exact_forms {
        d.add_text(fields.name_exact, form);
    }
    d.add_text(fields.module, &doc.module);
    d.add_u64(fields.ord, ord);
    d
}

/// Builds the in-RAM index; see the module docs for the layout.
pub(crate) fn build(docs: &[SearchDoc]) -> Result<Built, SearchError> {
    let (schema, fields) = schema();
    let index = Index::create_in_ram(schema);
    register(index.tokenizers());

    let mut sorted: Vec<&SearchDoc> = docs.iter().collect();
    sorted.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));

    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
    let mut codes = Vec::with_capacity(sorted.len());
    for (ord, doc) in (0u64..).zip(sorted) {
        writer.add_document(to_document(&fields, doc, ord))?;
        codes.push(doc.code.clone());
    }
    writer.commit()?;
    writer.wait_merging_threads()?;

    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(Built {
        reader,
        fields,
        codes,
    })
}

/// Collects `(score, ord)` for every matching document, unranked.
struct OrdCollector {
    scoring: bool,
}

struct OrdSegmentCollector {
    ords: Column<u64>,
    out: Vec<(Score, u64)>,
}

impl Collector for OrdCollector {
    type Fruit = Vec<(Score, u64)>;
    type Child = OrdSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<OrdSegmentCollector> {
        Ok(OrdSegmentCollector {
            ords: segment.fast_fields().u64(ORD_FIELD)?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(Score, u64)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for OrdSegmentCollector {
    type Fruit = Vec<(Score, u64)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(ord) = self.ords.first(doc) {
            self.out.push((score, ord));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

/// Every document matching `query` with its score, as `(score, ord)` in no particular order.
pub(crate) fn scored_matches(
    reader: &IndexReader,
    query: &dyn Query,
) -> Result<Vec<(Score, u64)>, SearchError> {
    Ok(reader
        .searcher()
        .search(query, &OrdCollector { scoring: true })?)
}

/// The set of canonical ranks of documents matching `query` (no scoring).
pub(crate) fn matching_ords(
    reader: &IndexReader,
    query: &dyn Query,
) -> Result<HashSet<u64>, SearchError> {
    let found = reader
        .searcher()
        .search(query, &OrdCollector { scoring: false })?;
    Ok(found.into_iter().map(|(_, ord)| ord).collect())
}
