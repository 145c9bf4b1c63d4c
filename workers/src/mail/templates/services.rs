//! The mail of the centre's services: appointments (the code, confirmation, reminder,
//! cancellation), holiday requests and summons, and the duty roster.

use super::local;
use chrono::{DateTime, Utc};
use lianban_rules::mail::{
    AppointmentCancelled, AppointmentCode, AppointmentConfirmed, AppointmentReminder, DutyAssigned,
    DutyGap, HolidayRequest, PasswordLink, WindowStaffSummoned,
};

/// When and where a booking is.
struct Booking<'a> {
    code: &'a str,
    slot_start: Option<DateTime<Utc>>,
    slot_end: Option<DateTime<Utc>>,
    address: Option<&'a str>,
    window: Option<&'a str>,
    location: Option<&'a str>,
}

impl Booking<'_> {
    fn lines(&self) -> Vec<String> {
        // The matter itself is named in the mail's facts below (事项：…).
        let mut lines = vec![format!("预约号：{}", self.code)];
        if let Some(start) = self.slot_start {
            let end = self
                .slot_end
                .map(local)
                .and_then(|e| e.split(' ').nth(1).map(str::to_owned))
                .unwrap_or_default();
            lines.push(format!("预约时间：{}—{end}", local(start)));
        }
        match (self.address, self.window) {
            (Some(address), _) => lines.push(format!("上门地址：{address}")),
            (None, Some(window)) => lines.push(format!(
                "办理窗口：{window}（{}）",
                self.location.unwrap_or_default()
            )),
            _ => {}
        }
        lines
    }
}

// Mail to an applicant opens with the centre's own words: what the caller typed (a name, a
// note, an address) never comes first, so a booking cannot be used to send the centre's mail
// opening with somebody else's message. The code's mail names none of it.
pub(super) fn appointment_code(m: &AppointmentCode) -> (String, Vec<String>) {
    let mut lines = vec![
        format!(
            "您好：本邮箱被用于提交一项{}申请。验证码：{}（{}分钟内有效）。",
            m.kind.label(),
            m.confirmation_code,
            m.valid_minutes
        ),
        "在预约页面输入验证码后，预约才会生效、名额才会为您保留。".into(),
    ];
    lines.extend(
        Booking {
            code: &m.code,
            slot_start: m.slot_start,
            slot_end: m.slot_end,
            address: None,
            window: m.window.as_deref(),
            location: m.location.as_deref(),
        }
        .lines(),
    );
    if let Some(day) = m.day {
        lines.push(format!("申请日期：{day}"));
    }
    lines.push("如非本人操作，请忽略本邮件，预约不会生效。".into());
    ("【联办·预约验证码】请确认您的预约".to_owned(), lines)
}

pub(super) fn appointment_confirmed(m: &AppointmentConfirmed) -> (String, Vec<String>) {
    let mut lines = vec![format!("您好：您的{}已确认。", m.kind.label())];
    lines.extend(
        Booking {
            code: &m.code,
            slot_start: m.slot_start,
            slot_end: m.slot_end,
            address: m.address.as_deref(),
            window: m.window.as_deref(),
            location: m.location.as_deref(),
        }
        .lines(),
    );
    lines.push(format!("预约人：{}", m.applicant));
    lines.push(
        if m.reminder {
            "请携带办事指南所列材料按时办理；我们将在前一个工作日再次提醒您。"
        } else {
            "请携带办事指南所列材料按时办理。"
        }
        .into(),
    );
    (format!("【联办·预约确认】预约号{}", m.code), lines)
}

pub(super) fn appointment_reminder(m: &AppointmentReminder) -> (String, Vec<String>) {
    let mut lines = vec!["您好：提醒您，明日（下一个工作日）有一项预约。".to_owned()];
    lines.extend(
        Booking {
            code: &m.code,
            slot_start: m.slot_start,
            slot_end: m.slot_end,
            address: m.address.as_deref(),
            window: m.window.as_deref(),
            location: m.location.as_deref(),
        }
        .lines(),
    );
    lines.push(format!("预约人：{}", m.applicant));
    lines.push("如不能按时前来，请提前联系窗口，以免记为爽约。".into());
    (format!("【联办·预约提醒】预约号{}", m.code), lines)
}

