//! 组织 — what a change to the organisation may not leave behind (SPEC §6, AB岗): a post that
//! a matter sends tasks to without an active holder, a department that matters or open tasks
//! depend on without anyone able to act, a centre without an admin, a department deactivated
//! while it still has work or people. Each refusal names what to fix. Pure.

use crate::error::{Error, Result};
use crate::roles::{Role, RoleSet};
use std::collections::HashSet;
use uuid::Uuid;

/// A post as a change sees it.
#[derive(Debug, Clone)]
pub struct PostFacts {
    pub id: Uuid,
    pub name: String,
    pub department: String,
    /// A first, then the B holders in order, after the change.
    pub holders: Vec<Uuid>,
    /// The matters that send tasks to it (as a co-handling or lead post), by name.
    pub matters: Vec<String>,
}

/// A department as a change sees it.
#[derive(Debug, Clone)]
pub struct DepartmentFacts {
    pub name: String,
    /// The matters that name it (lead or co-handling), by name.
    pub matters: Vec<String>,
    /// Its open tasks.
    pub open_tasks: u64,
}

/// Whether someone with these roles can act for a department on a case.
pub fn can_act(roles: &RoleSet) -> bool {
    roles.contains(Role::Window) || roles.contains(Role::Reviewer) || roles.contains(Role::DeptHead)
}

fn listed(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("「{n}」"))
        .collect::<Vec<_>>()
        .join("、");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// Refuses a post left without an active holder while matters send tasks to it.
///
/// # Errors
/// `INVALID_STATE` naming the post, its department and the matters.
pub fn check_post_staffed(post: &PostFacts, active: &HashSet<Uuid>) -> Result<()> {
    if post.matters.is_empty() || post.holders.iter().any(|h| active.contains(h)) {
        return Ok(());
    }
    Err(Error::InvalidState(format!(
        "post {} of {} would have no active holder, and {} send their tasks to it: name another A or B holder of the post first",
        post.name,
        post.department,
        listed(&post.matters)
    )))
}

/// Refuses a department left without anyone able to act (a `WINDOW`, `REVIEWER` or
/// `DEPT_HEAD`) while matters name it or it has open tasks.
///
/// # Errors
/// `INVALID_STATE` naming the department and what depends on it.
pub fn check_department_staffed(department: &DepartmentFacts, able_left: usize) -> Result<()> {
    if able_left > 0 || (department.matters.is_empty() && department.open_tasks == 0) {
        return Ok(());
    }
    let depends = match (department.matters.is_empty(), department.open_tasks) {
        (false, 0) => format!("{} name it", listed(&department.matters)),
        (true, n) => format!("it has {n} open tasks"),
        (false, n) => format!(
            "{} name it and it has {n} open tasks",
            listed(&department.matters)
        ),
    };
    Err(Error::InvalidState(format!(
        "{} would have nobody able to act (a WINDOW, REVIEWER or DEPT_HEAD) while {depends}: give someone else there one of those roles first",
        department.name
    )))
}

/// Refuses a change that leaves the centre without an active centre admin.
///
/// # Errors
/// `INVALID_STATE`.
pub fn check_admins_left(admins_left: usize) -> Result<()> {
    if admins_left > 0 {
        Ok(())
    } else {
        Err(Error::InvalidState(
            "the centre would have no active CENTER_ADMIN: grant the role to someone else first"
                .to_owned(),
        ))
    }
}

/// What still hangs on a department that is to be deactivated.
#[derive(Debug, Clone, Default)]
pub struct Remaining {
    /// Active staff, by name.
    pub staff: Vec<String>,
    /// Active windows, by name.
    pub windows: Vec<String>,
    /// Active posts, by name.
    pub posts: Vec<String>,
}

