//! 流程 — how a matter's case moves through the departments: an ordered list of stages (串联),
//! each a set of departments reviewing in parallel (并联), each with its own limit, optionally
//! joining only when the application meets a condition, and optionally working in ordered steps
//! inside the department (受理 → 审核 → 审批), each by a post with its own limit. Today's single
//! fan-out is a flow of one stage. Checked before a matter is saved, every problem named. Pure.

use super::condition;
use super::form::Field;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;

/// A step inside a department's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// 受理, 审核, 审批 ….
    pub name: String,
    /// The post that does it.
    pub post_id: Uuid,
    /// Its limit, in the matter's unit.
    pub limit: i32,
}

/// One department's review within a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub department_id: Uuid,
    /// The post its task goes to (the first step's post when it has steps).
    pub post_id: Uuid,
    /// Its limit, in the matter's unit.
    pub limit: i32,
    /// 默认同意: unanswered at its deadline, it counts as approval.
    #[serde(default)]
    pub deemed_consent: bool,
    /// When it joins: a condition on the application's answers; always when absent.
    #[serde(default)]
    pub condition: Option<String>,
    /// Ordered steps inside the department; none for a single task.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// It issues its own licence or certificate, recorded with its opinion.
    #[serde(default)]
    pub issues_own_result: bool,
}

/// A stage: departments reviewing in parallel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    /// 并联审批 of 施工许可, …
    #[serde(default)]
    pub name: String,
    pub reviews: Vec<Review>,
}

/// A matter's flow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flow {
    pub stages: Vec<Stage>,
}

/// A problem with a flow, naming where (`stages[2].reviews[1].limit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowProblem {
    pub at: String,
    pub message: String,
}

impl Flow {
    /// The longest a case can take through the flow: each stage lasts as long as its longest
    /// review, and the stages follow one another.
    pub fn total_limit(&self) -> i32 {
        self.stages
            .iter()
            .map(|s| s.reviews.iter().map(|r| r.limit).max().unwrap_or(0))
            .sum()
    }
}

/// What a flow is checked against besides itself.
#[derive(Debug, Clone)]
pub struct FlowContext<'a> {
    /// The matter's legal limit (法定时限).
    pub legal_limit: i32,
    /// The matter's promised limit (承诺时限).
    pub promised_limit: i32,
    /// The form the conditions read.
    pub form: &'a [Field],
    /// Each post that exists, with its department and whether it has an active holder.
    pub posts: &'a [(Uuid, Uuid, bool)],
}

/// Checks a flow: no empty stage, a department once per stage, positive limits, steps within
/// their review's limit and done by posts of that department, the stages' limits adding up to no
/// more than the promised limit, conditions that parse and fit the form, posts that exist, belong
/// to the department and are staffed.
pub fn check_flow(flow: &Flow, context: &FlowContext<'_>) -> Vec<FlowProblem> {
    let mut found = Vec::new();
    let mut add = |at: String, message: String| found.push(FlowProblem { at, message });
    if flow.stages.len() > 20 {
        add("stages".into(), "at most 20 stages".into());
    }
    let post = |id: Uuid| context.posts.iter().find(|(p, _, _)| *p == id);
    for (s, stage) in flow.stages.iter().enumerate() {
        let at = format!("stages[{}]", s + 1);
        if stage.reviews.is_empty() {
            add(at.clone(), "a stage needs at least one department".into());
        }
        let mut seen = HashSet::new();
        for (r, review) in stage.reviews.iter().enumerate() {
            let at = format!("{at}.reviews[{}]", r + 1);
            if !seen.insert(review.department_id) {
                add(at.clone(), "a department reviews once in a stage".into());
            }
            if review.limit < 1 {
                add(format!("{at}.limit"), "at least 1".into());
            }
            let mut posts = vec![(format!("{at}.postId"), review.post_id)];
            if !review.steps.is_empty() {
                let steps: i32 = review.steps.iter().map(|step| step.limit).sum();
                if steps > review.limit {
                    add(
                        format!("{at}.steps"),
                        format!(
                            "the steps take {steps}, more than the department's limit of {}",
                            review.limit
                        ),
                    );
                }
                for (n, step) in review.steps.iter().enumerate() {
                    let at = format!("{at}.steps[{}]", n + 1);
                    if step.name.trim().is_empty() {
                        add(format!("{at}.name"), "a step needs its name".into());
                    }
                    if step.limit < 1 {
                        add(format!("{at}.limit"), "at least 1".into());
                    }
                    posts.push((format!("{at}.postId"), step.post_id));
                }
                if review.steps[0].post_id != review.post_id {
                    add(
                        format!("{at}.postId"),
                        "the task goes to its first step's post".into(),
                    );
                }
            }
            for (where_, id) in posts {
                match post(id) {
                    None => add(where_, "no such post".into()),
                    Some((_, department, _)) if *department != review.department_id => {
                        add(where_, "the post is another department's".into());
                    }
                    Some((_, _, false)) => add(where_, "the post has no active holder".into()),
                    Some(_) => {}
                }
            }
            if let Some(text) = &review.condition {
                match condition::parse(text).and_then(|c| condition::check(&c, context.form)) {
                    Ok(()) => {}
                    Err(why) => add(format!("{at}.condition"), why),
                }
            }
        }
    }
    let total = flow.total_limit();
    if total > context.promised_limit {
        add(
            "stages".into(),
            format!(
                "the stages take up to {total}, more than the promised limit of {}",
                context.promised_limit
            ),
        );
    }
    if context.promised_limit > context.legal_limit {
        add(
            "promisedLimit".into(),
            format!("more than the legal limit of {}", context.legal_limit),
        );
    }
    found
}

