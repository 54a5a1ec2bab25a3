//! The blind index of names: a keyed hash (HMAC-SHA256 under its own subkey) of each name
//! skeleton, so the database can answer "which persons have a name like this?" for users allowed to
//! ask, while holding neither names nor their skeletons. Without the key the tokens only reveal
//! which persons share a skeleton, nothing of the name itself.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::keys::{DataKey, SubKeyPurpose};

/// The name-index key. `Debug` prints nothing of it.
pub struct NameIndex(crate::keys::SubKey);

impl NameIndex {
    /// The name-index key of an instance.
    pub fn new(key: &DataKey) -> Self {
        NameIndex(key.derive(SubKeyPurpose::NameIndex))
    }

    /// The token of one name skeleton: 16 bytes of HMAC-SHA256, in hex.
    pub fn token(&self, skeleton: &str) -> String {
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(self.0.expose()) else {
            unreachable!("HMAC accepts keys of any length");
        };
        mac.update(b"name-skeleton\0");
        mac.update(skeleton.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

impl fmt::Debug for NameIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NameIndex(<secret>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_keyed_stable_and_reveal_nothing_of_the_skeleton() {
        let a = NameIndex::new(&DataKey::from_bytes([1; 32]));
        let b = NameIndex::new(&DataKey::from_bytes([2; 32]));
        assert_eq!(a.token("abrhmv"), a.token("abrhmv"));
        assert_ne!(a.token("abrhmv"), a.token("krbnv"));
        assert_ne!(a.token("abrhmv"), b.token("abrhmv"), "another instance's key gives other tokens");
        assert_eq!(a.token("abrhmv").len(), 32);
        assert!(!a.token("abrhmv").contains("abrhmv"));
        assert_eq!(format!("{a:?}"), "NameIndex(<secret>)");
    }
}
