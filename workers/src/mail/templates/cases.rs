//! The mail of a case's course (a task assigned, a status changed, a task deemed approved, an
//! objection overruled, a report to sign, a case marked urgent), of an unstaffed department and
//! of a missing year of the calendar.

use super::{Case, status_name};
use lianban_rules::mail::{CalendarYearMissing, CaseStatusChanged, ObjectionOverruled, TaskUrgent};

pub(super) fn task_assigned(case: &Case) -> (String, Vec<String>) {
    (
        format!("【联办】新协办任务 {}", case.number),
        vec!["您有一项新的协办任务，请在期限内提出审查意见。".into()],
    )
}

pub(super) fn status_changed(m: &CaseStatusChanged, case: &Case) -> (String, Vec<String>) {
    (
        format!("【联办】办件状态变更 {}", case.number),
        vec![format!(
            "您首问的办件状态已由「{}」变为「{}」。",
            status_name(m.from),
            status_name(m.to)
        )],
    )
}

pub(super) fn deemed_approved(case: &Case) -> (String, Vec<String>) {
    (
        format!(
            "【联办·默认同意】办件{}逾期未回复，按默认同意处理",
            case.number
        ),
        vec!["贵部门的协办环节在期限内未提出意见，依本事项规定按默认同意处理，并计入考核。".into()],
    )
}

pub(super) fn objection_overruled(m: &ObjectionOverruled, case: &Case) -> (String, Vec<String>) {
    (
        format!("【联办·书面告知】办件{}已作出准予许可决定", case.number),
        vec![
            format!("贵部门（{}）的不同意意见：{}", m.department, m.objection),
            format!("牵头窗口准予许可的理由：{}", m.reason),
        ],
    )
}

pub(super) fn negative_report_pending(case: &Case) -> (String, Vec<String>) {
    (
        format!("【联办·否定报备】办件{}待您签批", case.number),
        vec!["一份否定性决定报备等待您的签批，签批后方可生效。".into()],
    )
}

pub(super) fn task_urgent(m: &TaskUrgent) -> (String, Vec<String>) {
    let mut lines = vec![format!(
        "牵头窗口已将本办件列为急件（{}）：{}。请优先办理。",
        m.category.label(),
        m.reason
    )];
    if let Some(limit) = m.limit {
        lines.push(format!("急件审查时限已压缩为{limit}个工作日。"));
    }
    ("【联办·急件】请优先办理".to_owned(), lines)
}

pub(super) fn calendar_year_missing(m: &CalendarYearMissing) -> (String, Vec<String>) {
    let year = m.year;
    (
        format!("【联办·日历】{year}年节假日安排尚未录入"),
        vec![format!(
            "有办理期限计算到{year}年，该年节假日安排尚未录入，期限暂按周一至周五计算并标为临时。请录入国务院办公厅公布的安排。"
        )],
    )
}

pub(super) fn department_unstaffed(case: &Case) -> (String, Vec<String>) {
    let department = &case.department;
    (
        format!("【联办·AB岗】{department}暂无在岗人员"),
        vec![format!(
            "{department}的A岗、B岗人员均不在岗，新任务暂无人办理，请协调安排。"
        )],
    )
}
