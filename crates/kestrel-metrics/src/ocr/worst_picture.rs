//! A picture of the worst words: every wrongly read word's crop beside its true text and
//! the text read.

use std::path::Path;

use image::RgbImage;
use image::imageops::FilterType;
use plotters::element::BitMapElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Recognition;
use crate::MetricsError;
use crate::plot::font::{FAMILY, text_width};
use crate::plot::png::{Canvas, render_png};

/// At most this many rows are drawn by [`plot_worst_words`]; further rows are counted in a
/// footer line, not drawn, so the picture (and its memory) stays bounded.
pub const WORST_PICTURE_MAX_ROWS: usize = 50;
/// Height in pixels every crop is scaled to in [`plot_worst_words`].
pub const WORST_PICTURE_CROP_HEIGHT: u32 = 40;
/// Widest a scaled crop may be in [`plot_worst_words`]; wider ones are squeezed to it.
pub const WORST_PICTURE_MAX_CROP_WIDTH: u32 = 320;

/// Longest text drawn in full; longer ones end in an ellipsis.
const MAX_TEXT_CHARS: usize = 40;
/// Widest a drawn text may be, in pixels; wider ones are shortened further.
const MAX_TEXT_WIDTH: i32 = 560;
const MARGIN: i32 = 10;
/// Space above and below a crop within its row.
const PAD: i32 = 6;
const ROW_H: i32 = WORST_PICTURE_CROP_HEIGHT as i32 + 2 * PAD;
const HEADER_H: i32 = 30;
const FOOTER_H: i32 = 28;
const GAP: i32 = 24;
const TEXT_FONT: f64 = 20.0;
const HEADER_FONT: f64 = 15.0;
const SMALL_FONT: f64 = 14.0;

const TRUTH_INK: RGBColor = RGBColor(0, 0, 0);
const READ_INK: RGBColor = RGBColor(204, 0, 0);
const GREY_INK: RGBColor = RGBColor(120, 120, 120);
const HEADER_INK: RGBColor = RGBColor(70, 70, 70);
const LINE: RGBColor = RGBColor(215, 215, 215);
const HEADER_LINE: RGBColor = RGBColor(90, 90, 90);

/// Shown in the read column when nothing was read.
const NOTHING_READ: &str = "(nothing)";
/// Shown in the truth column when the true text is empty.
const EMPTY_TRUTH: &str = "(empty)";
/// Shown in the crop column when the crop has no pixels.
const NO_CROP: &str = "(no crop)";

/// One row of [`plot_worst_words`]: a word's crop, its true text and the text read.
#[derive(Debug, Clone, PartialEq)]
pub struct WorstWordRow {
    /// The word's image, any size (a width or height of 0 is drawn as "(no crop)").
    pub crop: RgbImage,
    /// The true text.
    pub truth: String,
    /// The text read.
    pub read: String,
}

impl WorstWordRow {
    /// A row from its parts.
    pub fn new(crop: RgbImage, truth: impl Into<String>, read: impl Into<String>) -> Self {
        Self {
            crop,
            truth: truth.into(),
            read: read.into(),
        }
    }

    /// The row of a wrong reading (e.g. from [`RecognitionEvaluation::worst`]) with its crop,
    /// which the caller looks up by [`Recognition::sample`] (and [`Recognition::word`]).
    ///
    /// [`RecognitionEvaluation::worst`]: crate::RecognitionEvaluation::worst
    pub fn from_recognition(recognition: &Recognition, crop: RgbImage) -> Self {
        Self::new(crop, recognition.truth.clone(), recognition.read.clone())
    }
}

/// Writes a PNG of wrongly read words to `path` (atomically, like the other plots): a
/// header row "crop | truth | read", then one row per word in the given order (at most
/// [`WORST_PICTURE_MAX_ROWS`]; more are counted in a footer line) with the crop scaled to
/// [`WORST_PICTURE_CROP_HEIGHT`] pixels high keeping its aspect ratio (squeezed to at most
/// [`WORST_PICTURE_MAX_CROP_WIDTH`] wide), the true text in black and the text read in red,
/// rows separated by thin lines, on white. The picture is as wide as its widest crop and
/// texts need.
///
/// An empty read text is shown as "(nothing)", an empty truth as "(empty)", a crop without
/// pixels as "(no crop)"; control characters are drawn as "�", texts longer than 40
/// characters (or too wide) end in "…", and characters the embedded font lacks (it covers
/// Latin, Greek and Cyrillic) are drawn as its placeholder box. Without rows the picture is
/// a small one saying "no wrong words" (not an error, so a pipeline always has its file).
pub fn plot_worst_words(rows: &[WorstWordRow], path: &Path) -> Result<(), MetricsError> {
    let shown = &rows[..rows.len().min(WORST_PICTURE_MAX_ROWS)];
    let hidden = rows.len() - shown.len();
    if shown.is_empty() {
        let message = "no wrong words";
        let width = 2 * MARGIN + text_width(message, TEXT_FONT).max(120);
        let height = 2 * MARGIN + ROW_H;
        return render_png(path, (width as u32, height as u32), |root| {
            root.fill(&WHITE).map_err(err)?;
            let style = TextStyle::from((FAMILY, TEXT_FONT))
                .pos(Pos::new(HPos::Left, VPos::Center))
                .color(&GREY_INK);
            root.draw(&Text::new(message, (MARGIN, MARGIN + ROW_H / 2), style))
                .map_err(err)
        });
    }
    let cells: Vec<Cells> = shown.iter().map(Cells::new).collect();
    let layout = Layout::new(&cells, hidden);
    render_png(path, (layout.width as u32, layout.height as u32), |root| {
        draw(root, &cells, &layout)
    })
}

