//! Who may do what (SPEC §1). Every engine operation asks these functions before it acts;
//! resolvers never decide permissions themselves.

use crate::error::{Error, Result};
use crate::roles::{Role, RoleSet};
use uuid::Uuid;

/// The signed-in staff member an operation runs for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The staff member.
    pub staff_id: Uuid,
    /// Their department.
    pub department_id: Uuid,
    /// Their roles.
    pub roles: RoleSet,
}

impl Actor {
    /// Whether the actor holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(role)
    }

    /// Whether the actor may read every case of the centre.
    pub fn reads_everything(&self) -> bool {
        self.has(Role::CenterAdmin) || self.has(Role::Leader) || self.has(Role::Supervisor)
    }

    /// Refuses unless the actor holds `role`.
    ///
    /// # Errors
    /// `FORBIDDEN` naming the role needed for `doing`.
    pub fn require(&self, role: Role, doing: &str) -> Result<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "{doing} needs the {} role",
                role.as_str()
            )))
        }
    }
}

/// The facts about a case that permissions depend on.
#[derive(Debug, Clone)]
pub struct CaseScope {
    /// The department of the lead window (the window that owns the case).
    pub lead_department_id: Uuid,
    /// The window staff member who opened the case.
    pub lead_staff_id: Uuid,
    /// The departments that have a task on the case.
    pub task_departments: Vec<Uuid>,
}

/// Whether the actor is the case's lead window: a `WINDOW` of the lead window's department.
/// Whether `actor` oversees supervision items centre-wide (a supervisor, a leader or the centre
/// admin).
pub fn oversees(actor: &Actor) -> bool {
    actor.has(Role::Supervisor) || actor.has(Role::Leader) || actor.has(Role::CenterAdmin)
}

/// Whether `actor` is the case's lead window.
pub fn is_lead_window(actor: &Actor, case: &CaseScope) -> bool {
    actor.has(Role::Window)
        && (actor.staff_id == case.lead_staff_id || actor.department_id == case.lead_department_id)
}

/// Refuses unless the actor is the case's lead window.
///
/// # Errors
/// `FORBIDDEN` for anybody else.
pub fn require_lead_window(actor: &Actor, case: &CaseScope, doing: &str) -> Result<()> {
    if is_lead_window(actor, case) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "only the case's lead window may {doing}"
        )))
    }
}

/// Refuses unless the actor may archive the case: its lead window, or a centre admin.
///
/// # Errors
/// `FORBIDDEN` for anybody else.
pub fn require_archiver(actor: &Actor, case: &CaseScope) -> Result<()> {
    if actor.has(Role::CenterAdmin) {
        Ok(())
    } else {
        require_lead_window(actor, case, "archive it")
    }
}

/// Refuses unless the actor may approve an extension of a case of `kind` (SPEC §3): a
/// `DEPT_HEAD` of the lead department, or for a joint case a `LEADER` of the centre.
///
/// # Errors
/// `FORBIDDEN` naming who approves it.
pub fn require_extension_approver(
    actor: &Actor,
    kind: crate::enums::CaseKind,
    case: &CaseScope,
) -> Result<()> {
    let approver = crate::cases::signer_role(kind);
    if actor.has(approver)
        && (approver == Role::Leader || actor.department_id == case.lead_department_id)
    {
        return Ok(());
    }
    Err(Error::Forbidden(format!(
        "an extension of this case is approved by {} {}",
        if approver == Role::Leader {
            "a centre"
        } else {
            "the lead department's"
        },
        approver.as_str()
    )))
}

/// Whether the actor handles the case: its lead window's department or a department with a task.
pub fn handles_case(actor: &Actor, case: &CaseScope) -> bool {
    actor.department_id == case.lead_department_id
        || case.task_departments.contains(&actor.department_id)
}

/// Whether the actor may read the case at all.
pub fn may_read_case(actor: &Actor, case: &CaseScope) -> bool {
    actor.reads_everything() || handles_case(actor, case)
}

/// Whether the actor sees every department's part of the case (tasks, opinions, their events):
/// the lead window's department, which merges them, and those who read everything. A
/// co-handling department sees its own part only.
pub fn sees_every_task(actor: &Actor, case: &CaseScope) -> bool {
    actor.reads_everything() || actor.department_id == case.lead_department_id
}

/// Whether the actor sees the applicant's personal data (ID number, phone) unmasked.
pub fn sees_personal_data(actor: &Actor, case: &CaseScope) -> bool {
    handles_case(actor, case)
}

/// The facts about a task that permissions depend on.
#[derive(Debug, Clone, Copy)]
pub struct TaskScope {
    /// The department whose task it is.
    pub department_id: Uuid,
    /// The staff member it is assigned to.
    pub assignee_id: Uuid,
}

/// Refuses unless the actor may give the department's opinion on the task: its assignee, or
/// the head of its department.
///
/// # Errors
/// `FORBIDDEN` for another department's staff or a colleague the task is not assigned to.
pub fn require_task_worker(actor: &Actor, task: TaskScope) -> Result<()> {
    if actor.department_id != task.department_id {
        return Err(Error::Forbidden(
            "this task belongs to another department".to_owned(),
        ));
    }
    if actor.has(Role::DeptHead) {
        return Ok(());
    }
    if actor.has(Role::Reviewer) && actor.staff_id == task.assignee_id {
        return Ok(());
    }
    Err(Error::Forbidden(
        "this task is assigned to a colleague; ask the department head to transfer it".to_owned(),
    ))
}

/// What a reader sees of a staff member (SPEC §1): signed-in staff see the name, username and
/// roles of the people they work with; the email only the person, their department head and
/// the centre admin (who keep accounts and absences); the absences the person's own
/// department (who acts for whom) and those who read everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffVisibility {
    /// The email address.
    pub contact: bool,
    /// The absences (离岗/请假).
    pub absences: bool,
}

