//! Publication markup: the Markdown editors write for the public website, rendered to HTML that
//! is safe to put in a page, reduced to its plain text, and checked for what an editor must fix.
//!
//! The Markdown accepted is CommonMark with tables and strikethrough. Raw HTML is never passed
//! through: it is shown as the text it is. All functions are pure and never panic, whatever the
//! input.
//!
//! [`render`] is a security boundary. It filters pulldown-cmark's events (raw HTML to text, no
//! links into the internal system or with a script scheme, images only from the publication's
//! own files) and then cleans the HTML with ammonia, configured to let through only what that
//! filter can produce.

mod destination;
mod render;
mod text;

#[cfg(test)]
mod tests;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::destination::{Destination, classify};

/// The Markdown extensions every function here reads, so that all see the same document.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Markdown rendered to HTML that is safe to put in a page.
///
/// - Raw HTML in the Markdown is escaped and shown as text: `<script>` appears as `<script>`
///   and never becomes an element.
/// - Headings are one level down (`#` becomes `h2`, `######` stays `h6`), as the page's title
///   is its only `h1`.
/// - A link stays a link when it points to an `http:`, `https:` or `mailto:` URL or to a path
///   relative to the page; every link gets `rel="noopener noreferrer"`. A link to a path on this
///   server (`/cases/…`) or with any other scheme (`javascript:`, `data:`, …) is shown as its
///   text only.
/// - An image is shown when its source is relative to the page (`files/abc/photo.jpg`,
///   `../files/…`), with `loading="lazy"` and `decoding="async"`. Any other image, notably one
///   from another host, is replaced by its alternative text, so the page makes no request
///   elsewhere.
/// - Elements nested more than 32 deep are left out and their content kept, so that no
///   document, however contrived, takes long to render.
///
/// The output is the same for the same input. [`problems`] lists the links and images dropped
/// here.
#[must_use]
pub fn render(markdown: &str) -> String {
    render::render(markdown)
}

/// The text of the Markdown without its markup, for a search index, a feed summary or a meta
/// description.
///
/// Paragraphs, headings, lists, quotes, code blocks and tables are separated by blank lines;
/// list items, table rows and hard line breaks by a line break; table cells by a space. Link
/// text and images' alternative text are kept, their destinations are not; raw HTML is dropped.
/// Character references are decoded (`&amp;` gives `&`): the result is text, not HTML, and must
/// be escaped like any other text when put in a page.
#[must_use]
pub fn plain_text(markdown: &str) -> String {
    text::plain_text(markdown)
}

/// The start of the Markdown's [`plain_text`], at most `max_chars` characters long, for a
/// summary or a meta description.
///
/// All whitespace, line and paragraph breaks included, becomes single spaces. When the text is
/// longer than `max_chars`, it is cut at the last word boundary that leaves room for a final
/// "…", which counts as one of the `max_chars` characters; a single word longer than that is
/// cut inside. Characters are Unicode scalar values (Rust `char`s), so Cyrillic and Tajik
/// letters count one each.
#[must_use]
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    text::excerpt(markdown, max_chars)
}

/// What an editor must fix before a text can be saved, in document order.
///
/// Each is something [`render`] does not show as written: a link into the internal system or
/// with a forbidden scheme (shown as its text only) and an image that is not one of the
/// publication's own files (shown as its alternative text). Raw HTML is not a problem: it is
/// shown as text, as written.
#[must_use]
pub fn problems(markdown: &str) -> Vec<Problem> {
    Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let problem = match classify(&dest_url) {
                    Destination::ServerPath => Problem::InternalLink,
                    Destination::OtherScheme => Problem::Scheme,
                    Destination::Empty
                    | Destination::Relative
                    | Destination::ProtocolRelative
                    | Destination::Web
                    | Destination::Mail => return None,
                };
                Some(problem(dest_url.into_string()))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let problem = match classify(&dest_url) {
                    Destination::ServerPath => Problem::InternalLink,
                    Destination::Web | Destination::ProtocolRelative => Problem::RemoteImage,
                    // An image from `mailto:` is no more an image than one from `javascript:`.
                    Destination::OtherScheme | Destination::Mail => Problem::Scheme,
                    // An empty source is shown as the alternative text, with nothing to fix.
                    Destination::Empty | Destination::Relative => return None,
                };
                Some(problem(dest_url.into_string()))
            }
            _ => None,
        })
        .collect()
}

/// Something in a text an editor must fix before it can be saved. Each carries the destination
/// as written in the Markdown (with character references and escapes decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A link or image whose destination is a path on this server (`/cases/…`, `/login`): a
    /// link into the internal system, which the public has no business following.
    InternalLink(String),
    /// A link or image whose scheme is not http, https or mailto (`javascript:`, `data:`,
    /// `file:`, `vbscript:`, …), however it is spelled. For an image, mailto too.
    Scheme(String),
    /// An image from another host (`http:`, `https:` or `//host`): the public site makes no
    /// request to another host, so an image must be attached to the publication.
    RemoteImage(String),
}

impl Problem {
    /// The translation key of the message explaining this problem to an editor.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::InternalLink(_) => "markup-problem-internal",
            Self::Scheme(_) => "markup-problem-scheme",
            Self::RemoteImage(_) => "markup-problem-remote-image",
        }
    }

    /// The link's or image's destination, as written in the Markdown.
    #[must_use]
    pub fn destination(&self) -> &str {
        match self {
            Self::InternalLink(destination) | Self::Scheme(destination) | Self::RemoteImage(destination) => {
                destination
            }
        }
    }
}
