//! Printable documents as PDF: A4 pages flowing a list of blocks (a title, headings, paragraphs,
//! labelled fields, simple drawings of boxes and numbered marks), with the same footer line and
//! the page number on every page.
//!
//! The PDF is written by `krilla` (fonts embedded as subsets, with the text extractable), in Noto
//! Sans, whose Cyrillic covers Russian and every Tajik letter (ғ ӣ қ ӯ ҳ ҷ). Lines are broken
//! here, greedily, by the font's advance widths (kerning only ever makes a line narrower); a word
//! wider than a line (a hash) is broken between characters. Pure functions: no IO, no clock.

use krilla::Document as Pdf;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

const PAGE_W: f32 = 595.276; // A4, 210 mm in points
const PAGE_H: f32 = 841.89; // 297 mm
const MARGIN: f32 = 56.7; // 20 mm
const FOOTER_Y: f32 = PAGE_H - 32.0;
const BODY: f32 = 10.5;
const LABEL_W: f32 = 170.0;

static REGULAR: &[u8] = notosans::REGULAR_TTF;
static BOLD: &[u8] = notosans::BOLD_TTF;

/// One block of a document, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// The document's title.
    Title(String),
    /// A section heading.
    Heading(String),
    /// A paragraph (line breaks in it are kept).
    Text(String),
    /// A label and its value, side by side.
    Field(String, String),
    /// A drawing: its size in its own units, scaled to the text width; boxes (filled ones
    /// shaded) and numbered marks.
    Drawing(Drawing),
    /// A horizontal bar chart that is its own table: each row's label, a bar in proportion to
    /// the largest value, and the value written after it.
    Bars(Vec<Bar>),
}

/// One row of a bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// What is counted.
    pub label: String,
    /// The count (a negative one draws no bar).
    pub value: i64,
}

/// A simple drawing: boxes and marks in the drawing's own coordinates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawing {
    /// Width and height in the drawing's units.
    pub size: (f32, f32),
    /// Boxes: left, top, width, height, shaded.
    pub boxes: Vec<(f32, f32, f32, f32, bool)>,
    /// Marks: centre and label.
    pub marks: Vec<(f32, f32, String)>,
    /// Captions under the drawing: x (in the drawing's units) and text.
    pub captions: Vec<(f32, String)>,
}

/// A document to print.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The blocks.
    pub blocks: Vec<Block>,
    /// The footer line of every page (who produced it, when, a hash).
    pub footer: String,
    /// The page number, given the page and the count: `"Page 1 of 3"` in the reader's language.
    pub page_label: String,
}

/// Why a PDF could not be written.
#[derive(Debug, PartialEq, Eq)]
pub struct PrintError(pub String);

impl std::fmt::Display for PrintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PDF not written: {}", self.0)
    }
}

impl std::error::Error for PrintError {}

/// Measures text in one face at one size.
struct Measure<'a> {
    font: FontRef<'a>,
}

impl<'a> Measure<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, PrintError> {
        Ok(Measure { font: FontRef::new(bytes).map_err(|e| PrintError(format!("font: {e}")))? })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let cmap = self.font.charmap();
        let metrics = self.font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars().map(|c| metrics.advance_width(cmap.map(c).unwrap_or_default()).unwrap_or(0.0)).sum()
    }

    /// Greedy line breaking at spaces; a word wider than the line is cut between characters.
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, size) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    let mut next = line.clone();
                    next.push(c);
                    if self.width(&next, size) > max && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    } else {
                        line = next;
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// What a page holds, laid out.
enum Item {
    Line {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        text: String,
    },
    /// A shaded bar: left, top, width, height.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    Drawing {
        x: f32,
        y: f32,
        scale: f32,
        drawing: Drawing,
    },
}

struct Flow<'a> {
    regular: Measure<'a>,
    bold: Measure<'a>,
    pages: Vec<Vec<Item>>,
    y: f32,
}

