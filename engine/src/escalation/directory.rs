//! Who is who, loaded once per sweep: staff with their addresses, department heads, centre
//! admins, leaders, departments, matters, post holders, and who is away.

use crate::error::Result;
use crate::people::absences::away_at;
use chrono::{DateTime, Utc};
use lianban_entity::{department, matter, post, post_b_holder, staff};
use lianban_rules::escalation::{Directory, MatterFacts};
use lianban_rules::roles::{Role, RoleSet};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

/// Loads who is who at `now` (once per sweep).
pub(crate) async fn load<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<Directory> {
    let mut dir = Directory::default();
    for person in staff::Entity::find().all(db).await? {
        if person.active {
            let roles = RoleSet::parse(&person.roles).unwrap_or_default();
            if roles.contains(Role::DeptHead) {
                dir.heads
                    .entry(person.department_id)
                    .or_default()
                    .push(person.id);
            }
            if roles.contains(Role::CenterAdmin) {
                dir.admins.push(person.id);
            }
            if roles.contains(Role::Leader) {
                dir.leaders.push(person.id);
            }
        }
        dir.emails.insert(person.id, person.email);
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
        .map(|m| {
            (
                m.id,
                MatterFacts {
                    name: m.name,
                    deemed_consent: m.deemed_consent,
                },
            )
        })
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
    dir.on_duty = crate::people::duty::officers_on(db, lianban_rules::calendar::local_date(now))
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    Ok(dir)
}
