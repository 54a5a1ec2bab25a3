//! The data key and the subkeys derived from it. The data key is random, generated once per
//! instance, and only ever stored wrapped (see `keyfile`). Each use gets its own subkey through
//! HKDF-SHA256 with a distinct label, so compartments (database, identities, evidence files) can
//! be separated later without re-keying the instance.

use std::fmt;

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::VaultError;

/// The instance's 256-bit data key. Zeroed on drop; `Debug` prints nothing of it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey([u8; 32]);

impl DataKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self, VaultError> {
        let mut key = [0u8; 32];
        crate::random_bytes(&mut key)?;
        Ok(DataKey(key))
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        DataKey(bytes)
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// Derives the subkey for `purpose`.
    pub fn derive(&self, purpose: SubKeyPurpose) -> SubKey {
        let hk = Hkdf::<Sha256>::new(Some(b"ozodi/v1"), &self.0);
        let mut out = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand cannot fail.
        if hk.expand(purpose.label().as_bytes(), &mut out).is_err() {
            unreachable!("HKDF output length 32 is always valid");
        }
        SubKey(out)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<secret>)")
    }
}

/// What a subkey is for. Each label is fixed forever: changing one would lock out existing data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubKeyPurpose {
    /// The raw SQLCipher key of the main database.
    Database,
    /// The identity compartment's field key (names, contacts, ID documents).
    Identity,
    /// The key of encrypted evidence files (documents, photos, audio, video; see `blob`).
    Evidence,
    /// The keyed hash of name skeletons (the blind index that lets identity-access users find a
    /// person by name without names or skeletons being stored in clear).
    NameIndex,
    /// Files of the identity compartment (face photos, consent forms, ID documents).
    IdentityFiles,
    /// The raw SQLCipher key of the access log (the database of stand-alone audit entries).
    AccessLog,
    /// Backup archives (see `archive`).
    Backup,
}

impl SubKeyPurpose {
    fn label(self) -> &'static str {
        match self {
            SubKeyPurpose::Database => "ozodi/v1/database",
            SubKeyPurpose::Identity => "ozodi/v1/identity",
            SubKeyPurpose::Evidence => "ozodi/v1/evidence",
            SubKeyPurpose::NameIndex => "ozodi/v1/name-index",
            SubKeyPurpose::IdentityFiles => "ozodi/v1/identity-files",
            SubKeyPurpose::AccessLog => "ozodi/v1/access-log",
            SubKeyPurpose::Backup => "ozodi/v1/backup",
        }
    }
}

/// A derived 256-bit key. Zeroed on drop; `Debug` prints nothing of it.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SubKey([u8; 32]);

impl SubKey {
    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as lower-case hex, in a zeroizing string, for SQLCipher's raw-key pragma.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0))
    }
}

impl fmt::Debug for SubKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubKey(<secret>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subkeys_are_deterministic_and_distinct_per_data_key() {
        let a = DataKey::from_bytes([7; 32]);
        let b = DataKey::from_bytes([8; 32]);
        let a1 = a.derive(SubKeyPurpose::Database).to_hex();
        assert_eq!(*a1, *a.derive(SubKeyPurpose::Database).to_hex());
        assert_ne!(*a1, *b.derive(SubKeyPurpose::Database).to_hex());
        assert_eq!(a1.len(), 64);
        assert_ne!(*a1, hex::encode([7u8; 32]), "the subkey must not be the data key itself");
    }

    #[test]
    fn each_purpose_has_its_own_subkey() {
        let k = DataKey::from_bytes([7; 32]);
        let all = [
            SubKeyPurpose::Database,
            SubKeyPurpose::Identity,
            SubKeyPurpose::Evidence,
            SubKeyPurpose::NameIndex,
            SubKeyPurpose::IdentityFiles,
            SubKeyPurpose::AccessLog,
            SubKeyPurpose::Backup,
        ];
        let hexes: Vec<_> = all.iter().map(|p| k.derive(*p).to_hex()).collect();
        for (i, a) in hexes.iter().enumerate() {
            for b in &hexes[i + 1..] {
                assert_ne!(**a, **b);
            }
        }
    }

    #[test]
    fn debug_reveals_nothing() {
        let key = DataKey::from_bytes([0xab; 32]);
        assert_eq!(format!("{key:?}"), "DataKey(<secret>)");
        assert!(!format!("{:?}", key.derive(SubKeyPurpose::Database)).contains("ab"));
    }
}
