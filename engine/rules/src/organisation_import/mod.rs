//! 组织导入 — checking a whole organisation list (departments, and staff with their roles and
//! posts) against what the centre already holds, before anything is written: every bad row is
//! named with its sheet, row number, column and reason. Pure: the engine reads what exists,
//! this plans, the engine writes the plan in one transaction or not at all.
//!
//! The layout (one row a department; one row a person, their post and their place in it):
//! - 部门: 部门代码, 部门名称, 工作职责
//! - 人员: 用户名, 姓名, 邮箱, 部门代码, 角色, 岗位, AB岗, 统一身份认证标识
//!
//! A department or person already there (same code, same username) is updated; a new one is
//! created. A post named in the list gets exactly the holders the list gives it (`A`, then
//! `B1`, `B2` … or `B` in row order); posts and people the list does not name are left alone.

mod names;
mod posts;
mod rows;
#[cfg(test)]
mod tests;

pub use names::{ab_text, role_label, role_named, roles_text};
pub use rows::*;

use crate::roles::RoleSet;
use crate::validate;
use std::collections::{BTreeMap, HashMap};

/// A place in a post as listed: its order (0 for A, `n` for Bn, `usize::MAX` for an unnumbered
/// B), the row, the username.
pub(super) type Place = (usize, usize, String);

pub(super) struct Problems(Vec<RowProblem>);

impl Problems {
    pub(super) fn add(
        &mut self,
        sheet: &'static str,
        row: usize,
        column: &str,
        message: impl Into<String>,
    ) {
        self.0.push(RowProblem {
            sheet,
            row,
            column: column.to_owned(),
            message: message.into(),
        });
    }

    /// Keeps a checked value, or records why it was refused.
    fn check<T>(
        &mut self,
        sheet: &'static str,
        row: usize,
        column: &str,
        checked: crate::Result<T>,
    ) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(crate::Error::InvalidInput { message, .. }) => {
                self.add(sheet, row, column, message);
                None
            }
            Err(other) => {
                self.add(sheet, row, column, other.to_string());
                None
            }
        }
    }
}