/// 提速50%: whether the promised limit is at most half the legal one (the seed's mark).
pub fn at_least_half_faster(legal_limit: i32, promised_limit: i32) -> bool {
    legal_limit > 0 && promised_limit * 2 <= legal_limit
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Centre {
        posts: Vec<(Uuid, Uuid, bool)>,
        departments: Vec<Uuid>,
    }

    fn centre() -> Centre {
        let departments: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        let mut posts: Vec<(Uuid, Uuid, bool)> = departments
            .iter()
            .map(|d| (Uuid::now_v7(), *d, true))
            .collect();
        posts.push((Uuid::now_v7(), departments[0], true)); // a second post of the first, for its head
        posts.push((Uuid::now_v7(), departments[3], false)); // nobody holds it
        Centre { posts, departments }
    }

    fn review(c: &Centre, d: usize, limit: i32) -> Review {
        Review {
            department_id: c.departments[d],
            post_id: c.posts[d].0,
            limit,
            deemed_consent: false,
            condition: None,
            steps: vec![],
            issues_own_result: false,
        }
    }

    fn form() -> Vec<Field> {
        serde_json::from_value(
            json!([{ "key": "建筑面积", "label": "建筑面积", "kind": "NUMBER" }]),
        )
        .unwrap()
    }

    #[test]
    fn a_construction_permit_flow_of_three_stages_passes() {
        let c = centre();
        let mut first = review(&c, 0, 5);
        first.steps = vec![
            Step {
                name: "审核".into(),
                post_id: c.posts[0].0,
                limit: 3,
            },
            Step {
                name: "审批".into(),
                post_id: c.posts[4].0,
                limit: 2,
            },
        ];
        let mut fire = review(&c, 2, 4);
        fire.condition = Some("建筑面积 > 300".into());
        let flow = Flow {
            stages: vec![
                Stage {
                    name: "立项用地".into(),
                    reviews: vec![first],
                },
                Stage {
                    name: "工程建设".into(),
                    reviews: vec![review(&c, 1, 5), fire],
                },
                Stage {
                    name: "竣工验收".into(),
                    reviews: vec![review(&c, 1, 3)],
                },
            ],
        };
        assert_eq!(flow.total_limit(), 13);
        let form = form();
        let context = FlowContext {
            legal_limit: 20,
            promised_limit: 15,
            form: &form,
            posts: &c.posts,
        };
        assert_eq!(check_flow(&flow, &context), vec![]);
        assert!(!at_least_half_faster(20, 15));
        assert!(at_least_half_faster(20, 10));
    }

    #[test]
    fn every_problem_of_a_flow_is_named_where_it_is() {
        let c = centre();
        let mut stepped = review(&c, 0, 3);
        stepped.steps = vec![
            Step {
                name: "审核".into(),
                post_id: c.posts[1].0,
                limit: 2,
            },
            Step {
                name: "".into(),
                post_id: c.posts[0].0,
                limit: 2,
            },
        ];
        let mut unstaffed = review(&c, 3, 2);
        unstaffed.post_id = c.posts[5].0;
        let mut conditional = review(&c, 2, 2);
        conditional.condition = Some("面积 > 3".into());
        let flow = Flow {
            stages: vec![
                Stage {
                    name: String::new(),
                    reviews: vec![stepped, review(&c, 0, 0)],
                },
                Stage {
                    name: String::new(),
                    reviews: vec![],
                },
                Stage {
                    name: String::new(),
                    reviews: vec![unstaffed, conditional],
                },
            ],
        };
        let form = form();
        let context = FlowContext {
            legal_limit: 3,
            promised_limit: 4,
            form: &form,
            posts: &c.posts,
        };
        let at: Vec<String> = check_flow(&flow, &context)
            .into_iter()
            .map(|p| p.at)
            .collect();
        for expected in [
            "stages[1].reviews[1].steps",
            "stages[1].reviews[1].steps[2].name",
            "stages[1].reviews[1].steps[1].postId",
            "stages[1].reviews[1].postId",
            "stages[1].reviews[2]",
            "stages[1].reviews[2].limit",
            "stages[2]",
            "stages[3].reviews[1].postId",
            "stages[3].reviews[2].condition",
            "stages",
            "promisedLimit",
        ] {
            assert!(at.iter().any(|a| a == expected), "{expected} in {at:?}");
        }
    }
}
