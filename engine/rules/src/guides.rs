//! The rules of a service guide, pure: what a publishable version holds, how much faster its
//! promise is than the law, which change the scoring credits (SPEC §7), and how a supplement
//! notice quotes the guide's materials.

use crate::enums::{CaseKind, LimitUnit, SuspensionKind};
use crate::error::{Error, Result};
use crate::scoring::{LIMIT_SHORTENED, MATTER_MADE_IMMEDIATE};
use crate::validate;
use serde::{Deserialize, Serialize};

/// The working minutes an immediate matter is decided in (SPEC §3).
pub const IMMEDIATE_MINUTES: i32 = 30;

/// One required material of a guide, with its sample form (a link), if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// The material's name, as notices quote it.
    pub name: String,
    /// A link to a sample form or template (样表).
    pub sample: Option<String>,
}

/// Checks a guide's materials: names required, unique, bounded; samples are http(s) links.
///
/// # Errors
/// `INVALID_INPUT` naming the material.
pub fn check_materials(materials: &[Material]) -> Result<Vec<Material>> {
    if materials.len() > validate::MAX_LIST {
        return Err(Error::invalid(
            "materials",
            format!("at most {} materials", validate::MAX_LIST),
        ));
    }
    let mut out: Vec<Material> = Vec::with_capacity(materials.len());
    for (i, m) in materials.iter().enumerate() {
        let field = format!("materials[{i}]");
        let name = validate::required(&format!("{field}.name"), &m.name, validate::MAX_NAME)?;
        if out.iter().any(|o| o.name == name) {
            return Err(Error::invalid(
                format!("{field}.name"),
                format!("“{name}” is listed twice"),
            ));
        }
        let sample = validate::optional(
            &format!("{field}.sample"),
            m.sample.as_deref(),
            validate::MAX_TEXT,
        )?;
        if let Some(link) = &sample
            && !(link.starts_with("https://") || link.starts_with("http://"))
        {
            return Err(Error::invalid(
                format!("{field}.sample"),
                "a sample form is a link starting with https:// or http://",
            ));
        }
        out.push(Material { name, sample });
    }
    Ok(out)
}

/// The special procedures a guide may name: every suspension but the supplement.
///
/// # Errors
/// `INVALID_INPUT` for `SUPPLEMENT`.
pub fn check_procedures(procedures: &[SuspensionKind]) -> Result<Vec<SuspensionKind>> {
    let mut out = Vec::new();
    for p in procedures {
        if *p == SuspensionKind::Supplement {
            return Err(Error::invalid(
                "specialProcedures",
                "a supplement is not a special procedure (特别程序)",
            ));
        }
        if !out.contains(p) {
            out.push(*p);
        }
    }
    Ok(out)
}

/// A matter's limits as a guide version states them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub kind: CaseKind,
    pub unit: LimitUnit,
    pub legal: i32,
    pub promised: i32,
    pub urgent_review: Option<i32>,
}

/// The limits a new version may state after `current` (each left out keeps the current one;
/// an urgent review limit of 0 removes it): the kind changes only from promised to immediate
/// (then 30 working minutes); the promise is at least 1 and never above the legal limit; an
/// urgent review limit is at least 1 working day.
///
/// # Errors
/// `INVALID_INPUT` naming the field.
pub fn next_limits(
    current: Limits,
    kind: Option<CaseKind>,
    legal: Option<i32>,
    promised: Option<i32>,
    urgent_review: Option<i32>,
) -> Result<Limits> {
    let mut next = Limits {
        urgent_review: match urgent_review {
            None => current.urgent_review,
            Some(0) => None,
            Some(u) => Some(u),
        },
        ..current
    };
    if let Some(kind) = kind
        && kind != current.kind
    {
        if !(current.kind == CaseKind::Promised && kind == CaseKind::Immediate) {
            return Err(Error::invalid(
                "kind",
                "a matter's kind changes only from PROMISED to IMMEDIATE (承诺件改即办件)",
            ));
        }
        next.kind = CaseKind::Immediate;
        next.unit = LimitUnit::WorkingMinutes;
        next.legal = IMMEDIATE_MINUTES;
        next.promised = IMMEDIATE_MINUTES;
        next.urgent_review = None;
    }
    if next.kind != CaseKind::Immediate {
        next.legal = legal.unwrap_or(next.legal);
    }
    next.promised = promised.unwrap_or(next.promised);
    let most = crate::deadline::max_budget(next.unit);
    if next.legal < 1 || i64::from(next.legal) > most {
        return Err(Error::invalid(
            "legalLimit",
            format!("must be 1 to {most} for {:?}", next.unit),
        ));
    }
    if next.promised < 1 || next.promised > next.legal {
        return Err(Error::invalid(
            "promisedLimit",
            format!(
                "the promised limit is 1 to the legal limit ({}); it is never above the legal one",
                next.legal
            ),
        ));
    }
    if let Some(u) = urgent_review
        && u < 0
    {
        return Err(Error::invalid(
            "urgentReviewLimit",
            "must be at least 1 working day (0 removes it)",
        ));
    }
    Ok(next)
}

