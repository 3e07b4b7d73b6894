//! An invoice as a PDF, drawn with `printpdf` in the standard Helvetica: no font to embed, and
//! its text is WinAnsi, so readers and `pdftotext` extract it as written.

use crate::{billing::InvoiceView, components::format_date};
use printpdf::{
    BuiltinFont, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, TextItem, TextMatrix,
};

const PROVIDER: &str = "Services Hub";
const PAGE: (f32, f32) = (210.0, 297.0);
const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const BOTTOM: f32 = 25.0;
const ROW: f32 = 5.5;
/// Columns: kind and description from their left edge; the figures end at their right edge.
const KIND_X: f32 = LEFT;
const DESCRIPTION_X: f32 = 52.0;
const DESCRIPTION_WIDTH: f32 = 62.0;
const QUANTITY_END: f32 = 132.0;
const UNIT_END: f32 = 160.0;

/// Helvetica's advance widths (thousandths of an em) of ASCII 32–126, from its AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold's widths of A–Z and a–z (its figures and punctuation match Helvetica's).
const BOLD_LETTERS: [u16; 52] = [
    722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667,
    611, 722, 667, 944, 667, 667, 611, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278,
    889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500,
];

/// The width of `text` in millimetres at `size` points (other characters count as a digit).
fn width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            let letter = match c {
                'A'..='Z' => Some(c as usize - 'A' as usize),
                'a'..='z' => Some(c as usize - 'a' as usize + 26),
                _ => None,
            };
            let bold_width = letter.filter(|_| bold).and_then(|i| BOLD_LETTERS.get(i));
            let regular = HELVETICA.get((c as usize).wrapping_sub(32));
            u32::from(bold_width.or(regular).copied().unwrap_or(556))
        })
        .sum();
    units as f32 / 1000.0 * size * 25.4 / 72.0
}

/// The standard fonts speak WinAnsi, which has no minus sign: the hyphen stands in.
fn printable(text: &str) -> String {
    text.replace('\u{2212}', "-")
}

/// `text` in lines no wider than `max` millimetres (a word too long for a line is cut).
fn wrap(text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let joined = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if width(&joined, size, false) <= max {
            current = joined;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        for c in word.chars() {
            if !current.is_empty() && width(&format!("{current}{c}"), size, false) > max {
                lines.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
    }
    lines.push(current);
    lines
}

/// The pages being drawn, top to bottom.
struct Canvas {
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
}

impl Canvas {
    fn text(&mut self, x: f32, text: &str, size: f32, bold: bool) {
        let font = if bold {
            BuiltinFont::HelveticaBold
        } else {
            BuiltinFont::Helvetica
        };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Mm(x).into(), Mm(self.y).into()),
            },
            Op::ShowText {
                items: vec![TextItem::Text(printable(text))],
            },
            Op::EndTextSection,
        ]);
    }

    /// Text that ends at `end` (figures line up on their last digit).
    fn right(&mut self, end: f32, text: &str, size: f32, bold: bool) {
        let x = end - width(&printable(text), size, bold);
        self.text(x, text, size, bold);
    }

    fn rule(&mut self) {
        let point = |x: f32, y: f32| LinePoint {
            p: Point::new(Mm(x), Mm(y)),
            bezier: false,
        };
        self.ops.extend([
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::DrawLine {
                line: Line {
                    points: vec![point(LEFT, self.y), point(RIGHT, self.y)],
                    is_closed: false,
                },
            },
        ]);
    }

    fn down(&mut self, mm: f32) {
        self.y -= mm;
    }

    fn table_head(&mut self) {
        self.text(KIND_X, "What happened", 9.0, true);
        self.text(DESCRIPTION_X, "Description", 9.0, true);
        self.right(QUANTITY_END, "Quantity", 9.0, true);
        self.right(UNIT_END, "Unit price", 9.0, true);
        self.right(RIGHT, "Amount", 9.0, true);
        self.down(2.0);
        self.rule();
        self.down(ROW);
    }

    /// Room for `rows` more rows, or a new page that repeats the table's head.
    fn room_for(&mut self, rows: usize, number: &str) {
        if self.y - ROW * rows as f32 >= BOTTOM {
            return;
        }
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = PAGE.1 - 25.0;
        self.text(LEFT, &format!("Invoice {number} (continued)"), 10.0, true);
        self.down(10.0);
        self.table_head();
    }
}

/// The invoice as PDF bytes.
pub fn render(invoice: &InvoiceView) -> Vec<u8> {
    let mut page = Canvas {
        pages: Vec::new(),
        ops: Vec::new(),
        y: PAGE.1 - 25.0,
    };
    page.text(LEFT, PROVIDER, 18.0, true);
    page.down(12.0);
    page.text(LEFT, &format!("Invoice {}", invoice.number), 14.0, true);
    page.down(10.0);
    let facts = [
        ("Issued", format_date(Some(invoice.issued_at))),
        ("Bill to", invoice.bill_to.clone()),
        ("Status", invoice.status.clone()),
        (
            "Subscription",
            format!("{} ({})", invoice.offer_name, invoice.service_name),
        ),
    ];
    for (label, value) in facts {
        page.text(LEFT, label, 10.0, true);
        page.text(LEFT + 28.0, &value, 10.0, false);
        page.down(ROW + 0.5);
    }
    if invoice.status == "Void" {
        page.text(
            LEFT,
            "This invoice is void: it was cancelled and is not to be paid.",
            10.0,
            true,
        );
        page.down(ROW);
    }
    page.down(6.0);
    page.table_head();
    for line in &invoice.lines {
        let description = wrap(&line.description, 9.0, DESCRIPTION_WIDTH);
        page.room_for(description.len(), &invoice.number);
        page.text(KIND_X, &line.kind_label, 9.0, false);
        page.right(QUANTITY_END, &line.quantity.to_string(), 9.0, false);
        page.right(UNIT_END, &line.unit_price_label, 9.0, false);
        page.right(RIGHT, &line.amount_label, 9.0, false);
        for text in &description {
            page.text(DESCRIPTION_X, text, 9.0, false);
            page.down(ROW);
        }
    }
    page.room_for(2, &invoice.number);
    page.down(1.0);
    page.rule();
    page.down(ROW + 1.0);
    page.text(QUANTITY_END, "Total", 11.0, true);
    page.right(RIGHT, &invoice.total_label, 11.0, true);
    page.pages.push(std::mem::take(&mut page.ops));

    let mut document = PdfDocument::new(&format!("Invoice {}", invoice.number));
    document.metadata.info.author = PROVIDER.to_owned();
    document.metadata.info.creator = PROVIDER.to_owned();
    let pages = page
        .pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(PAGE.0), Mm(PAGE.1), ops))
        .collect();
    document
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_descriptions_wrap_within_their_column() {
        let lines = wrap(
            "Contoso 365 E3, 12 months, renewed for another year of service",
            9.0,
            40.0,
        );
        assert!(lines.len() > 1, "{lines:?}");
        assert!(
            lines.iter().all(|l| width(l, 9.0, false) <= 40.0),
            "{lines:?}"
        );
        let cut = wrap(&"x".repeat(200), 9.0, 40.0);
        assert!(cut.len() > 1 && cut.iter().all(|l| width(l, 9.0, false) <= 40.0));
        assert_eq!(wrap("", 9.0, 40.0), vec![String::new()]);
        assert_eq!(printable("\u{2212}€5.00"), "-€5.00");
        assert!(width("Amount", 9.0, true) > width("Amount", 9.0, false));
        assert_eq!(width("€1.00", 9.0, true), width("€1.00", 9.0, false));
    }
}
