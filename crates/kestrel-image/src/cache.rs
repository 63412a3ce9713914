//! On-disk cache of resized samples, so that epochs after the first skip decoding.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

use crate::resize::load_samples;
use crate::{ImageError, ImageF32, PreprocessParams, ResizedImage, SampleData, Samples};

/// Magic bytes and format version at the start of every cache entry (entries of other
/// versions are misses and get rewritten).
const MAGIC: &[u8; 4] = b"KSC2";
/// Header: magic; width, height, channels, original width, original height (u32 little
/// endian each); bits per sample (u8).
const HEADER_LEN: usize = 4 + 5 * 4 + 1;
/// File name extension of cache entries.
const EXTENSION: &str = "ksc";

/// On-disk cache of resized images.
///
/// The key hashes (SHA-256) the canonical path, the file's size and modification time and
/// the parameters that shape the pixels (width, height, channels), so a changed image or
/// changed parameters give a miss. Normalization is not part of the key: it is applied
/// after loading. Entries store the samples at the source's precision (u8 for 8-bit
/// sources, u16 for 16-bit ones) after a small header with the source's size, and are written atomically
/// (temporary file, then rename), so concurrent loaders never see half an entry.
/// A corrupt entry counts as a miss and is rewritten.
#[derive(Debug)]
pub struct SampleCache {
    dir: PathBuf,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl SampleCache {
    /// Opens (creating if needed) a cache in `dir`.
    pub fn new(dir: PathBuf) -> Result<Self, ImageError> {
        fs::create_dir_all(&dir).map_err(|e| ImageError::io(&dir, e))?;
        Ok(Self {
            dir,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        })
    }

    /// The cache's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Loads `path` resized for `params`: from the cache on a hit, otherwise by decoding
    /// and resizing it (as [`crate::load_resized`] does) and storing the result.
    pub fn load(&self, path: &Path, params: &PreprocessParams) -> Result<ImageF32, ImageError> {
        Ok(self.load_samples(path, params)?.to_f32())
    }

    /// Like [`SampleCache::load`], keeping the size of the image file (stored in the entry,
    /// so a hit reads nothing else).
    pub fn load_resized_image(
        &self,
        path: &Path,
        params: &PreprocessParams,
    ) -> Result<ResizedImage, ImageError> {
        Ok(self.load_samples(path, params)?.to_resized_image())
    }

    /// The samples of `path` for `params`, from the cache or decoded and stored.
    fn load_samples(&self, path: &Path, params: &PreprocessParams) -> Result<Samples, ImageError> {
        params.validate()?;
        let entry = self.entry_path(path, params)?;
        if let Some(samples) = read_entry(&entry, params) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(samples);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let samples = load_samples(path, params)?;
        self.write_entry(&entry, &samples)?;
        Ok(samples)
    }

    /// Number of loads served from the cache since it was opened.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Number of loads that had to decode the image since the cache was opened.
    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }

    /// Number of entries on disk.
    pub fn len(&self) -> Result<usize, ImageError> {
        let entries = fs::read_dir(&self.dir).map_err(|e| ImageError::io(&self.dir, e))?;
        let mut n = 0;
        for entry in entries {
            let entry = entry.map_err(|e| ImageError::io(&self.dir, e))?;
            if entry.path().extension().is_some_and(|x| x == EXTENSION) {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Whether the cache holds no entry.
    pub fn is_empty(&self) -> Result<bool, ImageError> {
        Ok(self.len()? == 0)
    }

    /// Path of the entry for `path` (as it is now on disk) and `params`.
    fn entry_path(&self, path: &Path, params: &PreprocessParams) -> Result<PathBuf, ImageError> {
        let canonical = fs::canonicalize(path).map_err(|e| ImageError::io(path, e))?;
        let meta = fs::metadata(&canonical).map_err(|e| ImageError::io(path, e))?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let mut hasher = Sha256::new();
        hasher.update(MAGIC);
        hasher.update(canonical.as_os_str().as_encoded_bytes());
        hasher.update([0u8]);
        hasher.update(meta.len().to_le_bytes());
        hasher.update(mtime.to_le_bytes());
        hasher.update(params.resize_key().as_bytes());
        let hex: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(self.dir.join(format!("{hex}.{EXTENSION}")))
    }

    /// Writes `samples` to `entry` atomically.
    fn write_entry(&self, entry: &Path, samples: &Samples) -> Result<(), ImageError> {
        kestrel_geom::write_atomic(entry, &encode(samples)).map_err(|e| ImageError::io(entry, e))
    }
}

/// Serializes header and samples.
fn encode(samples: &Samples) -> Vec<u8> {
    let (bits, body): (u8, Vec<u8>) = match &samples.data {
        SampleData::U8(v) => (8, v.clone()),
        SampleData::U16(v) => (16, v.iter().flat_map(|s| s.to_le_bytes()).collect()),
    };
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    for v in [
        samples.width,
        samples.height,
        samples.channels,
        samples.original_width,
        samples.original_height,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.push(bits);
    out.extend_from_slice(&body);
    out
}

/// Reads an entry; `None` when it is missing, corrupt or of other dimensions.
fn read_entry(entry: &Path, params: &PreprocessParams) -> Option<Samples> {
    let bytes = fs::read(entry).ok()?;
    let samples = decode(&bytes)?;
    let expected = (params.width, params.height, params.num_channels);
    (expected == (samples.width, samples.height, samples.channels)).then_some(samples)
}

/// Parses header and samples; `None` on any inconsistency.
fn decode(bytes: &[u8]) -> Option<Samples> {
    let header = bytes.get(..HEADER_LEN)?;
    if &header[..4] != MAGIC {
        return None;
    }
    let word =
        |i: usize| u32::from_le_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    let (width, height, channels) = (word(4), word(8), word(12));
    let (original_width, original_height) = (word(16), word(20));
    let body = &bytes[HEADER_LEN..];
    let data = match header[24] {
        8 => SampleData::U8(body.to_vec()),
        16 if body.len().is_multiple_of(2) => SampleData::U16(
            body.chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect(),
        ),
        _ => return None,
    };
    let samples = Samples {
        width,
        height,
        channels,
        data,
        original_width,
        original_height,
    };
    samples.is_consistent().then_some(samples)
}
