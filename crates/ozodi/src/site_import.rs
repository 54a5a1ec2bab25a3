//! Bringing the coalition's existing publications over from a folder (issue 8): the index (CSV or
//! YAML) read by `ozodi_exchange::site`, each item checked like a form and stored through the
//! `Store` as a publication, published at once unless asked otherwise. Language versions sharing
//! a `translation` key are linked to the first of them. Safe to run twice: an item's key (its `id`
//! column or its file's path) is remembered, and a key seen before changes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ozodi_domain::UserId;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::dates::DatePrecision;
use ozodi_domain::record::{Data, Input, Kind, RecordId};
use ozodi_exchange::site::{Item, Outcome};
use ozodi_store::site::Imported;
use ozodi_store::{NewAuditEntry, Store, StoreError};
use time::OffsetDateTime;

/// The index files looked for, in this order.
pub const INDEX_NAMES: [&str; 3] = ["index.csv", "index.yaml", "index.yml"];

/// What became of one row of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// Stored as a new publication (`PB-0042`).
    Added { row: usize, reference: String, title: String },
    /// Its key was imported before.
    AlreadyThere { row: usize, title: String },
    /// Not taken, with the reason in English (the operator's language at the terminal).
    Failed { row: usize, file: Option<String>, reason: String },
}

struct Pairs(Vec<(String, String)>);

impl Input for Pairs {
    fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

/// The index file of `dir`.
pub fn find_index(dir: &Path) -> anyhow::Result<PathBuf> {
    INDEX_NAMES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .with_context(|| format!("no index.csv, index.yaml or index.yml in {}", dir.display()))
}

/// Reads a file of the folder, never one outside it (a link that leads out is refused).
fn read_inside(root: &Path, relative: &str) -> std::io::Result<Vec<u8>> {
    let path = root.join(relative).canonicalize()?;
    if !path.starts_with(root) {
        return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "outside the folder"));
    }
    std::fs::read(path)
}

/// The form a person would have submitted for `item`.
fn form(item: &Item, translation_of: Option<RecordId>) -> Pairs {
    let mut pairs = vec![
        ("title".to_owned(), item.title.clone()),
        ("publication_kind".to_owned(), item.kind.clone()),
        ("lang".to_owned(), item.lang.clone()),
        ("languages".to_owned(), item.lang.clone()),
        ("tags".to_owned(), item.tags.join(", ")),
        ("authors".to_owned(), item.authors.join(", ")),
        ("body".to_owned(), item.body_markdown.clone()),
    ];
    if let Some(summary) = &item.summary {
        pairs.push(("summary".to_owned(), summary.clone()));
    }
    let d = item.date.date();
    pairs.push(("initial_date.y".to_owned(), d.year().to_string()));
    if item.date.precision() != DatePrecision::MonthDayUnknown {
        pairs.push(("initial_date.m".to_owned(), u8::from(d.month()).to_string()));
    }
    if matches!(item.date.precision(), DatePrecision::Exact | DatePrecision::Estimated) {
        pairs.push(("initial_date.d".to_owned(), d.day().to_string()));
    }
    if let Some(id) = translation_of {
        pairs.push(("translation_of".to_owned(), id.to_string()));
    }
    Pairs(pairs)
}

fn reason(key: &str) -> String {
    ozodi_i18n::Lang::En.t(key)
}

/// Imports the folder `dir` as `actor`; with `publish`, each new item goes public at once (the
/// material was public on the old site). Returns one line per row, in the index's order.
pub async fn import(
    store: &dyn Store,
    dir: &Path,
    actor: UserId,
    publish: bool,
    now: OffsetDateTime,
) -> anyhow::Result<Vec<Line>> {
    let root = dir.canonicalize().with_context(|| format!("cannot open the folder {}", dir.display()))?;
    let index = find_index(&root)?;
    let name = index.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    let bytes = std::fs::read(&index).with_context(|| format!("cannot read {}", index.display()))?;
    let outcomes = match ozodi_exchange::site::read_index(&name, &bytes, |rel| read_inside(&root, rel)) {
        Ok(o) => o,
        Err(e) => bail!("{}: {}", index.display(), reason(e.key())),
    };
    let mut groups: HashMap<String, RecordId> = HashMap::new();
    let mut lines = Vec::new();
    for outcome in outcomes {
        let item = match outcome {
            Outcome::Failed { row, file, reason: why } => {
                let mut text = reason(why.key());
                if let Some(detail) = match &why {
                    ozodi_exchange::site::Reason::BadDate(v)
                    | ozodi_exchange::site::Reason::BadKind(v)
                    | ozodi_exchange::site::Reason::BadLanguage(v)
                        if !v.trim().is_empty() =>
                    {
                        Some(v.clone())
                    }
                    _ => None,
                } {
                    text = format!("{text}: {detail}");
                }
                lines.push(Line::Failed { row, file, reason: text });
                continue;
            }
            Outcome::Item(item) => item,
        };
        let row = item.row;
        let root_of_group = item.group.as_ref().and_then(|g| groups.get(g)).copied();
        let data = match Data::parse(Kind::Publication, &form(&item, root_of_group)) {
            Ok(d) => d,
            Err(problems) => {
                let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
                let text = format!("{} ({})", reason("site-import-invalid"), fields.join(", "));
                lines.push(Line::Failed { row, file: Some(item.file.clone()), reason: text });
                continue;
            }
        };
        let audit = NewAuditEntry {
            at: now,
            actor: Some(actor),
            kind: AuditKind::PublicationsImported,
            subject: None,
            detail: serde_json::json!({ "via": "site import", "published": publish }),
            client: None,
        };
        match store.import_publication(&format!("site:{}", item.key), &data, publish, actor, now, audit).await
        {
            Ok((id, done)) => {
                if let Some(group) = &item.group {
                    groups.entry(group.clone()).or_insert(id);
                }
                lines.push(match done {
                    Imported::Added => {
                        let seq = store.record(id).await?.map(|r| r.reference()).unwrap_or_default();
                        Line::Added { row, reference: seq, title: item.title.clone() }
                    }
                    Imported::AlreadyThere => Line::AlreadyThere { row, title: item.title.clone() },
                });
            }
            Err(StoreError::Invalid(field)) => {
                let text = format!("{} ({field})", reason("site-import-invalid"));
                lines.push(Line::Failed { row, file: Some(item.file.clone()), reason: text });
            }
            Err(StoreError::SiteStep(_)) => {
                lines.push(Line::Failed {
                    row,
                    file: Some(item.file.clone()),
                    reason: reason("site-import-unpublishable"),
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(lines)
}
