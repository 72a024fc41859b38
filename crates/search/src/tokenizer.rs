//! Text analysis shared by indexing and querying.
//!
//! Rules:
//! - Chinese (and mixed) text is segmented with jieba in *search mode* with HMM enabled, so a
//!   compound such as 营业执照 is indexed as 营业, 执照 **and** 营业执照.
//! - Tokens with no alphanumeric character (whitespace, punctuation such as ；, ( or "), are
//!   dropped; all tokens are lowercased.
//! - English text is split on non-alphanumeric characters, lowercased and stemmed (English
//!   Porter-style stemmer), tokens of 40 bytes or more are dropped.
//! - Pinyin fields hold pre-computed ASCII terms separated by spaces and are only split and
//!   lowercased.
//!
//! The jieba dictionary is loaded once per process ([`JIEBA`]) on first use.
//! Query analysis calls the same functions as the index analyzers, so query terms always
//! equal index terms.

use std::sync::LazyLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer, TokenizerManager,
};

/// The process-wide jieba segmenter with its default dictionary (loaded lazily, once).
pub(crate) static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Name of the jieba search-mode analyzer used by the Chinese fields.
pub(crate) const ZH_TOKENIZER: &str = "onetrip_zh";
/// Name of the English analyzer (split, lowercase, stem).
pub(crate) const EN_TOKENIZER: &str = "onetrip_en";
/// Name of the analyzer for pre-computed pinyin terms (split, lowercase).
pub(crate) const PINYIN_TOKENIZER: &str = "onetrip_pinyin";

/// English tokens of this many bytes or more are not indexed.
const EN_MAX_TOKEN_BYTES: usize = 40;

/// One segmented word with its byte span in the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The lowercased word.
    pub(crate) text: String,
    /// Byte offset of the first byte of the word.
    pub(crate) start: usize,
    /// Byte offset one past the last byte of the word.
    pub(crate) end: usize,
}

/// Whether a segment is worth indexing: it must contain a letter, digit or CJK character.
fn is_indexable(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

/// Segments `text` with jieba in search mode (compounds plus their dictionary sub-words),
/// dropping punctuation/whitespace and lowercasing. Order follows jieba's output.
pub(crate) fn search_words(text: &str) -> Vec<Word> {
    JIEBA
        .cut_for_search(text, true)
        .into_iter()
        .filter(|t| is_indexable(t.word))
        .map(|t| Word {
            text: t.word.to_lowercase(),
            start: t.byte_start,
            end: t.byte_end,
        })
        .collect()
}

/// Segments `text` with jieba in default mode (one non-overlapping segmentation), dropping
/// punctuation/whitespace and lowercasing. Used to split a query into the user's words.
pub(crate) fn default_words(text: &str) -> Vec<Word> {
    JIEBA
        .cut(text, true)
        .into_iter()
        .filter(|t| is_indexable(t.word))
        .map(|t| Word {
            text: t.word.to_lowercase(),
            start: t.byte_start,
            end: t.byte_end,
        })
        .collect()
}

/// Normalises free text for comparisons: whitespace runs collapse to one space, the ends are
/// trimmed and letters are lowercased.
pub(crate) fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Tantivy tokenizer backed by [`JIEBA`] in search mode; see the module docs for the rules.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ZhTokenizer;

/// Token stream produced by [`ZhTokenizer`]; tokens are segmented eagerly.
#[derive(Debug)]
pub(crate) struct ZhTokenStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        let tokens: Vec<Token> = search_words(text)
            .into_iter()
            .enumerate()
            .map(|(position, word)| Token {
                offset_from: word.start,
                offset_to: word.end,
                position,
                text: word.text,
                position_length: 1,
            })
            .collect();
        ZhTokenStream {
            tokens: tokens.into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for ZhTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// The English analyzer: split on non-alphanumerics, drop long tokens, lowercase, stem.
pub(crate) fn en_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(EN_MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The pinyin analyzer: split on non-alphanumerics and lowercase (no stemming, no length cut,
/// since the full pinyin of a long name is a legitimate long term).
pub(crate) fn pinyin_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Runs `analyzer` over `text` and returns the token texts in order.
pub(crate) fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Registers the three analyzers under their names in an index's tokenizer manager.
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(ZH_TOKENIZER, TextAnalyzer::builder(ZhTokenizer).build());
    manager.register(EN_TOKENIZER, en_analyzer());
    manager.register(PINYIN_TOKENIZER, pinyin_analyzer());
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn texts(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn search_mode_keeps_compound_and_parts() {
        let words = search_words("营业执照");
        let t = texts(&words);
        assert!(t.contains(&"营业执照"), "{t:?}");
        assert!(t.contains(&"营业"), "{t:?}");
        assert!(t.contains(&"执照"), "{t:?}");
    }

    #[test]
    fn punctuation_dropped_and_lowercased() {
        let words = search_words("ICP许可证（变更）；\"test\"");
        let t = texts(&words);
        assert!(t.contains(&"icp"), "{t:?}");
        assert!(
            t.iter().all(|w| w.chars().any(char::is_alphanumeric)),
            "{t:?}"
        );
        assert!(t.iter().all(|w| *w == w.to_lowercase()));
    }

    #[test]
    fn tantivy_tokenizer_matches_search_words() {
        let mut analyzer = TextAnalyzer::builder(ZhTokenizer).build();
        let via_tantivy = analyze(&mut analyzer, "食品经营许可");
        let direct: Vec<String> = search_words("食品经营许可")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(via_tantivy, direct);
        assert!(via_tantivy.contains(&"食品".to_string()));
    }

    #[test]
    fn word_spans_are_byte_offsets() {
        let q = "社保 登记";
        for w in default_words(q) {
            assert_eq!(&q[w.start..w.end], w.text);
        }
    }

    #[test]
    fn english_analyzer_stems() {
        let mut en = en_analyzer();
        assert_eq!(
            analyze(&mut en, "Food Business Licences"),
            vec!["food", "busi", "licenc"]
        );
        assert_eq!(analyze(&mut en, "licence"), vec!["licenc"]);
    }

    #[test]
    fn normalize_collapses_whitespace() {
        assert_eq!(normalize("  Foo \t BAR  "), "foo bar");
        assert_eq!(normalize("   "), "");
    }
}
