//! The store's side of the public site: the course of publications, what the public reads, the
//! files attached to publications, the site's own pages and the import of existing material.

use ozodi_domain::UserId;
use ozodi_domain::record::RecordId;
use ozodi_domain::site::{Stage, Step};
use time::OffsetDateTime;

/// One step of a publication's course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourseStep {
    /// The step.
    pub step: Step,
    /// The stage after it.
    pub stage: Stage,
    /// The record's version it was taken on.
    pub version: i64,
    /// The version the public saw after it, if any.
    pub public_version: Option<i64>,
    /// Why (sent back, taken down), when given.
    pub note: String,
    /// When.
    pub at: OffsetDateTime,
    /// Who.
    pub actor: UserId,
}

/// Where a publication is: its stage, the version the public sees, and the whole course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    /// The stage of the last step (a draft without any step).
    pub stage: Stage,
    /// The version on the public site, if any.
    pub public_version: Option<i64>,
    /// Every step, oldest first.
    pub steps: Vec<CourseStep>,
}

/// A step asked for: the stage and version the form was drawn at, so that a reviewer publishes
/// exactly what they read.
#[derive(Clone, Debug)]
pub struct StepRequest {
    /// The step.
    pub step: Step,
    /// The stage the form showed.
    pub from: Stage,
    /// The record's version the form showed.
    pub version: i64,
    /// Why, for a return or a take-down.
    pub note: String,
}

/// A publication as the public reads it: the public fields of its published version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicItem {
    /// Its number (`PB-0042`), also its address on the site.
    pub seq: u32,
    /// Its record.
    pub id: RecordId,
    /// The published version.
    pub version: i64,
    /// The record of its first language version (itself when it has none).
    pub group: RecordId,
    /// `ru`, `tg` or `en`.
    pub lang: String,
    /// A term of `publication_kind`.
    pub kind: String,
    /// The day it is dated (the earliest of a partial date).
    pub day: time::Date,
    /// Title.
    pub title: String,
    /// Short summary (may be empty).
    pub summary: String,
    /// Markdown (may be empty).
    pub body: String,
    /// Tags, in the order given.
    pub tags: Vec<String>,
    /// Authors, as given.
    pub authors: String,
    /// An address elsewhere, when the material lives there too.
    pub url: String,
    /// The public summaries of the cases it cites, as they were when it was published.
    pub cases: Vec<String>,
    /// Files published with it.
    pub files: Vec<FileMeta>,
    /// When it first went public.
    pub first_published_at: OffsetDateTime,
    /// When this version went public.
    pub published_at: OffsetDateTime,
}

/// What is known of an attached file without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMeta {
    /// Id (its address on the site).
    pub id: RecordId,
    /// The publication it belongs to.
    pub publication: RecordId,
    /// File name as shown and downloaded.
    pub name: String,
    /// Media type (`application/pdf`, `image/jpeg`, `image/png`).
    pub mime: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Who attached it.
    pub created_by: UserId,
    /// When.
    pub created_at: OffsetDateTime,
    /// When it was removed from the publication (it stays public while a published version
    /// lists it).
    pub deleted_at: Option<OffsetDateTime>,
}

/// A new file for a publication.
#[derive(Clone, Debug)]
pub struct NewFile {
    /// File name (already cleaned by the caller).
    pub name: String,
    /// Media type, found from the bytes.
    pub mime: String,
    /// The bytes (images already without their metadata).
    pub bytes: Vec<u8>,
}

/// One of the site's own pages in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitePage {
    /// Which page.
    pub page: ozodi_domain::site::Page,
    /// `ru`, `tg` or `en`.
    pub lang: String,
    /// Title.
    pub title: String,
    /// Markdown.
    pub body: String,
    /// Version (0: never written).
    pub version: i64,
    /// When last saved.
    pub updated_at: Option<OffsetDateTime>,
}

/// What the import did with one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    /// A new publication.
    Added,
    /// Its key was imported before: nothing changed.
    AlreadyThere,
}
