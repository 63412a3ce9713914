//! Per-sample OCR problems: empty words and characters outside the alphabet.

use std::collections::HashSet;

use super::Problem;
use crate::dataset::{Dataset, Sample};

/// OCR problems of sample `index`: an empty (or only white space) `word` or `words`
/// entry, and characters that are not in `alphabet` (when given; each distinct one listed
/// once, in order of appearance). Don't-care words (`words_dont_care`) are not checked.
/// The number of `words` entries is checked with the other per-object fields
/// ([`instance_problems`](super::instances::instance_problems)).
pub(super) fn word_problems(
    ds: &Dataset,
    index: usize,
    s: &Sample,
    alphabet: Option<&HashSet<char>>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if s.word.is_none() && s.words.is_none() {
        return out;
    }
    let file = Some(ds.image_path(s));
    let mut add = |field: &str, message: String| {
        out.push(Problem::sample(index, s, file.clone(), field, message));
    };
    if let Some(word) = &s.word
        && let Some(message) = text_problem(word, alphabet)
    {
        add("word", message);
    }
    let dont_care = s.words_dont_care.as_deref().unwrap_or(&[]);
    for (j, word) in s.words.iter().flatten().enumerate() {
        if dont_care.get(j).copied().unwrap_or(false) {
            continue;
        }
        if let Some(message) = text_problem(word, alphabet) {
            add("words", format!("object {j}: {message}"));
        }
    }
    out
}

/// What is wrong with one word's text, if anything.
fn text_problem(word: &str, alphabet: Option<&HashSet<char>>) -> Option<String> {
    if word.trim().is_empty() {
        return Some(if word.is_empty() {
            "empty word".into()
        } else {
            format!("word {word:?} holds only white space")
        });
    }
    let alphabet = alphabet?;
    let mut outside: Vec<char> = Vec::new();
    for c in word.chars() {
        if !alphabet.contains(&c) && !outside.contains(&c) {
            outside.push(c);
        }
    }
    (!outside.is_empty()).then(|| {
        let listed: Vec<String> = outside.iter().map(|c| format!("{c:?}")).collect();
        format!(
            "word {word:?} has characters not in the alphabet: {}",
            listed.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        let abc: HashSet<char> = "abc ".chars().collect();
        assert_eq!(text_problem("ab c", Some(&abc)), None);
        assert_eq!(text_problem("abd", None), None);
        assert_eq!(text_problem("", None).unwrap(), "empty word");
        assert!(
            text_problem("  ", Some(&abc))
                .unwrap()
                .contains("only white space")
        );
        assert_eq!(
            text_problem("xaYx", Some(&abc)).unwrap(),
            "word \"xaYx\" has characters not in the alphabet: 'x', 'Y'"
        );
    }
}
