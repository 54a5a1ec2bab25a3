//! Where a link or an image points, read the way a browser reads it.
//!
//! pulldown-cmark has already decoded character references (`&#106;`, `&colon;`) and backslash
//! escapes in the destinations it reports, so the text classified here is the URL the browser
//! will see. What remains is what the WHATWG URL parser does before it looks for a scheme:
//! leading and trailing C0 controls and spaces are stripped, tabs and newlines anywhere are
//! removed, and (for the http(s) URLs the public site resolves against) a backslash counts as a
//! slash. The classification is done on that normalised text, so ` JaVaScRiPt:`,
//! `java&#9;script:` and `\/host` are recognised for what they are.

use std::borrow::Cow;

/// The kind of place a destination points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Destination {
    /// Nothing at all (`[x]()`).
    Empty,
    /// A path relative to the page: `files/abc/photo.jpg`, `../files/…`, `#notes`, `?page=2`.
    Relative,
    /// A path on this server: `/cases/…`, `/login`, and also `https:/cases/…`, which a browser
    /// on an https page resolves against the page's own host.
    ServerPath,
    /// Another host reached with the page's scheme: `//host/…`.
    ProtocolRelative,
    /// An `http:` or `https:` URL.
    Web,
    /// A `mailto:` URL.
    Mail,
    /// Any other scheme: `javascript:`, `data:`, `file:`, `vbscript:`, …
    OtherScheme,
}

impl Destination {
    /// Whether a link to this destination may stay a link.
    pub(crate) fn link_allowed(self) -> bool {
        match self {
            Self::Empty | Self::Relative | Self::ProtocolRelative | Self::Web | Self::Mail => true,
            Self::ServerPath | Self::OtherScheme => false,
        }
    }

    /// Whether an image from this destination may be shown: only files next to the
    /// publication, so that showing the page makes no request to another host.
    pub(crate) fn image_allowed(self) -> bool {
        self == Self::Relative
    }
}

/// Classifies a link or image destination.
pub(crate) fn classify(destination: &str) -> Destination {
    let url = normalise(destination);
    if url.is_empty() {
        return Destination::Empty;
    }
    if let Some(scheme) = scheme(&url) {
        let rest = &url[scheme.len() + 1..];
        return match scheme.to_ascii_lowercase().as_str() {
            // "https:/cases/1" is resolved against the page when the page is itself https.
            "http" | "https" if rest.starts_with('/') && !rest.starts_with("//") => Destination::ServerPath,
            "http" | "https" => Destination::Web,
            "mailto" => Destination::Mail,
            _ => Destination::OtherScheme,
        };
    }
    if url.starts_with("//") {
        Destination::ProtocolRelative
    } else if url.starts_with('/') {
        Destination::ServerPath
    } else {
        Destination::Relative
    }
}

/// The destination as the URL parser sees it before it looks for a scheme.
fn normalise(destination: &str) -> Cow<'_, str> {
    // C0 controls and space: U+0000 to U+0020.
    let trimmed = destination.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r', '\\']) {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .map(|c| if c == '\\' { '/' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The scheme of a URL, if it has one: an ASCII letter followed by letters, digits, `+`, `-`
/// or `.`, up to the first `:`. A colon after a `/`, `?` or `#` belongs to a relative URL.
fn scheme(url: &str) -> Option<&str> {
    let (candidate, _) = url.split_once(':')?;
    let mut chars = candidate.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::{Destination, classify};

    #[test]
    fn schemes_are_found_whatever_their_case_and_surrounding_controls() {
        for url in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "javascript:alert(1)\u{0}",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "C:\\Windows",
        ] {
            assert_eq!(classify(url), Destination::OtherScheme, "{url:?}");
        }
    }

    #[test]
    fn destinations_are_classified_like_a_browser_would() {
        let cases = [
            ("", Destination::Empty),
            (" \t", Destination::Empty),
            ("files/abc/photo.jpg", Destination::Relative),
            ("../files/abc/photo.jpg", Destination::Relative),
            ("files/a:b.jpg", Destination::Relative),
            ("#notes", Destination::Relative),
            ("?page=2", Destination::Relative),
            ("java script:alert(1)", Destination::Relative),
            ("%6Aavascript:alert(1)", Destination::Relative),
            ("/cases/0190abcd", Destination::ServerPath),
            ("/login", Destination::ServerPath),
            ("\\cases\\1", Destination::ServerPath),
            ("https:/cases/1", Destination::ServerPath),
            ("//example.org/a.png", Destination::ProtocolRelative),
            ("/\\example.org/a.png", Destination::ProtocolRelative),
            ("\\\\example.org/a.png", Destination::ProtocolRelative),
            ("/\t/example.org/a.png", Destination::ProtocolRelative),
            ("https://example.org", Destination::Web),
            ("HTTP://example.org", Destination::Web),
            ("https:\\\\example.org", Destination::Web),
            ("mailto:info@example.org", Destination::Mail),
        ];
        for (url, expected) in cases {
            assert_eq!(classify(url), expected, "{url:?}");
        }
    }

    #[test]
    fn only_relative_images_and_no_server_or_script_links_are_allowed() {
        assert!(classify("files/a.jpg").image_allowed());
        assert!(!classify("https://example.org/a.jpg").image_allowed());
        assert!(!classify("//example.org/a.jpg").image_allowed());
        assert!(!classify("/files/a.jpg").image_allowed());
        assert!(!classify("mailto:a@example.org").image_allowed());
        assert!(classify("https://example.org").link_allowed());
        assert!(classify("mailto:a@example.org").link_allowed());
        assert!(!classify("/cases/1").link_allowed());
        assert!(!classify("javascript:alert(1)").link_allowed());
    }
}
