//! Persons (DOMAIN.md 3.1) as the case data sees them: a pseudonym, a counting unit and the few
//! statistical facts that identify nobody. Everything that identifies a person is an [`Identity`],
//! kept in the identity compartment and read only through an audited reveal.

use std::fmt;

use uuid::Uuid;

/// The internal id of a person (UUIDv7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonId(pub Uuid);

impl PersonId {
    /// A fresh, time-ordered id.
    pub fn new() -> Self {
        PersonId(Uuid::now_v7())
    }

    /// Parses the text form used in URLs.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::try_parse(text).ok().map(PersonId)
    }
}

impl Default for PersonId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The name shown instead of a person's name: `P-0042`. A running number, so it says nothing about
/// the person, the region or the case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pseudonym(pub u32);

impl fmt::Display for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P-{:04}", self.0)
    }
}

/// Sex as HURIDOCS MT39 codes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sex {
    /// 01.
    Male,
    /// 02.
    Female,
    /// 98 (groups).
    NotApplicable,
    /// 99.
    Unknown,
}

impl Sex {
    /// Every value, in form order.
    pub const ALL: [Sex; 4] = [Sex::Female, Sex::Male, Sex::Unknown, Sex::NotApplicable];

    /// The MT39 code.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "01",
            Sex::Female => "02",
            Sex::NotApplicable => "98",
            Sex::Unknown => "99",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Sex> {
        Sex::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What identifies a person. Lives only in the identity compartment; its `Debug` prints nothing.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    /// Full name as the person gives it.
    pub name: String,
    /// Other names and spellings (Russian, Latin, nicknames).
    #[serde(default)]
    pub other_names: String,
    /// Phone numbers, messengers, e-mail.
    #[serde(default)]
    pub contacts: String,
    /// Address.
    #[serde(default)]
    pub address: String,
    /// ID documents (passport number…).
    #[serde(default)]
    pub id_documents: String,
    /// Exact date of birth as given.
    #[serde(default)]
    pub date_of_birth: String,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Identity(<sealed>)")
    }
}

/// Why identity fields were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// No name.
    #[error("a name is required")]
    NameMissing,
    /// A field is longer than 500 characters or holds control characters.
    #[error("a field is too long or holds control characters")]
    BadField,
}

impl Identity {
    /// Checks submitted identity fields: a name, every field at most 500 characters, no control
    /// characters (line breaks allowed in the address and contacts).
    pub fn check(self) -> Result<Identity, IdentityError> {
        if self.name.trim().is_empty() {
            return Err(IdentityError::NameMissing);
        }
        let fields = [
            &self.name,
            &self.other_names,
            &self.contacts,
            &self.address,
            &self.id_documents,
            &self.date_of_birth,
        ];
        let ok = fields.iter().all(|f| {
            f.chars().count() <= 500 && !f.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
        });
        if ok { Ok(self) } else { Err(IdentityError::BadField) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_and_codes() {
        assert_eq!(Pseudonym(42).to_string(), "P-0042");
        assert_eq!(Pseudonym(123_456).to_string(), "P-123456");
        for s in Sex::ALL {
            assert_eq!(Sex::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn identities_never_print_and_are_checked() {
        let id = Identity { name: "Шаҳло Неъматова".into(), ..Identity::default() };
        assert_eq!(format!("{id:?}"), "Identity(<sealed>)");
        assert!(id.clone().check().is_ok());
        assert_eq!(Identity::default().check(), Err(IdentityError::NameMissing));
        let long = Identity { name: "а".repeat(501), ..Identity::default() };
        assert_eq!(long.check(), Err(IdentityError::BadField));
        let control = Identity { name: "a\u{0}b".into(), ..Identity::default() };
        assert_eq!(control.check(), Err(IdentityError::BadField));
    }
}
