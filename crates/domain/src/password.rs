//! The password policy: at least 12 characters, not a common password, not the user name.
//! Hashing lives in `web` (it needs a random salt, which is IO); the rule lives here.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::user::Username;

/// The minimum length, in characters (not bytes, so Cyrillic counts fairly).
pub const MIN_CHARS: usize = 12;
/// The maximum length, in bytes: Argon2 over megabytes of input would be a denial of service.
pub const MAX_BYTES: usize = 1024;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Why a new password was refused. Each variant has a translated message in `web`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`MIN_CHARS`] characters.
    #[error("password is shorter than {MIN_CHARS} characters")]
    TooShort,
    /// More than [`MAX_BYTES`] bytes.
    #[error("password is longer than {MAX_BYTES} bytes")]
    TooLong,
    /// On the shipped list of common passwords.
    #[error("password is on the list of common passwords")]
    Common,
    /// Contains the user name.
    #[error("password contains the user name")]
    ContainsUsername,
    /// The confirmation differs.
    #[error("the two passwords differ")]
    Mismatch,
}

/// Checks a proposed password for `user` (and its repetition in the confirmation field).
pub fn check_new_password(password: &str, confirmation: &str, user: &Username) -> Result<(), PasswordError> {
    if password != confirmation {
        return Err(PasswordError::Mismatch);
    }
    if password.len() > MAX_BYTES {
        return Err(PasswordError::TooLong);
    }
    if password.chars().count() < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    let folded = password.to_lowercase();
    if COMMON.contains(folded.trim()) {
        return Err(PasswordError::Common);
    }
    if folded.contains(user.as_str()) {
        return Err(PasswordError::ContainsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> Username {
        Username::parse("nilufar").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn accepts_a_long_uncommon_password() {
        assert_eq!(check_new_password("кӯҳи баланд 7 сабз", "кӯҳи баланд 7 сабз", &user()), Ok(()));
    }

    #[test]
    fn refuses_short_common_mismatched_and_name_passwords() {
        let u = user();
        assert_eq!(check_new_password("short", "short", &u), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("ғӯқҳҷӣғӯқҳҷ", "ғӯқҳҷӣғӯқҳҷ", &u), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("QwertyUiop123", "QwertyUiop123", &u), Err(PasswordError::Common));
        assert_eq!(check_new_password("123456789012", "123456789012", &u), Err(PasswordError::Common));
        assert_eq!(check_new_password("йцукенгшщзхъ", "йцукенгшщзхъ", &u), Err(PasswordError::Common));
        assert_eq!(
            check_new_password("my-Nilufar-pass!", "my-Nilufar-pass!", &u),
            Err(PasswordError::ContainsUsername)
        );
        assert_eq!(
            check_new_password("correct horse battery", "correct horse batter", &u),
            Err(PasswordError::Mismatch)
        );
        let huge = "x".repeat(MAX_BYTES + 1);
        assert_eq!(check_new_password(&huge, &huge, &u), Err(PasswordError::TooLong));
    }

    #[test]
    fn the_shipped_list_is_loaded() {
        assert!(COMMON.len() > 200);
        assert!(COMMON.iter().all(|p| p.chars().count() >= MIN_CHARS));
    }
}
