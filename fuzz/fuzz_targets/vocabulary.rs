//! A vocabulary file (TOML, loaded at every start and upgrade): any text is parsed or refused,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = ozodi_domain::vocab::List::parse("fuzz.toml", text);
});
