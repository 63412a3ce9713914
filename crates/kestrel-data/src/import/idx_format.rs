//! Reader for the IDX array format (MNIST, Fashion-MNIST), plain or gzip-compressed.

use std::io::Read;
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::error::DataError;

/// IDX element-type code for unsigned bytes, the only type image datasets use.
const TYPE_U8: u8 = 0x08;

/// The two bytes every gzip stream starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// An IDX array of unsigned bytes: its dimensions and row-major data.
#[derive(Debug)]
pub(crate) struct IdxArray {
    /// Size of each dimension, outermost first.
    pub dims: Vec<usize>,
    /// `dims.iter().product()` bytes, row-major.
    pub data: Vec<u8>,
}

/// Reads an unsigned-byte IDX file; gzip compression is detected from the content.
pub(crate) fn read_idx(path: &Path) -> Result<IdxArray, DataError> {
    let raw = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    let bytes = if raw.starts_with(&GZIP_MAGIC) {
        let mut out = Vec::new();
        MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| DataError::format(path, format!("invalid gzip data: {e}")))?;
        out
    } else {
        raw
    };
    parse_idx(&bytes).map_err(|message| DataError::format(path, message))
}

/// Parses the bytes of an (uncompressed) IDX file.
fn parse_idx(bytes: &[u8]) -> Result<IdxArray, String> {
    let [z0, z1, kind, ndims] = match bytes.get(..4) {
        Some(&[a, b, c, d]) => [a, b, c, d],
        _ => return Err("not an IDX file: shorter than its 4-byte header".into()),
    };
    if z0 != 0 || z1 != 0 {
        return Err(format!(
            "not an IDX file: magic number starts with {z0:#04x} {z1:#04x}, expected 0x00 0x00"
        ));
    }
    if kind != TYPE_U8 {
        return Err(format!(
            "unsupported IDX element type {kind:#04x} (only unsigned byte, 0x08)"
        ));
    }
    let ndims = usize::from(ndims);
    let header_len = 4 + 4 * ndims;
    let dim_bytes = bytes
        .get(4..header_len)
        .ok_or_else(|| format!("truncated IDX header: {ndims} dimensions announced"))?;
    let dims: Vec<usize> = dim_bytes
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let expected = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| format!("IDX dimensions {dims:?} are too large"))?;
    let data = &bytes[header_len..];
    if data.len() != expected {
        return Err(format!(
            "IDX dimensions {dims:?} need {expected} data bytes, file has {}",
            data.len()
        ));
    }
    Ok(IdxArray {
        dims,
        data: data.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_small_array() {
        let bytes = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6];
        let a = parse_idx(&bytes).unwrap();
        assert_eq!(a.dims, vec![2, 3]);
        assert_eq!(a.data, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn rejects_bad_headers_and_sizes() {
        assert!(parse_idx(&[0, 0]).unwrap_err().contains("header"));
        assert!(
            parse_idx(&[1, 0, 8, 1, 0, 0, 0, 0])
                .unwrap_err()
                .contains("magic")
        );
        assert!(
            parse_idx(&[0, 0, 0x0d, 1, 0, 0, 0, 0])
                .unwrap_err()
                .contains("type")
        );
        assert!(
            parse_idx(&[0, 0, 8, 2, 0, 0, 0, 1])
                .unwrap_err()
                .contains("truncated")
        );
        assert!(
            parse_idx(&[0, 0, 8, 1, 0, 0, 0, 3, 1])
                .unwrap_err()
                .contains("need 3")
        );
    }
}
