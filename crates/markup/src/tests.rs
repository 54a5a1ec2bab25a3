//! Tests of the public functions, above all of `render` as a security boundary.

use crate::{Problem, excerpt, plain_text, problems, render};

/// An element's start tag in rendered HTML: its name and its attributes.
#[derive(Debug)]
struct StartTag {
    name: String,
    attributes: Vec<(String, String)>,
}

impl StartTag {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The start tags of HTML as ammonia serialises it: text escapes `<`, so every `<` opens a tag,
/// and attribute values are always double-quoted with `"`, `&`, `<` and `>` escaped.
fn start_tags(html: &str) -> Vec<StartTag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if rest.starts_with('/') {
            // An end tag has no attributes.
            continue;
        }
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let attr_end =
                rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(rest.len());
            let attr = rest[..attr_end].to_ascii_lowercase();
            rest = &rest[attr_end..];
            let value = if let Some(quoted) = rest.strip_prefix("=\"") {
                let end = quoted.find('"').unwrap_or(quoted.len());
                let value = quoted[..end]
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&nbsp;", "\u{a0}")
                    .replace("&amp;", "&");
                rest = quoted.get(end + 1..).unwrap_or("");
                value
            } else {
                String::new()
            };
            attributes.push((attr, value));
        }
        tags.push(StartTag { name, attributes });
    }
    tags
}

#[rustfmt::skip]
const ALLOWED_TAGS: [&str; 25] = [
    "p", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "a", "img", "ul", "ol", "li", "blockquote",
    "code", "pre", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
];

/// Panics, saying why, if `html` (rendered from `markdown`) could run a script or leave the page.
fn assert_safe(markdown: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "<script in {html:?} from {markdown:?}");
    assert!(!lower.contains("<!--"), "comment in {html:?} from {markdown:?}");
    for tag in start_tags(html) {
        assert!(ALLOWED_TAGS.contains(&tag.name.as_str()), "<{}> in {html:?} from {markdown:?}", tag.name);
        for (name, value) in &tag.attributes {
            assert!(!name.starts_with("on"), "{name}= in {html:?} from {markdown:?}");
            assert!(name != "style", "style= in {html:?} from {markdown:?}");
            if name == "href" || name == "src" {
                // What a browser reads: no whitespace or controls, any case, `\` as `/`. A
                // scheme is a letter then letters, digits, `+`, `-` or `.` up to a `:` that
                // comes before any `/`, `?` or `#`; a relative URL may contain "javascript:"
                // further on, harmlessly.
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .map(|c| if c == '\\' { '/' } else { c.to_ascii_lowercase() })
                    .collect();
                for scheme in ["javascript:", "data:", "vbscript:", "file:"] {
                    assert!(!squeezed.starts_with(scheme), "{name}={value:?} in {html:?} from {markdown:?}");
                }
                let before_path = squeezed.split(['/', '?', '#']).next().unwrap_or("");
                let scheme = before_path.split_once(':').map(|(scheme, _)| scheme).filter(|scheme| {
                    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                });
                if let Some(scheme) = scheme {
                    assert!(
                        matches!(scheme, "http" | "https" | "mailto"),
                        "scheme {scheme:?} in {name}={value:?} in {html:?} from {markdown:?}"
                    );
                }
                assert!(
                    !squeezed.starts_with('/') || squeezed.starts_with("//"),
                    "server path {name}={value:?} in {html:?} from {markdown:?}"
                );
            }
            if name == "src" {
                assert!(!squeezed_remote(value), "remote image {value:?} in {html:?} from {markdown:?}");
            }
        }
        if tag.name == "a" {
            assert_eq!(tag.attribute("rel"), Some("noopener noreferrer"), "{html:?} from {markdown:?}");
        }
    }
}

fn squeezed_remote(src: &str) -> bool {
    let src = src.trim().to_ascii_lowercase().replace('\\', "/");
    src.starts_with("//") || src.starts_with("http:") || src.starts_with("https:")
}

