//! Pinyin index terms, so that users can type `yyzz` or `yingyezhizhao` for 营业执照.
//!
//! Character rules (shared by initials and full pinyin):
//! - ASCII letters and digits pass through, lowercased;
//! - a character with a pinyin reading contributes its most common reading (toneless, `ü`
//!   written `v` as on pinyin keyboards) or that reading's first letter;
//! - every other character (punctuation, spaces, symbols, characters with no reading) is skipped.
//!
//! Heteronyms are not expanded: 银行 gives `yinxing`, the most common reading of each character.

use pinyin::ToPinyin;

use crate::tokenizer::search_words;

/// Initials of `s`: the first letter of each character's pinyin, ASCII letters/digits kept
/// (lowercased), everything else skipped. `pinyin_initials("营业执照") == "yyzz"`,
/// `pinyin_initials("ICP许可证") == "icpxkz"`.
pub fn pinyin_initials(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(py) = c.to_pinyin() {
            out.extend(py.first_letter().chars().map(fold_u));
        }
    }
    out
}

/// Full toneless pinyin of `s` with no separators, under the same character rules as
/// [`pinyin_initials`]. `pinyin_full("营业执照") == "yingyezhizhao"`.
pub(crate) fn pinyin_full(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(py) = c.to_pinyin() {
            out.extend(py.plain().chars().map(fold_u));
        }
    }
    out
}

/// `ü` is typed `v`; pinyin readings are otherwise plain ASCII.
fn fold_u(c: char) -> char {
    if c == 'ü' { 'v' } else { c }
}

/// The pinyin terms indexed for one name or keyword: the initials and full pinyin of the whole
/// string and of each jieba search-mode word, without duplicates, in first-seen order.
/// Initials shorter than two letters are left out (a lone `z` would match too much);
/// full pinyin of single characters is kept.
///
/// 食品经营许可 → `spjyxk`, `shipinjingyingxuke`, `sp`, `shipin`, `jy`, `jingying`, `xk`, `xuke`, …
pub(crate) fn pinyin_terms(s: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut push = |term: String, min_len: usize| {
        if term.len() >= min_len && !terms.contains(&term) {
            terms.push(term);
        }
    };
    push(pinyin_initials(s), 2);
    push(pinyin_full(s), 1);
    for word in search_words(s) {
        push(pinyin_initials(&word.text), 2);
        push(pinyin_full(&word.text), 1);
    }
    terms
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_chinese() {
        assert_eq!(pinyin_initials("营业执照"), "yyzz");
        assert_eq!(pinyin_initials("食品经营许可"), "spjyxk");
    }

    #[test]
    fn ascii_passes_through_and_symbols_skipped() {
        assert_eq!(pinyin_initials("ICP许可证"), "icpxkz");
        assert_eq!(pinyin_initials("第2类（医疗）"), "d2lyl");
        assert_eq!(pinyin_initials("—— ！"), "");
        assert_eq!(pinyin_initials(""), "");
    }

    #[test]
    fn full_pinyin_without_tones() {
        assert_eq!(pinyin_full("营业执照"), "yingyezhizhao");
        assert_eq!(pinyin_full("绿化"), "lvhua");
        assert_eq!(pinyin_full("A座3号"), "azuo3hao");
    }

    #[test]
    fn terms_cover_whole_string_and_words() {
        let terms = pinyin_terms("食品经营许可");
        for expected in [
            "spjyxk",
            "shipinjingyingxuke",
            "sp",
            "shipin",
            "jy",
            "jingying",
            "xk",
            "xuke",
        ] {
            assert!(
                terms.iter().any(|t| t == expected),
                "missing {expected} in {terms:?}"
            );
        }
        let terms = pinyin_terms("营业执照");
        for expected in ["yyzz", "yingyezhizhao", "yingye", "zhizhao", "yy", "zz"] {
            assert!(
                terms.iter().any(|t| t == expected),
                "missing {expected} in {terms:?}"
            );
        }
        let mut dedup = terms.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), terms.len());
    }
}
