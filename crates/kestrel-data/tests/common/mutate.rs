//! Seeded random mutations of valid files, for the parsers' robustness tests: a small
//! ChaCha8-driven mutator (written when proptest could not be fetched here), each case
//! reproducible from its seed, printed when a case fails.
//!
//! Shared by the `robust_*` tests of kestrel-data, kestrel-image and kestrel-3d (the latter
//! include it with `#[path]`).
#![allow(dead_code)]

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// Numbers that break naive size arithmetic when written into a file.
pub const HUGE_NUMBERS: [&str; 8] = [
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "99999999999999999999999",
    "-1",
    "1e308",
    "-9223372036854775808",
    "NaN",
];

/// A seeded generator of mutations.
pub struct Mutator {
    rng: ChaCha8Rng,
}

impl Mutator {
    /// A mutator whose choices depend only on `seed`.
    pub fn new(seed: u64) -> Self {
        Mutator {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A number in `0..n` (`n > 0`; slight modulo bias is fine here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n.max(1) as u64) as usize
    }

    /// A random byte.
    pub fn byte(&mut self) -> u8 {
        self.rng.next_u32() as u8
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.byte()).collect()
    }

    /// `valid` changed by random edits (one in three cases out of four, so most inputs
    /// stay close to valid and reach deep into the parser, else two or three): flipped
    /// bits, replaced, inserted or deleted bytes, truncation, a duplicated run, a huge
    /// number written over a digit run, or 0xFFFFFFFF written over four bytes (a size
    /// field).
    pub fn mutate(&mut self, valid: &[u8]) -> Vec<u8> {
        let mut out = valid.to_vec();
        let edits = if self.below(4) == 0 {
            2 + self.below(2)
        } else {
            1
        };
        for _ in 0..edits {
            self.edit(&mut out);
        }
        out
    }

    /// One random edit of `out`.
    fn edit(&mut self, out: &mut Vec<u8>) {
        let len = out.len();
        let at = self.below(len + 1);
        match self.below(8) {
            0 if len > 0 => {
                let i = at.min(len - 1);
                out[i] ^= 1 << self.below(8);
            }
            1 if len > 0 => {
                let i = at.min(len - 1);
                out[i] = self.byte();
            }
            2 => {
                let n = 1 + self.below(8);
                let extra = self.bytes(n);
                out.splice(at..at, extra);
            }
            3 if len > 0 => {
                let end = (at + 1 + self.below(16)).min(len);
                out.drain(at.min(len)..end);
            }
            4 => out.truncate(at),
            5 if len > 0 => {
                let start = at.min(len - 1);
                let end = (start + 1 + self.below(64)).min(len);
                let run = out[start..end].to_vec();
                out.splice(end..end, run);
            }
            6 => self.huge_number(out),
            _ if len >= 4 => {
                let i = at.min(len - 4);
                out[i..i + 4].copy_from_slice(&[0xFF; 4]);
            }
            _ => out.push(self.byte()),
        }
    }

    /// Writes one of [`HUGE_NUMBERS`] over a run of ASCII digits (or at a random place when
    /// there is none).
    fn huge_number(&mut self, out: &mut Vec<u8>) {
        let number = HUGE_NUMBERS[self.below(HUGE_NUMBERS.len())]
            .as_bytes()
            .to_vec();
        let digits: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].is_ascii_digit())
            .collect();
        if digits.is_empty() {
            let at = self.below(out.len() + 1);
            out.splice(at..at, number);
            return;
        }
        let start = digits[self.below(digits.len())];
        let mut end = start;
        while end < out.len() && out[end].is_ascii_digit() {
            end += 1;
        }
        out.splice(start..end, number);
    }
}

/// Multiplies every test's number of cases (default 1), for a longer search by hand:
/// `KESTREL_ROBUST_SCALE=50 cargo test --release robust`.
pub const SCALE_ENV: &str = "KESTREL_ROBUST_SCALE";

/// Runs `check` on `cases` mutations of each of `valid` (and on as many purely random byte
/// strings), seeds `0..cases`. A panic inside `check` fails the test naming the seed and
/// the input's length; `check` itself asserts what a valid result must satisfy, and says
/// whether the input was accepted. Returns how many inputs were accepted (printed too, so
/// `--nocapture` shows how deep the mutations reach).
pub fn for_mutations(
    name: &str,
    valid: &[&[u8]],
    cases: u64,
    mut check: impl FnMut(&[u8]) -> bool,
) -> usize {
    let (mut accepted, mut total) = (0, 0);
    let scale: u64 = std::env::var(SCALE_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for seed in 0..cases * scale {
        let mut m = Mutator::new(seed);
        let mut inputs: Vec<Vec<u8>> = valid.iter().map(|v| m.mutate(v)).collect();
        let random_len = m.below(256);
        inputs.push(m.bytes(random_len));
        for input in inputs {
            total += 1;
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&input)));
            match result {
                Ok(ok) => accepted += usize::from(ok),
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    panic!(
                        "{name}: seed {seed}: panicked on {} bytes {:?}: {message}",
                        input.len(),
                        String::from_utf8_lossy(&input[..input.len().min(300)])
                    );
                }
            }
        }
    }
    eprintln!("{name}: {accepted} of {total} mutated inputs accepted");
    accepted
}
