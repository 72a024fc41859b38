//! Applicant identifiers: resident ID numbers (GB 11643) and unified social
//! credit codes (GB 32100), with the masking rules used wherever they are shown.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::ValidationErrors;

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// An 18-digit citizen identity number (公民身份号码, GB 11643-1999).
///
/// Business rules: 17 digits then a MOD 11-2 check character (`0-9` or `X`);
/// digits 1–6 are an administrative-region code whose first two digits name a
/// province-level region (11–82); digits 7–14 are a real calendar date from
/// 1900 on. (Whether that date lies in the future depends on the clock, so the
/// application layer checks it against today.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentIdNumber(String);

impl ResidentIdNumber {
    /// Parses and validates an ID number (a lowercase `x` is accepted and normalised).
    pub fn parse(input: &str) -> Result<Self, ValidationErrors> {
        let s = input.trim().to_uppercase();
        let bad = |code: &str, msg: &str| Err(ValidationErrors::single("", code, msg));
        if s.chars().count() != 18 {
            return bad(
                "invalid_length",
                "身份证号码应为18位 / an ID number has 18 characters",
            );
        }
        let bytes = s.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit) {
            return bad(
                "invalid_characters",
                "身份证号码前17位应为数字 / the first 17 characters must be digits",
            );
        }
        let province = u32::from(bytes[0] - b'0') * 10 + u32::from(bytes[1] - b'0');
        if !(11..=82).contains(&province) {
            return bad(
                "invalid_region",
                "身份证号码的地区码无效 / the region code is not valid",
            );
        }
        if birth_date(&s).is_none() {
            return bad(
                "invalid_birth_date",
                "身份证号码中的出生日期无效 / the birth date is not valid",
            );
        }
        if Self::check_character(&s[..17]) != Some(char::from(bytes[17])) {
            return bad(
                "invalid_check_digit",
                "身份证号码校验位错误 / the check digit is wrong",
            );
        }
        Ok(Self(s))
    }

    /// Computes the MOD 11-2 check character for the first 17 digits.
    pub fn check_character(first17: &str) -> Option<char> {
        if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let sum: u32 = first17
            .bytes()
            .zip(ID_WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        ID_CHECK.get((sum % 11) as usize).copied()
    }

    /// The full number (only for storage and authorised, audited display).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date encoded in the number.
    pub fn birth_date(&self) -> Option<Date> {
        birth_date(&self.0)
    }

    /// The masked form shown by default: `110***********1234`.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 3, 4)
    }
}

fn birth_date(s: &str) -> Option<Date> {
    let year: i32 = s.get(6..10)?.parse().ok()?;
    let month: u8 = s.get(10..12)?.parse().ok()?;
    let day: u8 = s.get(12..14)?.parse().ok()?;
    if year < 1900 {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

impl TryFrom<String> for ResidentIdNumber {
    type Error = ValidationErrors;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ResidentIdNumber> for String {
    fn from(value: ResidentIdNumber) -> Self {
        value.0
    }
}

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// An 18-character unified social credit code (统一社会信用代码, GB 32100-2015).
///
/// Business rules: characters come from the 31-symbol alphabet (digits and
/// capital letters without I, O, Z, S, V); characters 3–8 are an
/// administrative-region code (digits); the last character is the MOD 31
/// check character over the first 17 with the standard weights.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    /// Parses and validates a credit code (lowercase input is normalised).
    pub fn parse(input: &str) -> Result<Self, ValidationErrors> {
        let s = input.trim().to_uppercase();
        let bad = |code: &str, msg: &str| Err(ValidationErrors::single("", code, msg));
        if s.chars().count() != 18 {
            return bad(
                "invalid_length",
                "统一社会信用代码应为18位 / a credit code has 18 characters",
            );
        }
        if !s.chars().all(|c| USCC_ALPHABET.contains(c)) {
            return bad(
                "invalid_characters",
                "统一社会信用代码含有无效字符（不使用 I、O、Z、S、V） / invalid characters",
            );
        }
        if !s.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return bad(
                "invalid_region",
                "统一社会信用代码第3至8位应为行政区划码 / characters 3-8 must be a region code",
            );
        }
        if Self::check_character(&s[..17]) != s.chars().nth(17) {
            return bad(
                "invalid_check_digit",
                "统一社会信用代码校验位错误 / the check character is wrong",
            );
        }
        Ok(Self(s))
    }

    /// Computes the check character for the first 17 characters.
    pub fn check_character(first17: &str) -> Option<char> {
        if first17.chars().count() != 17 {
            return None;
        }
        let mut sum = 0u32;
        for (c, w) in first17.chars().zip(USCC_WEIGHTS) {
            let v = USCC_ALPHABET.find(c)? as u32;
            sum += v * w;
        }
        let check = (31 - sum % 31) % 31;
        USCC_ALPHABET.chars().nth(check as usize)
    }

    /// The full code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The masked form shown by default: `914***********123X`.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 3, 4)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = ValidationErrors;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(value: CreditCode) -> Self {
        value.0
    }
}