/// What `reader` sees of the staff member `staff_id` of `department_id`.
pub fn staff_visibility(reader: &Actor, staff_id: Uuid, department_id: Uuid) -> StaffVisibility {
    let own = reader.staff_id == staff_id;
    let same_department = reader.department_id == department_id;
    let admin = reader.has(Role::CenterAdmin);
    StaffVisibility {
        contact: own || admin || (same_department && reader.has(Role::DeptHead)),
        absences: own || same_department || reader.reads_everything(),
    }
}

/// Which members of `department_id` a department's staff list shows `reader`: all of them to
/// its own staff and to those who read everything; to others only its window staff (the front
/// desk, whom colleagues refer applicants to and the duty officer summons).
pub fn lists_whole_department(reader: &Actor, department_id: Uuid) -> bool {
    reader.department_id == department_id || reader.reads_everything()
}

/// Masks all but the first and last characters of a personal datum.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 | 2 => "*".repeat(chars.len()),
        n => {
            let keep = if n > 8 { 3 } else { 1 };
            let head: String = chars[..keep].iter().collect();
            let tail: String = chars[n - keep..].iter().collect();
            format!("{head}{}{tail}", "*".repeat(n - 2 * keep))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(department: Uuid, roles: &[Role]) -> Actor {
        Actor {
            staff_id: Uuid::now_v7(),
            department_id: department,
            roles: RoleSet::of(roles),
        }
    }

    #[test]
    fn only_the_assignee_or_the_department_head_may_work_a_task() {
        let dept = Uuid::now_v7();
        let assignee = actor(dept, &[Role::Reviewer]);
        let colleague = actor(dept, &[Role::Reviewer]);
        let head = actor(dept, &[Role::DeptHead]);
        let stranger = actor(Uuid::now_v7(), &[Role::DeptHead, Role::Reviewer]);
        let task = TaskScope {
            department_id: dept,
            assignee_id: assignee.staff_id,
        };
        assert!(require_task_worker(&assignee, task).is_ok());
        assert!(require_task_worker(&head, task).is_ok());
        assert_eq!(
            require_task_worker(&colleague, task).unwrap_err().code(),
            "FORBIDDEN"
        );
        assert_eq!(
            require_task_worker(&stranger, task).unwrap_err().code(),
            "FORBIDDEN"
        );
    }

    #[test]
    fn leaders_read_every_case_but_see_personal_data_masked() {
        let case = CaseScope {
            lead_department_id: Uuid::now_v7(),
            lead_staff_id: Uuid::now_v7(),
            task_departments: vec![Uuid::now_v7()],
        };
        let leader = actor(Uuid::now_v7(), &[Role::Leader]);
        assert!(may_read_case(&leader, &case));
        assert!(!sees_personal_data(&leader, &case));
        let reviewer = actor(case.task_departments[0], &[Role::Reviewer]);
        assert!(may_read_case(&reviewer, &case));
        assert!(sees_personal_data(&reviewer, &case));
        let outsider = actor(Uuid::now_v7(), &[Role::Reviewer]);
        assert!(!may_read_case(&outsider, &case));
    }

    #[test]
    fn a_co_handling_department_sees_its_own_part_and_the_lead_sees_all() {
        let case = CaseScope {
            lead_department_id: Uuid::now_v7(),
            lead_staff_id: Uuid::now_v7(),
            task_departments: vec![Uuid::now_v7(), Uuid::now_v7()],
        };
        assert!(!sees_every_task(
            &actor(case.task_departments[0], &[Role::DeptHead]),
            &case
        ));
        assert!(sees_every_task(
            &actor(case.lead_department_id, &[Role::Window]),
            &case
        ));
        assert!(sees_every_task(
            &actor(Uuid::now_v7(), &[Role::Supervisor]),
            &case
        ));
    }

    #[test]
    fn email_and_absences_only_where_the_role_needs_them() {
        let dept = Uuid::now_v7();
        let person = actor(dept, &[Role::Reviewer]);
        let see = |reader: &Actor| staff_visibility(reader, person.staff_id, dept);
        let all = StaffVisibility {
            contact: true,
            absences: true,
        };
        assert_eq!(see(&person), all, "oneself");
        assert_eq!(
            see(&actor(dept, &[Role::DeptHead])),
            all,
            "the department head"
        );
        assert_eq!(
            see(&actor(Uuid::now_v7(), &[Role::CenterAdmin])),
            all,
            "the centre admin"
        );
        assert_eq!(
            see(&actor(dept, &[Role::Reviewer])),
            StaffVisibility {
                contact: false,
                absences: true
            },
            "a colleague knows who is away, not the address"
        );
        assert_eq!(
            see(&actor(Uuid::now_v7(), &[Role::Leader])),
            StaffVisibility {
                contact: false,
                absences: true
            }
        );
        assert_eq!(
            see(&actor(Uuid::now_v7(), &[Role::Reviewer, Role::DeptHead])),
            StaffVisibility {
                contact: false,
                absences: false
            },
            "another department's head"
        );
        assert!(lists_whole_department(&person, dept));
        assert!(!lists_whole_department(
            &actor(Uuid::now_v7(), &[Role::Reviewer]),
            dept
        ));
        assert!(lists_whole_department(
            &actor(Uuid::now_v7(), &[Role::Supervisor]),
            dept
        ));
    }

    #[test]
    fn masking_keeps_only_the_ends() {
        assert_eq!(mask("110101199003071234"), "110************234");
        assert_eq!(mask("13800138000"), "138*****000");
        assert_eq!(mask("张三"), "**");
    }
}
