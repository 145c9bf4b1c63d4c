//! The longer mail bodies: the ladder's mail (about one case, or several with a line each),
//! supervision items, follow-up alerts, rectifications, complaints, the leaders' digest.

use super::{Body, Case, Rendered, TemplateContext, escape, light_name, local};
use lianban_rules::follow_up::Alert;
use lianban_rules::mail::{
    ComplaintFiled, FollowUpAlert, FollowUpKind, LadderItem, LadderMail, LeadershipDigest,
    RectificationOpened, SupervisionMail,
};

/// Which ladder mail: the one of a kind of step, or the duty officer's copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rung {
    Reminder,
    Due,
    YellowCard,
    RedCard,
    Daily,
    Duty,
}

/// A ladder mail: about one case, its subject and lead (the case's facts follow); about
/// several, the whole mail with a line for each.
pub(super) fn ladder(rung: Rung, ladder: &LadderMail, case: &Case, ctx: &TemplateContext) -> Body {
    let days = ladder
        .items
        .first()
        .map(|item| item.days_overdue.to_string())
        .unwrap_or_default();
    if ladder.items.len() > 1 {
        return Body::Whole(several(rung, ladder, &days, ctx));
    }
    let (number, department) = (&case.number, &case.department);
    match rung {
        Rung::Reminder => (
            format!("【联办·提醒】{number} 剩余办理时间不足1个工作日"),
            vec!["您承办的事项即将到期，请抓紧办理。".into()],
        ),
        Rung::Due => (
            format!("【联办·到期】{number} 已到办理期限"),
            vec!["办理期限已到，请立即办结；部门负责人同时收到本通知。".into()],
        ),
        Rung::YellowCard => (
            format!("【联办·黄牌】{department} 办件{number}超期{days}个工作日，已立项督办"),
            vec![format!(
                "{department}承办的环节超过办理期限{days}个工作日，已立项督办，请中心管理办跟进。"
            )],
        ),
        Rung::RedCard => (
            format!("【联办·红牌】{department} 办件{number}超期{days}个工作日，提请领导督办"),
            vec![format!(
                "{department}承办的环节超过办理期限{days}个工作日，督办事项已提请中心领导督办。"
            )],
        ),
        Rung::Daily => (
            format!("【联办·超期提醒】{number} 已超期（第{days}次提醒）"),
            vec!["该事项已超过办理期限，请尽快办结。".into()],
        ),
        Rung::Duty => (
            "【联办·值班】非工作时间督办升级，请值班人员跟进".to_owned(),
            vec![
                "以下办件在非工作时间升级为黄牌或红牌督办，请您作为值班人员跟进、联系相关部门："
                    .into(),
            ],
        ),
    }
    .into()
}

/// One line per case of a mail about several.
fn item_line(item: &LadderItem, ctx: &TemplateContext) -> String {
    let number = &item.number;
    format!(
        "· {number} {}（{}），办理期限{}，{}，查看：{}/cases/{number}",
        item.matter.as_deref().unwrap_or_default(),
        item.department,
        local(item.due_at),
        light_name(item.light),
        ctx.base_url.trim_end_matches('/')
    )
}

/// A ladder mail about several cases: one line each.
fn several(rung: Rung, ladder: &LadderMail, days: &str, ctx: &TemplateContext) -> Rendered {
    let count = ladder.items.len();
    let subject = match rung {
        Rung::Reminder => format!("【联办·提醒】{count}件事项剩余办理时间不足1个工作日"),
        Rung::Due => format!("【联办·到期】{count}件事项已到办理期限"),
        Rung::YellowCard => format!("【联办·黄牌】{count}件事项超期{days}个工作日，已立项督办"),
        Rung::RedCard => format!("【联办·红牌】{count}件事项超期{days}个工作日，提请领导督办"),
        Rung::Daily => format!("【联办·超期提醒】{count}件事项已超期"),
        Rung::Duty => format!("【联办·值班】非工作时间{count}件事项升级督办，请值班人员跟进"),
    };
    let mut lines = vec!["以下事项需要您关注：".to_owned()];
    lines.extend(ladder.items.iter().map(|item| item_line(item, ctx)));
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
    Rendered {
        subject,
        text,
        html,
    }
}

