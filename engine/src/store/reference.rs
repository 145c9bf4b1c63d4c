//! Reference data kept in memory: the departments and the catalogue of matters. Every page of
//! tasks, items or cases names them, and they change rarely (the demo loader today; the
//! catalogue admin of later issues), so links read them from here instead of the database.
//! What this process writes it forgets at once; a change made by another process shows within
//! [`REFERENCE_TTL`].

use crate::engine::Engine;
use crate::error::Result;
use lianban_entity::{department, matter};
use sea_orm::EntityTrait;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a loaded copy is trusted.
pub const REFERENCE_TTL: Duration = Duration::from_secs(10);

/// One loaded copy of the reference tables.
#[derive(Debug)]
pub struct Reference {
    pub departments: HashMap<Uuid, crate::views::DepartmentView>,
    pub matters: HashMap<Uuid, crate::views::MatterView>,
    loaded: Instant,
}

/// The engine's slot for the current copy.
pub(crate) type ReferenceSlot = Arc<std::sync::Mutex<Option<Arc<Reference>>>>;

impl Engine {
    /// The departments and matters, from memory when the copy is fresh.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn reference(&self) -> Result<Arc<Reference>> {
        if let Some(copy) = self.reference_slot().as_ref()
            && copy.loaded.elapsed() < REFERENCE_TTL
        {
            return Ok(copy.clone());
        }
        let departments = department::Entity::find().all(self.db()).await?;
        let matters = matter::Entity::find().all(self.db()).await?;
        let copy = Arc::new(Reference {
            departments: departments.into_iter().map(|d| (d.id, d.into())).collect(),
            matters: matters.into_iter().map(|m| (m.id, m.into())).collect(),
            loaded: Instant::now(),
        });
        *self.reference_slot() = Some(copy.clone());
        Ok(copy)
    }

    /// Drops the copy after this process changed a department or a matter.
    pub fn forget_reference(&self) {
        *self.reference_slot() = None;
    }

    fn reference_slot(&self) -> std::sync::MutexGuard<'_, Option<Arc<Reference>>> {
        match self.reference.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}