/// Keeps the first `head` and last `tail` characters and stars the rest.
pub fn mask_middle(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// Masks a mobile number as `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    mask_middle(phone.trim(), 3, 4)
}

/// Masks a personal name as `张*` (the surname's first character, then stars).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().max(1);
            let mut out = first.to_string();
            out.extend(std::iter::repeat_n('*', rest));
            out
        }
        None => String::new(),
    }
}

/// Validates a mainland mobile number (11 digits starting with 1).
pub fn parse_mobile(input: &str) -> Result<String, ValidationErrors> {
    let s = input.trim();
    if s.len() == 11 && s.starts_with('1') && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(ValidationErrors::single(
            "",
            "invalid_mobile",
            "手机号码应为以1开头的11位数字 / a mobile number has 11 digits starting with 1",
        ))
    }
}

/// Which kind of applicant an account belongs to and the identifier it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "identifier", rename_all = "snake_case")]
pub enum ApplicantIdentity {
    /// A natural person (自然人) with a resident ID number.
    NaturalPerson(ResidentIdNumber),
    /// A legal entity (法人) with a unified social credit code.
    LegalEntity(CreditCode),
}

impl ApplicantIdentity {
    /// Parses an identifier of the given kind (`natural_person` or `legal_entity`).
    pub fn parse(kind: &str, identifier: &str) -> Result<Self, ValidationErrors> {
        match kind {
            "natural_person" => ResidentIdNumber::parse(identifier).map(Self::NaturalPerson),
            "legal_entity" => CreditCode::parse(identifier).map(Self::LegalEntity),
            _ => Err(ValidationErrors::single(
                "",
                "invalid_kind",
                "申请人类型应为自然人或法人 / kind must be natural_person or legal_entity",
            )),
        }
    }

    /// `natural_person` or `legal_entity`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::NaturalPerson(_) => "natural_person",
            Self::LegalEntity(_) => "legal_entity",
        }
    }

    /// The full identifier.
    pub fn identifier(&self) -> &str {
        match self {
            Self::NaturalPerson(id) => id.as_str(),
            Self::LegalEntity(code) => code.as_str(),
        }
    }

    /// The masked identifier.
    pub fn masked(&self) -> String {
        match self {
            Self::NaturalPerson(id) => id.masked(),
            Self::LegalEntity(code) => code.masked(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_standard_example_id_number() {
        // The example in GB 11643-1999: 11010519491231002X.
        let id = ResidentIdNumber::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.masked(), "110***********002X");
    }

    #[test]
    fn rejects_a_wrong_check_digit_and_bad_dates() {
        let e = ResidentIdNumber::parse("110105194912310021").unwrap_err();
        assert_eq!(e.errors[0].code, "invalid_check_digit");
        let e = ResidentIdNumber::parse("110105194902300021").unwrap_err();
        assert_eq!(e.errors[0].code, "invalid_birth_date");
        let e = ResidentIdNumber::parse("1101051949").unwrap_err();
        assert_eq!(e.errors[0].code, "invalid_length");
    }

    #[test]
    fn credit_code_check_character() {
        // A real published code: 91350100M000100Y43.
        assert!(CreditCode::parse("91350100M000100Y43").is_ok());
        let e = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(e.errors[0].code, "invalid_check_digit");
        let e = CreditCode::parse("91350100M000100YI3").unwrap_err();
        assert_eq!(e.errors[0].code, "invalid_characters");
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳明月"), "欧***");
    }
}
