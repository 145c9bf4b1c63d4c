//! Conditions as the admin writes them, and those refused.

use super::*;
use crate::catalogue::form::check_answers;
use serde_json::json;

fn form() -> Vec<Field> {
    serde_json::from_value(json!([
        { "key": "建筑面积", "label": "建筑面积", "kind": "NUMBER" },
        { "key": "经营类别", "label": "经营类别", "kind": "CHOICE", "options": ["中餐", "西餐"] },
        { "key": "设有后厨", "label": "设有后厨", "kind": "YES_NO" },
        { "key": "address", "label": "地址", "kind": "TEXT" },
        { "key": "rooms", "label": "场所", "kind": "TABLE", "columns": [{ "key": "name", "label": "名称", "kind": "TEXT" }] },
    ]))
    .unwrap()
}

fn when(text: &str, answers: serde_json::Value) -> bool {
    let condition = parse(text).unwrap();
    check(&condition, &form()).unwrap();
    holds(&condition, &check_answers(&form(), &answers).unwrap())
}

#[test]
fn conditions_read_as_the_admin_writes_them() {
    let fire = "建筑面积 > 300 且 (经营类别 = \"中餐\" 或 设有后厨)";
    assert!(when(
        fire,
        json!({ "建筑面积": 320, "经营类别": "西餐", "设有后厨": true })
    ));
    assert!(
        !when(fire, json!({ "建筑面积": 300, "经营类别": "中餐" })),
        "300 is not over 300"
    );
    assert!(!when(
        fire,
        json!({ "建筑面积": 500, "经营类别": "西餐", "设有后厨": false })
    ));
    assert!(when("非 设有后厨", json!({})), "an unanswered yes/no is no");
    assert!(when(
        "address 包含 \"开发区\" or rooms >= 2",
        json!({ "rooms": [{ "name": "a" }, { "name": "b" }] })
    ));
    assert!(
        !when("建筑面积 >= 100", json!({})),
        "an unanswered number meets no comparison"
    );
    assert!(when(
        "建筑面积≥100&&经营类别≠“西餐”",
        json!({ "建筑面积": 100, "经营类别": "中餐" })
    ));
}

#[test]
fn a_condition_that_cannot_work_is_refused_before_it_is_saved() {
    for (text, why) in [
        ("面积 > 3", "no such field"),
        ("经营类别 = \"火锅\"", "no such option"),
        ("经营类别 > 3", "a choice is not a number"),
        ("address", "text is not a yes/no"),
        ("设有后厨 = 3", "yes/no compared with a number"),
    ] {
        let parsed = parse(text).unwrap();
        assert!(check(&parsed, &form()).is_err(), "{why}: {text}");
    }
    for text in [
        "建筑面积 >",
        "(建筑面积 > 1",
        "建筑面积 > 1 1",
        "\"x",
        "建筑面积 > 1; drop",
        "",
    ] {
        assert!(parse(text).is_err(), "{text}");
    }
    assert!(parse(&"(".repeat(30)).is_err());
    assert!(parse(&"a ".repeat(300)).is_err());
}
