//! A method's own parameters as one typed section of [`ModelParams`]: a struct whose fields
//! are stored flat in [`ModelParams::method_params`], read and set by name like the common
//! parameters, and read by the method as its struct.

use crate::error::{Error, Result};
use crate::params::ModelParams;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The fields of a method's parameter section with their values, as
/// [`crate::method::Method::extra_params`] returns them.
pub fn section_fields<T: Serialize>(section: &T) -> Map<String, Value> {
    match serde_json::to_value(section) {
        Ok(Value::Object(map)) => map,
        _ => panic!("a parameter section must serialise to a JSON object"),
    }
}

/// Checks per-class thresholds (`min_confidence`): one per class, each in `[0, 1]`.
pub fn check_class_thresholds(name: &str, values: Option<&[f32]>, classes: usize) -> Result<()> {
    let Some(values) = values else {
        return Ok(());
    };
    let bad = |message: String| {
        Err(Error::BadParam {
            name: name.into(),
            message,
        })
    };
    if values.len() != classes {
        return bad(format!(
            "{} values for {classes} classes (one per class)",
            values.len()
        ));
    }
    if let Some(t) = values.iter().find(|t| !(0.0..=1.0).contains(*t)) {
        return bad(format!("{t} (each must be in [0, 1])"));
    }
    Ok(())
}

impl ModelParams {
    /// The model's method parameters read as the section `T`; a field the stored parameters
    /// lack takes `T`'s default. A value of the wrong type is an error naming the parameter.
    pub fn section<T: DeserializeOwned + Serialize + Default>(&self) -> Result<T> {
        let mut fields = section_fields(&T::default());
        for (name, value) in &self.method_params {
            if let Some(slot) = fields.get_mut(name) {
                *slot = value.clone();
            }
        }
        serde_json::from_value(Value::Object(fields)).map_err(|error| {
            let name = self
                .method_params
                .iter()
                .find(|(name, value)| {
                    let mut alone = section_fields(&T::default());
                    alone.insert((*name).clone(), (*value).clone());
                    serde_json::from_value::<T>(Value::Object(alone)).is_err()
                })
                .map_or_else(|| "method parameters".to_string(), |(name, _)| name.clone());
            Error::BadParam {
                name,
                message: error.to_string(),
            }
        })
    }

    /// Stores the fields of the section `section` as the model's method parameters.
    pub fn set_section<T: Serialize>(&mut self, section: &T) {
        self.method_params.extend(section_fields(section));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kestrel_nn::BackboneKind;
    use serde::Deserialize;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Section {
        radius: f32,
        names: Vec<String>,
    }

    fn params() -> ModelParams {
        ModelParams::classification(BackboneKind::Compact, vec!["a".into()])
    }

    #[test]
    fn fields_round_trip_and_missing_ones_default() {
        let mut p = params();
        p.method_params
            .insert("radius".into(), serde_json::json!(2.5));
        assert_eq!(
            p.section::<Section>().unwrap(),
            Section {
                radius: 2.5,
                names: vec![]
            }
        );
        let section = Section {
            radius: 1.0,
            names: vec!["x".into()],
        };
        p.set_section(&section);
        assert_eq!(p.section::<Section>().unwrap(), section);
    }

    #[test]
    fn a_wrong_type_names_the_parameter() {
        let mut p = params();
        p.method_params
            .insert("names".into(), serde_json::json!("not a list"));
        let error = p.section::<Section>().unwrap_err().to_string();
        assert!(error.contains("names"), "{error}");
    }
}
