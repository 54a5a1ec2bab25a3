//! Account password hashing with Argon2id, stored as PHC strings so parameters can be raised later
//! per hash (verification reads them from the stored string).
//!
//! Parameters: 46 MiB, 1 pass, 1 lane, the first of OWASP's recommended Argon2id settings. The
//! memory size is deliberately above glibc's largest dynamic mmap threshold (32 MiB): every hash
//! gets its own mapping that is returned to the system when it is freed, instead of leaving ~19 MiB
//! of heap resident after the first login (measured: the crate default of 19 MiB kept the idle
//! server at 32 MiB resident). Callers bound how many hashes run at once.

use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::VaultError;

/// Memory cost in KiB (46 MiB).
pub const M_COST_KIB: u32 = 46 * 1024;

fn hasher() -> Result<Argon2<'static>, VaultError> {
    let params = Params::new(M_COST_KIB, 1, 1, None).map_err(|e| VaultError::Kdf(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, VaultError> {
    hasher()?
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
        assert!(h.starts_with("$argon2id$v=19$m=47104,t=1,p=1$"), "{h}");
        assert!(verify("ҳуқуқи башар 2026", Some(&h)));
        assert!(!verify("ҳуқуқи башар 2027", Some(&h)));
        assert!(!verify("ozodi dummy password for timing", None));
        assert!(!verify("x", Some("not a phc string")));
        Ok(())
    }
}
