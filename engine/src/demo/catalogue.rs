//! The demo's catalogue alone: its six matters (with their guides and the windows that take
//! them) loaded onto a real centre's departments of the same codes — how a new centre tries the
//! walkthrough on its own people before it defines its own catalogue.

use super::services;
use crate::engine::Engine;
use crate::error::{Error, Result};
use lianban_entity::{CaseKind, LimitUnit, matter_department};
use lianban_entity::{centre, department, matter, post, staff};
use lianban_rules::roles::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// A demo matter: code, name, kind, unit, legal limit, promised limit, materials, and the
/// co-handling departments with their review limits.
pub(crate) struct DemoMatter {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) kind: CaseKind,
    pub(crate) unit: LimitUnit,
    pub(crate) legal: i32,
    pub(crate) promised: i32,
    pub(crate) materials: &'static [&'static str],
    pub(crate) co_handlers: &'static [(&'static str, i32)],
    /// 急事急办: the review limit of an urgent case's tasks.
    pub(crate) urgent_review_limit: Option<i32>,
}

/// The demo catalogue.
pub(crate) const MATTER_LIST: &[DemoMatter] = &[
    DemoMatter {
        code: "SCJG-IMM-001",
        name: "个体工商户登记信息变更",
        kind: CaseKind::Immediate,
        unit: LimitUnit::WorkingMinutes,
        legal: 30,
        promised: 30,
        materials: &["变更登记申请书", "经营者身份证明"],
        urgent_review_limit: None,
        co_handlers: &[],
    },
    DemoMatter {
        code: "SCJG-PRM-001",
        name: "食品经营许可",
        kind: CaseKind::Promised,
        unit: LimitUnit::WorkingDays,
        legal: 20,
        promised: 10,
        materials: &[
            "食品经营许可申请书",
            "营业执照",
            "经营场所平面图",
            "食品安全管理制度",
        ],
        urgent_review_limit: Some(5),
        co_handlers: &[],
    },
    DemoMatter {
        code: "JOINT-001",
        name: "餐饮店开业（一件事）",
        kind: CaseKind::Joint,
        unit: LimitUnit::WorkingDays,
        legal: 20,
        promised: 10,
        materials: &[
            "营业执照",
            "经营场所证明",
            "消防安全检查申请表",
            "环境影响登记表",
            "从业人员健康证明",
        ],
        urgent_review_limit: Some(2),
        co_handlers: &[("XFJY", 5), ("STHJ", 5), ("WSJK", 5)],
    },
    DemoMatter {
        code: "SCJG-RPT-001",
        name: "特殊食品生产许可（报省级审批）",
        kind: CaseKind::ReportedUp,
        unit: LimitUnit::WorkingDays,
        legal: 20,
        promised: 5,
        materials: &["生产许可申请书", "产品配方及研发报告", "生产工艺文件"],
        urgent_review_limit: None,
        co_handlers: &[],
    },
    DemoMatter {
        code: "SCJG-PET-001",
        name: "市场监管信访事项",
        kind: CaseKind::Petition,
        unit: LimitUnit::NaturalDays,
        legal: 60,
        promised: 30,
        materials: &["信访事项材料"],
        urgent_review_limit: None,
        co_handlers: &[],
    },
    DemoMatter {
        code: "SCJG-CON-001",
        name: "企业开办政策咨询",
        kind: CaseKind::Consultation,
        unit: LimitUnit::WorkingDays,
        legal: 5,
        promised: 3,
        materials: &[],
        urgent_review_limit: None,
        co_handlers: &[],
    },
];

/// Writes the demo's matters onto the departments and posts `department` and `post_of` name
/// by code; their ids by code.
pub(super) async fn insert_matters(
    txn: &sea_orm::DatabaseTransaction,
    now: chrono::DateTime<chrono::Utc>,
    department: &dyn Fn(&str) -> Result<Uuid>,
    post_of: &dyn Fn(&str) -> Result<Uuid>,
) -> Result<Vec<(&'static str, Uuid)>> {
    let mut matter_ids = Vec::new();
    for m in MATTER_LIST {
        let id = Uuid::now_v7();
        matter::ActiveModel {
            id: Set(id),
            code: Set(m.code.to_owned()),
            name: Set(m.name.to_owned()),
            kind: Set(m.kind),
            lead_department_id: Set(department("SCJG")?),
            lead_post_id: Set(Some(post_of("SCJG")?)),
            limit_unit: Set(m.unit),
            legal_limit: Set(m.legal),
            promised_limit: Set(m.promised),
            required_materials: Set(json!(m.materials)),
            requires_publication: Set(m.kind == CaseKind::Joint),
            deemed_consent: Set(false),
            created_at: Set(now),
            guide_version: Set(Some(1)),
            urgent_review_limit: Set(m.urgent_review_limit),
        }
        .insert(txn)
        .await?;
        for (position, (code, limit)) in m.co_handlers.iter().enumerate() {
            matter_department::ActiveModel {
                matter_id: Set(id),
                department_id: Set(department(code)?),
                post_id: Set(post_of(code)?),
                review_limit: Set(*limit),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            }
            .insert(txn)
            .await?;
        }
        matter_ids.push((m.code, id));
    }
    Ok(matter_ids)
}

