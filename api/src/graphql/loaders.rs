//! Per-request batching of the links a list resolves for each of its items (a page of 50 tasks
//! asks for 50 clocks, cases, departments and assignees): each kind is loaded in one query per
//! request instead of one per item. Over HTTP a request also keeps what it loaded; a
//! subscription's connection batches without keeping anything, so each event reads fresh rows.
//! A list that knows what its items will ask for loads it up front ([`Loaders::prime_tasks`]):
//! the items then find it kept and do not wait for a batch. Departments and matters are not
//! loaded per request at all: links read them from the engine's reference copy.

use crate::graphql::errors::to_gql;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use lianban_engine::Engine;
use lianban_engine::cases::ScopedCase;
use lianban_engine::clocks::ClockView;
use lianban_engine::views::{StaffView, TaskView};
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
    StaffMembers => StaffView, |engine, keys| engine.staff_by_ids(keys).await
);
/// One loader of each kind.
pub struct Loaders {
    pub clocks: DataLoader<Clocks, HashMapCache>,
    pub cases: DataLoader<Cases, HashMapCache>,
    pub staff: DataLoader<StaffMembers, HashMapCache>,
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
        }
    }

    /// Loaders for a subscription's connection: they batch but keep nothing, so every event
    /// reads fresh rows.
    pub fn for_connection(engine: &Engine) -> Self {
        let loaders = Self::for_request(engine);
        loaders.clocks.enable_all_cache(false);
        loaders.cases.enable_all_cache(false);
        loaders.staff.enable_all_cache(false);
        loaders
    }
}

/// The fields of a task that read its clock.
const CLOCK_FIELDS: [&str; 6] = [
    "clock",
    "dueAt",
    "remaining",
    "light",
    "provisional",
    "pauses",
];

impl Loaders {
    /// Loads, before a page of tasks resolves, the clocks and cases its selection will ask for
    /// (both at once, each in one batch), so no item waits for a batch of its own.
    ///
    /// # Errors
    /// As the engine's reads.
    pub async fn prime_tasks(
        &self,
        ctx: &async_graphql::Context<'_>,
        engine: &Engine,
        tasks: &[TaskView],
    ) -> async_graphql::Result<()> {
        if tasks.is_empty() {
            return Ok(());
        }
        let look = ctx.look_ahead();
        let (edges, nodes) = (look.field("edges").field("node"), look.field("nodes"));
        let selects = |f: &str| edges.field(f).exists() || nodes.field(f).exists();
        let want_clocks = CLOCK_FIELDS.iter().any(|f| selects(f));
        let want_cases = selects("case");
        let clock_ids: Vec<Uuid> = tasks.iter().map(|t| t.clock_id).collect();
        let mut case_ids: Vec<Uuid> = tasks.iter().map(|t| t.case_id).collect();
        case_ids.sort_unstable();
        case_ids.dedup();
        let (clocks, cases) = tokio::join!(
            async {
                if want_clocks {
                    engine.clock_views(&clock_ids).await.map(Some)
                } else {
                    Ok(None)
                }
            },
            async {
                if want_cases {
                    engine.cases_by_ids(&case_ids).await.map(Some)
                } else {
                    Ok(None)
                }
            },
        );
        if let Some(clocks) = clocks.map_err(to_gql)? {
            self.clocks.feed_many(clocks).await;
        }
        if let Some(cases) = cases.map_err(to_gql)? {
            self.cases.feed_many(cases).await;
        }
        Ok(())
    }
}
