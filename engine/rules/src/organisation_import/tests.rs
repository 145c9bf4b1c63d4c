use super::*;
use crate::roles::Role;
use uuid::Uuid;

fn department(row: usize, code: &str, name: &str) -> DepartmentRow {
    DepartmentRow {
        row,
        code: code.into(),
        name: name.into(),
        duties: String::new(),
    }
}

fn person(row: usize, username: &str, code: &str, roles: &str, post: &str, ab: &str) -> StaffRow {
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