impl Flow<'_> {
    fn room(&mut self, height: f32) {
        if self.y + height > FOOTER_Y - 24.0 && self.y > MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn page(&mut self) -> &mut Vec<Item> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn lines(&mut self, x: f32, bold: bool, size: f32, lines: Vec<String>) {
        for text in lines {
            let height = size * 1.4;
            self.room(height);
            self.y += height;
            let y = self.y;
            self.page().push(Item::Line { x, y, bold, size, text });
        }
    }

    /// The height the start of `block` needs on the page it begins: what a heading before it
    /// must find room for, so that the heading is not left alone at the foot of a page.
    fn lead_height(&self, block: &Block) -> f32 {
        let width = PAGE_W - 2.0 * MARGIN;
        match block {
            Block::Title(_) | Block::Heading(_) => 13.0 * 1.4 + 10.0 + BODY * 1.4,
            Block::Text(t) => BODY * 1.4 * self.regular.wrap(t, BODY, width).len().min(2) as f32,
            Block::Field(label, value) => {
                let rows = self
                    .bold
                    .wrap(label, BODY, LABEL_W - 8.0)
                    .len()
                    .max(self.regular.wrap(value, BODY, width - LABEL_W).len());
                // Short fields stay together (see `block`); a long one needs two lines.
                BODY * 1.4 * if rows <= 8 { rows } else { 2 } as f32
            }
            Block::Drawing(d) => d.size.1 * (width / d.size.0).min(0.8) + 16.0,
            Block::Bars(rows) => BODY * 1.6 * rows.len().min(3) as f32,
        }
    }

    fn block(&mut self, block: &Block, next: Option<&Block>) {
        let width = PAGE_W - 2.0 * MARGIN;
        match block {
            Block::Title(t) => {
                let lines = self.bold.wrap(t, 17.0, width);
                self.lines(MARGIN, true, 17.0, lines);
                self.y += 8.0;
            }
            Block::Heading(t) => {
                self.y += 10.0;
                // A heading is not left alone at the foot of a page: it goes with the start of
                // what follows it, a drawing included.
                let keep = next.map_or(BODY * 1.4, |n| self.lead_height(n));
                self.room(13.0 * 1.4 + keep);
                let lines = self.bold.wrap(t, 13.0, width);
                self.lines(MARGIN, true, 13.0, lines);
                self.y += 3.0;
            }
            Block::Text(t) => {
                let lines = self.regular.wrap(t, BODY, width);
                self.lines(MARGIN, false, BODY, lines);
                self.y += 5.0;
            }
            Block::Field(label, value) => {
                let labels = self.bold.wrap(label, BODY, LABEL_W - 8.0);
                let values = self.regular.wrap(value, BODY, width - LABEL_W);
                let rows = labels.len().max(values.len());
                // Short fields stay together; long ones may run over a page break.
                if rows <= 8 {
                    self.room(BODY * 1.4 * rows as f32);
                }
                let top = self.y;
                self.lines(MARGIN, true, BODY, labels);
                let after_label = (self.y, self.pages.len());
                self.y = top;
                let before = self.pages.len();
                if before == after_label.1 {
                    self.lines(MARGIN + LABEL_W, false, BODY, values);
                    self.y = self.y.max(after_label.0);
                } else {
                    self.lines(MARGIN + LABEL_W, false, BODY, values);
                }
                self.y += 3.0;
            }
            Block::Drawing(d) => {
                let scale = (width / d.size.0).min(0.8);
                let height = d.size.1 * scale + 16.0;
                self.room(height);
                let (x, y) = (MARGIN, self.y + 6.0);
                self.page().push(Item::Drawing { x, y, scale, drawing: d.clone() });
                self.y += height;
            }
            Block::Bars(rows) => {
                // Label column, then the bars, with room after the longest for its value.
                let max = rows.iter().map(|r| r.value).max().unwrap_or(0).max(1);
                let numbers =
                    rows.iter().map(|r| self.regular.width(&r.value.to_string(), BODY)).fold(0.0, f32::max);
                let span = (width - LABEL_W - numbers - 8.0).max(20.0);
                for row in rows {
                    let labels = self.regular.wrap(&row.label, BODY, LABEL_W - 8.0);
                    let height = BODY * 1.4 * labels.len().max(1) as f32 + 2.0;
                    self.room(height);
                    let top = self.y;
                    self.lines(MARGIN, false, BODY, labels);
                    let w = span * row.value.max(0) as f32 / max as f32;
                    let bar_top = top + 3.0;
                    if w > 0.0 {
                        self.page().push(Item::Rect { x: MARGIN + LABEL_W, y: bar_top, w, h: BODY });
                    }
                    let text = row.value.to_string();
                    self.page().push(Item::Line {
                        x: MARGIN + LABEL_W + w + 4.0,
                        y: top + BODY * 1.4,
                        bold: false,
                        size: BODY,
                        text,
                    });
                    self.y = top + height;
                }
                self.y += 4.0;
            }
        }
    }
}

fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(x, y, w, h)?);
    pb.finish()
}

fn circle_path(cx: f32, cy: f32, r: f32) -> Option<krilla::geom::Path> {
    // Four cubic arcs (the usual 0.5523 approximation of a quarter circle).
    let k = 0.552_284_8 * r;
    let mut pb = PathBuilder::new();
    pb.move_to(cx + r, cy);
    pb.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    pb.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    pb.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    pb.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    pb.close();
    pb.finish()
}

fn grey(level: u8) -> Fill {
    Fill { paint: krilla::color::rgb::Color::new(level, level, level).into(), ..Fill::default() }
}

