//! Entry points for the coverage-guided fuzz targets in `fuzz/` (feature `fuzzing`,
//! never on by default): the S3 XML reader and the error-body reader, which are
//! otherwise internal. Nothing here is a stable API; it exists so that the fuzzer
//! drives the very code the client and the mock run, without making that code public.

use std::fmt::Write as _;

/// One element of a parsed document, as the internal reader builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlElement {
    /// The local name (namespace prefix dropped).
    pub name: String,
    /// The element's text (trimmed pieces, concatenated).
    pub text: String,
    /// The child elements, in document order.
    pub children: Vec<XmlElement>,
}

impl From<crate::xml::Element> for XmlElement {
    fn from(element: crate::xml::Element) -> Self {
        XmlElement {
            name: element.name,
            text: element.text,
            children: element.children.into_iter().map(XmlElement::from).collect(),
        }
    }
}

impl XmlElement {
    /// The element written back as XML: its text first, whitespace and markup
    /// characters as character references (so that nothing is trimmed or read as
    /// markup), then its children. Reading it back must give `self`.
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        let _ = write!(out, "<{}>", self.name);
        for c in self.text.chars() {
            if c.is_whitespace() || matches!(c, '<' | '>' | '&' | '\'' | '"') {
                let _ = write!(out, "&#x{:x};", u32::from(c));
            } else {
                // XML refuses references to control characters; the reader takes them raw.
                out.push(c);
            }
        }
        for child in &self.children {
            child.write(out);
        }
        let _ = write!(out, "</{}>", self.name);
    }
}

/// Parses an S3 XML document into its root element, or says why it cannot.
pub fn parse_xml(bytes: &[u8]) -> Result<XmlElement, String> {
    crate::xml::parse(bytes)
        .map(XmlElement::from)
        .map_err(|e| e.to_string())
}

/// The code and message of an error body (JSON or XML), as the client reads them.
pub fn parse_error_body(body: &[u8]) -> (Option<String>, String) {
    let body = crate::error::parse_error_body(body);
    (body.code, body.message)
}

/// The error the client returns for an answer with HTTP `status` and `body`.
pub fn server_error(status: u16, body: &[u8]) -> provision_core::Error {
    crate::error::server_error(status, None, body)
}
