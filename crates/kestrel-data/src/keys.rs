//! Keys of a dataset file that Kestrel does not know (misspellings such as
//! `image_lable_id`, or fields of other tools and newer versions).
//!
//! [`Dataset`] and [`Sample`] ignore unknown keys when they are read, so files of other
//! versions still load; [`unknown_keys`] finds them in a second, light pass over the text
//! (values are skipped, not kept), and validation reports them. Memory stays bounded: each
//! distinct key is kept once with the first sample that has it and a count, at most
//! [`MAX_UNKNOWN_KEYS`] distinct keys, each cut to [`MAX_KEY_CHARS`] characters.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess};

use crate::dataset::{Dataset, Sample};

/// How many distinct unknown keys are kept; more are only counted.
pub const MAX_UNKNOWN_KEYS: usize = 100;

/// How many characters of an unknown key are kept.
pub const MAX_KEY_CHARS: usize = 80;

/// A key of a dataset file that is not a field of [`Dataset`] (top level) or [`Sample`]
/// (in a sample). Its value was ignored when the file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The key as written (cut to [`MAX_KEY_CHARS`] characters).
    pub key: String,
    /// The first sample that has it (index in `samples`), `None` for a top-level key.
    pub sample_index: Option<usize>,
    /// That sample's `image_id`, when it has a valid one.
    pub image_id: Option<u64>,
    /// How many samples have it (1 for a top-level key).
    pub count: usize,
    /// The known key it most likely is a misspelling of, if one is close.
    pub suggestion: Option<&'static str>,
}

/// The unknown keys of a dataset file: at most [`MAX_UNKNOWN_KEYS`] distinct ones, with the
/// number of further distinct keys that were not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnknownKeys {
    /// The distinct unknown keys, top-level ones and sample ones in the order first met.
    pub keys: Vec<UnknownKey>,
    /// Distinct unknown keys beyond [`MAX_UNKNOWN_KEYS`], not kept.
    pub omitted: usize,
}

impl UnknownKeys {
    /// Whether the file had no unknown key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.omitted == 0
    }

    /// Notes `key`, met at the top level (`sample` is `None`) or in a sample.
    fn note(&mut self, key: &str, sample: Option<(usize, Option<u64>)>, known: &'static [&str]) {
        let key = cut(key);
        let level = sample.is_some();
        if let Some(k) = self
            .keys
            .iter_mut()
            .find(|k| k.key == key && k.sample_index.is_some() == level)
        {
            k.count += 1;
            return;
        }
        if self.keys.len() >= MAX_UNKNOWN_KEYS {
            self.omitted += 1;
            return;
        }
        let suggestion = closest(&key, known);
        self.keys.push(UnknownKey {
            key,
            sample_index: sample.map(|s| s.0),
            image_id: sample.and_then(|s| s.1),
            count: 1,
            suggestion,
        });
    }
}

/// The unknown keys of the dataset JSON `text`. A text that is not a JSON object of the
/// expected shape gives what was found up to the point it stops; [`Dataset::load`] reports
/// such texts itself.
pub fn unknown_keys(text: &str) -> UnknownKeys {
    let mut found = UnknownKeys::default();
    let mut reader = serde_json::Deserializer::from_str(text);
    // Errors are the dataset parser's to report; what was found so far is kept.
    let _ = TopLevel(&mut found).deserialize(&mut reader);
    found
}

/// The field names of `T` as they appear in the file (renames applied), read from its
/// derived `Deserialize` implementation, so they cannot drift from the struct.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// The keys a [`Dataset`] file may have at the top level.
pub fn dataset_keys() -> &'static [&'static str] {
    field_names::<Dataset>()
}

/// The keys a [`Sample`] may have.
pub fn sample_keys() -> &'static [&'static str] {
    field_names::<Sample>()
}

/// `key`, cut to [`MAX_KEY_CHARS`] characters.
fn cut(key: &str) -> String {
    match key.char_indices().nth(MAX_KEY_CHARS) {
        Some((end, _)) => format!("{}...", &key[..end]),
        None => key.to_string(),
    }
}

/// The known key closest to `key` (ignoring case), if the edit distance is small for its
/// length: at most 1 for keys up to 4 characters, 2 up to 8, else 3.
fn closest(key: &str, known: &'static [&str]) -> Option<&'static str> {
    let key = key.to_lowercase();
    let limit = match key.chars().count() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    known
        .iter()
        .map(|k| (edit_distance(&key, &k.to_lowercase()), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The optimal-string-alignment distance between `a` and `b`: insertions, deletions,
/// substitutions and swaps of neighbours each cost 1.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// Reads the top-level object, noting unknown keys and scanning `samples`.
struct TopLevel<'a>(&'a mut UnknownKeys);

impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> de::Visitor<'de> for TopLevel<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a dataset object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let known = dataset_keys();
        while let Some(key) = map.next_key::<String>()? {
            if key == "samples" {
                map.next_value_seed(Samples(&mut *self.0))?;
            } else {
                if !known.contains(&key.as_str()) {
                    self.0.note(&key, None, known);
                }
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Reads the `samples` list, noting each sample's unknown keys.
struct Samples<'a>(&'a mut UnknownKeys);

impl<'de> DeserializeSeed<'de> for Samples<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> de::Visitor<'de> for Samples<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of samples")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while seq
            .next_element_seed(OneSample {
                found: &mut *self.0,
                index,
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }
}

/// Reads one sample, noting its unknown keys once its `image_id` is known.
struct OneSample<'a> {
    found: &'a mut UnknownKeys,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for OneSample<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> de::Visitor<'de> for OneSample<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sample object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let known = sample_keys();
        let mut unknown: Vec<String> = Vec::new();
        let mut image_id = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "image_id" {
                image_id = map.next_value::<serde_json::Value>()?.as_u64();
                continue;
            }
            if !known.contains(&key.as_str()) && unknown.len() < MAX_UNKNOWN_KEYS {
                let key = cut(&key);
                if !unknown.contains(&key) {
                    unknown.push(key);
                }
            }
            map.next_value::<IgnoredAny>()?;
        }
        for key in unknown {
            self.found.note(&key, Some((self.index, image_id)), known);
        }
        Ok(())
    }
}

/// A deserializer that only records the field names a derived `Deserialize` asks for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only field names are read"))
    }

    fn deserialize_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("only field names are read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_follow_the_structs_and_their_renames() {
        let sample = sample_keys();
        assert!(sample.contains(&"image_file_name"));
        assert!(sample.contains(&"cam_K"));
        assert!(sample.contains(&"pose_cam_R_m2c"));
        assert!(!sample.contains(&"cam_k"));
        let top = dataset_keys();
        assert!(top.contains(&"samples") && top.contains(&"models_dir"));
        assert!(!top.contains(&"base_dir") && !top.contains(&"unknown_keys"));
    }

    #[test]
    fn close_keys_are_suggested_and_far_ones_not() {
        let known = sample_keys();
        assert_eq!(closest("image_lable_id", known), Some("image_label_id"));
        assert_eq!(closest("Image_File_Name", known), Some("image_file_name"));
        assert_eq!(closest("cam_k", known), Some("cam_K"));
        assert_eq!(closest("splt", known), Some("split"));
        assert_eq!(closest("dlsample_file_name", known), None);
        assert_eq!(edit_distance("abcd", "abdc"), 1);
    }

    #[test]
    fn long_keys_are_cut() {
        let long = "k".repeat(10_000);
        assert_eq!(cut(&long).chars().count(), MAX_KEY_CHARS + 3);
        assert_eq!(cut("é".repeat(5).as_str()), "ééééé");
    }
}
