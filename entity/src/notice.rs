//! 通知书 — a document the applicant receives, stored with its full text.

use crate::NoticeKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub issued_by: Uuid,
    pub issued_at: DateTimeUtc,
    /// Structured content (the merged supplement items with who asked, the second request's
    /// reason, …).
    pub data: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
