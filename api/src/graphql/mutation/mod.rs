//! Mutations, one file per part of the work: signing in, intake at the window, review by the
//! departments, decisions and their aftermath, the calendar, and supervision (督办).

mod accountability;
mod admin;
mod complaints;
mod decision;
mod intake;
mod review;
mod services;
mod session;
mod supervision;

use crate::graphql::errors::Gql;
use crate::graphql::types::{Case, engine};
use async_graphql::{Context, MergedObject};
use lianban_engine::Actor;
use lianban_engine::entity::case;

/// The root of every change.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    session::SessionMutation,
    intake::IntakeMutation,
    review::ReviewMutation,
    decision::DecisionMutation,
    admin::AdminMutation,
    supervision::SupervisionMutation,
    complaints::ComplaintMutation,
    accountability::AccountabilityMutation,
    services::ServicesMutation,
);

/// The case a mutation changed, as the actor may now see it.
pub(crate) async fn case_out(
    ctx: &Context<'_>,
    actor: &Actor,
    case: case::Model,
) -> async_graphql::Result<Case> {
    Ok(Case::from(
        engine(ctx)?.case_view(actor, case.id).await.gql()?,
    ))
}
