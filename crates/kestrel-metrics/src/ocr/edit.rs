//! Levenshtein edit distance and the character error rate.

use crate::MetricsError;
use crate::ranking::check_len;

/// The Levenshtein distance between `a` and `b` over `char`s: the fewest insertions,
/// deletions and substitutions of one character that turn `a` into `b`.
///
/// `O(len(a) * len(b))` time after dropping the common prefix and suffix, memory linear
/// in the shorter text.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // row[j]: distance between the long text's first i characters and short[..j].
    let mut row: Vec<usize> = (0..=short.len()).collect();
    for (i, &lc) in long.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &sc) in short.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if lc == sc {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[short.len()]
}

/// The character error rate of `read` against `truth` (parallel lists): the sum of the
/// edit distances divided by the sum of the truth lengths in `char`s. 0 is perfect; it
/// exceeds 1 when the reads hold many extra characters.
///
/// Fails on a length mismatch, on no words ([`MetricsError::Empty`]), and when the truth
/// holds no character at all ([`MetricsError::Undefined`]).
pub fn character_error_rate<T: AsRef<str>, R: AsRef<str>>(
    truth: &[T],
    read: &[R],
) -> Result<f64, MetricsError> {
    check_len("read", truth.len(), read.len())?;
    if truth.is_empty() {
        return Err(MetricsError::Empty("no words".into()));
    }
    let (edits, chars) = truth
        .iter()
        .zip(read)
        .fold((0usize, 0usize), |(e, c), (t, r)| {
            let (t, r) = (t.as_ref(), r.as_ref());
            (e + edit_distance(t, r), c + t.chars().count())
        });
    cer(edits, chars)
}

/// `edits / chars`, undefined without truth characters.
pub(super) fn cer(edits: usize, chars: usize) -> Result<f64, MetricsError> {
    if chars == 0 {
        return Err(MetricsError::Undefined(
            "character error rate: the truth holds no character".into(),
        ));
    }
    Ok(edits as f64 / chars as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("flaw", "lawn"), 2);
        // Characters, not bytes.
        assert_eq!(edit_distance("Straße", "Strasse"), 2);
        assert_eq!(edit_distance("ä", "a"), 1);
        assert_eq!(edit_distance("abXcd", "abcd"), 1);
    }

    #[test]
    fn error_rate() {
        let cer = character_error_rate(&["abcd", "xy"], &["abed", ""]).unwrap();
        assert!((cer - 3.0 / 6.0).abs() < 1e-12);
        assert!(matches!(
            character_error_rate::<&str, &str>(&[], &[]),
            Err(MetricsError::Empty(_))
        ));
        assert!(matches!(
            character_error_rate(&[""], &["a"]),
            Err(MetricsError::Undefined(_))
        ));
        assert!(matches!(
            character_error_rate(&["a"], &["a", "b"]),
            Err(MetricsError::LengthMismatch { .. })
        ));
    }
}
