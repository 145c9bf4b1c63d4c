//! The notices' texts, as the applicant reads them.

use super::*;
use chrono::TimeZone;

fn ctx() -> NoticeContext<'static> {
    NoticeContext {
        centre: "示范市政务服务中心",
        number: "LB-20261123-000001",
        matter: "餐饮店开业（一件事）",
        applicant: "张三餐饮有限公司",
        issued_at: Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap(),
    }
}

#[test]
fn the_acceptance_notice_names_the_first_responder_and_the_due_time() {
    let due = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
    let notice = acceptance(&ctx(), "王窗口", due, None);
    assert_eq!(notice.title, "受理通知书（LB-20261123-000001）");
    assert!(notice.body.starts_with("张三餐饮有限公司："));
    assert!(notice.body.contains("首问责任人：王窗口"));
    assert!(notice.body.contains("2026年12月07日 18:00前办结"));
    assert!(notice.body.contains("示范市政务服务中心\n2026年11月23日"));
}

#[test]
fn negative_notices_state_reason_legal_basis_and_the_right_to_appeal() {
    let objections = [Objection {
        department_id: uuid::Uuid::nil(),
        department: "生态环境局".into(),
        reason: "油烟净化设施未达标".into(),
        legal_basis: "《大气污染防治法》第八十一条".into(),
    }];
    let notice = denial(
        &ctx(),
        "环保要求未满足",
        "《行政许可法》第三十八条",
        &objections,
    );
    for part in [
        "理由：环保要求未满足",
        "依据：《行政许可法》第三十八条",
        "生态环境局意见：油烟净化设施未达标",
        "六十日内依法申请行政复议",
        "六个月内依法向人民法院提起行政诉讼",
    ] {
        assert!(notice.body.contains(part), "{part}");
    }
    let refused = refusal(
        &ctx(),
        NoticeKind::NotAccepted,
        "不属于本机关职权范围",
        "《行政许可法》第三十二条",
    );
    assert_eq!(refused.title, "不予受理通知书（LB-20261123-000001）");
    assert!(refused.body.contains(APPEAL_RIGHTS));
}

#[test]
fn the_supplement_notice_lists_every_item_once_with_who_asked() {
    let items = [
        SupplementItem {
            item: "营业执照副本".into(),
            asked_by: vec!["窗口".into(), "消防救援大队".into()],
        },
        SupplementItem {
            item: "从业人员健康证明".into(),
            asked_by: vec!["卫生健康局".into()],
        },
    ];
    let notice = supplement(&ctx(), &items, None, None);
    assert!(
        notice
            .body
            .contains("1. 营业执照副本（提出单位：窗口、消防救援大队）")
    );
    assert!(
        notice
            .body
            .contains("2. 从业人员健康证明（提出单位：卫生健康局）")
    );
    assert!(notice.body.contains("一次性告知"));
}

#[test]
fn a_supplement_notice_quotes_the_guide_version_and_number_of_its_materials() {
    use crate::guides::Material;
    let items = [
        SupplementItem {
            item: "食品经营许可申请书".into(),
            asked_by: vec!["受理窗口".into()],
        },
        SupplementItem {
            item: "其他说明".into(),
            asked_by: vec!["受理窗口".into()],
        },
    ];
    let materials = [
        Material {
            name: "营业执照".into(),
            sample: None,
        },
        Material {
            name: "食品经营许可申请书".into(),
            sample: Some("https://x.gov.cn/a.docx".into()),
        },
    ];
    let guide = GuideQuote {
        version: 2,
        materials: &materials,
    };
    let notice = supplement(&ctx(), &items, None, Some(guide));
    assert!(
        notice.body.contains("本事项办事指南（第2版）"),
        "{}",
        notice.body
    );
    assert!(notice.body.contains(
        "1. 食品经营许可申请书（办事指南第2版所列第2项材料，样表：https://x.gov.cn/a.docx）（提出单位：受理窗口）"
    ), "{}", notice.body);
    assert!(notice.body.contains("2. 其他说明（提出单位：受理窗口）"));
}
