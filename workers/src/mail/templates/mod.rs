//! Mail templates, in Chinese: a subject, plain text and HTML for each template key. Every mail
//! about a case names its number, matter, department, due time (Asia/Shanghai) and light, and
//! links to it from the base URL.

use chrono::{DateTime, Utc};
use lianban_rules::calendar::CENTRE_TZ;
use lianban_rules::clocks::Light;
use lianban_rules::mail::MailFacts;
use serde_json::Value;

mod parts;
mod services;
use parts::{digest_lines, follow_up_lines, render_several, supervision_lines};

/// The centre's name and public address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateContext {
    /// Signs every mail.
    pub centre: String,
    /// Links start here (`https://lianban.example.gov.cn`).
    pub base_url: String,
}

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML.
    pub html: String,
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&CENTRE_TZ)
        .format("%Y年%m月%d日 %H:%M")
        .to_string()
}

fn light_name(light: &str) -> &'static str {
    match light {
        "GREEN" => "绿灯（正常）",
        "YELLOW" => "黄灯（临近期限）",
        "RED" => "红灯（已超期）",
        _ => "—",
    }
}

fn status_name(status: &str) -> &str {
    match status {
        "RECEIVED" => "已收件",
        "SUPPLEMENT_REQUIRED" => "待补正",
        "ACCEPTED" => "已受理",
        "IN_REVIEW" => "审查中",
        "SUSPENDED" => "已中止",
        "AWAITING_DECISION" => "待决定",
        "REPORTED_UP" => "已上报",
        "DECIDED" => "已决定",
        "DELIVERED" => "已送达",
        "ARCHIVED" => "已归档",
        "WITHDRAWN" => "已撤回",
        "RETURNED" => "已退回",
        "NOT_ACCEPTED" => "不予受理",
        "ANSWERED" => "已答复",
        other => other,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn text_of(payload: &Value, key: &str) -> Option<String> {
    match payload.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Renders template `key` with `payload`, filling what the payload lacks from `facts`.
pub fn render(
    key: &str,
    payload: &Value,
    facts: Option<&MailFacts>,
    ctx: &TemplateContext,
) -> Rendered {
    if let Some(rendered) = render_several(key, payload, ctx) {
        return rendered;
    }
    let number = text_of(payload, "number")
        .or_else(|| facts.map(|f| f.number.clone()))
        .unwrap_or_default();
    let matter = text_of(payload, "matter")
        .or_else(|| facts.map(|f| f.matter.clone()))
        .unwrap_or_default();
    let department = text_of(payload, "department")
        .or_else(|| facts.map(|f| f.department.clone()))
        .unwrap_or_default();
    let due = text_of(payload, "dueAt")
        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        .or_else(|| facts.and_then(|f| f.due_at));
    let light = text_of(payload, "light").or_else(|| {
        facts.and_then(|f| f.light).map(|l| match l {
            Light::Green => "GREEN".to_owned(),
            Light::Yellow => "YELLOW".to_owned(),
            Light::Red => "RED".to_owned(),
        })
    });
    let days = text_of(payload, "daysOverdue").unwrap_or_default();
    let (subject, lead): (String, Vec<String>) = match key {
        "task_assigned" => (
            format!("【联办】新协办任务 {number}"),
            vec!["您有一项新的协办任务，请在期限内提出审查意见。".into()],
        ),
        "case_status_changed" => (
            format!("【联办】办件状态变更 {number}"),
            vec![format!(
                "您首问的办件状态已由「{}」变为「{}」。",
                status_name(&text_of(payload, "from").unwrap_or_default()),
                status_name(&text_of(payload, "to").unwrap_or_default())
            )],
        ),
        "ladder_reminder" => (
            format!("【联办·提醒】{number} 剩余办理时间不足1个工作日"),
            vec!["您承办的事项即将到期，请抓紧办理。".into()],
        ),
        "ladder_due" => (
            format!("【联办·到期】{number} 已到办理期限"),
            vec!["办理期限已到，请立即办结；部门负责人同时收到本通知。".into()],
        ),
        "ladder_yellow_card" => (
            format!("【联办·黄牌】{department} 办件{number}超期{days}个工作日，已立项督办"),
            vec![format!(
                "{department}承办的环节超过办理期限{days}个工作日，已立项督办，请中心管理办跟进。"
            )],
        ),
        "ladder_red_card" => (
            format!("【联办·红牌】{department} 办件{number}超期{days}个工作日，提请领导督办"),
            vec![format!(
                "{department}承办的环节超过办理期限{days}个工作日，督办事项已提请中心领导督办。"
            )],
        ),
        "ladder_daily" => (
            format!("【联办·超期提醒】{number} 已超期（第{days}次提醒）"),
            vec!["该事项已超过办理期限，请尽快办结。".into()],
        ),
        "task_deemed_approved" => (
            format!("【联办·默认同意】办件{number}逾期未回复，按默认同意处理"),
            vec![
                "贵部门的协办环节在期限内未提出意见，依本事项规定按默认同意处理，并计入考核。"
                    .into(),
            ],
        ),
        "objection_overruled" => (
            format!("【联办·书面告知】办件{number}已作出准予许可决定"),
            vec![
                format!(
                    "贵部门（{}）的不同意意见：{}",
                    text_of(payload, "department").unwrap_or_default(),
                    text_of(payload, "objection").unwrap_or_default()
                ),
                format!(
                    "牵头窗口准予许可的理由：{}",
                    text_of(payload, "reason").unwrap_or_default()
                ),
            ],
        ),
        "negative_report_pending" => (
            format!("【联办·否定报备】办件{number}待您签批"),
            vec!["一份否定性决定报备等待您的签批，签批后方可生效。".into()],
        ),
        "calendar_year_missing" => {
            let year = text_of(payload, "year").unwrap_or_default();
            (
                format!("【联办·日历】{year}年节假日安排尚未录入"),
                vec![format!(
                    "有办理期限计算到{year}年，该年节假日安排尚未录入，期限暂按周一至周五计算并标为临时。请录入国务院办公厅公布的安排。"
                )],
            )
        }
        "department_unstaffed" => (
            format!("【联办·AB岗】{department}暂无在岗人员"),
            vec![format!(
                "{department}的A岗、B岗人员均不在岗，新任务暂无人办理，请协调安排。"
            )],
        ),
        "supervision_assigned" | "supervision_chased" => supervision_lines(key, payload),
        "complaint_filed" => (
            "【联办·投诉】贵部门收到一件投诉，请按期答复".to_owned(),
            vec![
                format!(
                    "投诉内容：{}",
                    text_of(payload, "content").unwrap_or_default()
                ),
                format!(
                    "答复期限：{}（逾期每个工作日扣4分）",
                    text_of(payload, "replyDueAt")
                        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
                        .map(local)
                        .unwrap_or_default()
                ),
            ],
        ),
        "leadership_digest" => digest_lines(payload),
        "follow_up_alert" | "rectification_opened" => follow_up_lines(key, payload),
        other => services::lines(other, payload).unwrap_or_else(|| {
            (
                format!("【联办】通知（{other}）"),
                vec![payload.to_string()],
            )
        }),
    };
    let mut facts_lines = Vec::new();
    if !number.is_empty() {
        facts_lines.push(format!("办件编号：{number}"));
    }
    if !matter.is_empty() {
        facts_lines.push(format!("事项：{matter}"));
    }
    if !department.is_empty() {
        facts_lines.push(format!("部门：{department}"));
    }
    if let Some(due) = due {
        facts_lines.push(format!("办理期限：{}", local(due)));
    }
    if let Some(light) = &light {
        facts_lines.push(format!("状态灯：{}", light_name(light)));
    }
    let link = (!number.is_empty())
        .then(|| format!("{}/cases/{number}", ctx.base_url.trim_end_matches('/')));
    if let Some(link) = &link {
        facts_lines.push(format!("查看：{link}"));
    }
    let mut text = lead.join("\n");
    if !facts_lines.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts_lines.join("\n"));
    }
    text.push_str(&format!(
        "\n\n{}（联办系统自动发送，请勿直接回复）\n",
        ctx.centre
    ));
    let mut html = String::from("<html><body>");
    for line in &lead {
        html.push_str(&format!("<p>{}</p>", escape(line)));
    }
    html.push_str("<ul>");
    for line in &facts_lines {
        match (&link, line.strip_prefix("查看：")) {
            (Some(href), Some(_)) => html.push_str(&format!(
                "<li>查看：<a href=\"{0}\">{0}</a></li>",
                escape(href)
            )),
            _ => html.push_str(&format!("<li>{}</li>", escape(line))),
        }
    }
    html.push_str(&format!(
        "</ul><p>{}（联办系统自动发送，请勿直接回复）</p></body></html>",
        escape(&ctx.centre)
    ));
    Rendered {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> TemplateContext {
        TemplateContext {
            centre: "示范市政务服务中心".into(),
            base_url: "https://lianban.example/".into(),
        }
    }

    #[test]
    fn a_due_notice_names_the_case_matter_department_due_time_light_and_link() {
        let payload = json!({
            "number": "LB-20261123-000001", "matter": "餐饮店开业（一件事）", "department": "消防救援大队",
            "dueAt": "2026-11-30T10:00:00Z", "light": "RED", "step": "DUE",
        });
        let mail = render("ladder_due", &payload, None, &ctx());
        assert_eq!(mail.subject, "【联办·到期】LB-20261123-000001 已到办理期限");
        for part in [
            "办件编号：LB-20261123-000001",
            "事项：餐饮店开业（一件事）",
            "部门：消防救援大队",
            "办理期限：2026年11月30日 18:00",
            "状态灯：红灯（已超期）",
            "查看：https://lianban.example/cases/LB-20261123-000001",
            "示范市政务服务中心",
        ] {
            assert!(mail.text.contains(part), "{part} in {}", mail.text);
        }
        assert!(
            mail.html
                .contains("<a href=\"https://lianban.example/cases/LB-20261123-000001\">")
        );
    }

    #[test]
    fn missing_facts_come_from_the_case_and_html_is_escaped() {
        let facts = MailFacts {
            number: "LB-1".into(),
            matter: "<食品>".into(),
            department: "市场监管局".into(),
            due_at: None,
            light: Some(Light::Green),
        };
        let mail = render(
            "case_status_changed",
            &json!({ "from": "RECEIVED", "to": "IN_REVIEW" }),
            Some(&facts),
            &ctx(),
        );
        assert!(mail.text.contains("由「已收件」变为「审查中」"));
        assert!(mail.text.contains("状态灯：绿灯（正常）"));
        assert!(mail.html.contains("&lt;食品&gt;"));
    }

    #[test]
    fn a_ladder_mail_about_several_cases_lists_each() {
        let item = |n: &str, d: &str| json!({ "number": n, "matter": "餐饮店开业", "department": d, "dueAt": "2026-11-30T10:00:00Z", "light": "RED", "daysOverdue": 1 });
        let payload = json!({ "count": 2, "items": [item("LB-1", "消防救援大队"), item("LB-2", "卫生健康局")] });
        let mail = render("ladder_yellow_card", &payload, None, &ctx());
        assert_eq!(
            mail.subject,
            "【联办·黄牌】2件事项超期1个工作日，已立项督办"
        );
        assert!(mail.text.contains("· LB-2 餐饮店开业（卫生健康局），办理期限2026年11月30日 18:00，红灯（已超期），查看：https://lianban.example/cases/LB-2"), "{}", mail.text);
    }

    #[test]
    fn the_digest_lists_red_items_by_department() {
        let payload = json!({ "date": "2026年12月04日", "total": 2, "groups": [
            { "department": "消防救援大队", "items": [{ "number": "LB-1", "matter": "餐饮店开业", "dueAt": "2026-11-30T10:00:00Z", "card": "红牌" }] },
            { "department": "卫生健康局", "items": [{ "number": "LB-2", "matter": "餐饮店开业", "dueAt": "2026-11-30T10:00:00Z", "card": "黄牌" }] },
        ]});
        let mail = render("leadership_digest", &payload, None, &ctx());
        assert_eq!(mail.subject, "【联办·晨报】2026年12月04日 红灯事项2件");
        assert!(mail.text.contains("消防救援大队（1件）"));
        assert!(
            mail.text
                .contains("· LB-2 餐饮店开业，期限2026年11月30日 18:00，黄牌")
        );
    }
}
