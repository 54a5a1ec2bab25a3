//! A publication's Markdown as the public site renders it: any text, no panic, and nothing in the
//! output that runs (no script, iframe, object or style element, no `on…` attribute, no script
//! address in a link or a picture, no picture from another host).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let html = ozodi_markup::render(text);
    let _ = ozodi_markup::plain_text(text);
    let _ = ozodi_markup::excerpt(text, 200);
    let _ = ozodi_markup::problems(text);
    // Walk the tags of the output: its text is escaped, so every '<' opens a real tag.
    let mut rest = html.as_str();
    while let Some(start) = rest.find('<') {
        let tag_end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let tag = rest[start + 1..tag_end].to_ascii_lowercase();
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(
            !matches!(name.as_str(), "script" | "iframe" | "object" | "embed" | "style" | "svg" | "math" | "form" | "input" | "base" | "meta" | "link"),
            "{name} element in {html}"
        );
        for attr in tag.split_whitespace().skip(1) {
            let (key, value) = attr.split_once('=').unwrap_or((attr, ""));
            assert!(!key.starts_with("on"), "event attribute in {html}");
            let value = value.trim_matches('"');
            if key == "href" || key == "src" {
                assert!(!value.contains("javascript:") && !value.contains("data:") && !value.contains("vbscript:"), "{html}");
            }
            if key == "src" {
                assert!(!value.starts_with("http") && !value.starts_with("//"), "remote picture in {html}");
            }
        }
        rest = &rest[tag_end.min(rest.len())..];
        if rest.is_empty() {
            break;
        }
        rest = &rest[1..];
    }
});