impl Engine {
    /// Loads the demo's matters onto the departments whose codes they name (SCJG leads, XFJY,
    /// STHJ and WSJK co-handle), each reviewed by the department's post 审批岗 (or its only
    /// post). Returns how many matters were loaded.
    ///
    /// # Errors
    /// `INVALID_STATE` without a centre, on the demo centre, when the catalogue holds matters
    /// already, or when a department or post it needs is missing (all of them named).
    pub async fn load_demo_catalogue(&self) -> Result<usize> {
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let centre = centre::Entity::find().one(&txn).await?.ok_or_else(|| {
            Error::InvalidState(
                "no centre yet: create its first admin with `lianban admin create`".to_owned(),
            )
        })?;
        if centre.demo {
            return Err(Error::InvalidState(
                "the demo centre has its catalogue already".to_owned(),
            ));
        }
        let held = matter::Entity::find().count(&txn).await?;
        if held > 0 {
            return Err(Error::InvalidState(format!(
                "the catalogue holds {held} matters already: the demo's load only into an empty one"
            )));
        }
        let reviewing: BTreeSet<&str> = MATTER_LIST
            .iter()
            .flat_map(|m| m.co_handlers.iter().map(|(code, _)| *code))
            .chain(["SCJG"])
            .collect();
        let needed: BTreeSet<&str> = reviewing
            .iter()
            .copied()
            .chain(services::WINDOWS.iter().map(|w| w.0))
            .collect();
        let mut departments = HashMap::new();
        let mut posts = HashMap::new();
        let mut missing = Vec::new();
        for code in &needed {
            let Some(d) = department::Entity::find()
                .filter(department::Column::Code.eq(*code))
                .filter(department::Column::Active.eq(true))
                .one(&txn)
                .await?
            else {
                missing.push(format!("department {code}"));
                continue;
            };
            departments.insert(*code, d.id);
            if !reviewing.contains(code) {
                continue;
            }
            let candidates = post::Entity::find()
                .filter(post::Column::DepartmentId.eq(d.id))
                .filter(post::Column::Active.eq(true))
                .order_by_asc(post::Column::Name)
                .all(&txn)
                .await?;
            let chosen =
                candidates
                    .iter()
                    .find(|p| p.name == "审批岗")
                    .or(if candidates.len() == 1 {
                        candidates.first()
                    } else {
                        None
                    });
            match chosen {
                Some(p) => {
                    posts.insert(*code, p.id);
                }
                None => missing.push(format!("the post 审批岗 of {} ({code})", d.name)),
            }
        }
        if !missing.is_empty() {
            return Err(Error::InvalidState(format!(
                "the demo's matters need {}: import or create them first",
                missing.join(", ")
            )));
        }
        let publisher = staff::Entity::find()
            .filter(staff::Column::Active.eq(true))
            .order_by_asc(staff::Column::Username)
            .all(&txn)
            .await?
            .into_iter()
            .find(|s| crate::people::holds(s, Role::CenterAdmin))
            .ok_or_else(|| {
                Error::InvalidState("no active centre admin to publish the guides".to_owned())
            })?;
        let department = |code: &str| -> Result<Uuid> {
            departments
                .get(code)
                .copied()
                .ok_or_else(|| Error::Internal(format!("department {code}")))
        };
        let post_of = |code: &str| -> Result<Uuid> {
            posts
                .get(code)
                .copied()
                .ok_or_else(|| Error::Internal(format!("post of {code}")))
        };
        let matters = insert_matters(&txn, now, &department, &post_of).await?;
        services::windows_and_guides(&txn, now, centre.id, &department, publisher.id, &matters)
            .await?;
        txn.commit().await?;
        self.forget_reference();
        Ok(matters.len())
    }
}