#[test]
fn classic_xss_payloads_are_neutralised() {
    let payloads = [
        "<script>alert(1)</script>",
        "Text <script>alert(1)</script> inline",
        "<img src=x onerror=alert(1)>",
        "Inline <img src=x onerror=alert(1)> image",
        "[x](javascript:alert(1))",
        "[x]( JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&colon;alert(1))",
        "[x](java&#9;script:alert(1))",
        "[x](&#1;javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<svg onload=alert(1)>",
        "Inline <svg onload=alert(1)> svg",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "<javascript:alert(1)>",
        "[x](vbscript:msgbox)",
        "<style>body { display: none }</style>",
        "<!-- comment -->",
        "Inline <!-- comment --> here",
        "<details open ontoggle=alert(1)>",
        r#"[x](http://a "\" onmouseover=\"alert(1)")"#,
        r#"![x](files/a.jpg "\" onerror=\"alert(1)")"#,
        "![\" onerror=\"alert(1)](files/a.jpg)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "``<script>``",
        "```html\n<script>alert(1)</script>\n```",
    ];
    for markdown in payloads {
        let html = render(markdown);
        assert_safe(markdown, &html);
        let lower = html.to_ascii_lowercase();
        for tag in ["<iframe", "<svg", "<style", "<details", "<math", "<noscript"] {
            assert!(!lower.contains(tag), "{tag} in {html:?} from {markdown:?}");
        }
    }
    // The raw HTML payloads are there to be read, as text.
    for (markdown, shown) in [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Text <script>alert(1)</script> inline", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("<svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"),
        ("<iframe src=\"https://evil.example/\"></iframe>", "&lt;iframe src=\"https://evil.example/\"&gt;"),
        ("<style>body { display: none }</style>", "&lt;style&gt;body { display: none }&lt;/style&gt;"),
        ("<!-- comment -->", "&lt;!-- comment --&gt;"),
        ("<details open ontoggle=alert(1)>", "&lt;details open ontoggle=alert(1)&gt;"),
        ("<a href=\"javascript:alert(1)\">x</a>", "&lt;a href=\"javascript:alert(1)\"&gt;x&lt;/a&gt;"),
    ] {
        let html = render(markdown);
        assert!(html.contains(shown), "{shown:?} not in {html:?} from {markdown:?}");
    }
}