/// Refuses to deactivate a department that matters name, that has open tasks, or that still
/// has active staff, windows or posts.
///
/// # Errors
/// `INVALID_STATE` naming everything to move first.
pub fn check_department_deactivation(
    department: &DepartmentFacts,
    remaining: &Remaining,
) -> Result<()> {
    let mut problems = Vec::new();
    if !department.matters.is_empty() {
        problems.push(format!(
            "{} name it (change those matters first)",
            listed(&department.matters)
        ));
    }
    if department.open_tasks > 0 {
        problems.push(format!(
            "it has {} open tasks (let them finish or transfer them)",
            department.open_tasks
        ));
    }
    for (what, names) in [
        ("staff", &remaining.staff),
        ("windows", &remaining.windows),
        ("posts", &remaining.posts),
    ] {
        if !names.is_empty() {
            problems.push(format!(
                "its active {what} {} (move or deactivate them)",
                listed(names)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidState(format!(
            "{} cannot be deactivated yet: {}",
            department.name,
            problems.join("; ")
        )))
    }
}

/// Refuses an edit made from a stale copy (optimistic concurrency).
///
/// # Errors
/// `CONFLICT` naming what changed.
pub fn check_version(what: &str, expected: i64, current: i64) -> Result<()> {
    if expected == current {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "{what} was changed by someone else since you read it (version {current}, yours {expected}): reload it and make your change again"
        )))
    }
}

/// Checks a post's holders: an A holder, B holders in order, nobody twice.
///
/// # Errors
/// `INVALID_INPUT` on `bHolderIds` when the A holder is among the B holders or one repeats.
pub fn check_chain(a: Uuid, bs: &[Uuid]) -> Result<Vec<Uuid>> {
    let mut chain = vec![a];
    for b in bs {
        if chain.contains(b) {
            return Err(Error::invalid(
                "bHolderIds",
                "a person holds a post once: the A holder is not a B holder, and no B holder repeats",
            ));
        }
        chain.push(*b);
    }
    if chain.len() > 10 {
        return Err(Error::invalid("bHolderIds", "at most 9 B holders"));
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(holders: Vec<Uuid>, matters: &[&str]) -> PostFacts {
        PostFacts {
            id: Uuid::now_v7(),
            name: "审批岗".into(),
            department: "消防救援大队".into(),
            holders,
            matters: matters.iter().map(|m| (*m).to_owned()).collect(),
        }
    }

    #[test]
    fn a_post_that_matters_use_keeps_an_active_holder() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let used = post(vec![a, b], &["餐饮店开业（一件事）"]);
        assert!(check_post_staffed(&used, &HashSet::from([b])).is_ok());
        let err = check_post_staffed(&used, &HashSet::new()).unwrap_err();
        assert_eq!(err.code(), "INVALID_STATE");
        let text = err.to_string();
        assert!(
            text.contains("审批岗") && text.contains("消防救援大队") && text.contains("餐饮店开业")
        );
        assert!(
            check_post_staffed(&post(vec![a], &[]), &HashSet::new()).is_ok(),
            "unused"
        );
    }

    #[test]
    fn a_department_with_work_keeps_someone_able_to_act() {
        let facts = DepartmentFacts {
            name: "生态环境局".into(),
            matters: vec![],
            open_tasks: 2,
        };
        assert!(check_department_staffed(&facts, 1).is_ok());
        let err = check_department_staffed(&facts, 0).unwrap_err();
        assert!(err.to_string().contains("2 open tasks"), "{err}");
        let idle = DepartmentFacts {
            open_tasks: 0,
            ..facts
        };
        assert!(check_department_staffed(&idle, 0).is_ok());
        assert!(can_act(&RoleSet::of(&[Role::Reviewer])));
        assert!(!can_act(&RoleSet::of(&[Role::Leader])));
    }

    #[test]
    fn deactivation_names_everything_left() {
        let facts = DepartmentFacts {
            name: "城市管理局".into(),
            matters: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            open_tasks: 0,
        };
        let remaining = Remaining {
            staff: vec!["何城管".into()],
            ..Remaining::default()
        };
        let text = check_department_deactivation(&facts, &remaining)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("and 1 more") && text.contains("何城管"),
            "{text}"
        );
        let empty = DepartmentFacts {
            matters: vec![],
            ..facts
        };
        assert!(check_department_deactivation(&empty, &Remaining::default()).is_ok());
    }

    #[test]
    fn stale_edits_conflict_and_chains_hold_each_person_once() {
        assert!(check_version("x", 3, 3).is_ok());
        assert_eq!(check_version("x", 2, 3).unwrap_err().code(), "CONFLICT");
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(check_chain(a, &[b]).unwrap(), vec![a, b]);
        assert!(check_chain(a, &[a]).is_err());
        assert!(check_chain(a, &[b, b]).is_err());
        assert!(check_admins_left(0).is_err());
    }
}
