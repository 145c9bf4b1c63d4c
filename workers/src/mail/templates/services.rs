//! The mail of the centre's own rules: urgent cases, appointments (confirmation, reminder,
//! cancellation), holiday requests and summons, and the duty roster.

use super::{local, text_of};
use chrono::{DateTime, Utc};
use serde_json::Value;

fn at(payload: &Value, key: &str) -> Option<String> {
    text_of(payload, key)
        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        .map(local)
}

/// When and where a booking is.
fn booking_lines(payload: &Value) -> Vec<String> {
    // The matter itself is named in the mail's facts below (事项：…).
    let mut lines = vec![format!(
        "预约号：{}",
        text_of(payload, "code").unwrap_or_default()
    )];
    if let Some(start) = at(payload, "slotStart") {
        let end = at(payload, "slotEnd")
            .and_then(|e| e.split(' ').nth(1).map(str::to_owned))
            .unwrap_or_default();
        lines.push(format!("预约时间：{start}—{end}"));
    }
    match (text_of(payload, "address"), text_of(payload, "window")) {
        (Some(address), _) => lines.push(format!("上门地址：{address}")),
        (None, Some(window)) => lines.push(format!(
            "办理窗口：{window}（{}）",
            text_of(payload, "location").unwrap_or_default()
        )),
        _ => {}
    }
    lines
}

/// The payload without what the caller typed (a home visit's address, a note, a name).
fn without_caller_text(payload: &Value) -> Value {
    let mut payload = payload.clone();
    if let Some(map) = payload.as_object_mut() {
        for key in ["address", "note", "applicant", "phone"] {
            map.remove(key);
        }
    }
    payload
}

