//! A small XML tree for S3 bodies: the answers the client reads and the requests the
//! mock server reads. S3 documents are small and shallow, so a tree is simpler and
//! more tolerant (unknown elements, any order, interleaved lists) than typed serde.

use quick_xml::events::Event;
use quick_xml::Reader;

/// One element: its local name, its text and its child elements in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// The first child called `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
}

/// Why a body is not XML we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed XML: {0}")]
pub(crate) struct XmlError(String);

/// Parses a document into its root element (namespace prefixes dropped).
pub(crate) fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    let text = std::str::from_utf8(bytes).map_err(|e| XmlError(e.to_string()))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<Element> = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => stack.push(Element {
                name: local_name(start.local_name().as_ref())?,
                ..Element::default()
            }),
            Ok(Event::Empty(empty)) => {
                let element = Element {
                    name: local_name(empty.local_name().as_ref())?,
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Ok(Event::Text(text)) => {
                let unescaped = text.unescape().map_err(|e| XmlError(e.to_string()))?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&unescaped);
                }
            }
            Ok(Event::CData(data)) => {
                let decoded = data.decode().map_err(|e| XmlError(e.to_string()))?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&decoded);
                }
            }
            Ok(Event::End(_)) => {
                let Some(done) = stack.pop() else {
                    return Err(XmlError("closing tag without opening tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Ok(Event::Eof) => return Err(XmlError("document ends before its root closes".into())),
            Ok(_) => {}
            Err(e) => return Err(XmlError(e.to_string())),
        }
    }
}

fn local_name(raw: &[u8]) -> Result<String, XmlError> {
    std::str::from_utf8(raw)
        .map(str::to_owned)
        .map_err(|e| XmlError(e.to_string()))
}

/// Escapes text for an element body.
pub(crate) fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_interleaved_lists_and_escapes() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Version><Key>a&amp;b</Key><VersionId>v1</VersionId></Version>
  <DeleteMarker><Key>a&amp;b</Key><VersionId>v2</VersionId></DeleteMarker>
  <Version><Key>c</Key><VersionId>null</VersionId></Version>
  <IsTruncated>false</IsTruncated><Empty/>
</ListVersionsResult>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "ListVersionsResult");
        let names: Vec<_> = root.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["Version", "DeleteMarker", "Version", "IsTruncated", "Empty"]
        );
        assert_eq!(root.children[0].child_text("Key"), Some("a&b"));
        assert_eq!(root.children_named("Version").count(), 2);
        assert_eq!(escape("a<b&c"), "a&lt;b&amp;c");
    }

    #[test]
    fn rejects_truncated_documents() {
        assert!(parse(b"<Error><Code>x</Code>").is_err());
        assert!(parse(b"not xml at all").is_err());
        assert!(parse(b"").is_err());
    }
}
