//! The parts of the `ozodi` binary that its benchmark and tests use as a library: loading the
//! synthetic dataset into a store ([`seeding`]), and bringing existing publications over from a
//! folder ([`site_import`]).

pub mod seeding;
pub mod site_import;
