//! The parts of the `ozodi` binary that its benchmark and tests use as a library: loading the
//! synthetic dataset into a store ([`seeding`]).

pub mod seeding;
