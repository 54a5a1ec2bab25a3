//! The index of a folder of existing publications (CSV or YAML) with the files it names: any
//! bytes, no panic; every item read names a safe relative path and has a body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (index, file) = bytes.split_at(bytes.len() / 2);
    for name in ["index.csv", "index.yaml"] {
        let Ok(outcomes) = ozodi_exchange::site::read_index(name, index, |path| {
            if path.ends_with(".html") || path.ends_with(".md") { Ok(file.to_vec()) } else { Err(std::io::ErrorKind::NotFound.into()) }
        }) else {
            continue;
        };
        for outcome in outcomes {
            if let ozodi_exchange::site::Outcome::Item(item) = outcome {
                assert!(!item.file.starts_with('/') && !item.file.split('/').any(|p| p == ".."), "{}", item.file);
                assert!(!item.body_markdown.trim().is_empty());
            }
        }
    }
});