/// What one row draws.
struct Cells {
    /// The scaled crop, `None` when the crop has no pixels.
    crop: Option<RgbImage>,
    truth: String,
    read: String,
    truth_ink: RGBColor,
}

impl Cells {
    fn new(row: &WorstWordRow) -> Self {
        let (truth, truth_ink) = if row.truth.is_empty() {
            (EMPTY_TRUTH.to_string(), GREY_INK)
        } else {
            (displayed(&row.truth), TRUTH_INK)
        };
        let read = if row.read.is_empty() {
            NOTHING_READ.to_string()
        } else {
            displayed(&row.read)
        };
        Self {
            crop: scaled_crop(&row.crop),
            truth,
            read,
            truth_ink,
        }
    }
}

/// `crop` scaled to the row's height, or `None` if it has no pixels.
fn scaled_crop(crop: &RgbImage) -> Option<RgbImage> {
    let (w, h) = crop.dimensions();
    if w == 0 || h == 0 {
        return None;
    }
    let height = WORST_PICTURE_CROP_HEIGHT;
    let width = (u64::from(w) * u64::from(height) + u64::from(h) / 2) / u64::from(h);
    let width = width.clamp(1, u64::from(WORST_PICTURE_MAX_CROP_WIDTH)) as u32;
    if (width, height) == (w, h) {
        Some(crop.clone())
    } else {
        Some(image::imageops::resize(
            crop,
            width,
            height,
            FilterType::Triangle,
        ))
    }
}

/// `text` as drawn: control characters replaced, shortened with an ellipsis when longer
/// than [`MAX_TEXT_CHARS`] characters or [`MAX_TEXT_WIDTH`] pixels.
fn displayed(text: &str) -> String {
    let mut chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    let whole = |chars: &[char]| chars.iter().collect::<String>();
    if chars.len() <= MAX_TEXT_CHARS {
        let s = whole(&chars);
        if text_width(&s, TEXT_FONT) <= MAX_TEXT_WIDTH {
            return s;
        }
    }
    chars.truncate(MAX_TEXT_CHARS - 1);
    loop {
        let s = format!("{}…", whole(&chars));
        if chars.is_empty() || text_width(&s, TEXT_FONT) <= MAX_TEXT_WIDTH {
            return s;
        }
        chars.pop();
    }
}

/// Pixel geometry of the picture.
struct Layout {
    width: i32,
    height: i32,
    /// Left edges of the crop, truth and read columns.
    crop_x: i32,
    truth_x: i32,
    read_x: i32,
    /// Top of the first word row.
    rows_y: i32,
    /// Words not drawn.
    hidden: usize,
}

impl Layout {
    fn new(cells: &[Cells], hidden: usize) -> Self {
        let column = |header: &str, widths: &mut dyn Iterator<Item = i32>| {
            widths.fold(text_width(header, HEADER_FONT), i32::max)
        };
        let crop_w = column(
            "crop",
            &mut cells.iter().map(|c| match &c.crop {
                Some(crop) => crop.width() as i32,
                None => text_width(NO_CROP, SMALL_FONT),
            }),
        );
        let truth_w = column(
            "truth",
            &mut cells.iter().map(|c| text_width(&c.truth, TEXT_FONT)),
        );
        let read_w = column(
            "read",
            &mut cells.iter().map(|c| text_width(&c.read, TEXT_FONT)),
        );
        let crop_x = MARGIN;
        let truth_x = crop_x + crop_w + GAP;
        let read_x = truth_x + truth_w + GAP;
        let footer = if hidden > 0 { FOOTER_H } else { 0 };
        let rows_y = MARGIN + HEADER_H;
        let mut width = read_x + read_w + MARGIN;
        if hidden > 0 {
            width = width.max(2 * MARGIN + text_width(&footer_text(hidden), SMALL_FONT));
        }
        Self {
            width,
            height: rows_y + cells.len() as i32 * ROW_H + footer + MARGIN,
            crop_x,
            truth_x,
            read_x,
            rows_y,
            hidden,
        }
    }
}

