//! The Turbo colour map.

/// Turbo, sampled at every 17th entry (0, 17, …, 255) of its 256-entry sRGB table and
/// converted to bytes; linear interpolation between these 16 stops stays within a few
/// levels of the full table.
///
/// Source: Anton Mikhailov, "Turbo, An Improved Rainbow Colormap for Visualization",
/// Google AI Blog, 2019, table `turbo_srgb_floats` in
/// <https://gist.github.com/mikhailov-work/ee72ba4191942acecc03fe6da94fc73f>
/// (Copyright 2019 Google LLC, Apache-2.0).
const TURBO_STOPS: [[u8; 3]; 16] = [
    [48, 18, 59],
    [65, 67, 167],
    [71, 113, 233],
    [62, 155, 254],
    [34, 197, 226],
    [26, 228, 182],
    [70, 248, 132],
    [136, 255, 78],
    [185, 246, 53],
    [225, 221, 55],
    [250, 186, 57],
    [253, 141, 39],
    [240, 91, 18],
    [214, 53, 6],
    [175, 24, 1],
    [122, 4, 3],
];

/// The Turbo colour map (dark blue → cyan → green → yellow → red → dark red) at `t` in
/// `[0, 1]`; values outside are clamped and NaN maps to 0.
pub fn turbo(t: f32) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (TURBO_STOPS.len() - 1) as f32;
    let i = (pos.floor() as usize).min(TURBO_STOPS.len() - 2);
    let f = pos - i as f32;
    let (a, b) = (TURBO_STOPS[i], TURBO_STOPS[i + 1]);
    std::array::from_fn(|c| (f32::from(a[c]) * (1.0 - f) + f32::from(b[c]) * f).round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_clamping() {
        assert_eq!(turbo(0.0), [48, 18, 59]);
        assert_eq!(turbo(1.0), [122, 4, 3]);
        assert_eq!(turbo(-3.0), turbo(0.0));
        assert_eq!(turbo(7.0), turbo(1.0));
        assert_eq!(turbo(f32::NAN), turbo(0.0));
        // Stop 5 of 15 sits at t = 1/3.
        assert_eq!(turbo(1.0 / 3.0), [26, 228, 182]);
    }
}
