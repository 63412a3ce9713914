//! Object detection importer for Pascal VOC annotation files (one XML file per image).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::labelled::absolute_dir_string;
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;
use crate::instances::BoxAnnotation;
use crate::scan::{IMAGE_EXTENSIONS, is_image_file};
use roxmltree::{Document, Node, ParsingOptions};

/// One parsed VOC file: the image file name and its objects `(class name, [xmin, ymin,
/// xmax, ymax])` in VOC's 1-based inclusive pixel indices.
struct VocFile {
    filename: String,
    objects: Vec<(String, [f64; 4])>,
}

/// Imports Pascal VOC XML annotations (`annotations_dir/*.xml`, not recursive) with their
/// images in `images_dir` as an object detection dataset with axis-aligned boxes.
///
/// Read from each file: `filename` and every `object` with its `name` and `bndbox`
/// (`xmin`, `ymin`, `xmax`, `ymax`; integers or decimals). VOC boxes are 1-based inclusive
/// pixel indices; they are converted to this crate's continuous coordinates (see
/// [`instances`](crate::instances)) as `col1 = xmin - 1`, `row1 = ymin - 1`,
/// `col2 = xmax`, `row2 = ymax`, so a box of one pixel at the top-left corner
/// (`1 1 1 1`) becomes `[0, 1) x [0, 1)`. `size`, `difficult`, `truncated` and `pose` are
/// not read (objects marked difficult are imported like the others); image sizes are
/// checked by [`validate`](crate::validate()) from the image files.
///
/// The image is `images_dir/filename`; when that file does not exist and `filename` has
/// no image extension, `filename.<ext>` is tried for each image extension (`jpg`, `png`,
/// ...; NEU-DET names 174 of its 1,800 images without their `.jpg`). Files without objects
/// give samples with empty box lists.
///
/// Classes are the object names sorted by name, with ids `0..n`; samples are in the
/// order of the XML file names, with image ids `0..n`; `image_dir` is `images_dir` made
/// absolute. Errors, all reported at once ([`DataError::Problems`]): unreadable or
/// malformed XML, a missing `filename`, `name` or coordinate, a coordinate that is not a
/// number, an image that cannot be found, and two XML files naming the same image. No
/// XML file at all is [`DataError::Format`].
pub fn import_voc(annotations_dir: &Path, images_dir: &Path) -> Result<Dataset, DataError> {
    let image_root = absolute_dir_string(images_dir)?;
    let xml_files = xml_files(annotations_dir)?;
    if xml_files.is_empty() {
        return Err(DataError::format(
            annotations_dir,
            "no .xml annotation files",
        ));
    }
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    let mut first_user: HashMap<String, String> = HashMap::new();
    for name in &xml_files {
        let path = annotations_dir.join(name);
        let file = match read_voc(&path) {
            Ok(file) => file,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(image) = resolve_image(images_dir, &file.filename) else {
            errors.push(DataError::format(
                &path,
                format!(
                    "image {:?} not found in {}",
                    file.filename,
                    images_dir.display()
                ),
            ));
            continue;
        };
        if let Some(first) = first_user.insert(image.clone(), name.clone()) {
            errors.push(DataError::format(
                &path,
                format!("image {image:?} is also annotated by {first}"),
            ));
            continue;
        }
        parsed.push((image, file.objects));
    }
    DataError::collect(annotations_dir, errors)?;
    let mut ids: BTreeMap<&str, u32> = BTreeMap::new();
    for (_, objects) in &parsed {
        for (class, _) in objects {
            ids.insert(class, 0);
        }
    }
    for (i, id) in ids.values_mut().enumerate() {
        *id = u32::try_from(i).unwrap_or(u32::MAX);
    }
    let samples = parsed
        .iter()
        .enumerate()
        .map(|(i, (image, objects))| {
            let boxes: Vec<BoxAnnotation> = objects
                .iter()
                .map(|(class, [xmin, ymin, xmax, ymax])| BoxAnnotation {
                    label_id: ids.get(class.as_str()).copied().unwrap_or_default(),
                    row1: ymin - 1.0,
                    col1: xmin - 1.0,
                    row2: *ymax,
                    col2: *xmax,
                })
                .collect();
            let mut s = Sample {
                image_id: i as u64,
                image_file_name: image.clone(),
                ..Default::default()
            };
            s.set_boxes(&boxes);
            s
        })
        .collect();
    Ok(Dataset {
        class_names: ids.keys().map(|s| s.to_string()).collect(),
        class_ids: ids.values().copied().collect(),
        image_dir: image_root,
        samples,
        ..Default::default()
    })
}

/// Names of the `.xml` files directly in `dir` (case-insensitive extension), sorted;
/// hidden files are skipped.
fn xml_files(dir: &Path) -> Result<Vec<String>, DataError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| DataError::io(dir, e))?;
        let path = entry.path();
        let is_xml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
        if !is_xml || !path.is_file() {
            continue;
        }
        let name = entry
            .file_name()
            .into_string()
            .map_err(|_| DataError::format(&path, "file name is not valid UTF-8"))?;
        if !name.starts_with('.') {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Reads one VOC file; the error names the file (and line or object).
fn read_voc(path: &Path) -> Result<VocFile, DataError> {
    let text = kestrel_geom::read_regular_to_string(path).map_err(|e| DataError::io(path, e))?;
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(&text, options)
        .map_err(|e| DataError::format(path, format!("invalid XML: {}", xml_error(&text, &e))))?;
    let root = doc.root_element();
    let root_name = root.tag_name().name();
    if root_name != "annotation" {
        return Err(DataError::format(
            path,
            format!("root element is <{root_name}>, expected <annotation>"),
        ));
    }
    let filename = child_text(root, "filename")
        .filter(|f| !f.is_empty())
        .ok_or_else(|| DataError::format(path, "no <filename>"))?;
    let mut objects = Vec::new();
    let mut problems = Vec::new();
    let object_nodes = root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "object");
    for (i, object) in object_nodes.enumerate() {
        match read_object(object) {
            Ok(o) => objects.push(o),
            Err(message) => problems.push(format!("object {i}: {message}")),
        }
    }
    if !problems.is_empty() {
        return Err(DataError::format(path, problems.join("; ")));
    }
    Ok(VocFile { filename, objects })
}

