//! The supervision item's lifecycle (SPEC §2): 立项 `OPENED` → 承办 `ASSIGNED` → 督办 `CHASED`
//! (any number of times) → 反馈 `ANSWERED` → 归档 `ARCHIVED`. Pure: which step may follow which.

use crate::enums::SupervisionStatus;
use crate::error::{Error, Result};
use uuid::Uuid;

/// A step of the lifecycle after the item is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupervisionStep {
    /// 承办: names who answers for the department (again, to hand it to somebody else).
    Assign,
    /// 督办: chases the assignee.
    Chase,
    /// 反馈: the department's answer.
    Answer,
    /// 归档: closes the item.
    Archive,
}

/// The status after `step`, or `INVALID_STATE` when the item's status does not allow it.
///
/// # Errors
/// `INVALID_STATE` naming the status and the step.
pub fn next_status(current: SupervisionStatus, step: SupervisionStep) -> Result<SupervisionStatus> {
    use SupervisionStatus as S;
    use SupervisionStep as V;
    let next = match (current, step) {
        (S::Opened | S::Assigned | S::Chased, V::Assign) => S::Assigned,
        (S::Assigned | S::Chased, V::Chase) => S::Chased,
        (S::Assigned | S::Chased, V::Answer) => S::Answered,
        (S::Answered, V::Archive) => S::Archived,
        _ => {
            return Err(Error::InvalidState(format!(
                "a supervision item that is {current:?} cannot be {}",
                match step {
                    V::Assign => "assigned",
                    V::Chase => "chased",
                    V::Answer => "answered",
                    V::Archive => "archived",
                }
            )));
        }
    };
    Ok(next)
}

/// What a new item is about.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub department_id: Uuid,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    /// The clock whose overrun opened it (the ladder's items).
    pub clock_id: Option<Uuid>,
    pub source: crate::enums::SupervisionSource,
    pub title: String,
    pub detail: String,
    pub opened_by: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use SupervisionStatus as S;
    use SupervisionStep as V;

    #[test]
    fn an_item_goes_opened_assigned_chased_answered_archived() {
        let mut status = S::Opened;
        for step in [V::Assign, V::Chase, V::Chase, V::Answer, V::Archive] {
            status = next_status(status, step).unwrap();
        }
        assert_eq!(status, S::Archived);
    }

    #[test]
    fn no_step_is_skipped_and_nothing_follows_the_archive() {
        assert!(
            next_status(S::Opened, V::Chase).is_err(),
            "chase before anybody answers for it"
        );
        assert!(next_status(S::Opened, V::Answer).is_err());
        assert!(
            next_status(S::Assigned, V::Archive).is_err(),
            "archive before an answer"
        );
        assert!(next_status(S::Answered, V::Chase).is_err());
        for step in [V::Assign, V::Chase, V::Answer, V::Archive] {
            assert!(next_status(S::Archived, step).is_err());
        }
    }
}
