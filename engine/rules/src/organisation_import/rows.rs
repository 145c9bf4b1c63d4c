//! The list's rows, what the centre holds, and the plan an import writes.

use crate::roles::RoleSet;
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
