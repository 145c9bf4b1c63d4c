//! 岗位与AB岗 — a department's posts and their holders: the A holder and the ordered B holders
//! who act when the one before is away (AB岗安排表). The centre admin sets up any post; a
//! department head keeps the arrangement of their own department's posts.

use super::facts;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{department, post, post_b_holder, staff};
use lianban_rules::organisation as rules;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel};
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// A post as its editor writes it.
#[derive(Debug, Clone)]
pub struct SavePost {
    /// `None` creates one.
    pub id: Option<Uuid>,
    /// The version read (required to change one).
    pub expected_version: Option<i64>,
    /// Its department (fixed once created).
    pub department_id: Uuid,
    pub name: String,
    pub a_holder_id: Uuid,
    /// In the order they stand in.
    pub b_holder_ids: Vec<Uuid>,
}

/// A post, its holders and the matters that send it tasks.
#[derive(Debug, Clone)]
pub struct PostView {
    pub id: Uuid,
    pub department_id: Uuid,
    pub name: String,
    pub a_holder_id: Uuid,
    pub b_holder_ids: Vec<Uuid>,
    pub active: bool,
    pub version: i64,
    /// The matters that send tasks to it, by name.
    pub matters: Vec<String>,
}

fn describe(p: &post::Model, bs: &[Uuid]) -> serde_json::Value {
    json!({
        "postId": p.id, "departmentId": p.department_id, "name": p.name,
        "aHolderId": p.a_holder_id, "bHolderIds": bs, "version": p.version,
    })
}

/// Refuses unless the actor may edit the posts of `department_id`.
fn may_edit(actor: &Actor, department_id: Uuid) -> Result<()> {
    if actor.has(Role::CenterAdmin)
        || (actor.has(Role::DeptHead) && actor.department_id == department_id)
    {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "the posts of a department are kept by the centre admin or the department's head"
                .to_owned(),
        ))
    }
}

/// Replaces a post's B holders with `bs`, in that order.
pub(crate) async fn set_b_holders<C: ConnectionTrait>(
    db: &C,
    post_id: Uuid,
    bs: &[Uuid],
) -> Result<()> {
    post_b_holder::Entity::delete_many()
        .filter(post_b_holder::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    if !bs.is_empty() {
        post_b_holder::Entity::insert_many(bs.iter().enumerate().map(|(i, b)| {
            post_b_holder::ActiveModel {
                post_id: Set(post_id),
                staff_id: Set(*b),
                position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

impl Engine {
    /// The posts of a department (or of the centre) with their holders (centre admin; a
    /// department head for their own).
    ///
    /// # Errors
    /// `FORBIDDEN` for anyone else.
    pub async fn posts(&self, actor: &Actor, department_id: Option<Uuid>) -> Result<Vec<PostView>> {
        match department_id {
            Some(id) => may_edit(actor, id)?,
            None => actor.require(Role::CenterAdmin, "listing every post")?,
        }
        let mut query = post::Entity::find()
            .filter(post::Column::Active.eq(true))
            .order_by_asc(post::Column::DepartmentId)
            .order_by_asc(post::Column::Name);
        if let Some(id) = department_id {
            query = query.filter(post::Column::DepartmentId.eq(id));
        }
        let rows = query.all(self.db()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let chain = facts::chain(self.db(), &row).await?;
            let facts = facts::post(self.db(), &row, "", chain.clone()).await?;
            out.push(PostView {
                id: row.id,
                department_id: row.department_id,
                name: row.name,
                a_holder_id: row.a_holder_id,
                b_holder_ids: chain[1..].to_vec(),
                active: row.active,
                version: row.version,
                matters: facts.matters,
            });
        }
        Ok(out)
    }

    /// Creates a post or changes its name and holders (AB岗安排). Every holder must be an
    /// active member of the post's department; a person holds a post once.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the centre admin or the department's head; `INVALID_INPUT` for a bad
    /// name or chain; `NOT_FOUND`; `CONFLICT` for a stale version; `INVALID_STATE` for a holder
    /// who is deactivated or in another department.
    pub async fn save_post(&self, actor: &Actor, input: SavePost) -> Result<PostView> {
        may_edit(actor, input.department_id)?;
        let name = validate::required("name", &input.name, validate::MAX_NAME)?;
        let chain = rules::check_chain(input.a_holder_id, &input.b_holder_ids)?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let home = department::Entity::find_by_id(input.department_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("department {}", input.department_id)))?;
        let people: HashMap<Uuid, staff::Model> = staff::Entity::find()
            .filter(staff::Column::Id.is_in(chain.iter().copied()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        for id in &chain {
            let person = people
                .get(id)
                .ok_or_else(|| Error::not_found(format!("staff member {id}")))?;
            if !person.active {
                return Err(Error::InvalidState(format!(
                    "{} is deactivated and cannot hold a post",
                    person.display_name
                )));
            }
            if !lianban_rules::roles::RoleSet::parse(&person.roles)
                .is_ok_and(|roles| rules::can_act(&roles))
            {
                return Err(Error::InvalidState(format!(
                    "{} cannot work a post's tasks: give them the REVIEWER (or WINDOW, DEPT_HEAD) role first",
                    person.display_name
                )));
            }
            if person.department_id != home.id {
                return Err(Error::InvalidState(format!(
                    "{} is not in {}: a post's holders are its department's staff",
                    person.display_name, home.name
                )));
            }
        }
        let (saved, before) = match input.id {
            Some(id) => {
                let row = post::Entity::find_by_id(id)
                    .one(&txn)
                    .await?
                    .ok_or_else(|| Error::not_found(format!("post {id}")))?;
                if row.department_id != home.id {
                    return Err(Error::invalid(
                        "departmentId",
                        "a post stays in its department",
                    ));
                }
                let expected = input.expected_version.ok_or_else(|| {
                    Error::invalid("expectedVersion", "is required to change a post")
                })?;
                rules::check_version(&row.name, expected, row.version)?;
                let old_chain = facts::chain(&txn, &row).await?;
                let before = describe(&row, &old_chain[1..]);
                let version = row.version;
                let mut active = row.into_active_model();
                active.name = Set(name);
                active.a_holder_id = Set(input.a_holder_id);
                active.version = Set(version + 1);
                (active.update(&txn).await?, Some(before))
            }
            None => {
                let row = post::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    department_id: Set(home.id),
                    name: Set(name),
                    a_holder_id: Set(input.a_holder_id),
                    created_at: Set(now),
                    centre_id: Set(home.centre_id),
                    active: Set(true),
                    version: Set(0),
                }
                .insert(&txn)
                .await?;
                (row, None)
            }
        };
        let bs = &chain[1..];
        set_b_holders(&txn, saved.id, bs).await?;
        let mut event = NewEvent::system(EventKind::PostSaved)
            .by(actor.staff_id)
            .after(describe(&saved, bs));
        if let Some(before) = before {
            event = event.before(before);
        }
        events::record(&txn, now, vec![event]).await?;
        // A task whose holder is away may now have a stand-in.
        self.switch_absences_in(&txn, now).await?;
        let facts = facts::post(&txn, &saved, &home.name, chain.clone()).await?;
        txn.commit().await?;
        self.forget_reference();
        Ok(PostView {
            id: saved.id,
            department_id: saved.department_id,
            name: saved.name,
            a_holder_id: saved.a_holder_id,
            b_holder_ids: bs.to_vec(),
            active: saved.active,
            version: saved.version,
            matters: facts.matters,
        })
    }
}
