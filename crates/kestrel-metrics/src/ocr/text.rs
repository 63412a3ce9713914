//! Text normalisation for case-insensitive, alphanumeric word comparison.

/// `text` lower-cased, with only its letters and digits kept (the IIIT5K protocol):
/// `"Hello, World!"` → `"helloworld"`. Letters and digits are Unicode's
/// (`char::is_alphanumeric`), so `"Zoë"` → `"zoë"`.
pub fn normalize_word(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Whether `a` and `b` are the same word after [`normalize_word`].
pub fn same_word_normalized(a: &str, b: &str) -> bool {
    normalize_word(a) == normalize_word(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        assert_eq!(normalize_word("Hello, World!"), "helloworld");
        assert_eq!(normalize_word("ZOË-42"), "zoë42");
        assert_eq!(normalize_word("!?"), "");
        assert!(same_word_normalized("SALE!", "sale"));
        assert!(!same_word_normalized("sale", "sole"));
    }
}
