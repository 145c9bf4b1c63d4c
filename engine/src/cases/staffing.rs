//! 受理的分派 — who acceptance hands a case to: the reviews the catalogue sets for its matter,
//! each post's holders (A, then the B holders in order), who of them is away, and those people
//! with the case's first responder — read in one statement.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use lianban_entity::{matter, staff};
use lianban_rules::cases::Acceptance;
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic, Iterable};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// One department's share of the review, as the catalogue sets it.
pub(crate) struct Review {
    pub department_id: Uuid,
    pub post_id: Uuid,
    pub limit: i32,
}

/// Whether the staff member in `column` is away at `at` (an absence covers it).
fn away(column: (&'static str, &'static str), at: DateTime<Utc>) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from("absences")
            .and_where(Expr::col(("absences", "staff_id")).equals(column))
            .and_where(Expr::col(("absences", "starts_at")).lte(at))
            .and_where(Expr::col(("absences", "ends_at")).gt(at))
            .to_owned(),
    )
}

/// Who acceptance hands the case to: each review with its post's holders (A first, then the B
/// holders in order), which of those holders are away, and the people named (the holders and
/// the case's first responder), by id.
#[derive(Default)]
pub(crate) struct Staffing {
    pub reviews: Vec<(Review, Vec<Uuid>)>,
    pub away: HashSet<Uuid>,
    pub people: HashMap<Uuid, staff::Model>,
}

/// The staff columns of the person joined as `alias`, each named `{alias}_{column}`.
fn person_columns(query: &mut sea_orm::sea_query::SelectStatement, alias: &'static str) {
    for column in staff::Column::iter() {
        query.expr_as(
            Expr::col((alias, column.as_str())),
            format!("{alias}_{}", column.as_str()),
        );
    }
}

/// The person joined as `alias` on `row`, if any.
fn person(row: &sea_orm::QueryResult, alias: &str) -> Result<Option<staff::Model>> {
    let prefix = format!("{alias}_");
    Ok(match row.try_get::<Option<Uuid>>(&prefix, "id")? {
        Some(_) => Some(staff::Model::from_query_result(row, &prefix)?),
        None => None,
    })
}

/// The reviews acceptance creates for a case of this matter, their holders, who of them is
/// away at `at`, and those people with the first responder — one query.
pub(crate) async fn staffing<C: ConnectionTrait>(
    db: &C,
    matter: &matter::Model,
    acceptance: Acceptance,
    at: DateTime<Utc>,
    responder_id: Uuid,
) -> Result<Staffing> {
    let mut query = match acceptance {
        Acceptance::Immediate | Acceptance::ReportUp => {
            let mut staffing = Staffing::default();
            if let Some(responder) = staff::Entity::find_by_id(responder_id).one(db).await? {
                staffing.people.insert(responder.id, responder);
            }
            return Ok(staffing);
        }
        Acceptance::LeadReview => {
            let post_id = matter.lead_post_id.ok_or_else(|| {
                Error::InvalidState(format!("matter {} names no reviewing post", matter.code))
            })?;
            Query::select()
                .expr_as(Expr::col(("p", "department_id")), "department_id")
                .expr_as(Expr::col(("p", "id")), "post_id")
                .expr_as(Expr::val(matter.promised_limit), "review_limit")
                .from_as("posts", "p")
                .join_as(
                    JoinType::LeftJoin,
                    "post_b_holders",
                    "b",
                    Expr::col(("b", "post_id")).equals(("p", "id")),
                )
                .and_where(Expr::col(("p", "id")).eq(post_id))
                .order_by(("b", "position"), Order::Asc)
                .to_owned()
        }
        Acceptance::FanOut => Query::select()
            .expr_as(Expr::col(("md", "department_id")), "department_id")
            .expr_as(Expr::col(("md", "post_id")), "post_id")
            .expr_as(Expr::col(("md", "review_limit")), "review_limit")
            .from_as("matter_departments", "md")
            .join_as(
                JoinType::InnerJoin,
                "posts",
                "p",
                Expr::col(("p", "id")).equals(("md", "post_id")),
            )
            .join_as(
                JoinType::LeftJoin,
                "post_b_holders",
                "b",
                Expr::col(("b", "post_id")).equals(("md", "post_id")),
            )
            .and_where(Expr::col(("md", "matter_id")).eq(matter.id))
            .order_by(("md", "position"), Order::Asc)
            .order_by(("b", "position"), Order::Asc)
            .to_owned(),
    };
    query
        .expr_as(Expr::col(("p", "a_holder_id")), "a_holder_id")
        .expr_as(Expr::col(("b", "staff_id")), "b_holder_id")
        .expr_as(away(("p", "a_holder_id"), at), "a_away")
        .expr_as(away(("b", "staff_id"), at), "b_away")
        .join_as(
            JoinType::LeftJoin,
            "staff",
            "sa",
            Expr::col(("sa", "id")).equals(("p", "a_holder_id")),
        )
        .join_as(
            JoinType::LeftJoin,
            "staff",
            "sb",
            Expr::col(("sb", "id")).equals(("b", "staff_id")),
        )
        .join_as(
            JoinType::LeftJoin,
            "staff",
            "sr",
            Expr::col(("sr", "id")).eq(responder_id),
        );
    for alias in ["sa", "sb", "sr"] {
        person_columns(&mut query, alias);
    }
    let mut staffing = Staffing::default();
    for row in db.query_all(&query).await? {
        let post_id: Uuid = row.try_get("", "post_id")?;
        let b: Option<Uuid> = row.try_get("", "b_holder_id")?;
        if row.try_get::<bool>("", "a_away")? {
            staffing
                .away
                .insert(row.try_get::<Uuid>("", "a_holder_id")?);
        }
        if let Some(b) = b
            && row.try_get::<bool>("", "b_away")?
        {
            staffing.away.insert(b);
        }
        for alias in ["sa", "sb", "sr"] {
            if let Some(person) = person(&row, alias)? {
                staffing.people.insert(person.id, person);
            }
        }
        match staffing.reviews.last_mut() {
            Some((review, chain)) if review.post_id == post_id => chain.extend(b),
            _ => {
                let mut chain = vec![row.try_get("", "a_holder_id")?];
                chain.extend(b);
                let review = Review {
                    department_id: row.try_get("", "department_id")?,
                    post_id,
                    limit: row.try_get("", "review_limit")?,
                };
                staffing.reviews.push((review, chain));
            }
        }
    }
    if !staffing.people.contains_key(&responder_id)
        && let Some(responder) = staff::Entity::find_by_id(responder_id).one(db).await?
    {
        staffing.people.insert(responder.id, responder);
    }
    // A deactivated holder is away for good: their post's next holder takes the task.
    staffing
        .away
        .extend(staffing.people.values().filter(|p| !p.active).map(|p| p.id));
    Ok(staffing)
}
