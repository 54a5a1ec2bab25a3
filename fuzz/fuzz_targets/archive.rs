//! A backup archive as `ozodi restore` first reads it: the clear header, then the authenticated
//! stream. Any bytes are refused cleanly (no panic, no plaintext from an unauthenticated chunk).
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use ozodi_vault::archive::{ArchiveHeader, ArchiveKey, ArchiveReader};

fuzz_target!(|bytes: &[u8]| {
    let mut input = bytes;
    let Ok(Some(header)) = ArchiveHeader::read(&mut input) else { return };
    let _ = header.key_file();
    let Ok(data_key) = ozodi_vault::DataKey::generate() else { return };
    let key = ArchiveKey::new(&data_key);
    let mut out = Vec::new();
    let result = ArchiveReader::new(input, &header, &key).read_to_end(&mut out);
    // Random bytes never authenticate under a key they were not sealed with.
    assert!(result.is_err(), "forged archive accepted ({} bytes)", out.len());
});
