//! The tamper-evident audit chain: how an entry's hash is computed and how a
//! chain is verified. Storage and signing of checkpoints live elsewhere; the
//! rules live here.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain, starting at 1 with no gaps.
    pub seq: i64,
    /// When it happened, microseconds since the Unix epoch (UTC).
    pub at_micros: i64,
    /// Who acted: `staff:12`, `applicant:3`, `anonymous`, `system`, `cli`.
    pub actor: String,
    /// What happened, for example `catalogue.publish` or `auth.login_failed`.
    pub action: String,
    /// What it happened to, for example `item:000105001000`.
    pub subject: String,
    /// Details as canonical JSON text.
    pub detail: String,
    /// Hash of the previous entry (or [`GENESIS_HASH`]).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Computes the hash of an entry from its content and the previous hash.
/// Every field is length-prefixed so that no two different entries can
/// produce the same input to SHA-256.
pub fn entry_hash(
    seq: i64,
    at_micros: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(b"onetrip-audit-v1");
    h.update(seq.to_be_bytes());
    h.update(at_micros.to_be_bytes());
    for field in [actor, action, subject, detail, prev_hash] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

impl AuditEntry {
    /// The hash this entry should have given its content.
    pub fn expected_hash(&self) -> String {
        entry_hash(
            self.seq,
            self.at_micros,
            &self.actor,
            &self.action,
            &self.subject,
            &self.detail,
            &self.prev_hash,
        )
    }
}

/// A signed statement that the chain had `hash` at `seq` (kept outside the database).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Sequence number of the last entry covered.
    pub seq: i64,
    /// Hash of that entry.
    pub hash: String,
    /// When the checkpoint was made (microseconds).
    pub at_micros: i64,
    /// Hex-encoded Ed25519 public key that signed it.
    pub public_key: String,
    /// Hex-encoded Ed25519 signature over [`Checkpoint::message`].
    pub signature: String,
}

impl Checkpoint {
    /// The exact bytes that are signed.
    pub fn message(seq: i64, hash: &str, at_micros: i64) -> Vec<u8> {
        format!("onetrip-audit-checkpoint-v1\n{seq}\n{hash}\n{at_micros}").into_bytes()
    }
}

/// The first problem found in a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainProblem {
    /// An entry's stored hash does not match its content (modified entry).
    ModifiedEntry {
        /// The bad entry.
        seq: i64,
    },
    /// An entry's `prev_hash` does not match the previous entry (reordered or
    /// an entry removed before it).
    BrokenLink {
        /// The bad entry.
        seq: i64,
    },
    /// The sequence jumps (an entry was deleted).
    MissingEntry {
        /// The sequence number that should have come next.
        expected_seq: i64,
        /// The sequence number found instead.
        found_seq: i64,
    },
    /// A checkpoint names an entry whose hash differs.
    CheckpointMismatch {
        /// The checkpoint's sequence number.
        seq: i64,
    },
    /// Entries covered by a checkpoint are gone from the tail.
    TruncatedTail {
        /// The last entry present.
        last_seq: i64,
        /// The checkpoint that proves more existed.
        checkpoint_seq: i64,
    },
    /// A checkpoint's signature is invalid or made with an unknown key.
    BadCheckpointSignature {
        /// The checkpoint's sequence number.
        seq: i64,
    },
}

impl ChainProblem {
    /// A sentence for operators, naming the first bad entry.
    pub fn describe(&self) -> String {
        match self {
            Self::ModifiedEntry { seq } => {
                format!("entry #{seq} was modified: its hash does not match its content")
            }
            Self::BrokenLink { seq } => {
                format!(
                    "entry #{seq} does not link to the entry before it (entries reordered or replaced)"
                )
            }
            Self::MissingEntry {
                expected_seq,
                found_seq,
            } => {
                format!("entry #{expected_seq} is missing (next entry found is #{found_seq})")
            }
            Self::CheckpointMismatch { seq } => {
                format!("entry #{seq} differs from the signed checkpoint at #{seq}")
            }
            Self::TruncatedTail {
                last_seq,
                checkpoint_seq,
            } => format!(
                "the chain ends at #{last_seq} but a signed checkpoint covers #{checkpoint_seq}: entries #{} to #{checkpoint_seq} were removed",
                last_seq + 1
            ),
            Self::BadCheckpointSignature { seq } => {
                format!("the checkpoint at #{seq} has an invalid signature")
            }
        }
    }
}

/// Incremental verifier: feed entries in `seq` order.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// A verifier expecting entry 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the next entry.
    pub fn feed(&mut self, entry: &AuditEntry) -> Result<(), ChainProblem> {
        if entry.seq != self.expected_seq {
            return Err(ChainProblem::MissingEntry {
                expected_seq: self.expected_seq,
                found_seq: entry.seq,
            });
        }
        if entry.expected_hash() != entry.hash {
            return Err(ChainProblem::ModifiedEntry { seq: entry.seq });
        }
        if entry.prev_hash != self.prev_hash {
            return Err(ChainProblem::BrokenLink { seq: entry.seq });
        }
        self.expected_seq += 1;
        self.prev_hash.clone_from(&entry.hash);
        Ok(())
    }

    /// The last verified sequence number (0 before any entry).
    pub fn last_seq(&self) -> i64 {
        self.expected_seq - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let hash = entry_hash(seq, seq * 10, "system", "test", "x", "{}", &prev);
                let e = AuditEntry {
                    seq,
                    at_micros: seq * 10,
                    actor: "system".into(),
                    action: "test".into(),
                    subject: "x".into(),
                    detail: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn detects_each_kind_of_tampering() {
        let good = chain(5);
        let mut v = ChainVerifier::new();
        assert!(good.iter().all(|e| v.feed(e).is_ok()));

        let mut modified = good.clone();
        modified[2].detail = "{\"x\":1}".into();
        let mut v = ChainVerifier::new();
        let err = modified.iter().find_map(|e| v.feed(e).err());
        assert_eq!(err, Some(ChainProblem::ModifiedEntry { seq: 3 }));

        let mut deleted = good.clone();
        deleted.remove(1);
        let mut v = ChainVerifier::new();
        let err = deleted.iter().find_map(|e| v.feed(e).err());
        assert_eq!(
            err,
            Some(ChainProblem::MissingEntry {
                expected_seq: 2,
                found_seq: 3
            })
        );
    }
}