fn footer_text(hidden: usize) -> String {
    let words = if hidden == 1 { "word" } else { "words" };
    format!("… and {hidden} more wrong {words}, not shown")
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn draw(root: &Canvas<'_>, cells: &[Cells], l: &Layout) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let left = Pos::new(HPos::Left, VPos::Center);
    let text = |s: &str, (x, y): (i32, i32), size: f64, ink: &RGBColor| {
        let style = TextStyle::from((FAMILY, size)).pos(left).color(ink);
        root.draw(&Text::new(s, (x, y), style)).map_err(err)
    };
    // Horizontal lines `thickness` pixels thick, the top one at `y`.
    let line = |y: i32, ink: RGBColor, thickness: i32| {
        (y..y + thickness).try_for_each(|y| {
            root.draw(&PathElement::new(
                vec![(MARGIN, y), (l.width - MARGIN - 1, y)],
                ink.stroke_width(1),
            ))
            .map_err(err)
        })
    };

    // Header.
    let header_y = MARGIN + HEADER_H / 2 - 2;
    for (title, x) in [("crop", l.crop_x), ("truth", l.truth_x), ("read", l.read_x)] {
        text(title, (x, header_y), HEADER_FONT, &HEADER_INK)?;
    }
    line(l.rows_y - 2, HEADER_LINE, 2)?;

    // Words.
    for (i, c) in cells.iter().enumerate() {
        let top = l.rows_y + i as i32 * ROW_H;
        let mid = top + ROW_H / 2;
        match &c.crop {
            Some(crop) => {
                let element = BitMapElement::with_ref(
                    (l.crop_x, top + PAD),
                    crop.dimensions(),
                    crop.as_raw(),
                )
                .ok_or("a crop's pixels do not match its size")?;
                root.draw(&element).map_err(err)?;
            }
            None => text(NO_CROP, (l.crop_x, mid), SMALL_FONT, &GREY_INK)?,
        }
        text(&c.truth, (l.truth_x, mid), TEXT_FONT, &c.truth_ink)?;
        text(&c.read, (l.read_x, mid), TEXT_FONT, &READ_INK)?;
        if i + 1 < cells.len() || l.hidden > 0 {
            line(top + ROW_H - 1, LINE, 1)?;
        }
    }
    if l.hidden > 0 {
        let y = l.rows_y + cells.len() as i32 * ROW_H + FOOTER_H / 2;
        text(&footer_text(l.hidden), (MARGIN, y), SMALL_FONT, &GREY_INK)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w x h` crop of one colour.
    fn solid(w: u32, h: u32, rgb: [u8; 3]) -> RgbImage {
        RgbImage::from_pixel(w, h, image::Rgb(rgb))
    }

    /// Plots `rows` into a fresh folder and returns the decoded picture; checks that the
    /// folder holds only the PNG afterwards (no temporary file left).
    fn plot(rows: &[WorstWordRow]) -> RgbImage {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("worst.png");
        plot_worst_words(rows, &path).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["worst.png"]);
        image::open(&path).unwrap().to_rgb8()
    }

    fn is_red(p: &image::Rgb<u8>) -> bool {
        p[0] > 150 && p[1] < 90 && p[2] < 90
    }

    #[test]
    fn rows_crops_and_red_read_text() {
        let rows = [
            WorstWordRow::new(solid(100, 40, [0, 0, 255]), "house", "hoose"),
            WorstWordRow::new(solid(30, 60, [0, 160, 0]), "tree", "free"),
            WorstWordRow::new(solid(1000, 20, [255, 200, 0]), "wide", "wlde"),
        ];
        let img = plot(&rows);
        assert_eq!(img.height() as i32, MARGIN + HEADER_H + 3 * ROW_H + MARGIN);
        assert!(img.width() >= WORST_PICTURE_MAX_CROP_WIDTH + 2 * MARGIN as u32);

        // Each crop sits at its place: scaled to 40 px high (100, 20, 320 wide).
        let at = |x: i32, y: i32| *img.get_pixel(x as u32, y as u32);
        let top = |i: i32| MARGIN + HEADER_H + i * ROW_H + PAD;
        assert_eq!(at(MARGIN, top(0)).0, [0, 0, 255]);
        assert_eq!(at(MARGIN + 99, top(0) + 39).0, [0, 0, 255]);
        assert_eq!(at(MARGIN + 100, top(0) + 20).0, [255, 255, 255]);
        assert_eq!(at(MARGIN + 10, top(1) + 20).0, [0, 160, 0]);
        assert_eq!(at(MARGIN + 20, top(1) + 20).0, [255, 255, 255]);
        assert_eq!(at(MARGIN + 319, top(2) + 20).0, [255, 200, 0]);
        assert_eq!(at(MARGIN + 320, top(2) + 20).0, [255, 255, 255]);

        let cells: Vec<Cells> = rows.iter().map(Cells::new).collect();
        let l = Layout::new(&cells, 0);
        // Rows are separated by thin grey lines, the header by a dark one.
        let x = l.read_x - GAP / 2;
        assert_eq!(at(x, top(0) + ROW_H - PAD - 1).0, [215, 215, 215]);
        assert_eq!(at(x, top(1) + ROW_H - PAD - 1).0, [215, 215, 215]);
        assert_eq!(at(x, top(2) + ROW_H - PAD - 1).0, [255, 255, 255]);
        assert_eq!(at(x, l.rows_y - 1).0, [90, 90, 90]);

        // The read column has red pixels in every row; the truth column has none.
        for i in 0..3 {
            let y0 = l.rows_y + i * ROW_H;
            let count = |x0: i32, x1: i32| {
                (x0..x1)
                    .flat_map(|x| (y0..y0 + ROW_H).map(move |y| (x, y)))
                    .filter(|&(x, y)| is_red(&at(x, y)))
                    .count()
            };
            assert!(count(l.read_x, l.width) > 20, "row {i}");
            assert_eq!(count(l.truth_x, l.read_x), 0, "row {i}");
        }
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let long = "ab".repeat(300);
        let rows = [
            WorstWordRow::new(solid(0, 0, [0, 0, 0]), "", ""),
            WorstWordRow::new(solid(0, 30, [0, 0, 0]), "Straße", "Strasse"),
            WorstWordRow::new(solid(50, 0, [0, 0, 0]), "Ωμέγα", "Омега"),
            WorstWordRow::new(solid(1, 100_000, [9, 9, 9]), "漢字", "🙂\u{0}\n\t"),
            WorstWordRow::new(solid(2000, 1, [9, 9, 9]), long.clone(), "W".repeat(500)),
        ];
        let img = plot(&rows);
        assert_eq!(img.height() as i32, MARGIN + HEADER_H + 5 * ROW_H + MARGIN);
        assert!(img.width() < 2000, "{}", img.width());
        // Nothing read still shows red text.
        let l = Layout::new(&rows.iter().map(Cells::new).collect::<Vec<_>>(), 0);
        let red = (l.read_x..img.width() as i32)
            .flat_map(|x| (l.rows_y..l.rows_y + ROW_H).map(move |y| (x, y)))
            .filter(|&(x, y)| is_red(img.get_pixel(x as u32, y as u32)))
            .count();
        assert!(red > 20);

        let shortened = displayed(&long);
        assert!(shortened.ends_with('…'));
        assert!(shortened.chars().count() <= MAX_TEXT_CHARS);
        assert!(text_width(&displayed(&"W".repeat(39)), TEXT_FONT) <= MAX_TEXT_WIDTH);
        assert_eq!(displayed("a\u{0}b"), "a\u{FFFD}b");
    }

    #[test]
    fn no_rows_and_too_many_rows() {
        let img = plot(&[]);
        assert_eq!(img.height() as i32, 2 * MARGIN + ROW_H);
        assert!(img.pixels().any(|p| p.0 != [255, 255, 255]));

        let rows: Vec<WorstWordRow> = (0..WORST_PICTURE_MAX_ROWS + 7)
            .map(|i| WorstWordRow::new(solid(60, 40, [0, 0, 0]), format!("w{i}"), "x"))
            .collect();
        let img = plot(&rows);
        let n = WORST_PICTURE_MAX_ROWS as i32;
        assert_eq!(
            img.height() as i32,
            MARGIN + HEADER_H + n * ROW_H + FOOTER_H + MARGIN
        );
    }

    #[test]
    fn from_recognition_keeps_the_texts() {
        let r = Recognition {
            sample: 3,
            word: None,
            truth: "cat".into(),
            read: "cot".into(),
            edit_distance: 1,
        };
        let row = WorstWordRow::from_recognition(&r, solid(2, 2, [1, 2, 3]));
        assert_eq!((row.truth.as_str(), row.read.as_str()), ("cat", "cot"));
        assert_eq!(row.crop.dimensions(), (2, 2));
    }
}
