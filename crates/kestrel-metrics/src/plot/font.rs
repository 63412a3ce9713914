//! The embedded font that plot text is drawn with.

use std::sync::OnceLock;

use plotters::style::{FontDesc, FontStyle};

/// DejaVu Sans (license in `assets/DejaVuSans-LICENSE.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The embedded font's TrueType bytes (DejaVu Sans), for drawing text elsewhere (synthetic
/// word images).
pub fn embedded_font() -> &'static [u8] {
    DEJAVU_SANS
}

/// The font family name plots use; also plotters' default, so axis labels use it too.
pub const FAMILY: &str = "sans-serif";

/// Registers the embedded font with plotters once per process; `Err` describes a failure.
pub fn ensure_registered() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS)
                .map_err(|_| "the embedded DejaVu Sans font is invalid".to_string())
        })
        .clone()
}

/// Rendered width of `text` in the embedded font at `size` pixels (an estimate if the
/// font is unavailable).
pub fn text_width(text: &str, size: f64) -> i32 {
    let _ = ensure_registered();
    match FontDesc::from((FAMILY, size)).box_size(text) {
        Ok((w, _)) => w as i32,
        Err(_) => (text.chars().count() as f64 * size * 0.6).ceil() as i32,
    }
}
