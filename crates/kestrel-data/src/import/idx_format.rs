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

/// The most data bytes an IDX file may hold (1 GiB; EMNIST's largest file holds 0.55 GB).
/// A gzip stream can inflate a thousandfold, so a small compressed file could otherwise
/// fill the memory: decompression stops at the size the header claims, and a header
/// claiming more than this is refused.
pub(crate) const MAX_IDX_BYTES: usize = 1 << 30;

/// Reads an unsigned-byte IDX file; gzip compression is detected from the content.
pub(crate) fn read_idx(path: &Path) -> Result<IdxArray, DataError> {
    let raw = kestrel_geom::read_regular(path).map_err(|e| DataError::io(path, e))?;
    let bytes = if raw.starts_with(&GZIP_MAGIC) {
        gunzip_bounded(&raw).map_err(|message| DataError::format(path, message))?
    } else {
        raw
    };
    parse_idx(&bytes).map_err(|message| DataError::format(path, message))
}

/// Decompresses the gzip stream `raw` up to its IDX header, then up to one byte more than
/// the data the header claims (so a longer stream is still reported as such), never more
/// than [`MAX_IDX_BYTES`].
fn gunzip_bounded(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut decoder = MultiGzDecoder::new(raw);
    let mut out = Vec::new();
    let mut read = |out: &mut Vec<u8>, n: usize| {
        (&mut decoder)
            .take(n as u64)
            .read_to_end(out)
            .map_err(|e| format!("invalid gzip data: {e}"))
    };
    read(&mut out, 4)?;
    if let Some(&ndims) = out.get(3) {
        read(&mut out, 4 * usize::from(ndims))?;
    }
    let claimed = match header(&out) {
        Ok((_, _, expected)) => expected,
        // parse_idx reports the header's problem.
        Err(_) => 0,
    };
    read(&mut out, claimed + 1)?;
    Ok(out)
}

/// The dimensions, header length and data length of the IDX file starting with `bytes`.
fn header(bytes: &[u8]) -> Result<(Vec<usize>, usize, usize), String> {
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
        .filter(|&n| n <= MAX_IDX_BYTES)
        .ok_or_else(|| {
            format!("IDX dimensions {dims:?} are too large (more than {MAX_IDX_BYTES} bytes)")
        })?;
    Ok((dims, header_len, expected))
}

/// Parses the bytes of an (uncompressed) IDX file.
fn parse_idx(bytes: &[u8]) -> Result<IdxArray, String> {
    let (dims, header_len, expected) = header(bytes)?;
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
        // 2^31 bytes claimed: more than an IDX file may hold.
        assert!(
            parse_idx(&[0, 0, 8, 2, 0, 1, 0, 0, 0, 0, 128, 0])
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn a_gzip_bomb_is_decompressed_only_as_far_as_the_header_claims() {
        use std::io::Write;
        // A 3-byte array followed by 256 MiB of zeros, compressed to a few hundred KiB.
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder
            .write_all(&[0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3])
            .unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..256 {
            encoder.write_all(&zeros).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        assert!(bomb.len() < 1 << 20);
        // Before: all 256 MiB were decompressed (and a bigger bomb filled the memory).
        let out = gunzip_bounded(&bomb).unwrap();
        assert_eq!(out.len(), 12);
        assert!(
            parse_idx(&out)
                .unwrap_err()
                .contains("need 3 data bytes, file has 4")
        );
        // A stream of exactly the claimed size decompresses whole.
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder
            .write_all(&[0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3])
            .unwrap();
        let out = gunzip_bounded(&encoder.finish().unwrap()).unwrap();
        assert_eq!(parse_idx(&out).unwrap().data, [1, 2, 3]);
    }
}
