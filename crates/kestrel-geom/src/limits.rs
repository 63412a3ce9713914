//! Resource limits shared by every crate that reads images, so a file claiming a huge size
//! is refused before memory is spent on it.

/// The most pixels an image may have by default: 2^26 (e.g. 8192 x 8192), about 200 MB
/// decoded as 8-bit RGB.
pub const DEFAULT_MAX_IMAGE_PIXELS: u64 = 1 << 26;

/// The environment variable that sets another limit (a number of pixels).
pub const MAX_IMAGE_PIXELS_ENV: &str = "KESTREL_MAX_IMAGE_PIXELS";

/// The most pixels an image may have: [`MAX_IMAGE_PIXELS_ENV`] when it holds a positive
/// number, else [`DEFAULT_MAX_IMAGE_PIXELS`].
pub fn max_image_pixels() -> u64 {
    std::env::var(MAX_IMAGE_PIXELS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&v| v > 0)
        .unwrap_or(DEFAULT_MAX_IMAGE_PIXELS)
}

/// A message when a `width x height` image exceeds [`max_image_pixels`].
pub fn image_size_problem(width: u32, height: u32) -> Option<String> {
    let pixels = u64::from(width) * u64::from(height);
    let limit = max_image_pixels();
    (pixels > limit).then(|| {
        format!(
            "{width} x {height} = {pixels} pixels is more than the limit of {limit} \
             (set {MAX_IMAGE_PIXELS_ENV} to change it)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_above_the_default_limit_are_named() {
        assert!(image_size_problem(8192, 8192).is_none());
        let message = image_size_problem(100_000, 100_000).unwrap();
        assert!(message.contains("100000 x 100000") && message.contains(MAX_IMAGE_PIXELS_ENV));
    }
}
