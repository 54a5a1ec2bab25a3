//! Field-level encryption for the identity compartment (DOMAIN.md section 7): names, contacts,
//! addresses, ID documents and exact dates of birth are sealed with their own key, derived from
//! the data key, before they reach the (already encrypted) database. An export or backup for
//! analysts can then leave the compartment out entirely, and a database key alone does not reveal
//! identities.
//!
//! XChaCha20-Poly1305 with a random nonce per value; the associated data binds each ciphertext to
//! its record and field, so a sealed name cannot be moved to another person or another field.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::keys::{DataKey, SubKeyPurpose};
use crate::{VaultError, random_bytes};

/// Seals and opens identity fields.
pub struct FieldCipher {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(<secret>)")
    }
}

/// A sealed value: 24-byte nonce followed by the ciphertext and tag.
pub type Sealed = Vec<u8>;

const NONCE: usize = 24;

fn aad(record: &str, field: &str) -> Vec<u8> {
    format!("ozodi-identity-v1\0{record}\0{field}").into_bytes()
}

impl FieldCipher {
    /// The identity compartment's cipher for an instance.
    pub fn identity(key: &DataKey) -> Self {
        let sub = key.derive(SubKeyPurpose::Identity);
        FieldCipher { cipher: XChaCha20Poly1305::new(&(*sub.expose()).into()) }
    }

    /// Seals `plain` as field `field` of record `record`.
    pub fn seal(&self, record: &str, field: &str, plain: &str) -> Result<Sealed, VaultError> {
        let mut nonce = [0u8; NONCE];
        random_bytes(&mut nonce)?;
        let aad = aad(record, field);
        let ciphertext = self
            .cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plain.as_bytes(), aad: &aad })
            .map_err(|_| VaultError::Kdf("field encryption failed".into()))?;
        let mut out = Vec::with_capacity(NONCE + ciphertext.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        Ok(out)
    }

    /// Opens a sealed value; fails if it was altered or belongs to another record or field.
    pub fn open(&self, record: &str, field: &str, sealed: &[u8]) -> Result<Zeroizing<String>, VaultError> {
        if sealed.len() < NONCE {
            return Err(VaultError::WrongPassphrase);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE);
        let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| VaultError::WrongPassphrase)?;
        let aad = aad(record, field);
        let plain = Zeroizing::new(
            self.cipher
                .decrypt(&XNonce::from(nonce), Payload { msg: ciphertext, aad: &aad })
                .map_err(|_| VaultError::WrongPassphrase)?,
        );
        String::from_utf8(plain.to_vec()).map(Zeroizing::new).map_err(|_| VaultError::WrongPassphrase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DataKey {
        DataKey::from_bytes([3; 32])
    }

    #[test]
    fn seals_and_opens_and_hides_the_value() -> Result<(), VaultError> {
        let c = FieldCipher::identity(&key());
        let sealed = c.seal("person-1", "name", "Ҷамшед Раҳимов")?;
        let name = "Ҷамшед Раҳимов".as_bytes();
        assert!(!sealed.windows(name.len()).any(|w| w == name), "the name must not appear in clear");
        assert_eq!(c.open("person-1", "name", &sealed)?.as_str(), "Ҷамшед Раҳимов");
        assert_ne!(sealed, c.seal("person-1", "name", "Ҷамшед Раҳимов")?, "a fresh nonce every time");
        Ok(())
    }

    #[test]
    fn a_sealed_value_cannot_be_moved_or_altered() -> Result<(), VaultError> {
        let c = FieldCipher::identity(&key());
        let mut sealed = c.seal("person-1", "name", "secret")?;
        assert!(c.open("person-2", "name", &sealed).is_err(), "moved to another person");
        assert!(c.open("person-1", "phone", &sealed).is_err(), "moved to another field");
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(c.open("person-1", "name", &sealed).is_err(), "altered");
        assert!(c.open("person-1", "name", b"short").is_err());
        Ok(())
    }

    #[test]
    fn the_identity_key_is_not_the_database_key() {
        let k = key();
        assert_ne!(*k.derive(SubKeyPurpose::Identity).to_hex(), *k.derive(SubKeyPurpose::Database).to_hex());
    }
}
