//! Accounts: ids, user names and display names, each parsed once at the edge so that an invalid
//! one cannot exist further in.

use std::fmt;

use uuid::Uuid;

/// The internal id of an account (UUIDv7). Opaque in URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub Uuid);

impl UserId {
    /// A fresh, time-ordered id.
    pub fn new() -> Self {
        UserId(Uuid::now_v7())
    }

    /// Parses the text form used in URLs; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::try_parse(text).ok().map(UserId)
    }
}

impl Default for UserId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a submitted account field was refused. Each variant has a translated message in `web`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccountFieldError {
    /// The user name is not 3-32 characters of `a-z`, `0-9`, `.`, `_`, `-`.
    #[error("user name must be 3-32 characters of a-z, 0-9, dot, underscore or hyphen")]
    BadUsername,
    /// The display name is empty, longer than 100 characters or holds control characters.
    #[error("display name must be 1-100 printable characters")]
    BadDisplayName,
}

/// A login name: 3-32 characters of `a-z 0-9 . _ -`, starting with a letter or digit. Login names
/// are compared exactly; upper-case input is folded so "Aziza" and "aziza" are one account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Parses a submitted user name.
    pub fn parse(input: &str) -> Result<Self, AccountFieldError> {
        let name = input.trim().to_ascii_lowercase();
        let len_ok = (3..=32).contains(&name.len());
        let chars_ok = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        let starts_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if len_ok && chars_ok && starts_ok { Ok(Username(name)) } else { Err(AccountFieldError::BadUsername) }
    }

    /// The name as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name shown in the interface. It is personal data: its `Debug` is redacted so it cannot
/// reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses a submitted display name: trimmed, 1-100 characters, no control characters.
    pub fn parse(input: &str) -> Result<Self, AccountFieldError> {
        let name = input.trim();
        let count = name.chars().count();
        if (1..=100).contains(&count) && !name.chars().any(char::is_control) {
            Ok(DisplayName(name.to_owned()))
        } else {
            Err(AccountFieldError::BadDisplayName)
        }
    }

    /// The name as entered.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DisplayName(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_and_checked() {
        assert_eq!(Username::parse(" Aziza.K ").map(|u| u.0), Ok("aziza.k".to_owned()));
        for bad in ["ab", "", "-lead", "has space", "имя", &"a".repeat(33), "x'; drop"] {
            assert_eq!(Username::parse(bad), Err(AccountFieldError::BadUsername), "{bad}");
        }
    }

    #[test]
    fn display_names_accept_tajik_and_refuse_control_characters() {
        assert!(DisplayName::parse("Ҷамшед Қодиров").is_ok());
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
        assert!(DisplayName::parse(&"ғ".repeat(101)).is_err());
    }

    #[test]
    fn display_name_debug_does_not_leak() {
        let name = DisplayName::parse("Secret Person").map(|n| format!("{n:?}"));
        assert_eq!(name.as_deref(), Ok("DisplayName(<redacted>)"));
    }
}
