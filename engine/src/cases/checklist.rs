//! 一次性告知 — the window's supplement list, prefilled from the service guide version the case
//! was received under, with the departments that asked for each material.

use crate::engine::Engine;
use crate::error::{Error, Result};

/// One line of the window's supplement checklist: a material of the case's guide version, and
/// which departments' NEEDS_SUPPLEMENT opinions name it.
#[derive(Debug, Clone)]
pub struct ChecklistItem {
    /// Its number in the guide version (what `guide_items` takes).
    pub number: i32,
    pub name: String,
    pub sample: Option<String>,
    pub asked_by: Vec<String>,
}

impl Engine {
    /// 一次性告知 — the window's supplement list, prefilled from the service guide version the
    /// case was received under: every material in its order, with the departments that asked
    /// for it (their items that are not guide materials follow, numbered 0).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn supplement_checklist(&self, view: &super::CaseView) -> Result<Vec<ChecklistItem>> {
        let case = &view.case;
        let guide = match case.guide_version {
            Some(v) => self.guide_version(case.matter_id, v).await?,
            None => None,
        };
        let materials = guide
            .as_ref()
            .map(|g| g.materials.clone())
            .unwrap_or_default();
        // A co-handling department sees its own requests only.
        let only = (!view.every_task_visible).then_some(view.reader_department_id);
        let requests = self.department_requests(self.db(), case.id, only).await?;
        let mut list: Vec<ChecklistItem> = materials
            .iter()
            .zip(1..)
            .map(|(m, number)| ChecklistItem {
                number,
                name: m.name.clone(),
                sample: m.sample.clone(),
                asked_by: Vec::new(),
            })
            .collect();
        for request in requests {
            for item in request.items {
                let line = match list.iter_mut().find(|l| l.name == item) {
                    Some(line) => line,
                    None => {
                        list.push(ChecklistItem {
                            number: 0,
                            name: item,
                            sample: None,
                            asked_by: Vec::new(),
                        });
                        list.last_mut()
                            .ok_or_else(|| Error::Internal("checklist".into()))?
                    }
                };
                if !line.asked_by.contains(&request.asked_by) {
                    line.asked_by.push(request.asked_by.clone());
                }
            }
        }
        Ok(list)
    }
}
