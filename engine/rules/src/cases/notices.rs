//! 通知书 — the full Chinese text of every document the applicant receives. Pure: the
//! transactions fill a [`NoticeContext`] and store what these functions return.

use crate::cases::{AttributedCondition, Objection, SupplementItem};
use crate::enums::NoticeKind;
use chrono::{DateTime, Utc};

/// What every notice names.
#[derive(Debug, Clone)]
pub struct NoticeContext<'a> {
    /// The service centre.
    pub centre: &'a str,
    /// 办件编号.
    pub number: &'a str,
    /// The matter's name.
    pub matter: &'a str,
    /// The applicant.
    pub applicant: &'a str,
    /// When it is issued.
    pub issued_at: DateTime<Utc>,
}

/// A notice ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeText {
    /// Which document.
    pub kind: NoticeKind,
    /// Its title.
    pub title: String,
    /// Its full text.
    pub body: String,
}

/// The applicant's right to appeal a negative outcome (行政复议法, 行政诉讼法).
pub const APPEAL_RIGHTS: &str = "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，\
或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。";

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&crate::calendar::CENTRE_TZ)
        .format("%Y年%m月%d日 %H:%M")
        .to_string()
}

fn date(at: DateTime<Utc>) -> String {
    at.with_timezone(&crate::calendar::CENTRE_TZ)
        .format("%Y年%m月%d日")
        .to_string()
}

fn letter(
    ctx: &NoticeContext<'_>,
    kind: NoticeKind,
    title: &str,
    paragraphs: &[String],
) -> NoticeText {
    let mut body = format!("{}：\n\n", ctx.applicant);
    for p in paragraphs {
        body.push_str("    ");
        body.push_str(p);
        body.push('\n');
    }
    body.push_str(&format!(
        "\n办件编号：{}\n{}\n{}\n",
        ctx.number,
        ctx.centre,
        date(ctx.issued_at)
    ));
    NoticeText {
        kind,
        title: format!("{title}（{}）", ctx.number),
        body,
    }
}

/// 受理通知书 — names the first responder and the promised due time.
pub fn acceptance(
    ctx: &NoticeContext<'_>,
    first_responder: &str,
    due_at: DateTime<Utc>,
    deemed_from: Option<DateTime<Utc>>,
) -> NoticeText {
    let mut paragraphs = vec![format!(
        "你（单位）申请的“{}”事项，经审查，申请材料齐全、符合法定形式，本中心决定予以受理。",
        ctx.matter
    )];
    if let Some(received) = deemed_from {
        paragraphs.push(format!(
            "因未在收到申请之日起五个工作日内一次告知需要补正的全部内容，依照《中华人民共和国行政许可法》第三十二条，自收到申请材料之日（{}）起即为受理。",
            date(received)
        ));
    }
    paragraphs.push(format!("本事项承诺于{}前办结。", local(due_at)));
    paragraphs.push(format!(
        "首问责任人：{first_responder}。办理过程中如有疑问，请与首问责任人联系。"
    ));
    letter(ctx, NoticeKind::Acceptance, "受理通知书", &paragraphs)
}

/// The service guide version a supplement notice quotes: its number and materials.
#[derive(Debug, Clone, Copy)]
pub struct GuideQuote<'a> {
    /// 办事指南第N版.
    pub version: i32,
    /// Its materials, in order.
    pub materials: &'a [crate::guides::Material],
}

/// 补正材料通知书（一次性告知） — every missing item, each naming who asked; an item the case's
/// service guide lists is quoted with its number in that version and its sample form.
pub fn supplement(
    ctx: &NoticeContext<'_>,
    items: &[SupplementItem],
    second_reason: Option<&str>,
    guide: Option<GuideQuote<'_>>,
) -> NoticeText {
    let mut paragraphs = vec![format!(
        "你（单位）申请的“{}”事项，申请材料不齐全或者不符合法定形式。依照《中华人民共和国行政许可法》第三十二条，现一次性告知需要补正的全部内容如下：",
        ctx.matter
    )];
    if let Some(g) = guide {
        paragraphs[0] = format!(
            "你（单位）申请的“{}”事项，申请材料不齐全或者不符合法定形式。依照《中华人民共和国行政许可法》第三十二条及本事项办事指南（第{}版），现一次性告知需要补正的全部内容如下：",
            ctx.matter, g.version
        );
    }
    for (i, item) in items.iter().enumerate() {
        let quoted = guide.and_then(|g| {
            let k = crate::guides::number_of(g.materials, &item.item)?;
            let sample = g.materials[k - 1]
                .sample
                .as_deref()
                .map(|s| format!("，样表：{s}"))
                .unwrap_or_default();
            Some(format!(
                "（办事指南第{}版所列第{k}项材料{sample}）",
                g.version
            ))
        });
        paragraphs.push(format!(
            "{}. {}{}（提出单位：{}）",
            i + 1,
            item.item,
            quoted.unwrap_or_default(),
            item.asked_by.join("、")
        ));
    }
    if let Some(reason) = second_reason {
        paragraphs.push(format!(
            "本次补正所列事项取决于你（单位）对前次补正的答复，原因：{reason}"
        ));
    }
    paragraphs.push(
        "请补齐上述材料后提交，补正期间本事项办理时限中止计算，材料补齐之日起恢复计算。".to_owned(),
    );
    letter(
        ctx,
        NoticeKind::Supplement,
        "补正材料通知书（一次性告知）",
        &paragraphs,
    )
}

