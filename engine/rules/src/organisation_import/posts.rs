//! The posts a list names: one A holder each, B places distinct and in order; and the people
//! it moves who would leave a post of their old department behind.

use super::rows::{Existing, ExistingDepartment, PlannedPost, PlannedStaff};
use super::{Place, Problems, STAFF_SHEET};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// The posts of `places`, checked; problems go to `problems`.
pub(super) fn plan_posts(
    places: BTreeMap<(String, String), Vec<Place>>,
    existing: &Existing,
    staff: &[PlannedStaff],
    listed_users: &HashMap<String, usize>,
    problems: &mut Problems,
) -> Vec<PlannedPost> {
    let s = STAFF_SHEET;
    let known_departments: HashMap<&str, &ExistingDepartment> = existing
        .departments
        .iter()
        .map(|d| (d.code.as_str(), d))
        .collect();
    let mut posts = Vec::new();
    // Each post: one A, B places distinct, in order.
    let department_id = |code: &str| known_departments.get(code).map(|k| k.id);
    let mut listed_posts: HashSet<(String, String)> = HashSet::new();
    for ((code, post), mut holders) in places {
        let first_row = holders.iter().map(|h| h.1).min().unwrap_or(0);
        let a: Vec<_> = holders.iter().filter(|h| h.0 == 0).collect();
        match a.len() {
            0 => problems.add(
                s,
                first_row,
                "AB岗",
                format!("post {post} of {code} has no A holder"),
            ),
            1 => {}
            _ => problems.add(
                s,
                a[1].1,
                "AB岗",
                format!(
                    "post {post} of {code} has an A holder already, in row {}",
                    a[0].1
                ),
            ),
        }
        holders.sort_by_key(|h| (h.0, h.1));
        for pair in holders.windows(2) {
            if pair[0].0 == pair[1].0 && pair[0].0 != usize::MAX && pair[0].0 != 0 {
                problems.add(
                    s,
                    pair[1].1,
                    "AB岗",
                    format!(
                        "B{} of post {post} is listed already, in row {}",
                        pair[0].0, pair[0].1
                    ),
                );
            }
        }
        if holders.len() > 10 {
            problems.add(
                s,
                first_row,
                "AB岗",
                format!("post {post} of {code}: at most 9 B holders"),
            );
        }
        let id = department_id(&code).and_then(|dept| {
            existing
                .posts
                .iter()
                .find(|p| p.department_id == dept && p.name == post)
                .map(|p| p.id)
        });
        listed_posts.insert((code.clone(), post.clone()));
        posts.push(PlannedPost {
            id,
            department_code: code,
            name: post,
            holders: holders.into_iter().map(|h| h.2).collect(),
        });
    }
    // A person moved to another department may not keep a post of the old one that the list
    // leaves as it is.
    let code_of: HashMap<Uuid, &str> = existing
        .departments
        .iter()
        .map(|d| (d.id, d.code.as_str()))
        .collect();
    for person in staff {
        let Some(known) = person
            .id
            .and_then(|id| existing.staff.iter().find(|s| s.id == id))
        else {
            continue;
        };
        if department_id(&person.department_code) == Some(known.department_id) {
            continue;
        }
        for post in existing
            .posts
            .iter()
            .filter(|p| p.holders.contains(&known.id))
        {
            let old = code_of
                .get(&post.department_id)
                .copied()
                .unwrap_or_default();
            if !listed_posts.contains(&(old.to_owned(), post.name.clone())) {
                let row = listed_users.get(&person.username).copied().unwrap_or(0);
                problems.add(
                    s,
                    row,
                    "部门代码",
                    format!(
                        "{} holds the post {} of {old}: list that post's holders too, or take them off it first",
                        person.username, post.name
                    ),
                );
            }
        }
    }
    posts
}
