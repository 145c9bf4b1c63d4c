//! 示范中心 — the demo centre a newcomer signs into: six departments, their posts and people,
//! and six matters (immediate, promised, joint, reported up, petition, consultation). Loaded once into an empty
//! database, in one transaction.

mod services;

use crate::access::hash_password;
use crate::engine::Engine;
use crate::error::{Error, Result};
use lianban_entity::{
    CaseKind, LimitUnit, centre, department, matter, matter_department, post, post_b_holder, staff,
};
use lianban_rules::roles::{Role, RoleSet};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// The password every demo account shares (printed by the loader, written in the README).
pub const DEMO_PASSWORD: &str = "Lianban@2026";

/// One demo account.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Sign-in name.
    pub username: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Department code.
    pub department: &'static str,
    /// Roles.
    pub roles: &'static [Role],
}

/// What loading the demo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOutcome {
    /// The demo centre was loaded.
    Loaded,
    /// The database already holds the demo centre; nothing was written.
    AlreadyPresent,
}

use Role::*;

/// (code, name) of each department.
pub const DEPARTMENTS: &[(&str, &str)] = &[
    ("ZXGLB", "政务服务中心管理办公室"),
    ("SCJG", "市场监管局"),
    ("XFJY", "消防救援大队"),
    ("STHJ", "生态环境局"),
    ("WSJK", "卫生健康局"),
    ("CSGL", "城市管理局"),
];

/// Every demo account.
pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "admin",
        name: "周管理",
        department: "ZXGLB",
        roles: &[CenterAdmin],
    },
    DemoAccount {
        username: "leader",
        name: "陈主任",
        department: "ZXGLB",
        roles: &[Leader],
    },
    DemoAccount {
        username: "supervisor",
        name: "孙督查",
        department: "ZXGLB",
        roles: &[Supervisor],
    },
    DemoAccount {
        username: "scjg.window",
        name: "王窗口",
        department: "SCJG",
        roles: &[Window],
    },
    DemoAccount {
        username: "scjg.a",
        name: "李审核",
        department: "SCJG",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "scjg.b",
        name: "赵审核",
        department: "SCJG",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "scjg.head",
        name: "钱局长",
        department: "SCJG",
        roles: &[Reviewer, DeptHead],
    },
    DemoAccount {
        username: "xfjy.a",
        name: "刘消防",
        department: "XFJY",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "xfjy.b",
        name: "杨消防",
        department: "XFJY",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "xfjy.head",
        name: "黄大队长",
        department: "XFJY",
        roles: &[Reviewer, DeptHead],
    },
    DemoAccount {
        username: "sthj.a",
        name: "吴环评",
        department: "STHJ",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "sthj.b",
        name: "徐环评",
        department: "STHJ",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "sthj.head",
        name: "胡局长",
        department: "STHJ",
        roles: &[Reviewer, DeptHead],
    },
    DemoAccount {
        username: "wsjk.a",
        name: "朱卫监",
        department: "WSJK",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "wsjk.b",
        name: "高卫监",
        department: "WSJK",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "wsjk.head",
        name: "林局长",
        department: "WSJK",
        roles: &[Reviewer, DeptHead],
    },
    DemoAccount {
        username: "csgl.a",
        name: "何城管",
        department: "CSGL",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "csgl.b",
        name: "郭城管",
        department: "CSGL",
        roles: &[Reviewer],
    },
    DemoAccount {
        username: "csgl.head",
        name: "马局长",
        department: "CSGL",
        roles: &[Reviewer, DeptHead],
    },
];

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

