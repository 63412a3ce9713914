//! [`SynthConfig::validate`]: every value checked, the first bad one named by its field.

use super::config::SynthConfig;
use crate::error::Error3d;

/// An error unless `r` is a finite range with `min <= max` inside `[lo, hi]`.
fn range(field: &str, r: [f64; 2], lo: f64, hi: f64) -> Result<(), Error3d> {
    let [min, max] = r;
    if !(min.is_finite() && max.is_finite()) {
        return Err(Error3d::config(field, format!("{r:?} is not finite")));
    }
    if min > max {
        return Err(Error3d::config(
            field,
            format!("minimum {min} exceeds maximum {max}"),
        ));
    }
    if min < lo || max > hi {
        return Err(Error3d::config(
            field,
            format!("{r:?} must lie within [{lo}, {hi}]"),
        ));
    }
    Ok(())
}

/// An error unless `r` is a count range with `min <= max`.
fn count_range(field: &str, r: [u32; 2]) -> Result<(), Error3d> {
    if r[0] > r[1] {
        return Err(Error3d::config(
            field,
            format!("minimum {} exceeds maximum {}", r[0], r[1]),
        ));
    }
    Ok(())
}

impl SynthConfig {
    /// Checks every field: at least one object, distinct object ids, a camera with
    /// intrinsics, at least one background source, ranges with `min <= max` within their
    /// limits (distances positive, elevations in -90..90, fractions and probabilities in
    /// 0..1, sigmas not negative). The error ([`Error3d::Config`]) names the field.
    /// Whether the files exist is checked when the generator is made.
    pub fn validate(&self) -> Result<(), Error3d> {
        let no_ids = self
            .bop_models
            .as_ref()
            .and_then(|b| b.obj_ids.as_ref())
            .is_some_and(Vec::is_empty);
        if (self.objects.is_empty() && self.bop_models.is_none()) || no_ids {
            return Err(Error3d::config(
                "objects",
                "no objects: give `objects` (obj_id and ply) or `bop_models`",
            ));
        }
        let mut ids: Vec<u32> = self.objects.iter().map(|o| o.obj_id).collect();
        if let Some(more) = self.bop_models.as_ref().and_then(|b| b.obj_ids.as_ref()) {
            ids.extend(more);
        }
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error3d::config(
                "objects",
                format!("object id {} is given twice", w[0]),
            ));
        }
        self.camera.intrinsics()?;
        if self.backgrounds.is_empty() {
            return Err(Error3d::config(
                "backgrounds",
                "no background folders or files given",
            ));
        }
        let p = &self.poses;
        let d = p.distance_mm;
        range("poses.distance_mm", d, f64::MIN_POSITIVE, 1e7)?;
        range("poses.elevation_deg", p.elevation_deg, -90.0, 90.0)?;
        range("poses.azimuth_deg", p.azimuth_deg, -720.0, 720.0)?;
        range("poses.inplane_deg", p.inplane_deg, -720.0, 720.0)?;
        count_range("poses.objects_per_image", p.objects_per_image)?;
        if p.objects_per_image[1] == 0 {
            return Err(Error3d::config(
                "poses.objects_per_image",
                "the maximum must be at least 1",
            ));
        }
        let o = &self.occluders;
        count_range("occluders.per_image", o.per_image)?;
        range(
            "occluders.cad_probability",
            [o.cad_probability; 2],
            0.0,
            1.0,
        )?;
        range("occluders.size_fraction", o.size_fraction, 1e-3, 10.0)?;
        range("occluders.offset_fraction", o.offset_fraction, 0.0, 10.0)?;
        let r = &self.randomization;
        range(
            "randomization.light_angle_deg",
            r.light_angle_deg,
            0.0,
            180.0,
        )?;
        range("randomization.ambient", r.ambient, 0.0, 10.0)?;
        range("randomization.diffuse", r.diffuse, 0.0, 10.0)?;
        range(
            "randomization.object_brightness",
            r.object_brightness,
            0.0,
            10.0,
        )?;
        range("randomization.object_color", [r.object_color; 2], 0.0, 1.0)?;
        range(
            "randomization.background_scale",
            r.background_scale,
            1e-3,
            1.0,
        )?;
        range("randomization.contrast", r.contrast, 0.0, 10.0)?;
        range("randomization.brightness", r.brightness, -255.0, 255.0)?;
        range("randomization.blur_sigma", r.blur_sigma, 0.0, 50.0)?;
        range("randomization.noise_sigma", r.noise_sigma, 0.0, 255.0)?;
        range("min_visib_fract", [self.min_visib_fract; 2], 0.0, 1.0)?;
        Ok(())
    }
}