pub(super) fn appointment_cancelled(m: &AppointmentCancelled) -> (String, Vec<String>) {
    (
        format!("【联办·预约取消】预约号{}", m.code),
        vec![
            "您好：很抱歉，您的预约已取消。".to_owned(),
            format!("预约人：{}", m.applicant),
            format!("取消原因：{}", m.reason),
        ],
    )
}

pub(super) fn holiday_request(m: &HolidayRequest) -> (String, Vec<String>) {
    let day = m.day;
    let mut lines = vec!["收到一件节假日办理申请，请您安排窗口人员办理。".to_owned()];
    if m.nobody_on_duty {
        lines.push(format!("{day}尚无值班人员，请中心管理办安排。"));
    }
    lines.extend([
        format!("申请日期：{day}"),
        format!("申请人：{}，联系电话：{}", m.applicant, m.phone),
    ]);
    lines.extend(m.address.as_ref().map(|a| format!("地址：{a}")));
    lines.extend(m.note.as_ref().map(|n| format!("说明：{n}")));
    (format!("【联办·值班】{day}节假日办理申请"), lines)
}

pub(super) fn window_staff_summoned(m: &WindowStaffSummoned) -> (String, Vec<String>) {
    let mut lines = vec!["值班人员召集您于节假日到岗办理以下事项：".to_owned()];
    lines.extend(
        Booking {
            code: &m.code,
            slot_start: Some(m.slot_start),
            slot_end: Some(m.slot_end),
            address: m.address.as_deref(),
            window: None,
            location: None,
        }
        .lines(),
    );
    lines.push(format!("申请人：{}，联系电话：{}", m.applicant, m.phone));
    lines.extend(m.note.as_ref().map(|n| format!("说明：{n}")));
    (
        format!("【联办·值班召集】{} 到岗办理", local(m.slot_start)),
        lines,
    )
}

pub(super) fn duty_assigned(m: &DutyAssigned) -> (String, Vec<String>) {
    let day = m.day;
    (
        format!("【联办·值班】您被安排于{day}值班"),
        vec![format!(
            "您被安排于{day}值班：当日的节假日办理申请和非工作时间的督办升级将发送给您。"
        )],
    )
}

pub(super) fn duty_gap(m: &DutyGap) -> (String, Vec<String>) {
    let mut lines = vec!["以下日期尚无值班人员，请及时安排值班表：".to_owned()];
    lines.extend(m.days.iter().map(|d| {
        let name = d
            .name
            .as_ref()
            .map(|n| format!("，{n}"))
            .unwrap_or_default();
        let kind = if d.working { "工作日" } else { "休息日" };
        format!("· {}（{kind}{name}）", d.day)
    }));
    (
        format!("【联办·值班】{}天无人值班，请安排", m.days.len()),
        lines,
    )
}

pub(super) fn password_link(m: &PasswordLink, base_url: &str) -> (String, Vec<String>) {
    // The secret travels in the fragment: browsers do not send it to the server or to a proxy's
    // log when the page is opened.
    let link = format!("{}/password#{}", base_url.trim_end_matches('/'), m.token);
    let (subject, why) = if m.welcome {
        (
            "【联办·账号】请设置您的登录密码",
            format!(
                "{}，您好：已为您开通联办账号（用户名 {}）。",
                m.name, m.username
            ),
        )
    } else {
        (
            "【联办·账号】重置登录密码",
            format!(
                "{}，您好：管理员为您的账号（用户名 {}）发起了密码重置。",
                m.name, m.username
            ),
        )
    };
    (
        subject.to_owned(),
        vec![
            why,
            format!(
                "请在 {} 前打开以下链接设置新密码（链接只能使用一次）：",
                local(m.expires_at)
            ),
            link,
            "如非本人操作，请忽略本邮件并告知中心管理员。".to_owned(),
        ],
    )
}
