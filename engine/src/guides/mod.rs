//! 办事指南 — each matter's service guide, published without login: the materials (with sample
//! forms), the legal basis, the fee (or free), the legal and promised limits and how much faster
//! the promise is, the lead and co-handling departments, the special procedures that may
//! suspend the clock, and the window that handles it. A `CENTER_ADMIN` publishes a new version;
//! versions are never changed. Publishing updates the matter the engine runs on in the same
//! transaction as the version, its event and — when the promise is shortened or the matter made
//! immediate — the lead department's score credit (SPEC §7). A case records the version it was
//! received and accepted under, and its supplement notices quote that version's materials.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::scoring::NewScore;
use crate::store::idempotency::{self, Claim};
use lianban_entity::{matter, service_guide, service_window};
use lianban_rules::guides as rules;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use lianban_rules::{CaseKind, SuspensionKind};
use rules::{Limits, Material};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

/// A new version of a matter's guide, as the centre admin writes it. Limits left empty keep
/// the current ones.
#[derive(Debug, Clone, Default)]
pub struct PublishGuide {
    pub matter_code: String,
    /// `IMMEDIATE` turns a promised matter into an immediate one (承诺件改即办件).
    pub kind: Option<CaseKind>,
    pub legal_limit: Option<i32>,
    pub promised_limit: Option<i32>,
    /// 急事急办 — the review limit of an urgent case's tasks (working days); empty for none.
    pub urgent_review_limit: Option<i32>,
    pub materials: Vec<Material>,
    pub legal_basis: String,
    /// Empty when free (不收费).
    pub fee: Option<String>,
    pub fee_basis: Option<String>,
    pub special_procedures: Vec<SuspensionKind>,
    pub window_id: Option<Uuid>,
    pub notes: Option<String>,
    pub change_note: Option<String>,
    pub idempotency_key: Option<String>,
}

fn limits_of(m: &matter::Model) -> Limits {
    Limits {
        kind: m.kind.into(),
        unit: m.limit_unit.into(),
        legal: m.legal_limit,
        promised: m.promised_limit,
        urgent_review: m.urgent_review_limit,
    }
}

/// The matter as guide `version` stated it: a case is accepted under the version it was
/// received under, even when a newer one was published in between.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub(crate) async fn matter_as_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    matter: &matter::Model,
    version: i32,
) -> Result<matter::Model> {
    let guide = service_guide::Entity::find()
        .filter(service_guide::Column::MatterId.eq(matter.id))
        .filter(service_guide::Column::Version.eq(version))
        .one(db)
        .await?;
    Ok(match guide {
        Some(g) => matter::Model {
            kind: g.kind,
            limit_unit: g.limit_unit,
            legal_limit: g.legal_limit,
            promised_limit: g.promised_limit,
            urgent_review_limit: g.urgent_review_limit,
            guide_version: Some(g.version),
            ..matter.clone()
        },
        None => matter.clone(),
    })
}

