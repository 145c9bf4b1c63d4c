//! The README's GraphQL operations, by name, so the walkthrough a person pastes is the one the
//! tests run.

use std::collections::HashMap;
use std::sync::OnceLock;

const README: &str = include_str!("../../../README.md");

fn operations() -> &'static HashMap<String, String> {
    static OPS: OnceLock<HashMap<String, String>> = OnceLock::new();
    OPS.get_or_init(|| {
        let mut ops = HashMap::new();
        let mut rest = README;
        while let Some(start) = rest.find("```graphql\n") {
            let body = &rest[start + "```graphql\n".len()..];
            let end = body
                .find("```")
                .expect("unterminated graphql block in README");
            let block = &body[..end];
            let name = block
                .split_whitespace()
                .skip_while(|w| !["query", "mutation", "subscription"].contains(w))
                .nth(1)
                .expect("README operation without a name")
                .split(['(', '{'])
                .next()
                .unwrap()
                .to_owned();
            ops.insert(name, block.to_owned());
            rest = &body[end + 3..];
        }
        ops
    })
}

/// The README operation called `name`.
pub fn operation(name: &str) -> &'static str {
    operations()
        .get(name)
        .unwrap_or_else(|| panic!("README has no GraphQL operation `{name}`"))
}