/// How much faster the promise is than the law, in whole percent (SPEC §2 flags less than 50).
pub fn faster_percent(legal: i32, promised: i32) -> i32 {
    if legal <= 0 {
        return 0;
    }
    (legal - promised) * 100 / legal
}

/// The scoring rule a new version earns its lead department (SPEC §7): a promised matter made
/// immediate, or a promise shortened in the same unit below `lowest`, the shortest any earlier
/// version of that unit promised (so lengthening and shortening again earns nothing).
pub fn credit(before: Limits, after: Limits, lowest: Option<i32>) -> Option<&'static str> {
    let lowest = lowest.unwrap_or(before.promised).min(before.promised);
    if before.kind != CaseKind::Immediate && after.kind == CaseKind::Immediate {
        Some(MATTER_MADE_IMMEDIATE)
    } else if before.unit == after.unit && after.promised < lowest {
        Some(LIMIT_SHORTENED)
    } else {
        None
    }
}

/// The items a window asks for by number in the guide (1-based), as the guide names them.
///
/// # Errors
/// `INVALID_INPUT` for a number the guide does not have.
pub fn picked(materials: &[Material], numbers: &[i32]) -> Result<Vec<String>> {
    numbers
        .iter()
        .map(|n| {
            usize::try_from(*n)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| materials.get(i))
                .map(|m| m.name.clone())
                .ok_or_else(|| {
                    Error::invalid(
                        "guideItems",
                        format!("the service guide lists no material number {n}"),
                    )
                })
        })
        .collect()
}

/// Where an item stands in the guide (1-based), if it is one of its materials.
pub fn number_of(materials: &[Material], item: &str) -> Option<usize> {
    materials.iter().position(|m| m.name == item).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn promised() -> Limits {
        Limits {
            kind: CaseKind::Promised,
            unit: LimitUnit::WorkingDays,
            legal: 20,
            promised: 10,
            urgent_review: None,
        }
    }

    #[test]
    fn a_shorter_promise_is_credited_and_a_longer_one_is_not() {
        let shorter = next_limits(promised(), None, None, Some(6), None).unwrap();
        assert_eq!(credit(promised(), shorter, None), Some(LIMIT_SHORTENED));
        assert_eq!(faster_percent(shorter.legal, shorter.promised), 70);
        let longer = next_limits(promised(), None, None, Some(12), None).unwrap();
        assert_eq!(credit(promised(), longer, None), None);
        // 10 → 12 → 10 earns nothing the second time: 10 was promised before.
        let back = next_limits(longer, None, None, Some(10), None).unwrap();
        assert_eq!(credit(longer, back, Some(10)), None);
        assert_eq!(credit(longer, shorter, Some(10)), Some(LIMIT_SHORTENED));
    }

    #[test]
    fn a_promised_matter_made_immediate_counts_thirty_minutes_and_is_credited() {
        let now = next_limits(promised(), Some(CaseKind::Immediate), None, None, Some(3)).unwrap();
        assert_eq!(
            (now.kind, now.unit, now.promised, now.urgent_review),
            (CaseKind::Immediate, LimitUnit::WorkingMinutes, 30, None)
        );
        assert_eq!(credit(promised(), now, None), Some(MATTER_MADE_IMMEDIATE));
    }

    #[test]
    fn a_promise_above_the_law_or_another_kind_change_is_refused() {
        assert!(next_limits(promised(), None, Some(100_000), None, None).is_err());
        assert!(next_limits(promised(), None, None, Some(21), None).is_err());
        assert!(next_limits(promised(), Some(CaseKind::Joint), None, None, None).is_err());
        assert!(next_limits(promised(), None, None, None, Some(-1)).is_err());
        let with_urgent = next_limits(promised(), None, None, None, Some(3)).unwrap();
        let kept = next_limits(with_urgent, None, None, None, None).unwrap();
        assert_eq!(kept.urgent_review, Some(3), "left out keeps it");
        let removed = next_limits(with_urgent, None, None, None, Some(0)).unwrap();
        assert_eq!(removed.urgent_review, None, "0 removes it");
    }

    #[test]
    fn materials_are_picked_by_their_number_and_duplicates_are_refused() {
        let m = check_materials(&[
            Material {
                name: "营业执照".into(),
                sample: None,
            },
            Material {
                name: "申请书".into(),
                sample: Some("https://example.gov.cn/a.docx".into()),
            },
        ])
        .unwrap();
        assert_eq!(picked(&m, &[2]).unwrap(), vec!["申请书".to_owned()]);
        assert!(picked(&m, &[3]).is_err());
        assert_eq!(number_of(&m, "申请书"), Some(2));
        let twice = vec![m[0].clone(), m[0].clone()];
        assert!(check_materials(&twice).is_err());
        let bad = vec![Material {
            name: "x".into(),
            sample: Some("ftp://x".into()),
        }];
        assert!(check_materials(&bad).is_err());
    }
}
