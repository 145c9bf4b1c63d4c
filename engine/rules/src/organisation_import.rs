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

use crate::roles::{Role, RoleSet};
use crate::validate;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// The departments sheet's name and columns.
pub const DEPARTMENTS_SHEET: &str = "部门";
/// Its columns, in order.
pub const DEPARTMENT_COLUMNS: [&str; 3] = ["部门代码", "部门名称", "工作职责"];
/// The staff sheet's name.
pub const STAFF_SHEET: &str = "人员";
/// Its columns, in order.
pub const STAFF_COLUMNS: [&str; 8] = [
    "用户名",
    "姓名",
    "邮箱",
    "部门代码",
    "角色",
    "岗位",
    "AB岗",
    "统一身份认证标识",
];

/// A department row as read (row numbers as the spreadsheet shows them: the header is row 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepartmentRow {
    pub row: usize,
    pub code: String,
    pub name: String,
    pub duties: String,
}

/// A staff row as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffRow {
    pub row: usize,
    pub username: String,
    pub name: String,
    pub email: String,
    pub department_code: String,
    /// Role names, Chinese or as stored, separated by `、`, `,`, `;` or spaces.
    pub roles: String,
    /// The post's name, or empty for none.
    pub post: String,
    /// `A`, `B`, `B1`, `B2` …; empty with no post.
    pub ab: String,
    pub sso_subject: String,
}

/// A whole list, as read from one workbook or two CSV files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationList {
    pub departments: Vec<DepartmentRow>,
    pub staff: Vec<StaffRow>,
}

/// One bad row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub sheet: &'static str,
    pub row: usize,
    /// The column's header.
    pub column: String,
    pub message: String,
}

/// A department that exists.
#[derive(Debug, Clone)]
pub struct ExistingDepartment {
    pub id: Uuid,
    pub code: String,
    pub active: bool,
}

/// A person who exists.
#[derive(Debug, Clone)]
pub struct ExistingStaff {
    pub id: Uuid,
    pub username: String,
    pub department_id: Uuid,
    pub sso_subject: Option<String>,
    pub active: bool,
}

/// A post that exists, with its holders (A first).
#[derive(Debug, Clone)]
pub struct ExistingPost {
    pub id: Uuid,
    pub department_id: Uuid,
    pub name: String,
    pub holders: Vec<Uuid>,
}

/// What the centre holds, as the planner needs it.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    pub departments: Vec<ExistingDepartment>,
    pub staff: Vec<ExistingStaff>,
    pub posts: Vec<ExistingPost>,
}

/// A department to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDepartment {
    /// `None` to create.
    pub id: Option<Uuid>,
    pub code: String,
    pub name: String,
    pub duties: String,
}

/// A person to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStaff {
    pub id: Option<Uuid>,
    pub username: String,
    pub name: String,
    pub email: String,
    pub department_code: String,
    pub roles: RoleSet,
    pub sso_subject: Option<String>,
}

/// A post to write: its holders by username, A first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPost {
    pub id: Option<Uuid>,
    pub department_code: String,
    pub name: String,
    pub holders: Vec<String>,
}

/// What an import will write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub departments: Vec<PlannedDepartment>,
    pub staff: Vec<PlannedStaff>,
    pub posts: Vec<PlannedPost>,
}

/// A role from its Chinese name or its stored name.
pub fn role_named(name: &str) -> Option<Role> {
    let name = name.trim();
    Role::ALL.into_iter().find(|role| {
        role.as_str().eq_ignore_ascii_case(name)
            || role_label(*role) == name
            || match role {
                Role::Window => name == "窗口人员",
                Role::Reviewer => name == "审核人" || name == "部门审核人",
                Role::DeptHead => name == "负责人",
                Role::CenterAdmin => name == "管理员" || name == "中心管理办",
                Role::Leader => name == "领导",
                Role::Supervisor => name == "督查组",
            }
    })
}

/// A role's name in the list.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Window => "窗口",
        Role::Reviewer => "审核",
        Role::DeptHead => "部门负责人",
        Role::CenterAdmin => "中心管理员",
        Role::Leader => "中心领导",
        Role::Supervisor => "督查",
    }
}

/// The roles of a set as the list writes them.
pub fn roles_text(roles: RoleSet) -> String {
    roles.iter().map(role_label).collect::<Vec<_>>().join("、")
}

/// The place in a post as the list writes it: `A`, or `B1`, `B2` ….
pub fn ab_text(position: usize) -> String {
    if position == 0 {
        "A".to_owned()
    } else {
        format!("B{position}")
    }
}

/// A place in a post as listed: its order (0 for A, `n` for Bn, `usize::MAX` for an unnumbered
/// B), the row, the username.
type Place = (usize, usize, String);

struct Problems(Vec<RowProblem>);

