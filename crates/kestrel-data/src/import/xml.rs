//! A small XML reader for simple annotation files (Pascal VOC): elements and their text,
//! nothing else.
//!
//! Attributes, processing instructions (`<?xml ...?>`), comments and a `<!DOCTYPE>`
//! without internal subset are skipped; CDATA sections and the predefined and numeric
//! character entities are read as text. Mismatched or unclosed tags are errors with a line
//! number. This is enough for the fixed VOC schema without a dependency.

/// An element: its name, its child elements in document order, and its own text (the
/// concatenated text directly inside it, untrimmed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Element {
    /// Tag name (with any namespace prefix).
    pub(crate) name: String,
    /// Child elements, in document order.
    pub(crate) children: Vec<Element>,
    /// Text directly inside the element.
    pub(crate) text: String,
}

impl Element {
    /// The first child named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`, in document order.
    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child named `name`.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

/// Parses a document and returns its root element; the error message gives the line.
pub(crate) fn parse(text: &str) -> Result<Element, String> {
    let mut p = Parser {
        s: text.strip_prefix('\u{feff}').unwrap_or(text),
        pos: 0,
    };
    p.document()
}

/// Cursor over the document text.
struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }

    /// `message` with the line of the current position.
    fn error(&self, message: impl std::fmt::Display) -> String {
        let line = self.s[..self.pos].matches('\n').count() + 1;
        format!("line {line}: {message}")
    }

    /// Moves past the next `end`, failing with `what` when it is missing.
    fn skip_past(&mut self, end: &str, what: &str) -> Result<(), String> {
        match self.rest().find(end) {
            Some(i) => {
                self.pos += i + end.len();
                Ok(())
            }
            None => Err(self.error(format!("unterminated {what}"))),
        }
    }

    fn document(&mut self) -> Result<Element, String> {
        // Stack of open elements; the bottom one collects the root.
        let mut stack = vec![Element::default()];
        while self.pos < self.s.len() {
            let rest = self.rest();
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                let raw = &rest[..end];
                if stack.len() == 1 {
                    if !raw.trim().is_empty() {
                        return Err(self.error("text outside the root element"));
                    }
                } else {
                    let decoded = decode_entities(raw).map_err(|e| self.error(e))?;
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&decoded);
                    }
                }
                self.pos += end;
            } else if rest.starts_with("<?") {
                self.skip_past("?>", "processing instruction")?;
            } else if rest.starts_with("<!--") {
                self.skip_past("-->", "comment")?;
            } else if rest.starts_with("<![CDATA[") {
                let start = self.pos + "<![CDATA[".len();
                self.skip_past("]]>", "CDATA section")?;
                let data = &self.s[start..self.pos - 3];
                if stack.len() < 2 {
                    return Err(self.error("CDATA outside the root element"));
                }
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(data);
                }
            } else if rest.starts_with("<!") {
                if rest[..rest.find('>').unwrap_or(rest.len())].contains('[') {
                    return Err(self.error("DOCTYPE with internal subset is not supported"));
                }
                self.skip_past(">", "declaration")?;
            } else if rest.starts_with("</") {
                let end = rest
                    .find('>')
                    .ok_or_else(|| self.error("unterminated end tag"))?;
                let name = rest[2..end].trim();
                if stack.len() < 2 {
                    return Err(self.error(format!("unexpected end tag </{name}>")));
                }
                let done = stack.pop().unwrap_or_default();
                if done.name != name {
                    return Err(
                        self.error(format!("end tag </{name}> does not close <{}>", done.name))
                    );
                }
                self.pos += end + 1;
                self.attach(&mut stack, done)?;
            } else {
                let (name, self_closing, len) = self.start_tag()?;
                self.pos += len;
                let element = Element {
                    name,
                    ..Default::default()
                };
                if self_closing {
                    self.attach(&mut stack, element)?;
                } else {
                    stack.push(element);
                }
            }
        }
        if stack.len() > 1 {
            let open = stack.last().map(|e| e.name.clone()).unwrap_or_default();
            return Err(self.error(format!("element <{open}> is not closed")));
        }
        let mut bottom = stack.pop().unwrap_or_default();
        bottom
            .children
            .pop()
            .ok_or_else(|| self.error("no root element"))
    }

    /// Adds a finished element to its parent (or as the root, which must be the only one).
    fn attach(&self, stack: &mut [Element], element: Element) -> Result<(), String> {
        let root_level = stack.len() == 1;
        let parent = stack.last_mut().ok_or_else(|| self.error("no parent"))?;
        if root_level && !parent.children.is_empty() {
            return Err(self.error(format!("second root element <{}>", element.name)));
        }
        parent.children.push(element);
        Ok(())
    }

    /// The start tag at the cursor: name, whether it is self-closing (`<a/>`), and its
    /// length in bytes. Attributes are skipped (quoted values may contain `>`).
    fn start_tag(&self) -> Result<(String, bool, usize), String> {
        let rest = self.rest();
        let name_end = rest[1..]
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .map_or(rest.len(), |i| i + 1);
        let name = &rest[1..name_end];
        if name.is_empty() {
            return Err(self.error("empty tag name"));
        }
        let mut quote = None;
        for (i, c) in rest[name_end..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    let end = name_end + i;
                    let self_closing = rest[..end].ends_with('/');
                    return Ok((name.to_string(), self_closing, end + 1));
                }
                (None, _) => {}
            }
        }
        Err(self.error(format!("unterminated start tag <{name}")))
    }
}

/// Replaces `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;`, `&#N;` and `&#xN;`.
fn decode_entities(raw: &str) -> Result<String, String> {
    if !raw.contains('&') {
        return Ok(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| format!("unterminated entity in {raw:?}"))?;
        let entity = &after[..end];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("unknown entity &{entity};"))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_voc_like_documents() {
        let doc = "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<annotation verified=\"no\">\n\
            <filename>a &amp; b.jpg</filename>\n<size><width>200</width><height>1</height></size>\n\
            <object><name><![CDATA[x<y]]></name><bndbox a='>'><xmin>1</xmin></bndbox></object>\n\
            <object><name>z</name><empty/></object>\n</annotation>\n";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "annotation");
        assert_eq!(root.child_text("filename"), Some("a & b.jpg"));
        let size = root.child("size").unwrap();
        assert_eq!(size.child_text("width"), Some("200"));
        let objects: Vec<_> = root.children_named("object").collect();
        assert_eq!(objects.len(), 2);
        assert_eq!(objects[0].child_text("name"), Some("x<y"));
        assert_eq!(
            objects[0].child("bndbox").unwrap().child_text("xmin"),
            Some("1")
        );
        assert!(objects[1].child("empty").is_some());
        assert_eq!(decode_entities("&#65;&#x42;").unwrap(), "AB");
    }

    #[test]
    fn malformed_documents_are_errors_with_lines() {
        for (doc, expected) in [
            ("<a>\n<b></a>", "line 2: end tag </a> does not close <b>"),
            ("<a>\n<b>", "line 2: element <b> is not closed"),
            ("", "no root element"),
            ("<a/><b/>", "second root element <b>"),
            ("<a>&bogus;</a>", "unknown entity &bogus;"),
            ("x<a/>", "text outside the root element"),
            ("<a", "unterminated start tag <a"),
            ("<a><!-- x</a>", "unterminated comment"),
        ] {
            let e = parse(doc).unwrap_err();
            assert!(e.contains(expected), "{doc:?}: {e}");
        }
    }
}