#[test]
fn raw_html_is_shown_as_escaped_text() {
    assert_eq!(render("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
    assert_eq!(
        render("Text <img src=x onerror=alert(1)> here"),
        "<p>Text &lt;img src=x onerror=alert(1)&gt; here</p>\n"
    );
    assert!(render("<!-- comment -->").contains("&lt;!-- comment --&gt;"));
    assert!(
        render("<a href=\"javascript:alert(1)\">x</a>")
            .contains("&lt;a href=\"javascript:alert(1)\"&gt;x&lt;/a&gt;")
    );
    assert!(render("<style>p{}</style>").contains("&lt;style&gt;"));
}

#[test]
fn links_with_forbidden_schemes_keep_their_text_only() {
    for markdown in [
        "[click](javascript:alert(1))",
        "[click]( JaVaScRiPt:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](vbscript:msgbox)",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](file:///etc/passwd)",
    ] {
        assert_eq!(render(markdown), "<p>click</p>\n", "{markdown:?}");
        let found = problems(markdown);
        assert_eq!(found.len(), 1, "{markdown:?}");
        assert!(matches!(&found[0], Problem::Scheme(_)), "{markdown:?}: {found:?}");
    }
    assert_eq!(
        problems("[x](&#106;avascript:alert(1))"),
        [Problem::Scheme("javascript:alert(1)".to_owned())]
    );
    // An autolink with a script scheme is its text, not a link.
    assert_eq!(render("<javascript:alert(1)>"), "<p>javascript:alert(1)</p>\n");
}

#[test]
fn link_titles_cannot_break_out_of_their_attribute() {
    let html = render(r#"[x](http://a "\" onmouseover=\"alert(1)")"#);
    assert_eq!(html, "<p><a href=\"http://a\" rel=\"noopener noreferrer\">x</a></p>\n");
}

#[test]
fn every_link_gets_noopener_noreferrer() {
    let markdown = "[a](https://example.org) [b](mailto:info@example.org) <https://example.org/x> \
                    <info@example.org> [c](notes.html#top) [d](//example.org)";
    let html = render(markdown);
    let links: Vec<StartTag> = start_tags(&html).into_iter().filter(|t| t.name == "a").collect();
    assert_eq!(links.len(), 6, "{html}");
    for link in &links {
        assert_eq!(link.attribute("rel"), Some("noopener noreferrer"), "{html}");
    }
    assert_eq!(html.matches("<a ").count(), 6);
    assert_eq!(problems(markdown), []);
}

#[test]
fn external_links_are_fine() {
    assert_eq!(
        render("[x](https://example.org)"),
        "<p><a href=\"https://example.org\" rel=\"noopener noreferrer\">x</a></p>\n"
    );
    assert_eq!(problems("[x](https://example.org)"), []);
}

#[test]
fn internal_links_are_text_and_reported() {
    let markdown = "See [the case](/cases/0190abcd) and [log in](/login).";
    assert_eq!(render(markdown), "<p>See the case and log in.</p>\n");
    assert_eq!(
        problems(markdown),
        [Problem::InternalLink("/cases/0190abcd".to_owned()), Problem::InternalLink("/login".to_owned())]
    );
    assert_eq!(render("[x](/cases/0190abcd)"), "<p>x</p>\n");
    // A backslash is a slash to a browser.
    assert_eq!(problems("[x](\\cases\\1)"), [Problem::InternalLink("\\cases\\1".to_owned())]);
    // A reference definition is followed too.
    assert_eq!(render("[x][c]\n\n[c]: /cases/1"), "<p>x</p>\n");
}

#[test]
fn relative_images_are_kept_lazily_loaded() {
    let html = render("![A photo](files/abc/photo.jpg \"Title\")");
    assert_eq!(
        html,
        "<p><img src=\"files/abc/photo.jpg\" alt=\"A photo\" title=\"Title\" loading=\"lazy\" \
         decoding=\"async\"></p>\n"
    );
    let html = render("![](../files/abc/photo.jpg)");
    assert!(html.contains("src=\"../files/abc/photo.jpg\""), "{html}");
    assert!(html.contains("loading=\"lazy\""), "{html}");
    assert_eq!(problems("![](../files/abc/photo.jpg)"), []);
}

#[test]
fn image_alternative_text_is_escaped_and_stripped_of_markup() {
    let html = render("![a *b* \"c\" <d>](files/p.jpg)");
    assert!(html.contains("alt=\"a b &quot;c&quot; &lt;d&gt;\""), "{html}");
    assert_eq!(start_tags(&html).iter().filter(|t| t.name == "img").count(), 1);
}

#[test]
fn remote_images_are_dropped_but_their_alt_text_kept() {
    for (markdown, destination) in [
        ("![A <b>photo</b>](https://example.org/p.jpg)", "https://example.org/p.jpg"),
        ("![A <b>photo</b>](http://example.org/p.jpg)", "http://example.org/p.jpg"),
        ("![A <b>photo</b>](//example.org/p.jpg)", "//example.org/p.jpg"),
        ("![A <b>photo</b>](/\\example.org/p.jpg)", "/\\example.org/p.jpg"),
    ] {
        let html = render(markdown);
        assert_eq!(html, "<p>A &lt;b&gt;photo&lt;/b&gt;</p>\n", "{markdown:?}");
        assert_eq!(problems(markdown), [Problem::RemoteImage(destination.to_owned())]);
    }
}

#[test]
fn images_from_server_paths_or_other_schemes_are_dropped_and_reported() {
    assert_eq!(render("![logo](/static/logo.png)"), "<p>logo</p>\n");
    assert_eq!(problems("![logo](/static/logo.png)"), [Problem::InternalLink("/static/logo.png".to_owned())]);
    assert_eq!(render("![x](javascript:alert(1))"), "<p>x</p>\n");
    assert_eq!(problems("![x](javascript:alert(1))"), [Problem::Scheme("javascript:alert(1)".to_owned())]);
    assert_eq!(render("![x](mailto:a@example.org)"), "<p>x</p>\n");
    assert_eq!(render("![x]()"), "<p>x</p>\n");
}

#[test]
fn a_remote_image_inside_a_link_leaves_the_link_with_text() {
    let html = render("[![Logo](https://example.org/l.png)](https://example.org)");
    assert_eq!(html, "<p><a href=\"https://example.org\" rel=\"noopener noreferrer\">Logo</a></p>\n");
}

#[test]
fn problems_are_listed_in_document_order() {
    let markdown = "![a](https://x.example/a.png) [b](/cases/1)\n\n[c](javascript:x) [ok](https://example.org)\n\n\
                    ![d](files/d.png) ![e](//x.example/e.png)";
    let found = problems(markdown);
    assert_eq!(
        found,
        [
            Problem::RemoteImage("https://x.example/a.png".to_owned()),
            Problem::InternalLink("/cases/1".to_owned()),
            Problem::Scheme("javascript:x".to_owned()),
            Problem::RemoteImage("//x.example/e.png".to_owned()),
        ]
    );
    let keys: Vec<&str> = found.iter().map(Problem::key).collect();
    assert_eq!(
        keys,
        [
            "markup-problem-remote-image",
            "markup-problem-internal",
            "markup-problem-scheme",
            "markup-problem-remote-image"
        ]
    );
    assert_eq!(found[1].destination(), "/cases/1");
}

#[test]
fn headings_go_one_level_down() {
    let html =
        render("# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n\nSetext\n======");
    assert_eq!(
        html,
        "<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>\n<h5>Four</h5>\n<h6>Five</h6>\n<h6>Six</h6>\n<h2>Setext</h2>\n"
    );
    assert!(!html.contains("<h1"));
}

#[test]
fn tables_and_strikethrough_render() {
    let html = render("| Name | Count |\n|:-----|------:|\n| a | 1 |\n\n~~gone~~");
    assert_eq!(
        html,
        "<table><thead><tr><th>Name</th><th>Count</th></tr></thead><tbody>\n<tr><td>a</td><td>1</td></tr>\n\
         </tbody></table>\n<p><del>gone</del></p>\n"
    );
}

#[test]
fn common_markdown_renders() {
    let html = render(
        "Some *em*, **strong**, `code`.  \nNext line.\n\n3. three\n4. four\n\n- a\n- b\n\n> quote\n\n---\n\n\
         ```rust\nfn main() {}\n```",
    );
    assert_eq!(
        html,
        "<p>Some <em>em</em>, <strong>strong</strong>, <code>code</code>.<br>\nNext line.</p>\n\
         <ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n\
         <blockquote>\n<p>quote</p>\n</blockquote>\n<hr>\n<pre><code>fn main() {}\n</code></pre>\n"
    );
}

#[test]
fn cyrillic_and_tajik_text_passes_through_unchanged() {
    let text = "Ҳуқуқи инсон: ғ ӣ қ ӯ ҳ ҷ — Ғ Ӣ Қ Ӯ Ҳ Ҷ. Права человека.";
    assert_eq!(render(text), format!("<p>{text}</p>\n"));
    assert_eq!(plain_text(text), text);
    assert_eq!(render("# Гузориш"), "<h2>Гузориш</h2>\n");
}

#[test]
fn plain_text_gives_the_words_only() {
    let markdown = "# Report\n\nThe *coalition* **met** [the minister](https://example.org/m) \
                    on ~~Monday~~ Tuesday.\n\n- one\n- two <b>bold</b>\n";
    assert_eq!(
        plain_text(markdown),
        "Report\n\nThe coalition met the minister on Monday Tuesday.\n\none\ntwo bold"
    );
    for markup in ['*', '#', '[', ']', '(', ')', '<', '>', '~'] {
        assert!(!plain_text(markdown).contains(markup), "{markup}");
    }
}

#[test]
fn excerpt_cuts_at_a_word_boundary() {
    let markdown = "The **coalition** against torture publishes its report.";
    assert_eq!(excerpt(markdown, 22), "The coalition against…");
    assert_eq!(excerpt(markdown, 200), "The coalition against torture publishes its report.");
}

#[test]
fn rendering_is_deterministic() {
    let markdown =
        "# T\n\n![a](files/a.jpg \"t\") [l](https://example.org \"t\") <b>x</b>\n\n| a |\n|---|\n| b |";
    let first = render(markdown);
    for _ in 0..20 {
        assert_eq!(render(markdown), first);
    }
}

#[test]
fn the_sanitizer_alone_cleans_what_the_event_filter_should_never_produce() {
    let html = crate::render::SANITIZER
        .clean(
            "<h1>t</h1><script>alert(1)</script><style>p{}</style><a href=\"/cases/1\" title=\"t\" \
             onclick=\"x\">a</a><a href=\"javascript:alert(1)\">b</a><img src=\"https://evil.example/x.png\" \
             onerror=\"x\"><img src=\"files/a.jpg\" width=\"1\"><p class=\"c\" id=\"i\" style=\"s\">p</p>\
             <iframe src=\"x\"></iframe><svg><a href=\"x\">s</a></svg><!-- c -->",
        )
        .to_string();
    // Ammonia adds the attributes it sets in no fixed order when they are missing, which
    // never happens with the images `render` writes: compare them sorted.
    let tags: Vec<String> = start_tags(&html)
        .iter()
        .map(|tag| {
            let mut attributes: Vec<String> =
                tag.attributes.iter().map(|(n, v)| format!("{n}={v}")).collect();
            attributes.sort();
            format!("{} {}", tag.name, attributes.join(" ")).trim_end().to_owned()
        })
        .collect();
    assert_eq!(
        tags,
        [
            "a rel=noopener noreferrer",
            "a rel=noopener noreferrer",
            "img decoding=async loading=lazy",
            "img decoding=async loading=lazy src=files/a.jpg",
            "p",
        ],
        "{html}"
    );
    for gone in ["alert", "p{}", "iframe", "svg", "<!--", "h1", "class", "style", "id="] {
        assert!(!html.contains(gone), "{gone} in {html}");
    }
    assert!(html.starts_with("t<a "), "{html}");
}

/// xorshift64: a tiny, deterministic source of pseudo-random numbers.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

/// Strings made of fragments of attacks: whatever the parser makes of them, the output is safe.
#[test]
fn generated_dangerous_strings_render_safely_and_never_panic() {
    const FRAGMENTS: [&str; 34] = [
        "<",
        ">",
        "script",
        "javascript:",
        "\"",
        "'",
        "[",
        "](",
        ")",
        "!",
        "on",
        "=",
        "&#",
        "\n",
        " ",
        "/",
        "//",
        "\\",
        "img",
        "src",
        "href",
        "a",
        "x",
        "error",
        "load",
        "106;",
        "data:",
        "vbscript:",
        "`",
        "*",
        "<!--",
        "-->",
        "\t",
        "&#x6A;",
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let length = 1 + rng.below(40);
        let markdown: String = (0..length).map(|_| FRAGMENTS[rng.below(FRAGMENTS.len())]).collect();
        let html = render(&markdown);
        assert_safe(&markdown, &html);
        // The other functions are total too.
        let _ = plain_text(&markdown);
        let _ = excerpt(&markdown, 1 + rng.below(60));
        let _ = problems(&markdown);
    }
}

/// Arbitrary bytes, read as UTF-8 with replacement: render and the others never panic.
#[test]
fn arbitrary_input_never_panics() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    for _ in 0..500 {
        let length = rng.below(200);
        let bytes: Vec<u8> = (0..length).map(|_| u8::try_from(rng.next() & 0xFF).unwrap_or(0)).collect();
        let markdown = String::from_utf8_lossy(&bytes);
        assert_safe(&markdown, &render(&markdown));
        for max_chars in [0, 1, 2, 10, 300] {
            assert!(excerpt(&markdown, max_chars).chars().count() <= max_chars);
        }
        let _ = plain_text(&markdown);
        let _ = problems(&markdown);
    }
    let deep = format!("{}x{}", "[".repeat(2000), "](y)".repeat(2000));
    assert_safe(&deep, &render(&deep));
}

#[test]
fn deep_nesting_is_flattened_and_quick() {
    for (unit, tag) in [("- ", "<li>"), ("> ", "<blockquote>"), ("1. ", "<li>"), ("* > ", "<blockquote>")] {
        let deep = format!("{}deepest", unit.repeat(20_000));
        let html = render(&deep);
        assert_safe(&deep, &html);
        assert!(html.contains("deepest"), "{unit:?}");
        // Without the cap, ammonia would take minutes over twenty thousand levels.
        let opened = html.matches(tag).count();
        assert!(opened > 5 && opened <= 32, "{opened} {tag} for {unit:?}");
    }
    // Well short of the cap, nothing is dropped.
    let html = render("- a\n  - b\n    - c\n      > d *e **f***");
    assert_eq!(
        html,
        "<ul>\n<li>a\n<ul>\n<li>b\n<ul>\n<li>c\n<blockquote>\n<p>d <em>e <strong>f</strong></em></p>\n\
         </blockquote>\n</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>\n"
    );
}
