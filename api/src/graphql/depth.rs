//! The query depth limit, outside introspection: a portal's query may nest at most
//! [`MAX_DEPTH`] fields deep (a case's tasks' case's tasks… multiply the work at each level),
//! while `__schema` and `__type` — whose standard query from GraphiQL, code generators and
//! fuzzers is deeper than that but bounded by the schema — are not counted.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// Deepest query accepted, introspection aside.
pub const MAX_DEPTH: usize = 12;

/// How deep `set` nests, counting fields; fragments are followed (each at most `budget` deep,
/// so a fragment cycle — refused later by validation — cannot loop here).
fn depth(doc: &ExecutableDocument, set: &SelectionSet, budget: usize) -> usize {
    if budget == 0 {
        return 0;
    }
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                let name = field.node.name.node.as_str();
                if name == "__schema" || name == "__type" {
                    1
                } else {
                    1 + depth(doc, &field.node.selection_set.node, budget - 1)
                }
            }
            Selection::InlineFragment(inline) => {
                depth(doc, &inline.node.selection_set.node, budget)
            }
            Selection::FragmentSpread(spread) => doc
                .fragments
                .get(&spread.node.fragment_name.node)
                .map_or(0, |f| depth(doc, &f.node.selection_set.node, budget - 1)),
        })
        .max()
        .unwrap_or(0)
}

/// How deep the deepest operation of `doc` nests (up to `MAX_DEPTH + 1`).
pub fn deepest(doc: &ExecutableDocument) -> usize {
    doc.operations
        .iter()
        .map(|(_, op)| depth(doc, &op.node.selection_set.node, MAX_DEPTH + 1))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    fn deepest(query: &str) -> usize {
        super::deepest(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn fields_count_fragments_are_followed_and_introspection_is_free() {
        assert_eq!(deepest("{ me { department { name } } }"), 3);
        assert_eq!(
            deepest("query { ...F } fragment F on Query { me { id } }"),
            2
        );
        assert_eq!(
            deepest(
                "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }"
            ),
            1
        );
    }
}
