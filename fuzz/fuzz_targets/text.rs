//! The search analysis and the query expression: any text, no panic; folding is idempotent; the
//! FTS5 expression is only quoted terms (no input is ever query syntax).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// `"term" "term" …`: each term quoted, inner quotes doubled, one space between.
fn only_quoted_terms(expression: &str) -> bool {
    let mut chars = expression.chars().peekable();
    loop {
        if chars.next() != Some('"') {
            return false;
        }
        loop {
            match chars.next() {
                Some('"') if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                Some('"') => break,
                Some(_) => {}
                None => return false,
            }
        }
        match chars.next() {
            None => return true,
            Some(' ') => {}
            Some(_) => return false,
        }
    }
}

fuzz_target!(|text: &str| {
    let folded = ozodi_text::fold(text);
    assert_eq!(ozodi_text::fold(&folded), folded, "folding twice changes the text");
    for term in ozodi_text::terms(text) {
        assert!(!term.is_empty());
    }
    let _ = ozodi_text::name_keys(text);
    if let Some(expression) = ozodi_text::match_expression(text) {
        assert!(only_quoted_terms(&expression), "{text:?} -> {expression:?}");
    }
});
