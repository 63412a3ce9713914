//! Text drawn with a TrueType font as a coverage mask, for synthetic word images.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};

/// How a line of text is laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// The font size in pixels (ascent to descent).
    pub size: f32,
    /// Extra space between characters, as a fraction of `size` (negative squeezes).
    pub spacing: f32,
    /// Draw each glyph a second time one pixel to the right (a cheap bold).
    pub bold: bool,
}

/// The coverage of `text` in `font` (TrueType or OpenType bytes) laid out on one line as
/// `style` says: `(width, height, values)` with values in `[0, 1]`, row by row, the
/// image exactly as high as the font's ascent to descent and as wide as the advances.
/// `None` when the font cannot be read or the text would be empty.
pub fn text_coverage(
    font: &[u8],
    text: &str,
    style: TextStyle,
) -> Option<(usize, usize, Vec<f32>)> {
    let font = FontRef::try_from_slice(font).ok()?;
    let scale = PxScale::from(style.size.max(1.0));
    let scaled = font.as_scaled(scale);
    let mut caret = 0.0f32;
    let mut previous = None;
    let mut glyphs = Vec::new();
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(scale, point(caret, scaled.ascent())));
        caret += scaled.h_advance(id) + style.spacing * style.size;
        previous = Some(id);
    }
    let width = (caret.ceil() as usize + usize::from(style.bold)).max(1);
    let height = (scaled.ascent() - scaled.descent()).ceil() as usize;
    if glyphs.is_empty() || height == 0 {
        return None;
    }
    let mut values = vec![0.0f32; width * height];
    let shifts: &[i32] = if style.bold { &[0, 1] } else { &[0] };
    for glyph in glyphs {
        let Some(outlined) = font.outline_glyph(glyph) else {
            continue; // a space
        };
        let bounds = outlined.px_bounds();
        for &shift in shifts {
            outlined.draw(|x, y, coverage| {
                let px = bounds.min.x as i32 + x as i32 + shift;
                let py = bounds.min.y as i32 + y as i32;
                if px >= 0 && py >= 0 && (px as usize) < width && (py as usize) < height {
                    let v = &mut values[py as usize * width + px as usize];
                    *v = v.max(coverage.clamp(0.0, 1.0));
                }
            });
        }
    }
    Some((width, height, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    static FONT: &[u8] = include_bytes!("../../kestrel-metrics/assets/DejaVuSans.ttf");

    fn style(size: f32) -> TextStyle {
        TextStyle {
            size,
            spacing: 0.0,
            bold: false,
        }
    }

    #[test]
    fn longer_words_are_wider_and_ink_stays_inside() {
        let (w1, h1, v1) = text_coverage(FONT, "IT", style(32.0)).expect("renders");
        let (w2, h2, v2) = text_coverage(FONT, "ITEMS", style(32.0)).expect("renders");
        assert_eq!(h1, h2);
        assert!(w2 > w1 * 2, "{w1} {w2}");
        let ink = |v: &[f32]| v.iter().sum::<f32>();
        assert!(ink(&v2) > ink(&v1) * 1.5);
        assert!(v1.iter().all(|v| (0.0..=1.0).contains(v)));
        // "IT" has a vertical stroke in its first columns, from the top of the capitals.
        let column_ink: f32 = (0..h1).map(|y| v1[y * w1 + w1 / 8]).sum();
        assert!(column_ink > h1 as f32 * 0.3, "{column_ink}");
    }

    #[test]
    fn bold_adds_ink_and_bad_fonts_give_none() {
        let (_, _, thin) = text_coverage(FONT, "word", style(24.0)).expect("renders");
        let bold = TextStyle {
            bold: true,
            ..style(24.0)
        };
        let (_, _, thick) = text_coverage(FONT, "word", bold).expect("renders");
        assert!(thick.iter().sum::<f32>() > thin.iter().sum::<f32>() * 1.2);
        assert!(text_coverage(b"not a font", "word", style(24.0)).is_none());
        assert!(text_coverage(FONT, "", style(24.0)).is_none());
    }
}
