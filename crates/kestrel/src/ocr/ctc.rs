//! Greedy CTC decoding of per-position class probabilities into a word.

use serde::Serialize;

/// One character of a read word, with the best candidates at its position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CharacterCandidates {
    /// The character read.
    pub character: String,
    /// Its probability.
    pub confidence: f32,
    /// The best characters at this position, best first, with their probabilities
    /// (CTC's blank as the empty string).
    pub candidates: Vec<(String, f32)>,
}

/// A word decoded from a recogniser's output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodedWord {
    /// The text.
    pub word: String,
    /// The mean probability of its characters (0 for an empty word).
    pub score: f32,
    /// Each character with its candidates.
    pub characters: Vec<CharacterCandidates>,
}

/// Decodes `probs` (`positions x classes`, row-major, class 0 = blank, class `i` =
/// `alphabet[i - 1]`): the best class per position, repeats merged, blanks dropped. Classes
/// beyond the alphabet read as nothing.
pub fn greedy_decode(probs: &[f32], classes: usize, alphabet: &[String], num_candidates: usize) -> DecodedWord {
    let symbol = |class: usize| -> Option<&str> {
        (class > 0).then(|| alphabet.get(class - 1).map(String::as_str)).flatten()
    };
    let mut characters = Vec::new();
    let mut previous = 0;
    for row in probs.chunks_exact(classes.max(1)) {
        let (best, &p) = row
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("rows are not empty");
        if best != 0
            && best != previous
            && let Some(text) = symbol(best)
        {
            characters.push(CharacterCandidates {
                character: text.to_string(),
                confidence: p,
                candidates: top_candidates(row, alphabet, num_candidates),
            });
        }
        previous = best;
    }
    let score = if characters.is_empty() {
        0.0
    } else {
        characters.iter().map(|c| c.confidence).sum::<f32>() / characters.len() as f32
    };
    DecodedWord {
        word: characters.iter().map(|c| c.character.as_str()).collect(),
        score,
        characters,
    }
}

/// The `k` most probable classes of one position, as text (blank = "").
fn top_candidates(row: &[f32], alphabet: &[String], k: usize) -> Vec<(String, f32)> {
    let mut order: Vec<usize> = (0..row.len()).collect();
    let k = k.min(row.len());
    order.select_nth_unstable_by(k.saturating_sub(1), |&a, &b| row[b].total_cmp(&row[a]));
    order.truncate(k);
    order.sort_by(|&a, &b| row[b].total_cmp(&row[a]));
    order
        .into_iter()
        .map(|c| {
            let text = if c == 0 {
                String::new()
            } else {
                alphabet.get(c - 1).cloned().unwrap_or_default()
            };
            (text, row[c])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alphabet() -> Vec<String> {
        ["a", "b", "c"].iter().map(|s| s.to_string()).collect()
    }

    /// One-hot-ish rows for the classes in `seq`.
    fn rows(seq: &[usize]) -> Vec<f32> {
        seq.iter()
            .flat_map(|&c| (0..4).map(move |i| if i == c { 0.7 } else { 0.1 }))
            .collect()
    }

    #[test]
    fn repeats_merge_and_blanks_separate() {
        // a a _ a b _ _ c c  ->  "aabc"
        let d = greedy_decode(&rows(&[1, 1, 0, 1, 2, 0, 0, 3, 3]), 4, &alphabet(), 2);
        assert_eq!(d.word, "aabc");
        assert!((d.score - 0.7).abs() < 1e-6);
        assert_eq!(d.characters[0].candidates[0], ("a".to_string(), 0.7));
        assert_eq!(d.characters[0].candidates.len(), 2);
    }

    #[test]
    fn all_blank_is_empty_with_score_zero() {
        let d = greedy_decode(&rows(&[0, 0, 0]), 4, &alphabet(), 3);
        assert_eq!(d.word, "");
        assert_eq!(d.score, 0.0);
    }
}