/// Plans an import of `list` onto `existing`, or names every bad row.
///
/// # Errors
/// Every problem found, in sheet and row order.
pub fn plan(list: &OrganisationList, existing: &Existing) -> Result<Plan, Vec<RowProblem>> {
    let mut problems = Problems(Vec::new());
    let mut plan = Plan::default();
    let known_departments: HashMap<&str, &ExistingDepartment> = existing
        .departments
        .iter()
        .map(|d| (d.code.as_str(), d))
        .collect();
    let mut listed_codes: HashMap<String, usize> = HashMap::new();
    let d = DEPARTMENTS_SHEET;
    for row in &list.departments {
        let code = problems.check(
            d,
            row.row,
            "部门代码",
            validate::code("部门代码", &row.code),
        );
        let name = problems.check(
            d,
            row.row,
            "部门名称",
            validate::required("部门名称", &row.name, validate::MAX_NAME),
        );
        let duties = problems.check(
            d,
            row.row,
            "工作职责",
            validate::optional("工作职责", Some(&row.duties), validate::MAX_TEXT),
        );
        let (Some(code), Some(name), Some(duties)) = (code, name, duties) else {
            continue;
        };
        if known_departments
            .get(code.as_str())
            .is_some_and(|k| !k.active)
        {
            problems.add(
                d,
                row.row,
                "部门代码",
                format!("{code} is deactivated: it takes no changes and no people (leave it out)"),
            );
            continue;
        }
        if let Some(first) = listed_codes.insert(code.clone(), row.row) {
            problems.add(
                d,
                row.row,
                "部门代码",
                format!("{code} is listed already, in row {first}"),
            );
            continue;
        }
        let id = known_departments.get(code.as_str()).map(|k| k.id);
        plan.departments.push(PlannedDepartment {
            id,
            code,
            name,
            duties: duties.unwrap_or_default(),
        });
    }
    let department_known = |code: &str| {
        listed_codes.contains_key(code) || known_departments.get(code).is_some_and(|k| k.active)
    };
    let known_staff: HashMap<&str, &ExistingStaff> = existing
        .staff
        .iter()
        .map(|s| (s.username.as_str(), s))
        .collect();
    let subjects: HashMap<&str, &str> = existing
        .staff
        .iter()
        .filter_map(|s| {
            s.sso_subject
                .as_deref()
                .map(|sub| (sub, s.username.as_str()))
        })
        .collect();
    let mut listed_users: HashMap<String, usize> = HashMap::new();
    let mut listed_subjects: HashMap<String, usize> = HashMap::new();
    // Posts: (department code, post name) → places (position key, row, username).
    let mut places: BTreeMap<(String, String), Vec<Place>> = BTreeMap::new();
    let s = STAFF_SHEET;
    for row in &list.staff {
        let username = problems.check(
            s,
            row.row,
            "用户名",
            validate::username("用户名", &row.username),
        );
        let name = problems.check(
            s,
            row.row,
            "姓名",
            validate::required("姓名", &row.name, validate::MAX_NAME),
        );
        let email = problems.check(s, row.row, "邮箱", validate::email("邮箱", &row.email));
        let code = problems.check(
            s,
            row.row,
            "部门代码",
            validate::code("部门代码", &row.department_code),
        );
        let code = code.filter(|code| {
            let ok = department_known(code);
            if !ok {
                problems.add(
                    s,
                    row.row,
                    "部门代码",
                    format!("no active department {code} here or in the 部门 sheet"),
                );
            }
            ok
        });
        let mut roles = Vec::new();
        for part in row
            .roles
            .split(|c: char| matches!(c, '、' | ',' | '，' | ';' | '；' | '/') || c.is_whitespace())
            .filter(|p| !p.is_empty())
        {
            match role_named(part) {
                Some(role) => roles.push(role),
                None => problems.add(
                    s,
                    row.row,
                    "角色",
                    format!(
                        "unknown role {part}: 窗口, 审核, 部门负责人, 中心管理员, 中心领导 or 督查"
                    ),
                ),
            }
        }
        if roles.is_empty() && row.roles.trim().is_empty() {
            problems.add(s, row.row, "角色", "at least one role");
        }
        let subject = problems
            .check(
                s,
                row.row,
                "统一身份认证标识",
                validate::optional(
                    "统一身份认证标识",
                    Some(&row.sso_subject),
                    validate::MAX_NAME,
                ),
            )
            .flatten();
        let (Some(username), Some(name), Some(email), Some(code)) = (username, name, email, code)
        else {
            continue;
        };
        // A person in two posts takes a row per post: the rows after the first add a place,
        // and must say the same of the person.
        let repeat = match listed_users.get(&username) {
            None => false,
            Some(first) => {
                let same = plan.staff.iter().any(|p| {
                    p.username == username
                        && (
                            p.name.as_str(),
                            p.email.as_str(),
                            p.department_code.as_str(),
                        ) == (name.as_str(), email.as_str(), code.as_str())
                        && p.roles == RoleSet::of(&roles)
                        && p.sso_subject == subject
                });
                if !same {
                    problems.add(
                        s,
                        row.row,
                        "用户名",
                        format!("{username} is listed already, in row {first}, with other details: a person's rows must agree"),
                    );
                    continue;
                }
                true
            }
        };
        if !repeat {
            listed_users.insert(username.clone(), row.row);
        }
        if known_staff
            .get(username.as_str())
            .is_some_and(|k| !k.active)
        {
            problems.add(
                s,
                row.row,
                "用户名",
                format!("{username} is deactivated: reactivate them first, or leave them out"),
            );
            continue;
        }
        if let Some(subject) = subject.as_ref().filter(|_| !repeat) {
            if let Some(first) = listed_subjects.insert(subject.clone(), row.row) {
                problems.add(
                    s,
                    row.row,
                    "统一身份认证标识",
                    format!("{subject} is listed already, in row {first}"),
                );
            } else if let Some(holder) = subjects.get(subject.as_str()).filter(|h| **h != username)
            {
                problems.add(
                    s,
                    row.row,
                    "统一身份认证标识",
                    format!("{subject} is {holder}'s"),
                );
            }
        }
        let post = row.post.trim();
        let ab = row.ab.trim().to_ascii_uppercase();
        if !post.is_empty() && !crate::organisation::can_act(&RoleSet::of(&roles)) {
            problems.add(
                s,
                row.row,
                "角色",
                "a post's holder works its tasks: give them 审核, 窗口 or 部门负责人",
            );
        }
        match (post.is_empty(), ab.as_str()) {
            (true, "") => {}
            (true, _) => problems.add(s, row.row, "岗位", "an AB岗 place needs the post's name"),
            (false, "A") => places
                .entry((code.clone(), post.to_owned()))
                .or_default()
                .push((0, row.row, username.clone())),
            (false, b) if b.starts_with('B') => {
                let n = if b == "B" {
                    Ok(usize::MAX)
                } else {
                    b[1..].parse::<usize>()
                };
                match n {
                    Ok(n) if n >= 1 => places
                        .entry((code.clone(), post.to_owned()))
                        .or_default()
                        .push((n, row.row, username.clone())),
                    _ => problems.add(s, row.row, "AB岗", format!("{b}: write A, B, or B1, B2 …")),
                }
            }
            (false, other) => problems.add(
                s,
                row.row,
                "AB岗",
                format!("{other:?}: write A, B, or B1, B2 …"),
            ),
        }
        if repeat {
            continue;
        }
        plan.staff.push(PlannedStaff {
            id: known_staff.get(username.as_str()).map(|k| k.id),
            username,
            name,
            email,
            department_code: code,
            roles: RoleSet::of(&roles),
            sso_subject: subject,
        });
    }
    plan.posts = posts::plan_posts(places, existing, &plan.staff, &listed_users, &mut problems);
    if list.departments.is_empty() && list.staff.is_empty() {
        problems.add(d, 1, "", "the list is empty");
    }
    if problems.0.is_empty() {
        Ok(plan)
    } else {
        let mut found = problems.0;
        found.sort_by_key(|p| (p.sheet != DEPARTMENTS_SHEET, p.row));
        Err(found)
    }
}
