//! The roles of the coalition's staff (DESIGN.md section 1). A user holds one or more roles; what a
//! role allows is decided only by [`crate::authz::can`].

use std::fmt;

/// One persona of DESIGN.md section 1 (the public has no account and so no role).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Hotline operator: logs contacts, flags urgent ones, opens intakes.
    Operator,
    /// Lawyer of the Legal Aid group.
    Lawyer,
    /// Doctor or forensic expert (Istanbul Protocol evaluations).
    Doctor,
    /// Psychologist of the Rehabilitation group.
    Psychologist,
    /// Monitor of places of detention.
    Monitor,
    /// Analyst: de-identified data and statistics.
    Analyst,
    /// Editor of the Media group.
    Editor,
    /// Coordinator (head of the coalition): assignment and oversight.
    Coordinator,
    /// Administrator: accounts, keys, backups, settings. Not a licence to read case content.
    Admin,
}

impl Role {
    /// Every role, in the order the interface lists them.
    pub const ALL: [Role; 9] = [
        Role::Operator,
        Role::Lawyer,
        Role::Doctor,
        Role::Psychologist,
        Role::Monitor,
        Role::Analyst,
        Role::Editor,
        Role::Coordinator,
        Role::Admin,
    ];

    /// The stable code stored in the database and used in forms and translation keys.
    pub fn code(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Lawyer => "lawyer",
            Role::Doctor => "doctor",
            Role::Psychologist => "psychologist",
            Role::Monitor => "monitor",
            Role::Analyst => "analyst",
            Role::Editor => "editor",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored or submitted code; unknown codes are refused, never guessed.
    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of roles (a user may hold several, e.g. lawyer and coordinator).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RoleSet(u16);

impl RoleSet {
    /// The empty set: an account with no role can log in but reach nothing beyond its own settings.
    pub const EMPTY: RoleSet = RoleSet(0);

    /// Adds a role.
    pub fn insert(&mut self, role: Role) {
        self.0 |= role.bit();
    }

    /// Whether the set holds `role`.
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The roles in the set, in [`Role::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        let mut set = RoleSet::EMPTY;
        for role in iter {
            set.insert(role);
        }
        set
    }
}

impl fmt::Debug for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        let set: RoleSet = Role::ALL.into_iter().collect();
        assert_eq!(set.iter().count(), Role::ALL.len());
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::parse("Admin"), None);
    }

    #[test]
    fn role_set_holds_only_what_was_inserted() {
        let set: RoleSet = [Role::Lawyer, Role::Coordinator].into_iter().collect();
        assert!(set.contains(Role::Lawyer));
        assert!(set.contains(Role::Coordinator));
        assert!(!set.contains(Role::Admin));
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![Role::Lawyer, Role::Coordinator]);
    }
}
