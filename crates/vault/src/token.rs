//! Random tokens (sessions, CSRF) and their storage hashes. A session token is shown to the
//! browser once, in a cookie; the database keeps only its SHA-256, so a copy of the database does
//! not let anyone ride a session.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::VaultError;

/// 32 random bytes as 64 lower-case hex characters.
pub fn random_token() -> Result<String, VaultError> {
    let mut bytes = [0u8; 32];
    crate::random_bytes(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// The SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Compares two secrets in constant time.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A keyed hash under a key that exists only in this process's memory, drawn at start: lets rate
/// limits count a client without keeping its address, and forgets everything at a restart.
pub struct EphemeralTag([u8; 32]);

impl EphemeralTag {
    /// A fresh random key.
    pub fn new() -> Result<Self, VaultError> {
        let mut key = [0u8; 32];
        crate::random_bytes(&mut key)?;
        Ok(EphemeralTag(key))
    }

    /// 16 bytes of HMAC-SHA256 of `data`.
    pub fn tag(&self, data: &[u8]) -> [u8; 16] {
        use hmac::{Hmac, KeyInit, Mac};
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0) else {
            unreachable!("HMAC accepts keys of any length");
        };
        mac.update(data);
        let mut out = [0u8; 16];
        out.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        out
    }
}

impl std::fmt::Debug for EphemeralTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EphemeralTag(<secret>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() -> Result<(), VaultError> {
        let a = random_token()?;
        let b = random_token()?;
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
        assert!(secrets_equal(&a, &a.clone()));
        assert!(!secrets_equal(&a, &b));
        assert!(!secrets_equal(&a, ""));
        Ok(())
    }

    #[test]
    fn ephemeral_tags_differ_between_keys_and_hide_the_input() -> Result<(), VaultError> {
        let (a, b) = (EphemeralTag::new()?, EphemeralTag::new()?);
        assert_eq!(a.tag(b"192.0.2.7"), a.tag(b"192.0.2.7"));
        assert_ne!(a.tag(b"192.0.2.7"), a.tag(b"192.0.2.8"));
        assert_ne!(a.tag(b"192.0.2.7"), b.tag(b"192.0.2.7"));
        assert_eq!(format!("{a:?}"), "EphemeralTag(<secret>)");
        Ok(())
    }
}