impl Problems {
    fn add(&mut self, sheet: &'static str, row: usize, column: &str, message: impl Into<String>) {
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
    // Each post: one A, B places distinct, in order.
    let department_id = |code: &str| known_departments.get(code).map(|k| k.id);
    let mut listed_posts: HashSet<(String, String)> = HashSet::new();
    for ((code, post), mut holders) in places {
        let first_row = holders.iter().map(|h| h.1).min().unwrap_or(0);
        let a: Vec<_> = holders.iter().filter(|h| h.0 == 0).collect();
        match a.len() {
            0 => problems.add(
                s,
                first_row,
                "AB岗",
                format!("post {post} of {code} has no A holder"),
            ),
            1 => {}
            _ => problems.add(
                s,
                a[1].1,
                "AB岗",
                format!(
                    "post {post} of {code} has an A holder already, in row {}",
                    a[0].1
                ),
            ),
        }
        holders.sort_by_key(|h| (h.0, h.1));
        for pair in holders.windows(2) {
            if pair[0].0 == pair[1].0 && pair[0].0 != usize::MAX && pair[0].0 != 0 {
                problems.add(
                    s,
                    pair[1].1,
                    "AB岗",
                    format!(
                        "B{} of post {post} is listed already, in row {}",
                        pair[0].0, pair[0].1
                    ),
                );
            }
        }
        if holders.len() > 10 {
            problems.add(
                s,
                first_row,
                "AB岗",
                format!("post {post} of {code}: at most 9 B holders"),
            );
        }
        let id = department_id(&code).and_then(|dept| {
            existing
                .posts
                .iter()
                .find(|p| p.department_id == dept && p.name == post)
                .map(|p| p.id)
        });
        listed_posts.insert((code.clone(), post.clone()));
        plan.posts.push(PlannedPost {
            id,
            department_code: code,
            name: post,
            holders: holders.into_iter().map(|h| h.2).collect(),
        });
    }
    // A person moved to another department may not keep a post of the old one that the list
    // leaves as it is.
    let code_of: HashMap<Uuid, &str> = existing
        .departments
        .iter()
        .map(|d| (d.id, d.code.as_str()))
        .collect();
    for person in &plan.staff {
        let Some(known) = person
            .id
            .and_then(|id| existing.staff.iter().find(|s| s.id == id))
        else {
            continue;
        };
        if department_id(&person.department_code) == Some(known.department_id) {
            continue;
        }
        for post in existing
            .posts
            .iter()
            .filter(|p| p.holders.contains(&known.id))
        {
            let old = code_of
                .get(&post.department_id)
                .copied()
                .unwrap_or_default();
            if !listed_posts.contains(&(old.to_owned(), post.name.clone())) {
                let row = listed_users.get(&person.username).copied().unwrap_or(0);
                problems.add(
                    s,
                    row,
                    "部门代码",
                    format!(
                        "{} holds the post {} of {old}: list that post's holders too, or take them off it first",
                        person.username, post.name
                    ),
                );
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn department(row: usize, code: &str, name: &str) -> DepartmentRow {
        DepartmentRow {
            row,
            code: code.into(),
            name: name.into(),
            duties: String::new(),
        }
    }

    fn person(
        row: usize,
        username: &str,
        code: &str,
        roles: &str,
        post: &str,
        ab: &str,
    ) -> StaffRow {
        StaffRow {
            row,
            username: username.into(),
            name: format!("{username}的名字"),
            email: format!("{username}@example.gov.cn"),
            department_code: code.into(),
            roles: roles.into(),
            post: post.into(),
            ab: ab.into(),
            sso_subject: String::new(),
        }
    }

    #[test]
    fn a_good_list_plans_departments_people_and_posts() {
        let list = OrganisationList {
            departments: vec![department(2, "xfjy", "消防救援大队")],
            staff: vec![
                person(2, "xfjy.b", "XFJY", "审核", "审批岗", "B"),
                person(3, "xfjy.a", "XFJY", "审核", "审批岗", "A"),
                person(4, "xfjy.c", "XFJY", "REVIEWER、窗口", "审批岗", "B2"),
                person(5, "xfjy.head", "XFJY", "审核，部门负责人", "", ""),
            ],
        };
        let plan = plan(&list, &Existing::default()).unwrap();
        assert_eq!(plan.departments[0].code, "XFJY");
        assert_eq!(plan.staff.len(), 4);
        assert!(plan.staff[2].roles.contains(Role::Window));
        assert_eq!(plan.posts.len(), 1);
        assert_eq!(
            plan.posts[0].holders,
            vec!["xfjy.a", "xfjy.c", "xfjy.b"],
            "A, then B2, then the unnumbered B"
        );
    }

    #[test]
    fn every_bad_row_is_named_with_its_column() {
        let list = OrganisationList {
            departments: vec![
                department(2, "XFJY", "消防救援大队"),
                department(3, "XFJY", "重复"),
                department(4, "坏 代码", "x"),
            ],
            staff: vec![
                person(2, "a", "XFJY", "审核", "审批岗", "A"),
                person(3, "ok.one", "NOPE", "审核", "", ""),
                person(4, "ok.two", "XFJY", "厨师", "", ""),
                person(5, "ok.three", "XFJY", "审核", "审批岗", "A"),
                person(6, "ok.three", "XFJY", "窗口", "", ""),
                person(7, "ok.four", "XFJY", "审核", "值班岗", "B1"),
                person(9, "ok.six", "XFJY", "中心领导", "统计岗", "A"),
                person(8, "ok.five", "XFJY", "审核", "", "B1"),
            ],
        };
        let problems = plan(&list, &Existing::default()).unwrap_err();
        let at = |sheet: &str, row: usize, column: &str| {
            problems
                .iter()
                .any(|p| p.sheet == sheet && p.row == row && p.column == column)
        };
        assert!(at("部门", 3, "部门代码"), "{problems:?}");
        assert!(at("部门", 4, "部门代码"));
        assert!(at("人员", 2, "用户名"), "too short");
        assert!(at("人员", 3, "部门代码"));
        assert!(at("人员", 4, "角色"));
        assert!(at("人员", 6, "用户名"), "listed twice, differently");
        assert!(at("人员", 7, "AB岗"), "a post without an A");
        assert!(at("人员", 8, "岗位"));
        assert!(at("人员", 9, "角色"), "a holder who cannot work the tasks");
        assert_eq!(problems[0].sheet, "部门", "sheet and row order");
    }

    #[test]
    fn a_post_holder_moved_away_needs_the_post_listed_too() {
        let (fire, city) = (Uuid::now_v7(), Uuid::now_v7());
        let a = Uuid::now_v7();
        let existing = Existing {
            departments: vec![
                ExistingDepartment {
                    id: fire,
                    code: "XFJY".into(),
                    active: true,
                },
                ExistingDepartment {
                    id: city,
                    code: "CSGL".into(),
                    active: true,
                },
            ],
            staff: vec![ExistingStaff {
                id: a,
                username: "xfjy.a".into(),
                department_id: fire,
                sso_subject: None,
                active: true,
            }],
            posts: vec![ExistingPost {
                id: Uuid::now_v7(),
                department_id: fire,
                name: "审批岗".into(),
                holders: vec![a],
            }],
        };
        let moved = OrganisationList {
            departments: vec![],
            staff: vec![person(2, "xfjy.a", "CSGL", "审核", "", "")],
        };
        let problems = plan(&moved, &existing).unwrap_err();
        assert!(problems[0].message.contains("审批岗"), "{problems:?}");
        let with_post = OrganisationList {
            departments: vec![],
            staff: vec![
                person(2, "xfjy.a", "CSGL", "审核", "", ""),
                person(3, "xfjy.b", "XFJY", "审核", "审批岗", "A"),
            ],
        };
        let planned = plan(&with_post, &existing).unwrap();
        assert_eq!(planned.staff[0].id, Some(a), "an update");
        assert!(planned.posts[0].id.is_some());
    }

    #[test]
    fn a_person_in_two_posts_takes_a_row_per_post_and_a_deactivated_department_takes_none() {
        let list = OrganisationList {
            departments: vec![],
            staff: vec![
                person(2, "xfjy.a", "XFJY", "审核", "审批岗", "A"),
                person(3, "xfjy.a", "XFJY", "审核", "值班岗", "B1"),
                person(4, "xfjy.b", "XFJY", "审核", "值班岗", "A"),
            ],
        };
        let fire = Uuid::now_v7();
        let existing = Existing {
            departments: vec![ExistingDepartment {
                id: fire,
                code: "XFJY".into(),
                active: true,
            }],
            ..Existing::default()
        };
        let planned = plan(&list, &existing).unwrap();
        assert_eq!(planned.staff.len(), 2, "one person, two places");
        assert_eq!(planned.posts.len(), 2);
        let mut differing = list.clone();
        differing.staff[1].email = "other@example.gov.cn".into();
        let problems = plan(&differing, &existing).unwrap_err();
        assert_eq!(
            (problems[0].row, problems[0].column.as_str()),
            (3, "用户名")
        );
        let closed = Existing {
            departments: vec![ExistingDepartment {
                id: fire,
                code: "XFJY".into(),
                active: false,
            }],
            ..Existing::default()
        };
        let into_closed = OrganisationList {
            departments: vec![department(2, "XFJY", "消防救援大队")],
            staff: vec![person(2, "xfjy.a", "XFJY", "审核", "", "")],
        };
        let problems = plan(&into_closed, &closed).unwrap_err();
        assert!(
            problems.iter().any(|p| p.sheet == "部门" && p.row == 2),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.sheet == "人员" && p.column == "部门代码"),
            "{problems:?}"
        );
    }

    #[test]
    fn roles_read_in_chinese_and_as_stored() {
        assert_eq!(role_named("中心管理员"), Some(Role::CenterAdmin));
        assert_eq!(role_named("dept_head"), Some(Role::DeptHead));
        assert_eq!(
            roles_text(RoleSet::of(&[Role::Reviewer, Role::DeptHead])),
            "审核、部门负责人"
        );
        for role in Role::ALL {
            assert_eq!(role_named(role_label(role)), Some(role));
        }
        assert_eq!(ab_text(0), "A");
        assert_eq!(ab_text(2), "B2");
    }
}
