//! What a material upload may be.
//!
//! Business rules: an uploaded material is identified by its content (its
//! magic bytes), never by the content type or file name the client claims.
//! Only PDF, OFD (China's fixed-layout e-document format, GB/T 33190), PNG
//! and JPEG are accepted. Stored files are addressed by the SHA-256 of their
//! content; the client's file name is kept, cleaned, for display only.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ValidationErrors;

/// The largest upload accepted, in bytes (10 MiB); a scanned material larger
/// than this should be split or compressed by the applicant.
pub const MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;

/// The longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 120;

const PDF_MAGIC: &[u8] = b"%PDF-";
const PNG_MAGIC: &[u8] = &[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The accepted kinds of uploaded material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// PDF, recognised by `%PDF-` at the start.
    Pdf,
    /// PNG, recognised by its eight-byte signature.
    Png,
    /// JPEG, recognised by `FF D8 FF`.
    Jpeg,
    /// OFD: a ZIP container (`PK\x03\x04`) whose file name ends in `.ofd`.
    Ofd,
}

impl FileKind {
    /// Every kind.
    pub const ALL: &'static [FileKind] =
        &[FileKind::Pdf, FileKind::Png, FileKind::Jpeg, FileKind::Ofd];

    /// The stable code used in storage and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Ofd => "ofd",
        }
    }

    /// Parses a stable code.
    pub fn parse(s: &str) -> Option<Self> {
        FileKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// The media type to serve the file with (always this, never the client's claim).
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Ofd => "application/ofd",
        }
    }

    /// The file-name extension to download the file with, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
            FileKind::Ofd => "ofd",
        }
    }
}

/// Identifies an upload from its first bytes (`head`, at least 8 bytes where
/// the file has them).
///
/// The file name matters only to tell OFD from other ZIP containers: a ZIP
/// is accepted as OFD only when its name ends in `.ofd`, and a plain ZIP is
/// refused. Errors (field `file`): `empty_file` for no bytes,
/// `unsupported_type` for anything else.
pub fn sniff(head: &[u8], file_name: &str) -> Result<FileKind, ValidationErrors> {
    if head.is_empty() {
        return Err(ValidationErrors::single(
            "file",
            "empty_file",
            "文件为空 / the file is empty",
        ));
    }
    let is_ofd_name = file_name.trim().to_lowercase().ends_with(".ofd");
    if head.starts_with(PDF_MAGIC) {
        Ok(FileKind::Pdf)
    } else if head.starts_with(PNG_MAGIC) {
        Ok(FileKind::Png)
    } else if head.starts_with(JPEG_MAGIC) {
        Ok(FileKind::Jpeg)
    } else if head.starts_with(ZIP_MAGIC) && is_ofd_name {
        Ok(FileKind::Ofd)
    } else {
        Err(ValidationErrors::single(
            "file",
            "unsupported_type",
            "仅支持 PDF、OFD、PNG、JPEG 文件 / only PDF, OFD, PNG and JPEG files are accepted",
        ))
    }
}

/// Cleans a client-supplied file name for display.
///
/// Rules: any directory part (after the last `/` or `\`) is dropped, control
/// characters and bidirectional-override characters (which can disguise an
/// extension) are removed, surrounding whitespace is trimmed; the result must
/// be non-empty, not `.` or `..`, and at most [`MAX_FILE_NAME_CHARS`]
/// characters. Errors: field `file`, code `invalid_file_name`.
pub fn clean_file_name(name: &str) -> Result<String, ValidationErrors> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        return Err(ValidationErrors::single(
            "file",
            "invalid_file_name",
            "文件名无效 / the file name is not valid",
        ));
    }
    if cleaned.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(ValidationErrors::single(
            "file",
            "invalid_file_name",
            format!(
                "文件名不能超过 {MAX_FILE_NAME_CHARS} 个字 / a file name has at most {MAX_FILE_NAME_CHARS} characters"
            ),
        ));
    }
    Ok(cleaned.to_owned())
}

/// True for the invisible characters that reorder text (such as U+202E).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The SHA-256 of `bytes` as 64 lowercase hex digits: the address of a stored file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// True when `s` is a storage address: exactly 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<impl std::fmt::Debug, ValidationErrors>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.errors[0].field, "file");
        e.errors[0].code.clone()
    }

    #[test]
    fn each_kind_is_recognised_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n", "a.pdf").unwrap(), FileKind::Pdf);
        assert_eq!(sniff(b"%PDF-1.4", "scan.jpg").unwrap(), FileKind::Pdf);
        assert_eq!(sniff(PNG_MAGIC, "x").unwrap(), FileKind::Png);
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "p.jpeg").unwrap(),
            FileKind::Jpeg
        );
        assert_eq!(
            sniff(b"PK\x03\x04\x14\x00", "证照.OFD ").unwrap(),
            FileKind::Ofd
        );
        for k in FileKind::ALL {
            assert_eq!(FileKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(FileKind::parse("zip"), None);
        assert_eq!(FileKind::Ofd.mime(), "application/ofd");
        assert_eq!(FileKind::Jpeg.extension(), "jpg");
    }

    #[test]
    fn claims_are_not_trusted() {
        assert_eq!(
            code(sniff(b"hello, I am a PDF", "a.pdf")),
            "unsupported_type"
        );
        assert_eq!(
            code(sniff(b"PK\x03\x04\x14\x00", "a.zip")),
            "unsupported_type"
        );
        assert_eq!(code(sniff(b"PK\x03\x04", "a.ofd.zip")), "unsupported_type");
        assert_eq!(code(sniff(b"%PD", "a.pdf")), "unsupported_type");
        assert_eq!(code(sniff(b"", "a.pdf")), "empty_file");
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(
            clean_file_name("C:\\Users\\张三\\身份证.pdf").unwrap(),
            "身份证.pdf"
        );
        assert_eq!(clean_file_name("  a\u{0}b\r\n.pdf  ").unwrap(), "ab.pdf");
        assert_eq!(
            clean_file_name("invoice\u{202E}fdp.exe").unwrap(),
            "invoicefdp.exe"
        );
        assert_eq!(code(clean_file_name("dir/")), "invalid_file_name");
        assert_eq!(code(clean_file_name("a/..")), "invalid_file_name");
        assert_eq!(code(clean_file_name(" \t ")), "invalid_file_name");
        let long = "字".repeat(MAX_FILE_NAME_CHARS);
        assert_eq!(clean_file_name(&long).unwrap(), long);
        assert_eq!(
            code(clean_file_name(&format!("{long}x"))),
            "invalid_file_name"
        );
    }

    #[test]
    fn sha256_addresses() {
        let h = sha256_hex(b"abc");
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&h));
        assert!(!is_sha256_hex(&h.to_uppercase()));
        assert!(!is_sha256_hex(&h[1..]));
        assert!(!is_sha256_hex(&format!("{}g", &h[1..])));
        assert_eq!(MAX_UPLOAD_BYTES, 10_485_760);
    }
}
