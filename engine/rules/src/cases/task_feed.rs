//! 环节动态 — which logged event is which kind of task event for the portals' queues: a task
//! created, reassigned, its light changed, resolved or cancelled.

use crate::clocks::Light;
use crate::escalation::ladder::Step;
use crate::events::EventKind;
use serde_json::Value;

/// What happened to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskEventKind {
    /// A case was accepted and the task created for its department.
    Created,
    /// It moved to another staff member (AB post, transfer, absence ending).
    Reassigned,
    /// Its light changed: yellow at the reminder rung, red at the deadline.
    LightChanged,
    /// The department's opinion is in (or consent was deemed).
    Resolved,
    /// The case was withdrawn.
    Cancelled,
}

/// Which kind of task event a logged event is, and its light; `None` for events that are not
/// about a task's place in a queue.
pub fn classify(kind: &str, after: Option<&Value>) -> Option<(TaskEventKind, Option<Light>)> {
    let is = |k: EventKind| kind == k.as_str();
    if is(EventKind::TaskCreated) {
        Some((TaskEventKind::Created, None))
    } else if is(EventKind::TaskReassigned) || is(EventKind::TaskTransferred) {
        Some((TaskEventKind::Reassigned, None))
    } else if is(EventKind::TaskResolved) || is(EventKind::TaskDeemedApproved) {
        Some((TaskEventKind::Resolved, None))
    } else if is(EventKind::TaskCancelled) {
        Some((TaskEventKind::Cancelled, None))
    } else if is(EventKind::Escalated) {
        match after.and_then(|a| a.get("step")).and_then(Value::as_str) {
            Some(step) if step == Step::Reminder.key() => {
                Some((TaskEventKind::LightChanged, Some(Light::Yellow)))
            }
            Some(step) if step == Step::Due.key() => {
                Some((TaskEventKind::LightChanged, Some(Light::Red)))
            }
            _ => None,
        }
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queue_events_are_told_apart_and_other_events_are_not_task_events() {
        assert_eq!(
            classify("TASK_CREATED", None),
            Some((TaskEventKind::Created, None))
        );
        assert_eq!(
            classify("TASK_TRANSFERRED", None),
            Some((TaskEventKind::Reassigned, None))
        );
        assert_eq!(
            classify("TASK_DEEMED_APPROVED", None),
            Some((TaskEventKind::Resolved, None))
        );
        assert_eq!(
            classify("ESCALATED", Some(&json!({ "step": Step::Reminder.key() }))),
            Some((TaskEventKind::LightChanged, Some(Light::Yellow)))
        );
        assert_eq!(
            classify("ESCALATED", Some(&json!({ "step": Step::Due.key() }))),
            Some((TaskEventKind::LightChanged, Some(Light::Red)))
        );
        assert_eq!(
            classify("ESCALATED", Some(&json!({ "step": Step::Daily(1).key() }))),
            None,
            "a daily reminder leaves the light red"
        );
        assert_eq!(classify("CASE_DECIDED", None), None);
    }
}
