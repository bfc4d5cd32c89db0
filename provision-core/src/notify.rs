//! Notification values and templates (being written).

/// Why a template does not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A placeholder the renderer does not know.
    #[error("unknown placeholder {{${name}}} at position {position}")]
    UnknownPlaceholder {
        /// The placeholder's name.
        name: String,
        /// Its byte offset.
        position: usize,
    },
}
