//! Reading the runs of a COCO run-length encoded mask (plain or compressed).

use super::coco_format::{CocoRle, CocoRleCounts};

impl CocoRle {
    /// The run lengths, alternating background and foreground, starting with background,
    /// column by column (COCO's column-major order). The compressed string form is decoded
    /// as `pycocotools` writes it (6-bit characters from `'0'`, deltas to the run two
    /// before from the fourth run on).
    ///
    /// Fails when the string holds characters outside the encoding, a run is negative or
    /// too long, or the runs do not add up to `height * width`.
    pub fn runs(&self) -> Result<Vec<u32>, String> {
        let runs = match &self.counts {
            CocoRleCounts::Runs(r) => r.clone(),
            CocoRleCounts::Compressed(s) => decode_counts(s)?,
        };
        let total: u64 = runs.iter().map(|&r| u64::from(r)).sum();
        let pixels = u64::from(self.size[0]) * u64::from(self.size[1]);
        if total != pixels {
            return Err(format!(
                "runs cover {total} pixels but the mask is {} x {} = {pixels}",
                self.size[0], self.size[1]
            ));
        }
        Ok(runs)
    }
}

/// Decodes COCO's compressed counts string (LEB128-like, 5 data bits per character).
fn decode_counts(s: &str) -> Result<Vec<u32>, String> {
    let mut runs: Vec<u32> = Vec::new();
    let mut chars = s.bytes().peekable();
    while chars.peek().is_some() {
        let mut x: i64 = 0;
        let mut shift = 0u32;
        loop {
            let byte = chars.next().ok_or("compressed RLE ends inside a number")?;
            let c = i64::from(byte) - 48;
            if !(0..64).contains(&c) || shift > 55 {
                return Err(format!(
                    "invalid compressed RLE character {:?}",
                    byte as char
                ));
            }
            x |= (c & 0x1f) << shift;
            shift += 5;
            if c & 0x20 == 0 {
                if c & 0x10 != 0 {
                    x |= -1i64 << shift;
                }
                break;
            }
        }
        if runs.len() > 2 {
            x += i64::from(runs[runs.len() - 2]);
        }
        let run = u32::try_from(x).map_err(|_| format!("invalid run length {x} in RLE"))?;
        runs.push(run);
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pycocotools_strings() {
        // pycocotools: encode(4x3 mask with pixels (1,0), (2,0), (0,2)) -> "125ON".
        let rle = CocoRle {
            counts: CocoRleCounts::Compressed("125ON".into()),
            size: [4, 3],
        };
        assert_eq!(rle.runs().unwrap(), [1, 2, 5, 1, 3]);
        // frPyObjects({"counts": [100000, 70, 899930], "size": [1000, 1000]}).
        let rle = CocoRle {
            counts: CocoRleCounts::Compressed("PeQ3V2jj^k0".into()),
            size: [1000, 1000],
        };
        assert_eq!(rle.runs().unwrap(), [100_000, 70, 899_930]);
        let bad = CocoRle {
            counts: CocoRleCounts::Runs(vec![1, 2]),
            size: [4, 3],
        };
        assert!(bad.runs().unwrap_err().contains("cover 3 pixels"));
        let bad = CocoRle {
            counts: CocoRleCounts::Compressed("1~".into()),
            size: [1, 1],
        };
        assert!(bad.runs().is_err());
    }
}
