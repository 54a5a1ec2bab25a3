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
}
