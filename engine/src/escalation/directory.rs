//! Who is who, loaded once per sweep: staff with their addresses, department heads, centre
//! admins, leaders, departments, matters, post holders, and who is away.

use crate::absences::away_at;
use crate::error::Result;
use crate::roles::Role;
use chrono::{DateTime, Utc};
use lianban_entity::{department, matter, post, post_b_holder, staff};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The people and catalogue a sweep needs.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    pub staff: HashMap<Uuid, staff::Model>,
    pub heads: HashMap<Uuid, Vec<Uuid>>,
    pub admins: Vec<Uuid>,
    pub leaders: Vec<Uuid>,
    pub departments: HashMap<Uuid, String>,
    pub matters: HashMap<Uuid, matter::Model>,
    /// Each post's holders: A, then the B holders in order.
    pub chains: HashMap<Uuid, Vec<Uuid>>,
    pub away: HashSet<Uuid>,
    /// The scoring rule table: code → points.
    pub points: HashMap<String, i32>,
    /// 值班 — today's duty officers (they hear the escalations that fire after hours).
    pub on_duty: Vec<Uuid>,
}

impl Directory {
    pub(crate) async fn load<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<Self> {
        let mut dir = Directory::default();
        for person in staff::Entity::find().all(db).await? {
            if person.active {
                let roles = Role::parse_list(&person.roles).unwrap_or_default();
                if roles.contains(&Role::DeptHead) {
                    dir.heads
                        .entry(person.department_id)
                        .or_default()
                        .push(person.id);
                }
                if roles.contains(&Role::CenterAdmin) {
                    dir.admins.push(person.id);
                }
                if roles.contains(&Role::Leader) {
                    dir.leaders.push(person.id);
                }
            }
            dir.staff.insert(person.id, person);
        }
        dir.departments = department::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        dir.matters = matter::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        for p in post::Entity::find().all(db).await? {
            dir.chains.insert(p.id, vec![p.a_holder_id]);
        }
        for b in post_b_holder::Entity::find()
            .order_by_asc(post_b_holder::Column::Position)
            .all(db)
            .await?
        {
            dir.chains.entry(b.post_id).or_default().push(b.staff_id);
        }
        dir.away = away_at(db, now).await?;
        dir.points = crate::scoring::points(db).await?;
        dir.on_duty = crate::duty::officers_on(db, crate::calendar::local_date(now))
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        Ok(dir)
    }

    /// A department's name.
    pub(crate) fn department(&self, id: Uuid) -> String {
        self.departments.get(&id).cloned().unwrap_or_default()
    }
}
