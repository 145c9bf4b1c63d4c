//! Mutations, one file per part of the work: signing in, intake at the window, review by the
//! departments, decisions and their aftermath, the calendar, and supervision (督办).

mod accountability;
mod accounts;
mod admin;
mod complaints;
mod decision;
mod intake;
mod organisation;
mod review;
mod services;
mod session;
mod supervision;

use async_graphql::MergedObject;

/// The root of every change.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    session::SessionMutation,
    accounts::AccountsMutation,
    organisation::OrganisationMutation,
    intake::IntakeMutation,
    review::ReviewMutation,
    decision::DecisionMutation,
    admin::AdminMutation,
    supervision::SupervisionMutation,
    complaints::ComplaintMutation,
    accountability::AccountabilityMutation,
    services::ServicesMutation,
);
