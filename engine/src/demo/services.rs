//! The demo centre's windows, service guides (version 1 of each matter's) and duty roster
//! (the supervisor on duty every day for half a year from loading), written in the demo
//! loader's transaction.

use crate::error::Result;
use chrono::{DateTime, Days, Utc};
use lianban_entity::{SuspensionKind, duty_roster, service_guide, service_window};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, EntityTrait};
use serde_json::json;
use uuid::Uuid;

/// Days of duty roster the demo fills from the day it is loaded.
pub const DEMO_ROSTER_DAYS: u64 = 183;

/// (department, name, location, home visits) of each demo window.
pub(super) const WINDOWS: &[(&str, &str, &str, bool)] = &[
    ("SCJG", "1号窗口（市场监管综合受理）", "一楼大厅东侧", true),
    ("XFJY", "5号窗口（消防审验）", "一楼大厅西侧", false),
    ("STHJ", "6号窗口（生态环境）", "二楼东侧", false),
    ("WSJK", "7号窗口（卫生健康）", "二楼西侧", false),
    ("CSGL", "8号窗口（城市管理）", "二楼西侧", false),
];

/// (matter code, legal basis, fee and its basis, special procedures, notes) of each guide.
type GuideText = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    &'static [SuspensionKind],
    &'static str,
);

const GUIDES: &[GuideText] = &[
    (
        "SCJG-IMM-001",
        "《促进个体工商户发展条例》第十条；《中华人民共和国市场主体登记管理条例》第二十四条",
        None,
        &[],
        "材料齐全、符合法定形式的，当场办结。",
    ),
    (
        "SCJG-PRM-001",
        "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        None,
        &[SuspensionKind::SiteSurvey],
        "需要现场核查的，核查时间不计入办理时限。",
    ),
    (
        "JOINT-001",
        "《国务院关于加快推进政务服务标准化规范化便利化的指导意见》（国发〔2022〕5号）；《中华人民共和国消防法》第十五条；《中华人民共和国食品安全法》第三十五条",
        None,
        &[SuspensionKind::SiteSurvey, SuspensionKind::ExpertReview],
        "“一件事”集成办理：一次告知、一表申请、一窗受理，消防、环保、卫健并联审查。",
    ),
    (
        "SCJG-RPT-001",
        "《中华人民共和国食品安全法》第八十条；《食品生产许可管理办法》",
        None,
        &[SuspensionKind::Testing, SuspensionKind::ExpertReview],
        "本级受理后报省级市场监管部门审批。",
    ),
    (
        "SCJG-PET-001",
        "《信访工作条例》第三十二条",
        None,
        &[],
        "信访事项按自然日计算办理期限。",
    ),
    (
        "SCJG-CON-001",
        "《优化营商环境条例》第三十五条",
        None,
        &[],
        "咨询当场答复；需要查询的，在承诺时限内答复。",
    ),
];

/// The sample form of a material, where the demo has one.
fn sample(material: &str) -> Option<String> {
    matches!(
        material,
        "食品经营许可申请书" | "消防安全检查申请表" | "环境影响登记表" | "变更登记申请书"
    )
    .then(|| format!("https://zwfw.example.gov.cn/samples/{material}.docx"))
}

/// Writes the demo windows and the guides of its matters, published by `publisher`.
pub(crate) async fn windows_and_guides(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    centre_id: Uuid,
    department: &dyn Fn(&str) -> Result<Uuid>,
    publisher: Uuid,
    matters: &[(&'static str, Uuid)],
) -> Result<()> {
    let mut lead_window = None;
    for (code, name, location, home) in WINDOWS {
        let id = Uuid::now_v7();
        service_window::ActiveModel {
            id: Set(id),
            department_id: Set(department(code)?),
            name: Set((*name).to_owned()),
            location: Set((*location).to_owned()),
            office_hours: Set(json!([])),
            slot_minutes: Set(30),
            capacity: Set(2),
            home_visits: Set(*home),
            active: Set(true),
            version: Set(0),
            created_at: Set(now),
            centre_id: Set(Some(centre_id)),
        }
        .insert(txn)
        .await?;
        if *code == "SCJG" {
            lead_window = Some(id);
        }
    }
    for (code, basis, fee, procedures, notes) in GUIDES {
        let Some((_, matter_id)) = matters.iter().find(|(c, _)| c == code) else {
            continue;
        };
        let Some(m) = super::catalogue::MATTER_LIST
            .iter()
            .find(|m| m.code == *code)
        else {
            continue;
        };
        let materials: Vec<_> = m
            .materials
            .iter()
            .map(|name| json!({ "name": name, "sample": sample(name) }))
            .collect();
        service_guide::ActiveModel {
            id: Set(Uuid::now_v7()),
            matter_id: Set(*matter_id),
            version: Set(1),
            kind: Set(m.kind),
            limit_unit: Set(m.unit),
            legal_limit: Set(m.legal),
            promised_limit: Set(m.promised),
            urgent_review_limit: Set(m.urgent_review_limit),
            materials: Set(json!(materials)),
            legal_basis: Set((*basis).to_owned()),
            fee: Set(fee.map(|f| f.0.to_owned())),
            fee_basis: Set(fee.map(|f| f.1.to_owned())),
            special_procedures: Set(json!(procedures)),
            window_id: Set(lead_window),
            notes: Set(Some((*notes).to_owned())),
            change_note: Set(Some("首次发布".to_owned())),
            published_by: Set(publisher),
            published_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Writes the demo duty roster: the supervisor on duty for the coming days.
pub(crate) async fn roster(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    admin: Uuid,
    supervisor: Uuid,
) -> Result<()> {
    let today = lianban_rules::calendar::local_date(now);
    let rows: Vec<_> = (0..DEMO_ROSTER_DAYS)
        .filter_map(|n| today.checked_add_days(Days::new(n)))
        .map(|day| duty_roster::ActiveModel {
            id: Set(Uuid::now_v7()),
            day: Set(crate::people::duty::day_key(day)),
            staff_id: Set(supervisor),
            assigned_by: Set(admin),
            assigned_at: Set(now),
        })
        .collect();
    duty_roster::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}