/// Subject and lines of a template of this module; `None` for another key.
pub(super) fn lines(key: &str, payload: &Value) -> Option<(String, Vec<String>)> {
    let applicant = text_of(payload, "applicant").unwrap_or_default();
    Some(match key {
        "task_urgent" => {
            let mut lines = vec![format!(
                "牵头窗口已将本办件列为急件（{}）：{}。请优先办理。",
                text_of(payload, "category").unwrap_or_default(),
                text_of(payload, "reason").unwrap_or_default()
            )];
            if let Some(limit) = text_of(payload, "limit") {
                lines.push(format!("急件审查时限已压缩为{limit}个工作日。"));
            }
            ("【联办·急件】请优先办理".to_owned(), lines)
        }
        // Mail to an applicant opens with the centre's own words: what the caller typed (a
        // name, a note, an address) never comes first, so a booking cannot be used to send
        // the centre's mail opening with somebody else's message.
        "appointment_code" => {
            let mut lines = vec![
                format!(
                    "您好：本邮箱被用于提交一项{}申请。验证码：{}（{}分钟内有效）。",
                    text_of(payload, "kind").unwrap_or_else(|| "预约".into()),
                    text_of(payload, "confirmationCode").unwrap_or_default(),
                    text_of(payload, "validMinutes").unwrap_or_default()
                ),
                "在预约页面输入验证码后，预约才会生效、名额才会为您保留。".into(),
            ];
            lines.extend(booking_lines(&without_caller_text(payload)));
            if let Some(day) = text_of(payload, "day") {
                lines.push(format!("申请日期：{day}"));
            }
            lines.push("如非本人操作，请忽略本邮件，预约不会生效。".into());
            ("【联办·预约验证码】请确认您的预约".to_owned(), lines)
        }
        "appointment_confirmed" => {
            let mut lines = vec![format!(
                "您好：您的{}已确认。",
                text_of(payload, "kind").unwrap_or_else(|| "预约".into())
            )];
            lines.extend(booking_lines(payload));
            lines.push(format!("预约人：{applicant}"));
            lines.push(
                if payload.get("reminder").and_then(Value::as_bool) == Some(true) {
                    "请携带办事指南所列材料按时办理；我们将在前一个工作日再次提醒您。"
                } else {
                    "请携带办事指南所列材料按时办理。"
                }
                .into(),
            );
            (
                format!(
                    "【联办·预约确认】预约号{}",
                    text_of(payload, "code").unwrap_or_default()
                ),
                lines,
            )
        }
        "appointment_reminder" => {
            let mut lines = vec!["您好：提醒您，明日（下一个工作日）有一项预约。".to_owned()];
            lines.extend(booking_lines(payload));
            lines.push(format!("预约人：{applicant}"));
            lines.push("如不能按时前来，请提前联系窗口，以免记为爽约。".into());
            (
                format!(
                    "【联办·预约提醒】预约号{}",
                    text_of(payload, "code").unwrap_or_default()
                ),
                lines,
            )
        }
        "appointment_cancelled" => (
            format!(
                "【联办·预约取消】预约号{}",
                text_of(payload, "code").unwrap_or_default()
            ),
            vec![
                "您好：很抱歉，您的预约已取消。".to_owned(),
                format!("预约人：{applicant}"),
                format!(
                    "取消原因：{}",
                    text_of(payload, "reason").unwrap_or_default()
                ),
            ],
        ),
        "holiday_request" => {
            let day = text_of(payload, "day").unwrap_or_default();
            let mut lines = vec!["收到一件节假日办理申请，请您安排窗口人员办理。".to_owned()];
            if payload.get("nobodyOnDuty").and_then(Value::as_bool) == Some(true) {
                lines.push(format!("{day}尚无值班人员，请中心管理办安排。"));
            }
            lines.extend([
                format!("申请日期：{day}"),
                format!(
                    "申请人：{applicant}，联系电话：{}",
                    text_of(payload, "phone").unwrap_or_default()
                ),
            ]);
            lines.extend(text_of(payload, "address").map(|a| format!("地址：{a}")));
            lines.extend(text_of(payload, "note").map(|n| format!("说明：{n}")));
            (format!("【联办·值班】{day}节假日办理申请"), lines)
        }
        "window_staff_summoned" => {
            let mut lines = vec!["值班人员召集您于节假日到岗办理以下事项：".to_owned()];
            lines.extend(booking_lines(payload));
            lines.push(format!(
                "申请人：{applicant}，联系电话：{}",
                text_of(payload, "phone").unwrap_or_default()
            ));
            lines.extend(text_of(payload, "note").map(|n| format!("说明：{n}")));
            (
                format!(
                    "【联办·值班召集】{} 到岗办理",
                    at(payload, "slotStart").unwrap_or_default()
                ),
                lines,
            )
        }
        "duty_assigned" => {
            let day = text_of(payload, "day").unwrap_or_default();
            (
                format!("【联办·值班】您被安排于{day}值班"),
                vec![format!(
                    "您被安排于{day}值班：当日的节假日办理申请和非工作时间的督办升级将发送给您。"
                )],
            )
        }
        "duty_gap" => {
            let days: Vec<String> = payload
                .get("days")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|d| {
                    let name = text_of(d, "name")
                        .map(|n| format!("，{n}"))
                        .unwrap_or_default();
                    let kind = if d.get("working").and_then(Value::as_bool) == Some(true) {
                        "工作日"
                    } else {
                        "休息日"
                    };
                    format!(
                        "· {}（{kind}{name}）",
                        text_of(d, "day").unwrap_or_default()
                    )
                })
                .collect();
            let mut lines = vec!["以下日期尚无值班人员，请及时安排值班表：".to_owned()];
            lines.extend(days.iter().cloned());
            (
                format!("【联办·值班】{}天无人值班，请安排", days.len()),
                lines,
            )
        }
        "duty_escalation" => (
            "【联办·值班】非工作时间督办升级，请值班人员跟进".to_owned(),
            vec![
                "以下办件在非工作时间升级为黄牌或红牌督办，请您作为值班人员跟进、联系相关部门："
                    .into(),
            ],
        ),
        _ => return None,
    })
}
