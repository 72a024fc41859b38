//! Administrative regions (GB/T 2260) and the organisations located in them.

use serde::{Deserialize, Serialize};

use crate::ValidationErrors;
use crate::text::Text;

/// The four levels of administrative region that OneTrip serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级
    Province,
    /// 市级
    City,
    /// 县级
    County,
    /// 乡镇级
    Township,
}

impl RegionLevel {
    /// The stable code used in storage and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::City => "city",
            Self::County => "county",
            Self::Township => "township",
        }
    }

    /// Parses a stored or submitted level.
    pub fn parse(s: &str) -> Result<Self, ValidationErrors> {
        match s {
            "province" => Ok(Self::Province),
            "city" => Ok(Self::City),
            "county" => Ok(Self::County),
            "township" => Ok(Self::Township),
            _ => Err(ValidationErrors::single(
                "",
                "invalid_level",
                "层级应为 province/city/county/township",
            )),
        }
    }

    /// Display name in the requested language.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Province, "en") => "Province",
            (Self::City, "en") => "City",
            (Self::County, "en") => "County",
            (Self::Township, "en") => "Township",
            (Self::Province, _) => "省级",
            (Self::City, _) => "市级",
            (Self::County, _) => "县级",
            (Self::Township, _) => "乡镇级",
        }
    }
}

/// A region code: six digits (GB/T 2260) for province, city and county; nine
/// digits (the six-digit county code plus a three-digit township number, as in
/// the statistical division codes) for a township.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses a code and checks its shape.
    pub fn parse(input: &str) -> Result<Self, ValidationErrors> {
        let s = input.trim();
        let digits = s.bytes().all(|b| b.is_ascii_digit());
        if !digits || !(s.len() == 6 || s.len() == 9) {
            return Err(ValidationErrors::single(
                "",
                "invalid_region_code",
                "行政区划代码应为6位（乡镇9位）数字 / a region code has 6 digits (9 for a township)",
            ));
        }
        let province: u32 = s[..2].parse().unwrap_or(0);
        if !(11..=82).contains(&province) {
            return Err(ValidationErrors::single(
                "",
                "invalid_region_code",
                "行政区划代码的省级代码无效 / unknown province code",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The level implied by the code: `xx0000` province, `xxxx00` city,
    /// other six-digit codes county, nine digits township. Municipalities'
    /// districts (such as 110105) are counties.
    pub fn level(&self) -> RegionLevel {
        let s = &self.0;
        if s.len() == 9 {
            RegionLevel::Township
        } else if &s[2..] == "0000" {
            RegionLevel::Province
        } else if &s[4..] == "00" {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The code of the enclosing region implied by the code itself, if any.
    pub fn implied_parent(&self) -> Option<RegionCode> {
        let s = &self.0;
        match self.level() {
            RegionLevel::Province => None,
            RegionLevel::City => Some(Self(format!("{}0000", &s[..2]))),
            RegionLevel::County => Some(Self(format!("{}00", &s[..4]))),
            RegionLevel::Township => Some(Self(s[..6].to_owned())),
        }
    }

    /// True when `self` is `other` or lies inside it (by code prefix).
    pub fn is_within(&self, other: &RegionCode) -> bool {
        let prefix = match other.level() {
            RegionLevel::Province => &other.0[..2],
            RegionLevel::City => &other.0[..4],
            RegionLevel::County => &other.0[..6],
            RegionLevel::Township => &other.0[..],
        };
        self.0.starts_with(prefix)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RegionCode {
    type Error = ValidationErrors;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.0
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An administrative region (行政区划).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// GB/T 2260 code.
    pub code: RegionCode,
    /// Name in Chinese and English.
    pub name: Text,
    /// Enclosing region; `None` for a province.
    #[serde(default)]
    pub parent: Option<RegionCode>,
}

impl Region {
    /// The region's level, derived from its code.
    pub fn level(&self) -> RegionLevel {
        self.code.level()
    }
}

/// Validates an organisation code: 2–40 characters of `A-Z 0-9 - _`.
pub fn parse_org_code(input: &str) -> Result<String, ValidationErrors> {
    let s = input.trim();
    let ok = (2..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(ValidationErrors::single(
            "",
            "invalid_code",
            "编码应为2至40位大写字母、数字、- 或 _ / a code has 2-40 characters A-Z 0-9 - _",
        ))
    }
}

/// A department or other implementing body (部门 / 实施机关) in a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Stable code, for example `420100-SCJGJ`.
    pub code: String,
    /// Name in Chinese and English.
    pub name: Text,
    /// The region whose government the department belongs to.
    pub region: RegionCode,
}

/// A hall (大厅) inside a service centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hall {
    /// Code unique within the centre.
    pub code: String,
    /// Name, for example 一楼综合受理大厅.
    pub name: Text,
}

/// A government service centre (政务服务中心) with its halls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCentre {
    /// Stable code.
    pub code: String,
    /// Name in Chinese and English.
    pub name: Text,
    /// The region it serves.
    pub region: RegionCode,
    /// Street address.
    pub address: String,
    /// Opening hours as published.
    pub hours: String,
    /// The halls of the centre.
    #[serde(default)]
    pub halls: Vec<Hall>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_parents() {
        let wuhan = RegionCode::parse("420100").unwrap();
        assert_eq!(wuhan.level(), RegionLevel::City);
        assert_eq!(wuhan.implied_parent().unwrap().as_str(), "420000");
        let hongshan = RegionCode::parse("420111").unwrap();
        assert_eq!(hongshan.level(), RegionLevel::County);
        assert!(hongshan.is_within(&wuhan));
        assert!(!RegionCode::parse("330100").unwrap().is_within(&wuhan));
        assert!(RegionCode::parse("990000").is_err());
        assert!(RegionCode::parse("42010").is_err());
    }
}
