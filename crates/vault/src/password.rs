//! Account password hashing with Argon2id (the crate's defaults: 19 MiB, 2 passes, the OWASP
//! recommendation), stored as PHC strings so parameters can be raised later per hash.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::VaultError;

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, VaultError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| VaultError::Kdf(e.to_string()))
}

/// A hash of a random password, verified against when the account does not exist so that an
/// unknown user name costs the same time as a wrong password.
static DUMMY: LazyLock<Option<String>> = LazyLock::new(|| hash("ozodi dummy password for timing").ok());

/// Checks `password` against a stored PHC string. `stored == None` (unknown account) burns the same
/// time and returns false.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let Some(phc) = stored.or(DUMMY.as_deref()) else { return false };
    let ok = PasswordHash::new(phc)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false);
    ok && stored.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() -> Result<(), VaultError> {
        let h = hash("ҳуқуқи башар 2026")?;
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("ҳуқуқи башар 2026", Some(&h)));
        assert!(!verify("ҳуқуқи башар 2027", Some(&h)));
        assert!(!verify("ozodi dummy password for timing", None));
        assert!(!verify("x", Some("not a phc string")));
        Ok(())
    }
}