impl Engine {
    /// Loads the demo centre into an empty database.
    ///
    /// # Errors
    /// `INVALID_STATE` when the database holds a real centre (nothing is written); `INTERNAL` on
    /// a database fault (nothing is written).
    pub async fn load_demo(&self) -> Result<DemoOutcome> {
        let now = self.now();
        let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
            .await
            .map_err(|e| Error::Internal(format!("demo password: {e}")))??;
        let (_gate, txn) = self.begin_write().await?;
        match centre::Entity::find().one(&txn).await? {
            Some(held) if held.demo => {
                txn.rollback().await?;
                return Ok(DemoOutcome::AlreadyPresent);
            }
            Some(held) => {
                txn.rollback().await?;
                return Err(Error::InvalidState(format!(
                    "this database holds the centre {} ({}), not the demo: the demo loads only into an empty database",
                    held.name, held.code
                )));
            }
            None if department::Entity::find().count(&txn).await? > 0 => {
                txn.rollback().await?;
                return Err(Error::InvalidState(
                    "this database already holds departments: the demo loads only into an empty database"
                        .to_owned(),
                ));
            }
            None => {}
        }
        let centre_id = Uuid::now_v7();
        centre::ActiveModel {
            id: Set(centre_id),
            code: Set("DEMO".to_owned()),
            name: Set(self.centre_name().to_owned()),
            demo: Set(true),
            version: Set(0),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let mut departments = HashMap::new();
        for (code, name) in DEPARTMENTS {
            let id = Uuid::now_v7();
            department::ActiveModel {
                id: Set(id),
                code: Set((*code).to_owned()),
                name: Set((*name).to_owned()),
                created_at: Set(now),
                centre_id: Set(Some(centre_id)),
                duties: Set(String::new()),
                active: Set(true),
                version: Set(0),
            }
            .insert(&txn)
            .await?;
            departments.insert(*code, id);
        }
        let department = |code: &str| {
            departments
                .get(code)
                .copied()
                .ok_or_else(|| Error::Internal(format!("demo department {code}")))
        };
        let mut people = HashMap::new();
        for account in ACCOUNTS {
            let id = Uuid::now_v7();
            staff::ActiveModel {
                id: Set(id),
                department_id: Set(department(account.department)?),
                username: Set(account.username.to_owned()),
                display_name: Set(account.name.to_owned()),
                email: Set(format!("{}@lianban.example", account.username)),
                password_hash: Set(hash.clone()),
                roles: Set(RoleSet::of(account.roles).stored()),
                active: Set(true),
                created_at: Set(now),
                centre_id: Set(Some(centre_id)),
                version: Set(0),
                must_change_password: Set(false),
                sso_subject: Set(None),
                deactivated_at: Set(None),
                password_changed_at: Set(None),
            }
            .insert(&txn)
            .await?;
            people.insert(account.username, id);
        }
        let person = |username: &str| {
            people
                .get(username)
                .copied()
                .ok_or_else(|| Error::Internal(format!("demo account {username}")))
        };
        let mut posts = HashMap::new();
        for (code, _) in DEPARTMENTS.iter().filter(|(code, _)| *code != "ZXGLB") {
            let prefix = code.to_lowercase();
            let id = Uuid::now_v7();
            post::ActiveModel {
                id: Set(id),
                department_id: Set(department(code)?),
                name: Set("审批岗".to_owned()),
                a_holder_id: Set(person(&format!("{prefix}.a"))?),
                created_at: Set(now),
                centre_id: Set(Some(centre_id)),
                active: Set(true),
                version: Set(0),
            }
            .insert(&txn)
            .await?;
            post_b_holder::ActiveModel {
                post_id: Set(id),
                staff_id: Set(person(&format!("{prefix}.b"))?),
                position: Set(1),
            }
            .insert(&txn)
            .await?;
            posts.insert(*code, id);
        }
        let post_of = |code: &str| {
            posts
                .get(code)
                .copied()
                .ok_or_else(|| Error::Internal(format!("demo post {code}")))
        };
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
            .insert(&txn)
            .await?;
            for (position, (code, limit)) in m.co_handlers.iter().enumerate() {
                matter_department::ActiveModel {
                    matter_id: Set(id),
                    department_id: Set(department(code)?),
                    post_id: Set(post_of(code)?),
                    review_limit: Set(*limit),
                    position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                }
                .insert(&txn)
                .await?;
            }
            matter_ids.push((m.code, id));
        }
        crate::demo::services::load(&txn, now, centre_id, &department, &person, &matter_ids)
            .await?;
        txn.commit().await?;
        self.forget_reference();
        Ok(DemoOutcome::Loaded)
    }
}
