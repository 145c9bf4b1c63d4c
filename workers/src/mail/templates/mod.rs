//! Mail templates, in Chinese: a subject, plain text and HTML for each [`Mail`] — one renderer
//! per variant, matched exhaustively, so a template without its text does not compile. Every
//! mail about a case names its number, matter, department, due time (Asia/Shanghai) and light,
//! and links to it from the base URL.

use chrono::{DateTime, Utc};
use lianban_rules::CaseStatus;
use lianban_rules::calendar::CENTRE_TZ;
use lianban_rules::clocks::Light;
use lianban_rules::mail::{Mail, MailFacts};

mod cases;
mod parts;
mod services;
#[cfg(test)]
mod tests;

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

fn light_name(light: Light) -> &'static str {
    match light {
        Light::Green => "绿灯（正常）",
        Light::Yellow => "黄灯（临近期限）",
        Light::Red => "红灯（已超期）",
    }
}

/// A case status as the first responder reads it.
fn status_name(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Received => "已收件",
        CaseStatus::SupplementRequired => "待补正",
        CaseStatus::Accepted => "已受理",
        CaseStatus::InReview => "审查中",
        CaseStatus::Suspended => "已中止",
        CaseStatus::AwaitingDecision => "待决定",
        CaseStatus::ReportedUp => "已上报",
        CaseStatus::Decided => "已决定",
        CaseStatus::Delivered => "已送达",
        CaseStatus::Archived => "已归档",
        CaseStatus::Withdrawn => "已撤回",
        CaseStatus::Returned => "已退回",
        CaseStatus::NotAccepted => "不予受理",
        CaseStatus::Answered => "已答复",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What a mail itself says of its case; each wins over the case's facts.
#[derive(Debug, Default)]
struct Named {
    number: Option<String>,
    matter: Option<String>,
    department: Option<String>,
    due_at: Option<DateTime<Utc>>,
    light: Option<Light>,
}

impl Named {
    fn number(number: &str) -> Named {
        Named {
            number: Some(number.to_owned()),
            ..Named::default()
        }
    }

    fn matter(matter: &str) -> Named {
        Named {
            matter: Some(matter.to_owned()),
            ..Named::default()
        }
    }

    fn department(department: &str) -> Named {
        Named {
            department: Some(department.to_owned()),
            ..Named::default()
        }
    }
}

/// The case a mail names: what the mail says, else the case's facts.
#[derive(Debug)]
struct Case {
    number: String,
    matter: String,
    department: String,
    due_at: Option<DateTime<Utc>>,
    light: Option<Light>,
}

fn named(mail: &Mail) -> Named {
    match mail {
        Mail::TaskAssigned(m) => Named::number(&m.number),
        Mail::CaseStatusChanged(m) => Named::number(&m.number),
        Mail::TaskDeemedApproved(m) => Named::number(&m.number),
        Mail::NegativeReportPending(m) => Named::number(&m.number),
        Mail::RectificationOpened(m) => Named::number(&m.number),
        Mail::ObjectionOverruled(m) => Named {
            department: Some(m.department.clone()),
            ..Named::number(&m.number)
        },
        Mail::TaskUrgent(m) => Named {
            due_at: m.due_at,
            ..Named::default()
        },
        Mail::LadderReminder(m)
        | Mail::LadderDue(m)
        | Mail::LadderYellowCard(m)
        | Mail::LadderRedCard(m)
        | Mail::LadderDaily(m)
        | Mail::DutyEscalation(m) => m
            .single()
            .map(|item| Named {
                number: Some(item.number.clone()),
                matter: item.matter.clone(),
                department: Some(item.department.clone()),
                due_at: Some(item.due_at),
                light: Some(item.light),
            })
            .unwrap_or_default(),
        Mail::FollowUpAlert(m) => Named::department(&m.department),
        Mail::DepartmentUnstaffed(m) => Named::department(&m.department),
        Mail::AppointmentCode(m) => Named::matter(&m.matter),
        Mail::AppointmentConfirmed(m) => Named::matter(&m.matter),
        Mail::AppointmentReminder(m) => Named {
            matter: m.matter.clone(),
            ..Named::default()
        },
        Mail::AppointmentCancelled(m) => Named::matter(&m.matter),
        Mail::HolidayRequest(m) => Named::matter(&m.matter),
        Mail::WindowStaffSummoned(m) => Named::matter(&m.matter),
        Mail::LeadershipDigest(_)
        | Mail::SupervisionAssigned(_)
        | Mail::SupervisionChased(_)
        | Mail::ComplaintFiled(_)
        | Mail::DutyAssigned(_)
        | Mail::DutyGap(_)
        | Mail::CalendarYearMissing(_)
        | Mail::PasswordLink(_) => Named::default(),
    }
}

/// What a template makes of a mail.
enum Body {
    /// Its subject and the lines before the case's facts.
    Lead(String, Vec<String>),
    /// The whole mail (a ladder mail about several cases: a line each, no facts).
    Whole(Rendered),
}

impl From<(String, Vec<String>)> for Body {
    fn from((subject, lead): (String, Vec<String>)) -> Body {
        Body::Lead(subject, lead)
    }
}

/// What the template of `mail` makes of it.
fn body(mail: &Mail, case: &Case, ctx: &TemplateContext) -> Body {
    use parts::{Rung, ladder};
    match mail {
        Mail::TaskAssigned(_) => cases::task_assigned(case).into(),
        Mail::CaseStatusChanged(m) => cases::status_changed(m, case).into(),
        Mail::TaskDeemedApproved(_) => cases::deemed_approved(case).into(),
        Mail::ObjectionOverruled(m) => cases::objection_overruled(m, case).into(),
        Mail::NegativeReportPending(_) => cases::negative_report_pending(case).into(),
        Mail::TaskUrgent(m) => cases::task_urgent(m).into(),
        Mail::CalendarYearMissing(m) => cases::calendar_year_missing(m).into(),
        Mail::DepartmentUnstaffed(_) => cases::department_unstaffed(case).into(),
        Mail::LadderReminder(m) => ladder(Rung::Reminder, m, case, ctx),
        Mail::LadderDue(m) => ladder(Rung::Due, m, case, ctx),
        Mail::LadderYellowCard(m) => ladder(Rung::YellowCard, m, case, ctx),
        Mail::LadderRedCard(m) => ladder(Rung::RedCard, m, case, ctx),
        Mail::LadderDaily(m) => ladder(Rung::Daily, m, case, ctx),
        Mail::DutyEscalation(m) => ladder(Rung::Duty, m, case, ctx),
        Mail::LeadershipDigest(m) => parts::digest_lines(m).into(),
        Mail::SupervisionAssigned(m) => parts::supervision_lines(m, false).into(),
        Mail::SupervisionChased(m) => parts::supervision_lines(m, true).into(),
        Mail::FollowUpAlert(m) => parts::follow_up_lines(m).into(),
        Mail::RectificationOpened(m) => parts::rectification_lines(m).into(),
        Mail::ComplaintFiled(m) => parts::complaint_lines(m).into(),
        Mail::AppointmentCode(m) => services::appointment_code(m).into(),
        Mail::AppointmentConfirmed(m) => services::appointment_confirmed(m).into(),
        Mail::AppointmentReminder(m) => services::appointment_reminder(m).into(),
        Mail::AppointmentCancelled(m) => services::appointment_cancelled(m).into(),
        Mail::HolidayRequest(m) => services::holiday_request(m).into(),
        Mail::WindowStaffSummoned(m) => services::window_staff_summoned(m).into(),
        Mail::DutyAssigned(m) => services::duty_assigned(m).into(),
        Mail::DutyGap(m) => services::duty_gap(m).into(),
        Mail::PasswordLink(m) => services::password_link(m, &ctx.base_url).into(),
    }
}

/// Renders `mail`, filling what it does not say of its case from `facts`.
pub fn render(mail: &Mail, facts: Option<&MailFacts>, ctx: &TemplateContext) -> Rendered {
    let named = named(mail);
    let case = Case {
        number: named
            .number
            .or_else(|| facts.map(|f| f.number.clone()))
            .unwrap_or_default(),
        matter: named
            .matter
            .or_else(|| facts.map(|f| f.matter.clone()))
            .unwrap_or_default(),
        department: named
            .department
            .or_else(|| facts.map(|f| f.department.clone()))
            .unwrap_or_default(),
        due_at: named.due_at.or_else(|| facts.and_then(|f| f.due_at)),
        light: named.light.or_else(|| facts.and_then(|f| f.light)),
    };
    let (subject, lead) = match body(mail, &case, ctx) {
        Body::Lead(subject, lead) => (subject, lead),
        Body::Whole(rendered) => return rendered,
    };
    let mut facts_lines = Vec::new();
    if !case.number.is_empty() {
        facts_lines.push(format!("办件编号：{}", case.number));
    }
    if !case.matter.is_empty() {
        facts_lines.push(format!("事项：{}", case.matter));
    }
    if !case.department.is_empty() {
        facts_lines.push(format!("部门：{}", case.department));
    }
    if let Some(due) = case.due_at {
        facts_lines.push(format!("办理期限：{}", local(due)));
    }
    if let Some(light) = case.light {
        facts_lines.push(format!("状态灯：{}", light_name(light)));
    }
    let link = (!case.number.is_empty()).then(|| {
        format!(
            "{}/cases/{}",
            ctx.base_url.trim_end_matches('/'),
            case.number
        )
    });
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