/// 退回通知书 / 不予受理通知书 — reason, legal basis and the right to appeal.
pub fn refusal(
    ctx: &NoticeContext<'_>,
    kind: NoticeKind,
    reason: &str,
    legal_basis: &str,
) -> NoticeText {
    let (title, verb) = match kind {
        NoticeKind::Return => ("退回通知书", "现将申请材料予以退回"),
        _ => ("不予受理通知书", "决定不予受理"),
    };
    letter(
        ctx,
        kind,
        title,
        &[
            format!("你（单位）申请的“{}”事项，经审查，{verb}。", ctx.matter),
            format!("理由：{reason}"),
            format!("依据：{legal_basis}"),
            APPEAL_RIGHTS.to_owned(),
        ],
    )
}

/// 延期通知书.
pub fn extension(
    ctx: &NoticeContext<'_>,
    days: i32,
    reason: &str,
    new_due: DateTime<Utc>,
) -> NoticeText {
    letter(
        ctx,
        NoticeKind::Extension,
        "延长办理期限通知书",
        &[
            format!(
                "你（单位）申请的“{}”事项，因{reason}，经批准，办理期限延长{days}个工作日。",
                ctx.matter
            ),
            format!("本事项将于{}前办结。", local(new_due)),
        ],
    )
}

/// 准予许可决定书 — with every condition, attributed.
pub fn approval(ctx: &NoticeContext<'_>, conditions: &[AttributedCondition]) -> NoticeText {
    let mut paragraphs = vec![format!(
        "你（单位）申请的“{}”事项，经审查，符合法定条件，决定准予许可。",
        ctx.matter
    )];
    if !conditions.is_empty() {
        paragraphs.push("许可附下列条件：".to_owned());
        for (i, c) in conditions.iter().enumerate() {
            paragraphs.push(format!("{}. {}（{}）", i + 1, c.text, c.department));
        }
    }
    letter(ctx, NoticeKind::Decision, "准予许可决定书", &paragraphs)
}

/// 不予许可决定书 — reason, legal basis, the objections it rests on, and the right to appeal.
pub fn denial(
    ctx: &NoticeContext<'_>,
    reason: &str,
    legal_basis: &str,
    objections: &[Objection],
) -> NoticeText {
    let mut paragraphs = vec![
        format!(
            "你（单位）申请的“{}”事项，经审查，决定不予许可。",
            ctx.matter
        ),
        format!("理由：{reason}"),
        format!("依据：{legal_basis}"),
    ];
    for o in objections {
        paragraphs.push(format!(
            "{}意见：{}（依据：{}）",
            o.department, o.reason, o.legal_basis
        ));
    }
    paragraphs.push(APPEAL_RIGHTS.to_owned());
    letter(ctx, NoticeKind::Decision, "不予许可决定书", &paragraphs)
}

/// 上级机关决定 — the upper authority's answer, recorded as the decision.
pub fn upper_answer(
    ctx: &NoticeContext<'_>,
    authority: &str,
    approved: bool,
    answer: &str,
) -> NoticeText {
    let verdict = if approved {
        "准予许可"
    } else {
        "不予许可"
    };
    let mut paragraphs = vec![
        format!(
            "你（单位）申请的“{}”事项，经报{authority}审查，{verdict}。",
            ctx.matter
        ),
        format!("答复：{answer}"),
    ];
    if !approved {
        paragraphs.push(APPEAL_RIGHTS.to_owned());
    }
    letter(
        ctx,
        NoticeKind::Decision,
        &format!("{verdict}决定书"),
        &paragraphs,
    )
}

/// 咨询答复.
pub fn answer(ctx: &NoticeContext<'_>, text: &str) -> NoticeText {
    letter(
        ctx,
        NoticeKind::Answer,
        "咨询答复",
        &[
            format!("你（单位）咨询的“{}”事项，答复如下：", ctx.matter),
            text.to_owned(),
        ],
    )
}

#[cfg(test)]
mod tests;
