//! Markdown to safe HTML: a filter over pulldown-cmark's events, then ammonia.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};

use crate::destination::classify;

/// Renders Markdown to HTML; see [`crate::render`].
pub(crate) fn render(markdown: &str) -> String {
    let events = safe_events(Parser::new_ext(markdown, crate::options()));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    SANITIZER.clean(&html).to_string()
}

/// How deep elements may nest. A publication needs a dozen levels at most; past this, elements
/// are dropped and their content kept, because the HTML parser in ammonia takes time in
/// proportion to the depth for each element (twenty thousand nested list items, 40 kB of
/// Markdown, would take minutes).
const MAX_NESTING: usize = 32;

/// The document's events with everything unsafe taken out, ready for pulldown-cmark's writer:
///
/// - raw HTML becomes text, which the writer escapes, and an HTML block a paragraph of it;
/// - headings go one level down, as the page's title is its only `h1`;
/// - a link to a server path or with a scheme other than http, https or mailto keeps its text
///   but stops being a link;
/// - an image is written here, with `loading` and `decoding` set, when its source is a file
///   next to the publication, and otherwise replaced by its alternative text;
/// - elements nested deeper than [`MAX_NESTING`] are left out, their content kept.
fn safe_events<'a>(mut parser: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    // For each element open in the source, the end event to write when it closes, if its start
    // was written. Start and end events are balanced, and an end says nothing of how its start
    // was changed (a link's end does not say where it pointed), so each end is decided here.
    let mut open: Vec<Option<TagEnd>> = Vec::new();
    // How many of those were written: the nesting depth of the output.
    let mut nesting = 0_usize;
    while let Some(event) = parser.next() {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                // The image's content is its alternative text; this consumes its end event.
                let alt = inner_text(&mut parser);
                if classify(&dest_url).image_allowed() {
                    events.push(Event::Html(CowStr::from(image(&dest_url, &alt, &title))));
                } else if !alt.is_empty() {
                    events.push(Event::Text(CowStr::from(alt)));
                }
            }
            Event::Start(tag) => {
                let written = match tag {
                    // The writer writes nothing for an HTML block itself.
                    Tag::HtmlBlock => Some(Tag::Paragraph),
                    Tag::Heading { level, id, classes, attrs } => {
                        Some(Tag::Heading { level: shifted(level), id, classes, attrs })
                    }
                    Tag::Link { ref dest_url, .. } if !classify(dest_url).link_allowed() => None,
                    other => Some(other),
                }
                .filter(|_| nesting < MAX_NESTING);
                if let Some(tag) = written {
                    open.push(Some(tag.to_end()));
                    nesting += 1;
                    events.push(Event::Start(tag));
                } else {
                    open.push(None);
                }
            }
            Event::End(_) => {
                if let Some(end) = open.pop().flatten() {
                    nesting = nesting.saturating_sub(1);
                    events.push(Event::End(end));
                }
            }
            other => events.push(other),
        }
    }
    events
}

/// The text of the events up to the end of the element just started, consuming that end: what
/// an image's `alt` holds. Markup inside is dropped; raw HTML is kept as text, as it would be
/// shown as text anywhere else in the document.
fn inner_text<'a>(parser: &mut impl Iterator<Item = Event<'a>>) -> String {
    let mut text = String::new();
    let mut depth = 0_usize;
    for event in parser {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => match depth.checked_sub(1) {
                Some(outer) => depth = outer,
                None => break,
            },
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    text
}

/// An `img` element. Its attributes are always in this order, so that the output does not
/// depend on the order ammonia would add missing ones in.
fn image(src: &str, alt: &str, title: &str) -> String {
    let mut html = String::from("<img src=\"");
    push_attribute_value(&mut html, src);
    html.push_str("\" alt=\"");
    push_attribute_value(&mut html, alt);
    if !title.is_empty() {
        html.push_str("\" title=\"");
        push_attribute_value(&mut html, title);
    }
    html.push_str("\" loading=\"lazy\" decoding=\"async\">");
    html
}

/// Appends `value` escaped for a double-quoted attribute.
fn push_attribute_value(html: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
}

/// A heading one level down: the page's title is its only `h1`, and `h6` is the last level.
fn shifted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// The cleaner every rendered document goes through, in case the event filter above ever lets
/// something through: it keeps only what pulldown-cmark writes for the Markdown accepted here.
pub(crate) static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(sanitizer);

/// The tags pulldown-cmark writes for CommonMark with tables and strikethrough, less `h1`.
#[rustfmt::skip]
const TAGS: [&str; 25] = [
    "p", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "a", "img", "ul", "ol", "li", "blockquote",
    "code", "pre", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
];

fn sanitizer() -> Builder<'static> {
    let tags: HashSet<&str> = TAGS.into_iter().collect();
    let tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::from([
        ("a", HashSet::from(["href"])),
        ("img", HashSet::from(["src", "alt", "title"])),
        ("ol", HashSet::from(["start"])),
    ]);
    // `loading` and `decoding` are let through with their one value; they are also set on
    // every image below, which is a no-op for the images `image` writes.
    let tag_attribute_values: HashMap<&str, HashMap<&str, HashSet<&str>>> = HashMap::from([(
        "img",
        HashMap::from([("loading", HashSet::from(["lazy"])), ("decoding", HashSet::from(["async"]))]),
    )]);
    let mut builder = Builder::empty();
    builder
        .tags(tags)
        .clean_content_tags(HashSet::from(["script", "style"]))
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        .tag_attributes(tag_attributes)
        .tag_attribute_values(tag_attribute_values)
        .set_tag_attribute_value("img", "loading", "lazy")
        .set_tag_attribute_value("img", "decoding", "async")
        .allowed_classes(HashMap::new())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .id_prefix(None)
        .attribute_filter(filter_attribute);
    builder
}

/// Ammonia knows schemes but not server paths nor where images may come from: the same rules
/// as the event filter, applied again to the HTML.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let keep = match (element, attribute) {
        ("a", "href") => classify(value).link_allowed(),
        ("img", "src") => classify(value).image_allowed(),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}
