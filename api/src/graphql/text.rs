//! No control characters in any text a request sends (SPEC §9): every string in the query's
//! arguments and in its variables is checked before anything runs. A NUL, an escape or any
//! other control character (tab, line feed and carriage return aside) is refused with
//! `INVALID_INPUT` naming where it was, so no such text reaches a database — PostgreSQL would
//! refuse a NUL with an internal error, and SQLite would store it.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Positioned, Variables};
use async_graphql_value::{ConstValue, Value};

/// Whether `c` may appear in text.
fn allowed(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

fn bad_text(text: &str) -> bool {
    !text.chars().all(allowed)
}

fn const_value(value: &ConstValue) -> bool {
    match value {
        ConstValue::String(s) => bad_text(s),
        ConstValue::List(items) => items.iter().any(const_value),
        ConstValue::Object(map) => map.iter().any(|(k, v)| bad_text(k) || const_value(v)),
        _ => false,
    }
}

fn value(value: &Value) -> bool {
    match value {
        Value::String(s) => bad_text(s),
        Value::List(items) => items.iter().any(self::value),
        Value::Object(map) => map.iter().any(|(k, v)| bad_text(k) || self::value(v)),
        _ => false,
    }
}

fn arguments<'a>(
    args: impl IntoIterator<Item = &'a (Positioned<async_graphql::Name>, Positioned<Value>)>,
) -> Option<String> {
    args.into_iter()
        .find(|(_, v)| value(&v.node))
        .map(|(name, _)| name.node.to_string())
}

fn selections(set: &SelectionSet) -> Option<String> {
    for item in &set.items {
        let (directives, found) = match &item.node {
            Selection::Field(field) => (
                &field.node.directives,
                arguments(&field.node.arguments)
                    .or_else(|| selections(&field.node.selection_set.node)),
            ),
            Selection::FragmentSpread(spread) => (&spread.node.directives, None),
            Selection::InlineFragment(inline) => (
                &inline.node.directives,
                selections(&inline.node.selection_set.node),
            ),
        };
        let found = found.or_else(|| directives.iter().find_map(|d| arguments(&d.node.arguments)));
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The argument or variable holding a control character, if any.
pub fn control_character(doc: &ExecutableDocument, variables: &Variables) -> Option<String> {
    if let Some((name, _)) = variables.iter().find(|(_, v)| const_value(v)) {
        return Some(format!("${name}"));
    }
    for (_, operation) in doc.operations.iter() {
        if let Some(found) = selections(&operation.node.selection_set.node) {
            return Some(found);
        }
        for variable in &operation.node.variable_definitions {
            if variable
                .node
                .default_value
                .as_ref()
                .is_some_and(|d| const_value(&d.node))
            {
                return Some(format!("${}", variable.node.name.node));
            }
        }
    }
    doc.fragments
        .values()
        .find_map(|fragment| selections(&fragment.node.selection_set.node))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, variables: serde_json::Value) -> Option<String> {
        let doc = async_graphql::parser::parse_query(query).unwrap();
        control_character(&doc, &Variables::from_json(variables))
    }

    #[test]
    fn control_characters_are_found_in_arguments_and_variables() {
        assert_eq!(
            check(
                r#"mutation { recordScore(input: {reason: "a\u0000b"}) { id } }"#,
                serde_json::json!({})
            ),
            Some("input".to_owned())
        );
        assert_eq!(
            check(
                "mutation($r: String!) { x(reason: $r) }",
                serde_json::json!({"r": "ok\u{1b}[31m"})
            ),
            Some("$r".to_owned())
        );
        assert_eq!(
            check(
                "query { a { ...F } } fragment F on A { b(text: \"\\u0007\") }",
                serde_json::json!({})
            ),
            Some("text".to_owned())
        );
        assert_eq!(
            check(
                "mutation($r: String!) { x(reason: $r, note: \"line\\nbreak\\ttab\") }",
                serde_json::json!({"r": "多行\r\n文字"})
            ),
            None
        );
    }
}