/// A supervision item's mail: who answers for it (承办) or a chase (督办), with its reply
/// deadline.
pub(super) fn supervision_lines(m: &SupervisionMail, chased: bool) -> (String, Vec<String>) {
    let title = &m.title;
    let due = m.reply_due_at.map(local).unwrap_or_else(|| "—".to_owned());
    let mut lines = vec![format!("督办事项：{title}"), format!("事由：{}", m.detail)];
    let subject = if chased {
        if let Some(note) = &m.note {
            lines.push(format!("督办意见：{note}"));
        }
        format!("【联办·督办】{title}（第{}次督办）", m.chases)
    } else {
        lines.push("您被指定为本督办事项的承办人，请按期反馈办理情况。".to_owned());
        format!("【联办·督办】{title}：请您承办并按期反馈")
    };
    lines.push(format!("反馈期限：{due}"));
    (subject, lines)
}

/// A new rectification item after a bad review.
pub(super) fn rectification_lines(m: &RectificationOpened) -> (String, Vec<String>) {
    let title = &m.title;
    (
        format!("【联办·差评整改】{title}"),
        vec![
            format!("整改事项：{title}"),
            format!("事由：{}", m.detail),
            format!("整改反馈期限：{}（15个工作日）", local(m.reply_due_at)),
        ],
    )
}

/// A follow-up alert about a reply deadline (a supervision item, a rectification, a complaint).
pub(super) fn follow_up_lines(m: &FollowUpAlert) -> (String, Vec<String>) {
    let title = &m.title;
    let due = m.reply_due_at.map(local).unwrap_or_else(|| "—".to_owned());
    let what = match m.kind {
        FollowUpKind::Complaint => "投诉答复",
        FollowUpKind::Rectification => "差评整改",
        FollowUpKind::Supervision => "督办事项反馈",
    };
    let (tag, lead) = match m.step {
        Alert::Reminder => ("提醒", format!("{what}剩余期限不足1个工作日，请抓紧办理。")),
        Alert::Due => ("到期", format!("{what}已到期限，请立即反馈。")),
        Alert::Overdue(n) => (
            "逾期",
            format!("{what}已逾期{n}个工作日，请立即反馈；中心管理办同时收到本通知。"),
        ),
    };
    (
        format!("【联办·{tag}】{what}：{title}"),
        vec![lead, format!("事项：{title}"), format!("期限：{due}")],
    )
}

/// A complaint against the department.
pub(super) fn complaint_lines(m: &ComplaintFiled) -> (String, Vec<String>) {
    (
        "【联办·投诉】贵部门收到一件投诉，请按期答复".to_owned(),
        vec![
            format!("投诉内容：{}", m.content),
            format!("答复期限：{}（逾期每个工作日扣4分）", local(m.reply_due_at)),
        ],
    )
}

/// The leaders' morning digest: every red item, grouped by department.
pub(super) fn digest_lines(m: &LeadershipDigest) -> (String, Vec<String>) {
    let date = m.date.format("%Y年%m月%d日").to_string();
    let total = m.total;
    let mut lines = vec![format!(
        "截至{date}上午，全中心红灯（已超期）事项共{total}件，按部门列示如下："
    )];
    for group in &m.groups {
        lines.push(format!("{}（{}件）", group.department, group.items.len()));
        for item in &group.items {
            lines.push(format!(
                "  · {} {}，期限{}，{}",
                item.number,
                item.matter.as_deref().unwrap_or_default(),
                local(item.due_at),
                item.card.label()
            ));
        }
    }
    (format!("【联办·晨报】{date} 红灯事项{total}件"), lines)
}