impl Engine {
    /// Publishes a new version of a matter's guide.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `NOT_FOUND` for an unknown matter or window;
    /// `INVALID_INPUT` for bad materials, limits, fee or procedures; `CONFLICT` when another
    /// version was published at the same moment.
    pub async fn publish_guide(
        &self,
        actor: &Actor,
        input: PublishGuide,
    ) -> Result<crate::views::ServiceGuideView> {
        actor.require(Role::CenterAdmin, "publishing a service guide")?;
        let code = validate::required("matterCode", &input.matter_code, validate::MAX_SHORT)?;
        let materials = rules::check_materials(&input.materials)?;
        let procedures = rules::check_procedures(&input.special_procedures)?;
        let legal_basis = validate::required("legalBasis", &input.legal_basis, validate::MAX_TEXT)?;
        let fee = validate::optional("fee", input.fee.as_deref(), validate::MAX_NAME)?;
        let fee_basis =
            validate::optional("feeBasis", input.fee_basis.as_deref(), validate::MAX_TEXT)?;
        if fee.is_some() && fee_basis.is_none() {
            return Err(Error::invalid(
                "feeBasis",
                "a fee needs its basis (收费依据)",
            ));
        }
        let notes = validate::optional("notes", input.notes.as_deref(), validate::MAX_TEXT)?;
        let change_note = validate::optional(
            "changeNote",
            input.change_note.as_deref(),
            validate::MAX_TEXT,
        )?;
        let key = idempotency::check(input.idempotency_key.as_deref())?;
        let now = self.now();
        let id = Uuid::now_v7();
        let (_gate, txn) = self.begin_write().await?;
        let claim = idempotency::claim(
            &txn,
            actor.staff_id,
            key.as_deref(),
            "publishServiceGuide",
            id,
            now,
        );
        if let Claim::Replay(first) = claim.await? {
            txn.rollback().await?;
            return service_guide::Entity::find_by_id(first)
                .one(self.db())
                .await?
                .ok_or_else(|| Error::not_found(format!("service guide {first}")))?
                .try_into();
        }
        let matter = matter::Entity::find()
            .filter(matter::Column::Code.eq(code.as_str()))
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("matter `{code}`")))?;
        if let Some(window) = input.window_id {
            service_window::Entity::find_by_id(window)
                .one(&txn)
                .await?
                .ok_or_else(|| Error::not_found(format!("service window {window}")))?;
        }
        let before = limits_of(&matter);
        let after = rules::next_limits(
            before,
            input.kind,
            input.legal_limit,
            input.promised_limit,
            input.urgent_review_limit,
        )?;
        // The shortest promise any earlier version made in this unit (credits go below it).
        let lowest = service_guide::Entity::find()
            .filter(service_guide::Column::MatterId.eq(matter.id))
            .filter(
                service_guide::Column::LimitUnit.eq(lianban_entity::LimitUnit::from(before.unit)),
            )
            .all(&txn)
            .await?
            .into_iter()
            .map(|g| g.promised_limit)
            .min();
        let version = matter.guide_version.unwrap_or(0) + 1;
        // The version is claimed on the matter row first: a second publisher of the same
        // version finds it taken.
        let mut claim = matter::Entity::update_many()
            .col_expr(matter::Column::GuideVersion, Expr::value(Some(version)))
            .col_expr(
                matter::Column::Kind,
                Expr::value(lianban_entity::CaseKind::from(after.kind)),
            )
            .col_expr(
                matter::Column::LimitUnit,
                Expr::value(lianban_entity::LimitUnit::from(after.unit)),
            )
            .col_expr(matter::Column::LegalLimit, Expr::value(after.legal))
            .col_expr(matter::Column::PromisedLimit, Expr::value(after.promised))
            .col_expr(
                matter::Column::UrgentReviewLimit,
                Expr::value(after.urgent_review),
            )
            .col_expr(
                matter::Column::RequiredMaterials,
                Expr::value(json!(materials.iter().map(|m| &m.name).collect::<Vec<_>>())),
            )
            .filter(matter::Column::Id.eq(matter.id));
        claim = match matter.guide_version {
            Some(v) => claim.filter(matter::Column::GuideVersion.eq(v)),
            None => claim.filter(matter::Column::GuideVersion.is_null()),
        };
        if claim.exec(&txn).await?.rows_affected == 0 {
            return Err(Error::Conflict(
                "another version of this guide was published at the same moment; reload and try again"
                    .to_owned(),
            ));
        }
        let row = service_guide::ActiveModel {
            id: Set(id),
            matter_id: Set(matter.id),
            version: Set(version),
            kind: Set(after.kind.into()),
            limit_unit: Set(after.unit.into()),
            legal_limit: Set(after.legal),
            promised_limit: Set(after.promised),
            urgent_review_limit: Set(after.urgent_review),
            materials: Set(json!(materials)),
            legal_basis: Set(legal_basis),
            fee: Set(fee),
            fee_basis: Set(fee_basis),
            special_procedures: Set(json!(procedures)),
            window_id: Set(input.window_id),
            notes: Set(notes),
            change_note: Set(change_note.clone()),
            published_by: Set(actor.staff_id),
            published_at: Set(now),
        };
        let guide = service_guide::Entity::insert(row)
            .exec_with_returning(&txn)
            .await?;
        let credit = rules::credit(before, after, lowest);
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::ServiceGuidePublished)
                    .by(actor.staff_id)
                    .before(json!({
                        "matter": matter.code, "version": matter.guide_version,
                        "kind": before.kind, "unit": before.unit,
                        "legalLimit": before.legal, "promisedLimit": before.promised,
                    }))
                    .after(json!({
                        "matter": matter.code, "guideId": id, "version": version,
                        "kind": after.kind, "unit": after.unit,
                        "legalLimit": after.legal, "promisedLimit": after.promised,
                        "urgentReviewLimit": after.urgent_review,
                        "changeNote": change_note, "credit": credit,
                    })),
            ],
        )
        .await?;
        if let Some(rule) = credit {
            let reason = match rule {
                lianban_rules::scoring::MATTER_MADE_IMMEDIATE => {
                    format!(
                        "“{}”由承诺件改为即办件（办事指南第{version}版）",
                        matter.name
                    )
                }
                _ => format!(
                    "“{}”承诺时限由{}压缩为{}（办事指南第{version}版）",
                    matter.name, before.promised, after.promised
                ),
            };
            let mut score = NewScore::new(
                rule,
                id,
                EventKind::ServiceGuidePublished.as_str(),
                matter.lead_department_id,
                now,
                reason,
            );
            score.recorded_by = Some(actor.staff_id);
            crate::scoring::write(&txn, None, vec![score]).await?;
        }
        txn.commit().await?;
        self.forget_reference();
        guide.try_into()
    }

    /// A matter's guide: `version`, or the current one.
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown matter or version, or a matter with no guide yet.
    pub async fn guide(
        &self,
        matter_code: &str,
        version: Option<i32>,
    ) -> Result<(crate::views::MatterView, crate::views::ServiceGuideView)> {
        let code = validate::required("matterCode", matter_code, validate::MAX_SHORT)?;
        let matter = matter::Entity::find()
            .filter(matter::Column::Code.eq(code.as_str()))
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("matter `{code}`")))?;
        let version = version
            .or(matter.guide_version)
            .ok_or_else(|| Error::not_found(format!("matter `{code}` has no service guide yet")))?;
        let guide = self
            .guide_version(matter.id, version)
            .await?
            .ok_or_else(|| Error::not_found(format!("version {version} of `{code}`'s guide")))?;
        Ok((crate::views::MatterView::from(matter), guide))
    }

    /// One version of a matter's guide.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn guide_version(
        &self,
        matter_id: Uuid,
        version: i32,
    ) -> Result<Option<crate::views::ServiceGuideView>> {
        service_guide::Entity::find()
            .filter(service_guide::Column::MatterId.eq(matter_id))
            .filter(service_guide::Column::Version.eq(version))
            .one(self.db())
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// Every version of a matter's guide, newest first.
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown matter.
    pub async fn guide_versions(
        &self,
        matter_code: &str,
    ) -> Result<Vec<crate::views::ServiceGuideView>> {
        let code = validate::required("matterCode", matter_code, validate::MAX_SHORT)?;
        let matter = matter::Entity::find()
            .filter(matter::Column::Code.eq(code.as_str()))
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("matter `{code}`")))?;
        service_guide::Entity::find()
            .filter(service_guide::Column::MatterId.eq(matter.id))
            .order_by_desc(service_guide::Column::Version)
            .all(self.db())
            .await?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    /// The current guide of every matter that has one, by matter code.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn current_guides(
        &self,
    ) -> Result<Vec<(crate::views::MatterView, crate::views::ServiceGuideView)>> {
        let matters = self.matters().await?;
        let guides = service_guide::Entity::find().all(self.db()).await?;
        matters
            .into_iter()
            .filter_map(|m| {
                let v = m.guide_version?;
                let g = guides
                    .iter()
                    .find(|g| g.matter_id == m.id && g.version == v)?
                    .clone();
                Some(g.try_into().map(|g| (m, g)))
            })
            .collect()
    }

    /// A service window by id.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn service_window(
        &self,
        id: Uuid,
    ) -> Result<Option<crate::views::ServiceWindowView>> {
        Ok(service_window::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .map(Into::into))
    }
}
