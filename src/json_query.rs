//! `--query EXPR`: a JMESPath expression (the `jmespath` crate, the language of the aws,
//! KooCLI and tccli `--query`) applied to the JSON document a command prints: the array of
//! images of `list`, the object of `show` or `diff`. The result is printed in the `--output`
//! format ([`crate::output::render_value`]).
//!
//! The expression is compiled before any request is made: a bad one is a usage error that points
//! at the character where it goes wrong.

use serde_json::Value;

/// What can go wrong with `--query`; both are usage errors (exit 2).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    /// The expression does not parse.
    #[error(
        "--query: invalid JMESPath expression {expression:?} at character {position} ({}): {reason}; see https://jmespath.org/specification.html",
        if excerpt.is_empty() { "its end".to_string() } else { format!("at {excerpt:?}") }
    )]
    Syntax {
        /// Where, counted from 1 in characters.
        position: usize,
        /// What the parser expected or found.
        reason: String,
        /// The expression.
        expression: String,
        /// The expression from the position on (at most 20 characters).
        excerpt: String,
    },
    /// The expression does not apply to the document (a function given a value of the wrong
    /// type, an unknown function, ...).
    #[error("--query: the expression fails on this document at character {position}: {reason}")]
    Runtime {
        /// Where, counted from 1 in characters.
        position: usize,
        /// Why.
        reason: String,
    },
    /// The document is not JSON (a bug: imgcat writes it).
    #[error("--query: the document to query is not JSON: {0}")]
    Document(String),
}

/// A compiled `--query` expression.
pub struct JsonQuery {
    expression: jmespath::Expression<'static>,
}

impl std::fmt::Debug for JsonQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("JsonQuery")
            .field(&self.expression.as_str())
            .finish()
    }
}

impl JsonQuery {
    /// Compiles `text`.
    pub fn compile(text: &str) -> Result<JsonQuery, QueryError> {
        jmespath::compile(text)
            .map(|expression| JsonQuery { expression })
            .map_err(|e| {
                let (position, reason) = position_and_reason(&e);
                match e.reason {
                    jmespath::ErrorReason::Parse(_) => QueryError::Syntax {
                        position,
                        reason,
                        expression: text.to_string(),
                        excerpt: text.chars().skip(e.offset).take(20).collect(),
                    },
                    jmespath::ErrorReason::Runtime(_) => QueryError::Runtime { position, reason },
                }
            })
    }

    /// The expression as given.
    pub fn as_str(&self) -> &str {
        self.expression.as_str()
    }

    /// Applies the expression to `document`, JSON text.
    pub fn apply(&self, document: &[u8]) -> Result<Value, QueryError> {
        let text =
            std::str::from_utf8(document).map_err(|e| QueryError::Document(e.to_string()))?;
        let data: jmespath::Rcvar = jmespath::Variable::from_json(text)
            .map_err(QueryError::Document)?
            .into();
        // `interpret` rather than `Expression::search`, which would copy the whole document
        // through serde first.
        let mut context =
            jmespath::Context::new(self.expression.as_str(), &jmespath::DEFAULT_RUNTIME);
        let result =
            jmespath::interpret(&data, self.expression.as_ast(), &mut context).map_err(|e| {
                let (position, reason) = position_and_reason(&e);
                QueryError::Runtime { position, reason }
            })?;
        serde_json::to_value(&*result).map_err(|e| QueryError::Document(e.to_string()))
    }

    /// Applies the expression to a value.
    pub fn apply_value(&self, document: &Value) -> Result<Value, QueryError> {
        let text = serde_json::to_vec(document).map_err(|e| QueryError::Document(e.to_string()))?;
        self.apply(&text)
    }
}

/// The 1-based character position and the reason, without the crate's multi-line rendering.
fn position_and_reason(e: &jmespath::JmespathError) -> (usize, String) {
    let reason = match &e.reason {
        jmespath::ErrorReason::Parse(text) => text.clone(),
        jmespath::ErrorReason::Runtime(runtime) => runtime.to_string(),
    };
    let one_line: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    (e.offset + 1, one_line.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn images() -> Value {
        json!([
            {"id": "a", "os_family": "ubuntu", "size": 3, "name": "Ubuntu 22.04"},
            {"id": "b", "os_family": "centos", "size": 1, "name": "CentOS 7"},
            {"id": "c", "os_family": "ubuntu", "size": null, "name": "Ubuntu 20.04"},
        ])
    }

    fn run(expr: &str, doc: &Value) -> Value {
        JsonQuery::compile(expr)
            .and_then(|q| q.apply_value(doc))
            .unwrap_or_else(|e| panic!("{expr}: {e}"))
    }

    #[test]
    fn filters_projects_and_keeps_types() {
        let doc = images();
        assert_eq!(run("[?os_family=='ubuntu'].id", &doc), json!(["a", "c"]));
        assert_eq!(
            run("[].{id: id, n: name}", &doc)[0],
            json!({"id": "a", "n": "Ubuntu 22.04"})
        );
        assert_eq!(run("[].[id, size]", &doc)[0], json!(["a", 3]));
        assert_eq!(run("length(@)", &doc), json!(3));
        assert_eq!(run("[?size > `2`].id", &doc), json!(["a"]));
        assert_eq!(run("[0].nothing", &doc), Value::Null);
        assert_eq!(run("sort_by([?size], &size)[].id", &doc), json!(["b", "a"]));
    }

    #[test]
    fn a_bad_expression_points_at_its_position() {
        let e = JsonQuery::compile("[?os_family=='ubuntu'.id").unwrap_err();
        let text = e.to_string();
        assert!(!text.contains('\n'), "one line: {text}");
        match &e {
            QueryError::Syntax {
                position, excerpt, ..
            } => {
                assert!(*position > 1, "{text}");
                assert!(
                    "[?os_family=='ubuntu'.id".ends_with(excerpt.as_str()),
                    "{text}"
                );
            }
            other => panic!("not a syntax error: {other:?}"),
        }
        assert!(text.contains("[?os_family=='ubuntu'.id"), "{text}");
        let e = JsonQuery::compile("foo[").unwrap_err();
        assert!(e.to_string().contains("character"), "{e}");
    }

    #[test]
    fn an_expression_that_fails_on_the_data_is_a_runtime_error() {
        let q = JsonQuery::compile("length(`1`)").unwrap_or_else(|e| panic!("{e}"));
        let e = q.apply_value(&images()).unwrap_err();
        assert!(matches!(e, QueryError::Runtime { .. }), "{e:?}");
        assert!(!e.to_string().contains('\n'), "{e}");
    }
}
