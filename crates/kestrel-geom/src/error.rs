//! Why a run-length encoded mask cannot be built.

/// A run-length encoded mask (or its source) is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RleError {
    /// The runs do not add up to the mask's `height * width` pixels.
    #[error("RLE runs cover {total} pixels but the mask is {height} x {width} = {pixels}")]
    RunsMismatch {
        /// The pixels the runs cover.
        total: u64,
        /// Mask height.
        height: u32,
        /// Mask width.
        width: u32,
        /// `height * width`.
        pixels: u64,
    },
    /// A compressed counts string ends in the middle of a number.
    #[error("compressed RLE: ends inside a number")]
    Truncated,
    /// A compressed counts string holds a character outside the code, or a number too
    /// long.
    #[error("compressed RLE: invalid character {0:?}")]
    InvalidCharacter(char),
    /// A decoded run is negative or does not fit 32 bits.
    #[error("compressed RLE: invalid run length {0}")]
    InvalidRun(i64),
    /// A bitmap's length is not `height * width`.
    #[error("mask has {got} pixels, expected {height} x {width} = {expected}")]
    BitmapLength {
        /// Mask height.
        height: u32,
        /// Mask width.
        width: u32,
        /// `height * width`.
        expected: usize,
        /// The bitmap's length.
        got: usize,
    },
    /// Masks of different sizes were merged.
    #[error("cannot merge a {0} x {1} mask with a {2} x {3} one")]
    SizeMismatch(u32, u32, u32, u32),
    /// There were no masks to merge.
    #[error("no masks to merge")]
    NoMasks,
    /// A polygon segmentation holds no polygon.
    #[error("segmentation has no polygon")]
    NoPolygon,
    /// The first polygon of a segmentation has too few values (`pycocotools` reads 4
    /// values as a box and then fails).
    #[error("first polygon has {0} values (at least 5 needed, 6 for a triangle)")]
    ShortPolygon(usize),
}
