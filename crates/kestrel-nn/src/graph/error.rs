//! The error type of graph networks.

/// What can go wrong when building or running a [`GraphNet`](super::GraphNet).
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum GraphError {
    /// The graph uses an operator, attribute or value kind this interpreter lacks.
    #[error("{node}: {what} is not supported")]
    Unsupported {
        /// The node (`Op -> output`).
        node: String,
        /// What is missing.
        what: String,
    },
    /// A node's inputs do not fit together (shapes, kinds, counts).
    #[error("{node}: {message}")]
    Invalid {
        /// The node (`Op -> output`).
        node: String,
        /// What does not fit.
        message: String,
    },
    /// A trainable weight has no value, or a value of the wrong size.
    #[error("weight {name}: {message}")]
    Weight {
        /// The ONNX name of the weight.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The caller gave the wrong number of inputs or asked for a value the graph lacks.
    #[error("{0}")]
    Call(String),
}
