//! AB岗 — who works a post's task (SPEC §6): the holder it belongs to while they are present;
//! while they are away, the first available holder of the post (A, then B holders in order),
//! acting for them. Pure.

use std::collections::HashSet;
use uuid::Uuid;

/// Who should work a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    /// The staff member who works it.
    pub assignee: Uuid,
    /// Whom they act for (the away holder the task belongs to).
    pub acting_for: Option<Uuid>,
    /// True when every holder of the post is away (the task stays with its holder and the
    /// centre admin is alerted).
    pub nobody_available: bool,
}

/// The assignment of a task that belongs to `owner`, on a post whose holders are `chain`
/// (A first, then the B holders in order), given who is `away`.
pub fn assign(owner: Uuid, chain: &[Uuid], away: &HashSet<Uuid>) -> Assignment {
    if !away.contains(&owner) {
        return Assignment {
            assignee: owner,
            acting_for: None,
            nobody_available: false,
        };
    }
    match chain.iter().find(|s| **s != owner && !away.contains(s)) {
        Some(stand_in) => Assignment {
            assignee: *stand_in,
            acting_for: Some(owner),
            nobody_available: false,
        },
        None => Assignment {
            assignee: owner,
            acting_for: None,
            nobody_available: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_present_holder_acts_for_an_away_one() {
        let (a, b1, b2) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let chain = [a, b1, b2];
        let nobody_away = HashSet::new();
        assert_eq!(
            assign(a, &chain, &nobody_away),
            Assignment {
                assignee: a,
                acting_for: None,
                nobody_available: false
            }
        );
        let a_away = HashSet::from([a]);
        assert_eq!(
            assign(a, &chain, &a_away),
            Assignment {
                assignee: b1,
                acting_for: Some(a),
                nobody_available: false
            }
        );
        let a_b1_away = HashSet::from([a, b1]);
        assert_eq!(assign(a, &chain, &a_b1_away).assignee, b2);
        let all_away = HashSet::from([a, b1, b2]);
        assert_eq!(
            assign(a, &chain, &all_away),
            Assignment {
                assignee: a,
                acting_for: None,
                nobody_available: true
            }
        );
        // A task transferred to a colleague outside the chain goes back to the chain when they leave.
        let colleague = Uuid::now_v7();
        assert_eq!(
            assign(colleague, &chain, &HashSet::from([colleague])).assignee,
            a
        );
    }
}
