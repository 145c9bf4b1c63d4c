//! 示范中心 — the demo centre a newcomer signs into: six departments, their posts and people,
//! and six matters (immediate, promised, joint, reported up, petition, consultation). Loaded once into an empty
//! database, in one transaction.

mod catalogue;
mod services;

use catalogue::insert_matters;

use crate::access::hash_password;
use crate::engine::Engine;
use crate::error::{Error, Result};
use lianban_entity::{centre, department, post, post_b_holder, staff};
use lianban_rules::roles::{Role, RoleSet};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};
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
        let matter_ids = insert_matters(&txn, now, &department, &post_of).await?;
        services::windows_and_guides(
            &txn,
            now,
            centre_id,
            &department,
            person("admin")?,
            &matter_ids,
        )
        .await?;
        services::roster(&txn, now, person("admin")?, person("supervisor")?).await?;
        txn.commit().await?;
        self.forget_reference();
        Ok(DemoOutcome::Loaded)
    }
}
