//! Bilingual text: Simplified Chinese first, English second.

use serde::{Deserialize, Serialize};

use crate::ValidationErrors;

/// A user-visible name or phrase in Simplified Chinese with an English rendering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Text {
    /// 中文 (required).
    pub zh: String,
    /// English (may be empty for long free text that has not been translated yet).
    #[serde(default)]
    pub en: String,
}

impl Text {
    /// Builds a text from both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The rendering for a language code (`zh` or `en`), falling back to Chinese
    /// when no English rendering exists.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" && !self.en.trim().is_empty() {
            &self.en
        } else {
            &self.zh
        }
    }

    /// Validates a name: Chinese required, at most `max` characters per language,
    /// and the English name required when `require_en` is set.
    pub fn validate(&self, max: usize, require_en: bool) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.zh.trim().is_empty() {
            errors.push("zh", "required", "中文名称必填 / Chinese text is required");
        } else if self.zh.chars().count() > max {
            errors.push(
                "zh",
                "too_long",
                format!("不能超过 {max} 个字 / at most {max} characters"),
            );
        }
        if require_en && self.en.trim().is_empty() {
            errors.push("en", "required", "英文名称必填 / English text is required");
        } else if self.en.chars().count() > max * 3 {
            errors.push("en", "too_long", format!("at most {} characters", max * 3));
        }
        errors.finish(())
    }
}
