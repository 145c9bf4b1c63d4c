//! 一次性告知 — every department's NEEDS_SUPPLEMENT items and the window's own merge into one
//! list: deduplicated, each item naming every party that asked for it, in the order first asked.

use serde::{Deserialize, Serialize};

/// One party's request for material.
#[derive(Debug, Clone)]
pub struct SupplementRequest {
    /// Who asked (a department's name, or the window).
    pub asked_by: String,
    /// The items.
    pub items: Vec<String>,
}

/// One item of the merged notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplementItem {
    /// The item, as first written.
    pub item: String,
    /// Everyone who asked for it, in order.
    pub asked_by: Vec<String>,
}

/// The form two items must share to count as one: trimmed, inner whitespace collapsed, final
/// punctuation dropped, ASCII letters lower-cased, full-width brackets as half-width.
fn key(item: &str) -> String {
    let collapsed: String = item
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['（'], "(")
        .replace(['）'], ")")
        .to_ascii_lowercase();
    collapsed
        .trim_end_matches(['。', '.', '；', ';', '，', ','])
        .to_owned()
}

/// Merges requests into one deduplicated list.
pub fn merge_supplement_items(requests: &[SupplementRequest]) -> Vec<SupplementItem> {
    let mut merged: Vec<(String, SupplementItem)> = Vec::new();
    for request in requests {
        for item in &request.items {
            let k = key(item);
            if k.is_empty() {
                continue;
            }
            match merged.iter_mut().find(|(existing, _)| *existing == k) {
                Some((_, entry)) => {
                    if !entry.asked_by.contains(&request.asked_by) {
                        entry.asked_by.push(request.asked_by.clone());
                    }
                }
                None => merged.push((
                    k,
                    SupplementItem {
                        item: item.trim().to_owned(),
                        asked_by: vec![request.asked_by.clone()],
                    },
                )),
            }
        }
    }
    merged.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_merge_into_one_list_naming_everyone_who_asked() {
        let requests = [
            SupplementRequest {
                asked_by: "窗口".into(),
                items: vec!["营业执照副本".into()],
            },
            SupplementRequest {
                asked_by: "消防救援大队".into(),
                items: vec!["消防设计图纸（盖章）".into(), "营业执照副本。".into()],
            },
            SupplementRequest {
                asked_by: "卫生健康局".into(),
                items: vec!["消防设计图纸(盖章)".into(), "从业人员健康证明".into()],
            },
        ];
        let merged = merge_supplement_items(&requests);
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[0].item, "营业执照副本");
        assert_eq!(merged[0].asked_by, ["窗口", "消防救援大队"]);
        assert_eq!(merged[1].asked_by, ["消防救援大队", "卫生健康局"]);
        assert_eq!(merged[2].asked_by, ["卫生健康局"]);
    }
}
