//! The words of a document without its markup.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// What goes between two runs of text, from the weakest to the strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    /// Between table cells, and for a line break inside a paragraph the reader would not see.
    Space,
    /// Between list items, table rows and for a hard line break.
    Line,
    /// Between paragraphs, headings, lists, quotes, code blocks and tables.
    Paragraph,
}

impl Break {
    fn text(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Space => " ",
            Self::Line => "\n",
            Self::Paragraph => "\n\n",
        }
    }
}

/// The text of a document; see [`crate::plain_text`].
pub(crate) fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    // The break owed before the next text: the strongest asked for since the last text, and
    // none at the very start.
    let mut pending = Break::None;
    for event in Parser::new_ext(markdown, crate::options()) {
        let text = match event {
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                text
            }
            Event::Start(tag) => {
                pending = pending.max(break_around_start(&tag));
                continue;
            }
            Event::End(tag) => {
                pending = pending.max(break_around_end(tag));
                continue;
            }
            Event::SoftBreak => {
                pending = pending.max(Break::Space);
                continue;
            }
            Event::HardBreak => {
                pending = pending.max(Break::Line);
                continue;
            }
            Event::Rule => {
                pending = Break::Paragraph;
                continue;
            }
            // Raw HTML is not text; footnotes and task lists are not enabled.
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => {
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        if pending != Break::None {
            // A code block's last line ends with a newline, which the break replaces.
            out.truncate(out.trim_end().len());
            if !out.is_empty() {
                out.push_str(pending.text());
            }
            pending = Break::None;
        }
        out.push_str(&text);
    }
    out.truncate(out.trim_end().len());
    out
}

fn break_around_start(tag: &Tag<'_>) -> Break {
    match tag {
        Tag::Paragraph
        | Tag::Heading { .. }
        | Tag::BlockQuote(_)
        | Tag::CodeBlock(_)
        | Tag::HtmlBlock
        | Tag::List(_)
        | Tag::Table(_)
        | Tag::FootnoteDefinition(_)
        | Tag::DefinitionList
        | Tag::MetadataBlock(_) => Break::Paragraph,
        Tag::Item
        | Tag::TableHead
        | Tag::TableRow
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition => Break::Line,
        Tag::TableCell => Break::Space,
        Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough
        | Tag::Superscript
        | Tag::Subscript
        | Tag::Link { .. }
        | Tag::Image { .. } => Break::None,
    }
}

fn break_around_end(tag: TagEnd) -> Break {
    match tag {
        TagEnd::Paragraph
        | TagEnd::Heading(_)
        | TagEnd::BlockQuote(_)
        | TagEnd::CodeBlock
        | TagEnd::HtmlBlock
        | TagEnd::List(_)
        | TagEnd::Table
        | TagEnd::FootnoteDefinition
        | TagEnd::DefinitionList
        | TagEnd::MetadataBlock(_) => Break::Paragraph,
        TagEnd::Item
        | TagEnd::TableHead
        | TagEnd::TableRow
        | TagEnd::DefinitionListTitle
        | TagEnd::DefinitionListDefinition => Break::Line,
        TagEnd::TableCell => Break::Space,
        TagEnd::Emphasis
        | TagEnd::Strong
        | TagEnd::Strikethrough
        | TagEnd::Superscript
        | TagEnd::Subscript
        | TagEnd::Link
        | TagEnd::Image => Break::None,
    }
}

/// The start of a document's text; see [`crate::excerpt`].
pub(crate) fn excerpt(markdown: &str, max_chars: usize) -> String {
    let text = plain_text(markdown);
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= max_chars {
        return whole;
    }
    let Some(budget) = max_chars.checked_sub(1) else {
        return String::new();
    };
    // `budget` characters of text, then the ellipsis.
    let chars: Vec<char> = whole.chars().collect();
    let cut = if chars.get(budget).is_some_and(|c| c.is_whitespace()) {
        // The text after the budget starts with a new word: nothing is cut in a word.
        budget
    } else {
        // Back to the start of the word the budget ends in, unless that word is all there is.
        chars[..budget].iter().rposition(|c| c.is_whitespace()).unwrap_or(budget)
    };
    let kept: String = chars[..cut].iter().collect();
    let mut short = kept
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—'))
        .to_owned();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::{excerpt, plain_text};

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let markdown = "# The *report*\n\nIt was **written** by [the coalition](https://example.org) \
                        and `signed`.\n\n- first\n- second\n\n> quoted\n\n<b>raw</b> html\n\n---\n\nEnd  \nline";
        assert_eq!(
            plain_text(markdown),
            "The report\n\nIt was written by the coalition and signed.\n\nfirst\nsecond\n\nquoted\n\n\
             raw html\n\nEnd\nline"
        );
    }

    #[test]
    fn plain_text_drops_html_blocks_and_decodes_entities() {
        assert_eq!(plain_text("<div>\nhidden\n</div>\n\nA &amp; B &lt;c&gt;"), "A & B <c>");
    }

    #[test]
    fn plain_text_of_tables_code_and_images() {
        let markdown =
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nlet x = 1;\nlet y = 2;\n```\n\n![A photo](files/p.jpg)";
        assert_eq!(plain_text(markdown), "a b\n1 2\n\nlet x = 1;\nlet y = 2;\n\nA photo");
    }

    #[test]
    fn excerpt_cuts_at_a_word_boundary() {
        let markdown = "The *coalition* publishes its annual report on torture.";
        assert_eq!(excerpt(markdown, 100), "The coalition publishes its annual report on torture.");
        // 20 characters: 19 of text, then the ellipsis; "publishes" does not fit.
        assert_eq!(excerpt(markdown, 20), "The coalition…");
        // The budget ends right before a space: the last word fits whole.
        assert_eq!(excerpt(markdown, 14), "The coalition…");
        assert!(excerpt(markdown, 20).chars().count() <= 20);
    }

    #[test]
    fn excerpt_joins_paragraphs_and_handles_edge_lengths() {
        assert_eq!(excerpt("One.\n\nTwo, three.", 100), "One. Two, three.");
        assert_eq!(excerpt("One.\n\nTwo, three.", 11), "One. Two…");
        assert_eq!(excerpt("Incomprehensibilities", 8), "Incompr…");
        assert_eq!(excerpt("Anything", 0), "");
        assert_eq!(excerpt("Anything at all", 1), "…");
        assert_eq!(excerpt("Ҳуқуқи инсон ва озодиҳо", 13), "Ҳуқуқи инсон…");
    }
}
