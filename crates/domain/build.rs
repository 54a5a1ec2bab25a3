//! Embeds every shipped vocabulary file (`data/vocabularies/*.toml`) in the binary: generates a
//! list of `(file name, include_str!(…))` pairs, sorted by name, and tells cargo to rebuild when a
//! file is added, removed or changed.

use std::io::Write;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("data/vocabularies");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("shipped_vocabularies.rs");
    let mut f = std::fs::File::create(out)?;
    writeln!(f, "/// Every shipped vocabulary file: (file name, contents).")?;
    writeln!(f, "pub static SHIPPED_FILES: &[(&str, &str)] = &[")?;
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        writeln!(f, "    ({name:?}, include_str!({:?})),", path.display().to_string())?;
    }
    writeln!(f, "];")?;
    Ok(())
}
