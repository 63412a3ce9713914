//! The object mask of a rendering and the boxes of its objects.

/// Per pixel which object it shows (`i + 1` for object `i`, 0 for none), row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectMask {
    width: u32,
    height: u32,
    ids: Vec<u16>,
}

/// A box of pixels, corners inclusive: `x1..=x2` columns, `y1..=y2` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelBox {
    /// Leftmost column.
    pub x1: i64,
    /// Top row.
    pub y1: i64,
    /// Rightmost column.
    pub x2: i64,
    /// Bottom row.
    pub y2: i64,
}

impl PixelBox {
    /// The box as BOP writes it: `[x, y, width, height]` with `width = x2 - x1` and
    /// `height = y2 - y1` (bop_toolkit's `calc_2d_bbox`).
    pub fn to_bop(&self) -> [i64; 4] {
        [self.x1, self.y1, self.x2 - self.x1, self.y2 - self.y1]
    }
}

impl ObjectMask {
    /// A mask from row-major ids (the caller guarantees `width * height` of them).
    pub(super) fn from_ids(width: u32, height: u32, ids: Vec<u16>) -> Self {
        ObjectMask { width, height, ids }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The row-major ids.
    pub fn ids(&self) -> &[u16] {
        &self.ids
    }

    /// Number of pixels showing object `id`.
    pub fn count(&self, id: u16) -> usize {
        self.ids.iter().filter(|&&v| v == id).count()
    }

    /// The box around the pixels showing object `id`, `None` when none does.
    pub fn bbox(&self, id: u16) -> Option<PixelBox> {
        let w = self.width as usize;
        let mut found: Option<PixelBox> = None;
        for (i, _) in self.ids.iter().enumerate().filter(|&(_, &v)| v == id) {
            let (x, y) = ((i % w) as i64, (i / w) as i64);
            found = Some(match found {
                None => PixelBox {
                    x1: x,
                    y1: y,
                    x2: x,
                    y2: y,
                },
                Some(b) => PixelBox {
                    x1: b.x1.min(x),
                    y1: b.y1.min(y),
                    x2: b.x2.max(x),
                    y2: b.y2.max(y),
                },
            });
        }
        found
    }
}
