//! Reading passphrases and passwords: from the first line of a file, or at the terminal without
//! echo. Values live in zeroizing strings and are never printed.

use std::path::Path;

use anyhow::{Context, bail};
use zeroize::Zeroizing;

/// The first line of `path`, without its line ending. An empty first line is an error.
pub fn from_file(path: &Path, what: &str) -> anyhow::Result<Zeroizing<String>> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the {what} file {}", path.display()))?,
    );
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        bail!("the {what} file {} is empty", path.display());
    }
    Ok(Zeroizing::new(line.to_owned()))
}

/// Asks once at the terminal, without echo.
pub fn prompt(label: &str) -> anyhow::Result<Zeroizing<String>> {
    let value = Zeroizing::new(
        rpassword::prompt_password(format!("{label}: ")).context("cannot read from the terminal")?,
    );
    if value.is_empty() {
        bail!("nothing was entered");
    }
    Ok(value)
}

/// Asks twice at the terminal and insists both agree (for new secrets).
pub fn prompt_new(label: &str) -> anyhow::Result<Zeroizing<String>> {
    let first = prompt(label)?;
    let second = prompt(&format!("{label} (again)"))?;
    if *first != *second {
        bail!("the two entries differ");
    }
    Ok(first)
}

/// From the file when given, otherwise from the terminal.
pub fn file_or_prompt(path: Option<&Path>, what: &str, new: bool) -> anyhow::Result<Zeroizing<String>> {
    match path {
        Some(p) => from_file(p, what),
        None if new => prompt_new(&capitalise(what)),
        None => prompt(&capitalise(what)),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
