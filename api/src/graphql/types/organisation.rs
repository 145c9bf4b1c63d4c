//! 岗位 — a post and its holders, as the organisation page shows them.

use super::{Department, Staff, department_link, staff_link};
use async_graphql::{Context, ID, Object};
use lianban_engine::organisation::PostView;

/// 岗位 — a department's post: its A holder and the B holders who act, in order, while the one
/// before is away (AB岗).
pub struct Post(pub PostView);

#[Object]
impl Post {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    /// A岗.
    async fn a_holder(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.a_holder_id)).await
    }

    /// B岗, in the order they stand in.
    async fn b_holders(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Staff>> {
        let mut out = Vec::with_capacity(self.0.b_holder_ids.len());
        for id in &self.0.b_holder_ids {
            out.extend(staff_link(ctx, Some(*id)).await?);
        }
        Ok(out)
    }

    /// The matters that send tasks to it, by name.
    async fn matters(&self) -> &[String] {
        &self.0.matters
    }

    /// The version an edit names (`savePost(input: { expectedVersion })`).
    async fn version(&self) -> i64 {
        self.0.version
    }
}
