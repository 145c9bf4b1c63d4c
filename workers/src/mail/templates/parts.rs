//! The longer mail bodies: ladder mail about several cases, supervision items, the leaders'
//! digest.

use super::{Rendered, TemplateContext, escape, light_name, local, text_of};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// A supervision item's mail: who answers for it (承办) or a chase (督办), with its reply deadline.
pub(super) fn supervision_lines(key: &str, payload: &Value) -> (String, Vec<String>) {
    let title = text_of(payload, "title").unwrap_or_default();
    let due = text_of(payload, "replyDueAt")
        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        .map(local)
        .unwrap_or_else(|| "—".to_owned());
    let mut lines = vec![format!("督办事项：{title}")];
    if let Some(detail) = text_of(payload, "detail") {
        lines.push(format!("事由：{detail}"));
    }
    let subject = if key == "supervision_chased" {
        let n = text_of(payload, "chases").unwrap_or_default();
        if let Some(note) = text_of(payload, "note") {
            lines.push(format!("督办意见：{note}"));
        }
        format!("【联办·督办】{title}（第{n}次督办）")
    } else {
        lines.push("您被指定为本督办事项的承办人，请按期反馈办理情况。".to_owned());
        format!("【联办·督办】{title}：请您承办并按期反馈")
    };
    lines.push(format!("反馈期限：{due}"));
    (subject, lines)
}

/// A follow-up alert about a reply deadline (a supervision item, a rectification, a complaint),
/// or a new rectification item after a bad review.
pub(super) fn follow_up_lines(key: &str, payload: &Value) -> (String, Vec<String>) {
    let title = text_of(payload, "title").unwrap_or_default();
    let due = text_of(payload, "replyDueAt")
        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        .map(local)
        .unwrap_or_else(|| "—".to_owned());
    if key == "rectification_opened" {
        let mut lines = vec![format!("整改事项：{title}")];
        lines.extend(text_of(payload, "detail").map(|d| format!("事由：{d}")));
        lines.push(format!("整改反馈期限：{due}（15个工作日）"));
        return (format!("【联办·差评整改】{title}"), lines);
    }
    let what = match text_of(payload, "kind").as_deref() {
        Some("COMPLAINT") => "投诉答复",
        Some("RECTIFICATION") => "差评整改",
        _ => "督办事项反馈",
    };
    let step = text_of(payload, "step").unwrap_or_default();
    let (tag, lead) = match step.as_str() {
        "REMINDER" => ("提醒", format!("{what}剩余期限不足1个工作日，请抓紧办理。")),
        "DUE" => ("到期", format!("{what}已到期限，请立即反馈。")),
        other => {
            let n = other.strip_prefix("OVERDUE_").unwrap_or("1");
            (
                "逾期",
                format!("{what}已逾期{n}个工作日，请立即反馈；中心管理办同时收到本通知。"),
            )
        }
    };
    (
        format!("【联办·{tag}】{what}：{title}"),
        vec![lead, format!("事项：{title}"), format!("期限：{due}")],
    )
}

/// The subject of a ladder mail about several cases.
pub(super) fn several(key: &str, count: usize, payload: &Value) -> Option<String> {
    let days = payload["items"][0]
        .get("daysOverdue")
        .map(|d| d.to_string())
        .unwrap_or_default();
    Some(match key {
        "ladder_reminder" => format!("【联办·提醒】{count}件事项剩余办理时间不足1个工作日"),
        "ladder_due" => format!("【联办·到期】{count}件事项已到办理期限"),
        "ladder_yellow_card" => format!("【联办·黄牌】{count}件事项超期{days}个工作日，已立项督办"),
        "ladder_red_card" => format!("【联办·红牌】{count}件事项超期{days}个工作日，提请领导督办"),
        "ladder_daily" => format!("【联办·超期提醒】{count}件事项已超期"),
        "duty_escalation" => {
            format!("【联办·值班】非工作时间{count}件事项升级督办，请值班人员跟进")
        }
        _ => return None,
    })
}

/// One line per case of a mail about several.
pub(super) fn item_line(item: &Value, ctx: &TemplateContext) -> String {
    let number = text_of(item, "number").unwrap_or_default();
    let due = text_of(item, "dueAt")
        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        .map(local)
        .unwrap_or_default();
    format!(
        "· {number} {}（{}），办理期限{due}，{}，查看：{}/cases/{number}",
        text_of(item, "matter").unwrap_or_default(),
        text_of(item, "department").unwrap_or_default(),
        light_name(&text_of(item, "light").unwrap_or_default()),
        ctx.base_url.trim_end_matches('/')
    )
}

/// A ladder mail about several cases: one line each.
pub(super) fn render_several(
    key: &str,
    payload: &Value,
    ctx: &TemplateContext,
) -> Option<Rendered> {
    let items = payload
        .get("items")
        .and_then(Value::as_array)
        .filter(|i| i.len() > 1)?;
    let subject = several(key, items.len(), payload)?;
    let mut lines = vec!["以下事项需要您关注：".to_owned()];
    lines.extend(items.iter().map(|item| item_line(item, ctx)));
    let text = format!(
        "{}\n\n{}（联办系统自动发送，请勿直接回复）\n",
        lines.join("\n"),
        ctx.centre
    );
    let html = format!(
        "<html><body>{}<p>{}（联办系统自动发送，请勿直接回复）</p></body></html>",
        lines
            .iter()
            .map(|l| format!("<p>{}</p>", escape(l)))
            .collect::<String>(),
        escape(&ctx.centre)
    );
    Some(Rendered {
        subject,
        text,
        html,
    })
}

/// The leaders' morning digest: every red item, grouped by department.
pub(super) fn digest_lines(payload: &Value) -> (String, Vec<String>) {
    let date = text_of(payload, "date").unwrap_or_default();
    let total = text_of(payload, "total").unwrap_or_else(|| "0".into());
    let mut lines = vec![format!(
        "截至{date}上午，全中心红灯（已超期）事项共{total}件，按部门列示如下："
    )];
    for group in payload
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text_of(group, "department").unwrap_or_default();
        let items = group
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        lines.push(format!("{name}（{}件）", items.len()));
        for item in items {
            let due = text_of(&item, "dueAt")
                .and_then(|s| s.parse::<DateTime<Utc>>().ok())
                .map(local)
                .unwrap_or_default();
            lines.push(format!(
                "  · {} {}，期限{}，{}",
                text_of(&item, "number").unwrap_or_default(),
                text_of(&item, "matter").unwrap_or_default(),
                due,
                text_of(&item, "card").unwrap_or_else(|| "红灯".into())
            ));
        }
    }
    (format!("【联办·晨报】{date} 红灯事项{total}件"), lines)
}
