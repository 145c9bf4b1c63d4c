//! Per-request batching of the links a list resolves for each of its items (a page of 50 tasks
//! asks for 50 clocks, cases, departments and assignees): each kind is loaded in one query per
//! request instead of one per item. Over HTTP a request also keeps what it loaded; a
//! subscription's connection batches without keeping anything, so each event reads fresh rows.

use crate::graphql::errors::to_gql;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use lianban_engine::Engine;
use lianban_engine::cases::ScopedCase;
use lianban_engine::clocks::ClockView;
use lianban_engine::entity::{department, matter, staff};
use std::collections::HashMap;
use uuid::Uuid;

macro_rules! loader {
    ($(#[$doc:meta])* $name:ident => $value:ty, |$engine:ident, $keys:ident| $load:expr) => {
        $(#[$doc])*
        pub struct $name(Engine);

        impl Loader<Uuid> for $name {
            type Value = $value;
            type Error = async_graphql::Error;

            async fn load(&self, $keys: &[Uuid]) -> Result<HashMap<Uuid, $value>, Self::Error> {
                let $engine = &self.0;
                $load.map_err(to_gql)
            }
        }
    };
}

loader!(
    /// Clocks with their pauses and readings.
    Clocks => ClockView, |engine, keys| engine.clock_views(keys).await
);
loader!(
    /// Cases with the facts their permissions depend on.
    Cases => ScopedCase, |engine, keys| engine.cases_by_ids(keys).await
);
loader!(
    /// Staff members.
    StaffMembers => staff::Model, |engine, keys| engine.staff_by_ids(keys).await
);
loader!(
    /// Departments (a small table: read whole).
    Departments => department::Model, |engine, _keys| engine
        .departments()
        .await
        .map(|all| all.into_iter().map(|d| (d.id, d)).collect())
);
loader!(
    /// Matters (the catalogue: read whole).
    Matters => matter::Model, |engine, _keys| engine
        .matters()
        .await
        .map(|all| all.into_iter().map(|m| (m.id, m)).collect())
);

/// One loader of each kind.
pub struct Loaders {
    pub clocks: DataLoader<Clocks, HashMapCache>,
    pub cases: DataLoader<Cases, HashMapCache>,
    pub staff: DataLoader<StaffMembers, HashMapCache>,
    pub departments: DataLoader<Departments, HashMapCache>,
    pub matters: DataLoader<Matters, HashMapCache>,
}

impl Loaders {
    /// Loaders for one HTTP request (they keep what they loaded until it ends).
    pub fn for_request(engine: &Engine) -> Self {
        fn make<T: Loader<Uuid>>(loader: T) -> DataLoader<T, HashMapCache> {
            DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
        }
        Loaders {
            clocks: make(Clocks(engine.clone())),
            cases: make(Cases(engine.clone())),
            staff: make(StaffMembers(engine.clone())),
            departments: make(Departments(engine.clone())),
            matters: make(Matters(engine.clone())),
        }
    }

    /// Loaders for a subscription's connection: they batch but keep nothing, so every event
    /// reads fresh rows.
    pub fn for_connection(engine: &Engine) -> Self {
        let loaders = Self::for_request(engine);
        loaders.clocks.enable_all_cache(false);
        loaders.cases.enable_all_cache(false);
        loaders.staff.enable_all_cache(false);
        loaders.departments.enable_all_cache(false);
        loaders.matters.enable_all_cache(false);
        loaders
    }
}
