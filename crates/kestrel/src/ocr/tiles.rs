//! Detection tiling (`detection_tiling`): a large image is covered by overlapping tiles of
//! `detection_image_size` pixels at full resolution, so small words are not lost to
//! scaling; the tiles' text probability maps are merged into one map of the image.

/// A tile: its left and top pixel in the image, and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tile {
    /// Left column.
    pub x: u32,
    /// Top row.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// The starts of tiles of length `tile` covering `0..len`, neighbours overlapping by at
/// least `overlap`, spread evenly, the last ending at `len`.
fn starts(len: u32, tile: u32, overlap: u32) -> Vec<u32> {
    if len <= tile {
        return vec![0];
    }
    let step = tile - overlap;
    let count = (len - overlap).div_ceil(step);
    let span = u64::from(len - tile);
    (0..count)
        .map(|i| (span * u64::from(i) / u64::from(count - 1)) as u32)
        .collect()
}

/// The tiles of at most `tile x tile` pixels covering a `width x height` image, neighbours
/// overlapping by at least `overlap` pixels (`overlap < tile`), row by row.
pub(crate) fn tiles(width: u32, height: u32, tile: u32, overlap: u32) -> Vec<Tile> {
    let mut out = Vec::new();
    for y in starts(height, tile, overlap) {
        for x in starts(width, tile, overlap) {
            out.push(Tile {
                x,
                y,
                width: tile.min(width),
                height: tile.min(height),
            });
        }
    }
    out
}

/// Merges a tile's probability map (`map_width x map_height`, covering the tile) into
/// `image_map` (`image_width` wide): each image pixel of the tile takes the maximum of its
/// value and the map's nearest pixel.
pub(crate) fn merge(
    image_map: &mut [f32],
    image_width: u32,
    tile: Tile,
    map: &[f32],
    (map_width, map_height): (u32, u32),
) {
    let sx = f64::from(map_width) / f64::from(tile.width);
    let sy = f64::from(map_height) / f64::from(tile.height);
    for ty in 0..tile.height {
        let my = (((f64::from(ty) + 0.5) * sy) as u32).min(map_height - 1);
        let row = (tile.y + ty) as usize * image_width as usize + tile.x as usize;
        for tx in 0..tile.width {
            let mx = (((f64::from(tx) + 0.5) * sx) as u32).min(map_width - 1);
            let value = map[(my * map_width + mx) as usize];
            let slot = &mut image_map[row + tx as usize];
            *slot = slot.max(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_the_image_with_the_overlap() {
        for (w, h, t, o) in [(2000, 1000, 960, 96), (961, 960, 960, 96), (5000, 300, 640, 64)] {
            let tiles = tiles(w, h, t, o);
            let mut covered = vec![0u8; (w * h) as usize];
            for tile in &tiles {
                assert!(tile.x + tile.width <= w && tile.y + tile.height <= h);
                for y in tile.y..tile.y + tile.height {
                    for x in tile.x..tile.x + tile.width {
                        covered[(y * w + x) as usize] = 1;
                    }
                }
            }
            assert!(covered.iter().all(|&c| c == 1), "{w}x{h}: a gap");
            let xs = starts(w, t, o);
            for pair in xs.windows(2) {
                assert!(pair[0] + t >= pair[1] + o, "{w}: overlap {pair:?}");
            }
        }
        assert_eq!(tiles(800, 600, 960, 96).len(), 1);
        assert_eq!(starts(2000, 960, 96), vec![0, 520, 1040]);
    }

    #[test]
    fn merging_keeps_the_highest_probability_at_the_right_place() {
        let mut image = vec![0.0f32; 8 * 4];
        let tile = Tile {
            x: 4,
            y: 0,
            width: 4,
            height: 4,
        };
        // A 2x2 map over a 4x4 tile: each map pixel covers 2x2 image pixels.
        merge(&mut image, 8, tile, &[0.9, 0.1, 0.2, 0.3], (2, 2));
        merge(&mut image, 8, tile, &[0.5, 0.5, 0.5, 0.5], (2, 2));
        assert_eq!(image[4], 0.9);
        assert_eq!(image[8 + 5], 0.9);
        assert_eq!(image[6], 0.5);
        assert_eq!(image[3 * 8 + 7], 0.5);
        assert_eq!(image[3], 0.0, "left of the tile untouched");
    }
}
