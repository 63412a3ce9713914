//! COCO's compressed RLE strings (`rleToString` / `rleFrString` of `maskApi.c`): each run,
//! from the fourth on as the difference to the run two before, in a LEB128-like code of
//! 5 data bits per character, characters `'0'` (48) to `'o'` (111).

use crate::error::RleError;
use crate::rle::Rle;

impl Rle {
    /// The compressed counts string, exactly as `pycocotools` writes it.
    pub fn to_compressed(&self) -> String {
        let mut s = String::with_capacity(self.counts.len() * 2);
        for (i, &c) in self.counts.iter().enumerate() {
            let mut x = i64::from(c);
            if i > 2 {
                x -= i64::from(self.counts[i - 2]);
            }
            loop {
                let mut ch = (x & 0x1f) as u8;
                x >>= 5;
                let more = if ch & 0x10 != 0 { x != -1 } else { x != 0 };
                if more {
                    ch |= 0x20;
                }
                s.push(char::from(ch + 48));
                if !more {
                    break;
                }
            }
        }
        s
    }

    /// Decodes a compressed counts string for a `height x width` mask; fails on characters
    /// outside the code, on negative or oversized runs, and when the runs do not add up to
    /// `height * width`.
    pub fn from_compressed(counts: &str, height: u32, width: u32) -> Result<Rle, RleError> {
        Rle::new(height, width, decode_counts(counts)?)
    }
}

/// The runs of a compressed counts string (not checked against a size).
fn decode_counts(counts: &str) -> Result<Vec<u32>, RleError> {
    let bytes = counts.as_bytes();
    let mut runs: Vec<u32> = Vec::new();
    let mut p = 0;
    while p < bytes.len() {
        let (mut x, mut k) = (0i64, 0u32);
        loop {
            let Some(&b) = bytes.get(p) else {
                return Err(RleError::Truncated);
            };
            let c = i64::from(b) - 48;
            if !(0..64).contains(&c) || k > 11 {
                return Err(RleError::InvalidCharacter(char::from(b)));
            }
            x |= (c & 0x1f) << (5 * k);
            p += 1;
            k += 1;
            if c & 0x20 == 0 {
                if c & 0x10 != 0 {
                    x |= -1i64 << (5 * k);
                }
                break;
            }
        }
        if runs.len() > 2 {
            x += i64::from(runs[runs.len() - 2]);
        }
        runs.push(u32::try_from(x).map_err(|_| RleError::InvalidRun(x))?);
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_pycocotools_strings() {
        // pycocotools.mask.encode of a 4 x 3 mask with pixels (1,0), (2,0), (0,2).
        let rle = Rle::new(4, 3, vec![1, 2, 5, 1, 3]).unwrap();
        assert_eq!(rle.to_compressed(), "125ON");
        assert_eq!(Rle::from_compressed("125ON", 4, 3).unwrap(), rle);
        // frPyObjects({"counts": [100000, 70, 899930], "size": [1000, 1000]}).
        let big = Rle::new(1000, 1000, vec![100_000, 70, 899_930]).unwrap();
        assert_eq!(big.to_compressed(), "PeQ3V2jj^k0");
        assert_eq!(
            Rle::from_compressed("PeQ3V2jj^k0", 1000, 1000).unwrap(),
            big
        );
        assert!(Rle::from_compressed("125O", 4, 3).is_err());
        assert!(Rle::from_compressed("1~", 4, 3).is_err());
        assert!(Rle::from_compressed("P", 4, 3).is_err());
    }
}
