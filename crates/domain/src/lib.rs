//! ozodi's domain: the types every other layer speaks, the roles of the coalition's staff, the one
//! authorisation function, the password and session policies and the audit vocabulary.
//!
//! This crate does no IO and depends on nothing else of ours: no database, no HTTP, no files, no
//! clock (time is always passed in). That keeps every rule here testable as a pure function.

#[macro_use]
mod macros;

pub mod audit;
pub mod authz;
pub mod case;
pub mod dates;
pub mod disclosure;
pub mod intake;
pub mod ip;
pub mod legal;
pub mod monitoring;
pub mod password;
pub mod person;
pub mod record;
pub mod rehab;
pub mod role;
pub mod session;
pub mod site;
pub mod stats;
pub mod throttle;
pub mod user;
pub mod vocab;

pub use authz::{Action, Actor, CaseAccess, ContactAccess, EvaluationAccess, LineAccess, Resource, can};
pub use role::{Role, RoleSet};
pub use user::{DisplayName, UserId, Username};
