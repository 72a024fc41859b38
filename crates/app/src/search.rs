//! The catalogue search service: an in-memory index rebuilt from the
//! published catalogue whenever it changes. Because the index is built from
//! the same rows on either engine, both engines give the same results.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use onetrip_domain::catalogue::Module;
use onetrip_search::{CatalogueIndex, SearchDoc};
use onetrip_store::Store;
use serde::Serialize;

use crate::error::{AppError, AppResult};

/// What a search result shows about an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchResult {
    /// Item code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Module.
    pub module: Module,
    /// Implementing body (Chinese name).
    pub department_zh: String,
    /// Implementing body (English name).
    pub department_en: String,
    /// Promised limit in working days.
    pub promised_limit_days: u32,
    /// On-site trips.
    pub on_site_trips: u8,
}

struct Built {
    index: CatalogueIndex,
    items: HashMap<String, SearchResult>,
}

/// Holds the current index; readers never wait for a rebuild.
pub struct SearchService {
    current: RwLock<Arc<Built>>,
}

impl std::fmt::Debug for SearchService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchService").finish_non_exhaustive()
    }
}

fn search_error(e: onetrip_search::SearchError) -> AppError {
    AppError::Internal(format!("search: {e}"))
}

impl SearchService {
    /// Builds the index from the store's published items.
    pub async fn build(store: &dyn Store) -> AppResult<Self> {
        let built = Self::load(store).await?;
        Ok(Self {
            current: RwLock::new(Arc::new(built)),
        })
    }

    async fn load(store: &dyn Store) -> AppResult<Built> {
        let departments: HashMap<String, (String, String)> = store
            .list_departments()
            .await?
            .into_iter()
            .map(|d| (d.code, (d.name.zh, d.name.en)))
            .collect();
        let synonyms: Vec<Vec<String>> = store
            .list_synonyms()
            .await?
            .into_iter()
            .map(|g| g.terms)
            .collect();
        let items = store.published_items().await?;
        let mut docs = Vec::with_capacity(items.len());
        let mut shown = HashMap::with_capacity(items.len());
        for v in items {
            let b = v.body;
            let (dept_zh, dept_en) = departments
                .get(&b.implementing_body)
                .cloned()
                .unwrap_or_default();
            docs.push(SearchDoc {
                code: b.code.clone(),
                name_zh: b.name.zh.clone(),
                name_en: b.name.en.clone(),
                keywords: b.keywords.clone(),
                department_zh: dept_zh.clone(),
                department_en: dept_en.clone(),
                materials_zh: b.materials.iter().map(|m| m.name.zh.clone()).collect(),
                module: b.module.as_str().to_owned(),
                region: b.region.as_str().to_owned(),
            });
            shown.insert(
                b.code.clone(),
                SearchResult {
                    code: b.code,
                    name_zh: b.name.zh,
                    name_en: b.name.en,
                    module: b.module,
                    department_zh: dept_zh,
                    department_en: dept_en,
                    promised_limit_days: b.promised_limit_days,
                    on_site_trips: b.on_site_trips,
                },
            );
        }
        let index = CatalogueIndex::build(&docs, &synonyms).map_err(search_error)?;
        Ok(Built {
            index,
            items: shown,
        })
    }

    /// Rebuilds after a catalogue change and swaps the new index in.
    pub async fn rebuild(&self, store: &dyn Store) -> AppResult<()> {
        let built = Arc::new(Self::load(store).await?);
        match self.current.write() {
            Ok(mut guard) => *guard = built,
            Err(poisoned) => *poisoned.into_inner() = built,
        }
        Ok(())
    }

    fn snapshot(&self) -> Arc<Built> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Ranked results for a query, optionally within one module.
    pub fn search(
        &self,
        query: &str,
        module: Option<Module>,
        limit: usize,
    ) -> AppResult<Vec<SearchResult>> {
        let built = self.snapshot();
        let hits = built
            .index
            .search(query, module.map(Module::as_str), limit)
            .map_err(search_error)?;
        Ok(hits
            .into_iter()
            .filter_map(|h| built.items.get(&h.code).cloned())
            .collect())
    }

    /// Number of indexed items.
    pub fn len(&self) -> usize {
        self.snapshot().index.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