/// The class name and `[xmin, ymin, xmax, ymax]` of an `<object>`.
fn read_object(object: Node<'_, '_>) -> Result<(String, [f64; 4]), String> {
    let name = child_text(object, "name")
        .filter(|n| !n.is_empty())
        .ok_or("no <name>")?;
    let bndbox = child(object, "bndbox").ok_or("no <bndbox>")?;
    let mut coords = [0.0; 4];
    for (c, key) in coords.iter_mut().zip(["xmin", "ymin", "xmax", "ymax"]) {
        let text = child_text(bndbox, key).ok_or_else(|| format!("no <{key}>"))?;
        *c = text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("<{key}> {text:?} is not a number"))?;
    }
    Ok((name, coords))
}

/// The first child element of `node` named `name` (local name, any namespace).
fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// The trimmed text (text and CDATA, entities resolved) directly inside the first child
/// element of `node` named `name`.
fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    let element = child(node, name)?;
    let text: String = element
        .children()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect();
    Some(text.trim().to_string())
}

/// A parse error with its line: `roxmltree`'s message, or for a document that ends
/// inside its root element, which element is not closed.
fn xml_error(text: &str, e: &roxmltree::Error) -> String {
    if matches!(e, roxmltree::Error::UnclosedRootNode) {
        let line = text.lines().count().max(1);
        return format!(
            "line {line}: element <{}> is not closed",
            root_name(text).unwrap_or("?")
        );
    }
    format!("line {}: {e}", e.pos().row)
}

/// The name of the first start tag in `text` (skipping declarations and comments).
fn root_name(text: &str) -> Option<&str> {
    text.match_indices('<').find_map(|(i, _)| {
        let rest = &text[i + 1..];
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
        let name = &rest[..end];
        name.starts_with(|c: char| c.is_alphabetic() || c == '_')
            .then_some(name)
    })
}

/// The image file for a VOC `filename`, relative to `images_dir`: the name itself, or
/// (when it has no image extension) the name with an image extension appended.
fn resolve_image(images_dir: &Path, filename: &str) -> Option<String> {
    if images_dir.join(filename).is_file() {
        return Some(filename.to_string());
    }
    if is_image_file(Path::new(filename)) {
        return None;
    }
    IMAGE_EXTENSIONS
        .iter()
        .flat_map(|ext| [ext.to_string(), ext.to_ascii_uppercase()])
        .map(|ext| format!("{filename}.{ext}"))
        .find(|candidate| images_dir.join(candidate).is_file())
}