/// Lays the document's blocks out on pages.
fn layout(document: &Document) -> Result<Flow<'static>, PrintError> {
    let mut flow = Flow {
        regular: Measure::new(REGULAR)?,
        bold: Measure::new(BOLD)?,
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    for (i, block) in document.blocks.iter().enumerate() {
        flow.block(block, document.blocks.get(i + 1));
    }
    Ok(flow)
}

/// How many pages the document takes.
pub fn page_count(document: &Document) -> Result<usize, PrintError> {
    Ok(layout(document)?.pages.len())
}

/// Writes the document as PDF bytes. The same document gives the same bytes.
pub fn render(document: &Document) -> Result<Vec<u8>, PrintError> {
    let regular = Font::new(REGULAR.into(), 0).ok_or_else(|| PrintError("regular font".into()))?;
    let bold = Font::new(BOLD.into(), 0).ok_or_else(|| PrintError("bold font".into()))?;
    let flow = layout(document)?;
    let total = flow.pages.len();
    let footer_lines = flow.regular.wrap(&document.footer, 7.5, PAGE_W - 2.0 * MARGIN - 60.0);
    let mut pdf = Pdf::new();
    for (i, items) in flow.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PrintError("page size".into()))?;
        let mut page = pdf.start_page_with(settings);
        let mut s = page.surface();
        for item in items {
            match item {
                Item::Line { x, y, bold: b, size, text } => {
                    let font = if *b { bold.clone() } else { regular.clone() };
                    s.draw_text(Point::from_xy(*x, *y), font, *size, text, false, TextDirection::Auto);
                }
                Item::Rect { x, y, w, h } => {
                    s.set_stroke(None);
                    s.set_fill(Some(grey(120)));
                    if let Some(path) = rect_path(*x, *y, *w, *h) {
                        s.draw_path(&path);
                    }
                    s.set_fill(Some(grey(0)));
                }
                Item::Drawing { x, y, scale, drawing } => {
                    s.set_stroke(Some(Stroke { width: 0.6, ..Stroke::default() }));
                    for (bx, by, bw, bh, shaded) in &drawing.boxes {
                        s.set_fill(Some(grey(if *shaded { 200 } else { 245 })));
                        if let Some(path) = rect_path(x + bx * scale, y + by * scale, bw * scale, bh * scale)
                        {
                            s.draw_path(&path);
                        }
                    }
                    s.set_stroke(None);
                    for (mx, my, label) in &drawing.marks {
                        s.set_fill(Some(grey(0)));
                        if let Some(path) = circle_path(x + mx * scale, y + my * scale, 3.2) {
                            s.draw_path(&path);
                        }
                        let at = Point::from_xy(x + mx * scale + 5.0, y + my * scale + 3.0);
                        s.draw_text(at, bold.clone(), 7.5, label, false, TextDirection::Auto);
                    }
                    s.set_fill(Some(grey(0)));
                    for (cx, text) in &drawing.captions {
                        let at = Point::from_xy(x + cx * scale - 20.0, y + drawing.size.1 * scale + 10.0);
                        s.draw_text(at, regular.clone(), 8.0, text, false, TextDirection::Auto);
                    }
                }
            }
        }
        // The footer: a rule, who produced the document and its hash, and the page number.
        s.set_fill(None);
        s.set_stroke(Some(Stroke { width: 0.5, ..Stroke::default() }));
        let mut rule = PathBuilder::new();
        rule.move_to(MARGIN, FOOTER_Y - 10.0);
        rule.line_to(PAGE_W - MARGIN, FOOTER_Y - 10.0);
        if let Some(path) = rule.finish() {
            s.draw_path(&path);
        }
        s.set_stroke(None);
        s.set_fill(Some(grey(0)));
        for (n, line) in footer_lines.iter().enumerate() {
            let at = Point::from_xy(MARGIN, FOOTER_Y + 9.0 * n as f32);
            s.draw_text(at, regular.clone(), 7.5, line, false, TextDirection::Auto);
        }
        let number = document
            .page_label
            .replace("{page}", &(i + 1).to_string())
            .replace("{pages}", &total.to_string());
        let width = flow.regular.width(&number, 7.5);
        s.draw_text(
            Point::from_xy(PAGE_W - MARGIN - width, FOOTER_Y),
            regular.clone(),
            7.5,
            &number,
            false,
            TextDirection::Auto,
        );
        s.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| PrintError(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(paragraphs: usize) -> Document {
        let mut blocks = vec![Block::Title("Хулосаи тиббӣ-ҳуқуқӣ ME-0001".into())];
        for n in 0..paragraphs {
            blocks.push(Block::Heading(format!("Қисми {n}")));
            blocks.push(Block::Field(
                "Ҷароҳатҳо".into(),
                "Ҷароҳатҳо дар қафои сар ва бозуи чап; ғӯзапоя, ӯ, ҳ, ӣ".into(),
            ));
            blocks.push(Block::Text(
                "Пострадавший доставлен с множественными ушибами мягких тканей головы. ".repeat(5),
            ));
        }
        blocks.push(Block::Drawing(Drawing {
            size: (400.0, 440.0),
            boxes: vec![(10.0, 10.0, 50.0, 50.0, true)],
            marks: vec![(35.0, 35.0, "F1".into())],
            captions: vec![(100.0, "Аз пеш".into())],
        }));
        Document {
            blocks,
            footer: format!("Чоп кард: Духтур, 01.12.2026 · SHA-256 {}", "ab".repeat(32)),
            page_label: "Саҳифаи {page} аз {pages}".into(),
        }
    }

    #[test]
    fn a_long_document_runs_over_pages_with_the_same_footer_and_is_deterministic() {
        let one = render(&sample(2)).unwrap_or_default();
        let many = render(&sample(40)).unwrap_or_default();
        assert!(one.starts_with(b"%PDF-"), "a PDF");
        assert!(many.len() > one.len());
        assert_eq!(page_count(&sample(2)), Ok(1));
        assert!(page_count(&sample(40)).unwrap_or(0) > 3, "a long document runs over pages");
        assert_eq!(render(&sample(40)).unwrap_or_default(), many, "the same document, the same bytes");
    }

    #[test]
    fn a_heading_goes_to_the_next_page_with_the_drawing_it_introduces() {
        // Enough text to bring the heading near the foot of the first page, then a drawing.
        for lines in 30..60 {
            let mut blocks = vec![Block::Title("ME-0001".into())];
            blocks.extend((0..lines).map(|n| Block::Field(format!("F{n}"), "Кабудӣ".into())));
            blocks.push(Block::Heading("Ёфтҳо дар нақша".into()));
            blocks.push(Block::Drawing(Drawing { size: (400.0, 440.0), ..Drawing::default() }));
            let flow = layout(&Document { blocks, ..Document::default() }).unwrap_or_else(|e| panic!("{e}"));
            let page_of =
                |wanted: &dyn Fn(&Item) -> bool| flow.pages.iter().position(|p| p.iter().any(wanted));
            let heading = page_of(&|i| matches!(i, Item::Line { text, .. } if text == "Ёфтҳо дар нақша"));
            let drawing = page_of(&|i| matches!(i, Item::Drawing { .. }));
            assert_eq!(heading, drawing, "{lines} fields before: the heading stays with its drawing");
        }
    }

    #[test]
    fn a_bar_chart_writes_every_label_and_value_with_bars_in_proportion() {
        let rows: Vec<Bar> = (0..80)
            .map(|n| Bar { label: format!("Вилояти Суғд, ноҳияи {n}"), value: (n % 7) * 10 })
            .collect();
        let document = Document { blocks: vec![Block::Bars(rows.clone())], ..Document::default() };
        let flow = layout(&document).unwrap_or_else(|e| panic!("{e}"));
        assert!(flow.pages.len() > 1, "80 rows run over a page");
        let items: Vec<&Item> = flow.pages.iter().flatten().collect();
        let widths: Vec<f32> =
            items.iter().filter_map(|i| if let Item::Rect { w, .. } = i { Some(*w) } else { None }).collect();
        assert_eq!(widths.len(), rows.iter().filter(|r| r.value > 0).count(), "no bar for a zero");
        let longest = widths.iter().copied().fold(0.0, f32::max);
        let shortest = widths.iter().copied().fold(f32::MAX, f32::min);
        assert!((longest / shortest - 6.0).abs() < 0.01, "60 is six times 10: {longest} / {shortest}");
        for row in &rows {
            assert!(
                items.iter().any(|i| matches!(i, Item::Line { text, .. } if *text == row.label)),
                "{} is written",
                row.label
            );
        }
        let values = items.iter().filter(|i| matches!(i, Item::Line { text, .. } if text == "60")).count();
        assert_eq!(values, rows.iter().filter(|r| r.value == 60).count());
        assert!(render(&document).is_ok_and(|pdf| pdf.starts_with(b"%PDF-")));
    }

    #[test]
    fn words_wider_than_a_line_are_cut_and_nothing_is_lost() {
        let m = Measure::new(REGULAR).map_err(|e| e.0).unwrap_or_else(|e| panic!("{e}"));
        let hash = "0123456789abcdef".repeat(8);
        let lines = m.wrap(&format!("SHA-256 {hash} ҷ"), 10.0, 150.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| m.width(l, 10.0) <= 150.0 + 0.01));
        assert_eq!(lines.concat().replace(' ', ""), format!("SHA-256{hash}ҷ"));
    }
}
