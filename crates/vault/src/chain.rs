//! The audit hash chain. Each entry's hash covers its sequence number, its content and the hash of
//! the entry before it, so editing, deleting, inserting or reordering any entry breaks the chain at
//! that point. Verification walks the entries in sequence order and names the first bad one.
//!
//! The encoding is length-prefixed, so no two different entries can serialise to the same bytes.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// The hashed fields of one audit entry.
#[derive(Clone, Copy, Debug)]
pub struct EntryFields<'a> {
    /// Sequence number, starting at 1 and increasing by one.
    pub seq: i64,
    /// When, as Unix time in microseconds (UTC).
    pub at_micros: i64,
    /// The acting account's id, if any.
    pub actor: Option<&'a str>,
    /// The event kind's stable code.
    pub kind: &'a str,
    /// The id of what the event is about, if any.
    pub subject: Option<&'a str>,
    /// Further detail (JSON text, no personal data).
    pub detail: &'a str,
    /// The client address, if any.
    pub client: Option<&'a str>,
}

fn put(h: &mut Sha256, field: Option<&[u8]>) {
    match field {
        None => h.update([0u8]),
        Some(bytes) => {
            h.update([1u8]);
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        }
    }
}

/// The hash of an entry chained to `prev`.
pub fn entry_hash(prev: &[u8; 32], e: &EntryFields<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"ozodi-audit-v1");
    h.update(prev);
    h.update(e.seq.to_be_bytes());
    h.update(e.at_micros.to_be_bytes());
    put(&mut h, e.actor.map(str::as_bytes));
    put(&mut h, Some(e.kind.as_bytes()));
    put(&mut h, e.subject.map(str::as_bytes));
    put(&mut h, Some(e.detail.as_bytes()));
    put(&mut h, e.client.map(str::as_bytes));
    h.finalize().into()
}

/// A stored entry as read back for verification.
#[derive(Clone, Copy, Debug)]
pub struct StoredEntry<'a> {
    /// The hashed fields.
    pub fields: EntryFields<'a>,
    /// The stored hash of the previous entry.
    pub prev_hash: &'a [u8],
    /// The stored hash of this entry.
    pub hash: &'a [u8],
}

/// Why the chain is broken at an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BreakReason {
    /// The sequence number is not the previous one plus one: an entry was deleted, inserted or
    /// moved.
    #[error("sequence gap (expected {expected})")]
    SequenceGap {
        /// The sequence number that should have come next.
        expected: i64,
    },
    /// The entry does not point at the hash of the entry before it.
    #[error("does not link to the entry before it")]
    BrokenLink,
    /// The entry's content does not match its hash: it was edited.
    #[error("content does not match its hash")]
    ContentAltered,
}

/// The first bad entry of a broken chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {seq}: {reason}")]
pub struct ChainBreak {
    /// The sequence number as stored in the bad entry.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: BreakReason,
}

/// Incremental verifier: feed entries in sequence order.
#[derive(Debug)]
pub struct Verifier {
    prev: [u8; 32],
    expected: i64,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier { prev: GENESIS, expected: 1 }
    }
}

impl Verifier {
    /// Checks the next entry.
    pub fn push(&mut self, e: &StoredEntry<'_>) -> Result<(), ChainBreak> {
        let seq = e.fields.seq;
        if seq != self.expected {
            return Err(ChainBreak { seq, reason: BreakReason::SequenceGap { expected: self.expected } });
        }
        if e.prev_hash != self.prev {
            return Err(ChainBreak { seq, reason: BreakReason::BrokenLink });
        }
        let computed = entry_hash(&self.prev, &e.fields);
        if e.hash != computed {
            return Err(ChainBreak { seq, reason: BreakReason::ContentAltered });
        }
        self.prev = computed;
        self.expected += 1;
        Ok(())
    }

    /// How many entries were verified.
    pub fn count(&self) -> i64 {
        self.expected - 1
    }

    /// The hash of the last verified entry (the chain head), to note down or publish.
    pub fn head(&self) -> [u8; 32] {
        self.prev
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        seq: i64,
        kind: String,
        prev: [u8; 32],
        hash: [u8; 32],
    }

    fn fields(seq: i64, kind: &str) -> EntryFields<'_> {
        EntryFields {
            seq,
            at_micros: seq * 1000,
            actor: Some("u1"),
            kind,
            subject: None,
            detail: "{}",
            client: None,
        }
    }

    fn chain(n: i64) -> Vec<Row> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let kind = format!("k{seq}");
                let hash = entry_hash(&prev, &fields(seq, &kind));
                let row = Row { seq, kind, prev, hash };
                prev = hash;
                row
            })
            .collect()
    }

    fn verify(rows: &[Row]) -> Result<i64, ChainBreak> {
        let mut v = Verifier::default();
        for r in rows {
            v.push(&StoredEntry { fields: fields(r.seq, &r.kind), prev_hash: &r.prev, hash: &r.hash })?;
        }
        Ok(v.count())
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn edit_is_detected() {
        let mut rows = chain(5);
        rows[2].kind = "forged".into();
        assert_eq!(verify(&rows), Err(ChainBreak { seq: 3, reason: BreakReason::ContentAltered }));
    }

    #[test]
    fn deletion_is_detected() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(verify(&rows).map_err(|b| b.seq), Err(3));
    }

    #[test]
    fn distinct_optional_fields_hash_differently() {
        let a = EntryFields { subject: Some(""), ..fields(1, "k") };
        let b = EntryFields { subject: None, ..fields(1, "k") };
        assert_ne!(entry_hash(&GENESIS, &a), entry_hash(&GENESIS, &b));
    }
}
