//! 申请表 — the fields of a matter's application form and the checking of an application's
//! answers against them: text, number, date, choice, yes/no and table rows; required or not;
//! simple bounds. Answers arrive as JSON (`{"floor_area": 320, "has_kitchen": true}`); each
//! problem names its field. Pure.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FieldKind {
    /// Free text, at most `max_length` characters.
    Text {
        #[serde(default = "default_text_length")]
        max_length: usize,
    },
    /// A number within `min`..=`max` when they are given.
    Number {
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
    },
    /// A date, `YYYY-MM-DD`.
    Date,
    /// One of `options`.
    Choice { options: Vec<String> },
    /// 是/否.
    YesNo,
    /// Rows, each with the `columns` (not tables themselves), at most `max_rows`.
    Table {
        columns: Vec<Field>,
        #[serde(default = "default_rows")]
        max_rows: usize,
    },
}

fn default_text_length() -> usize {
    500
}

fn default_rows() -> usize {
    100
}

/// One field of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// How answers and conditions name it: letters, digits and `_` (Chinese letters too).
    pub key: String,
    /// What the form shows (建筑面积（平方米）).
    pub label: String,
    #[serde(flatten)]
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Choice(String),
    YesNo(bool),
    Table(Vec<BTreeMap<String, Answer>>),
}

/// The checked answers of an application, by field key (unanswered optional fields absent).
pub type Answers = BTreeMap<String, Answer>;

/// A problem with the form itself or with an answer, naming the field (`rooms[2].area` inside
/// a table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

fn problem(field: &str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Whether `key` is a usable field key: 1–40 letters (any script), digits or `_`, not starting
/// with a digit.
pub fn is_key(key: &str) -> bool {
    let count = key.chars().count();
    (1..=40).contains(&count)
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Checks a form's definition: keys usable and unique, labels present, choices non-empty,
/// bounds in order, no table inside a table.
pub fn check_form(fields: &[Field]) -> Vec<FieldProblem> {
    let mut found = Vec::new();
    check_fields(fields, "", true, &mut found);
    found
}

fn check_fields(fields: &[Field], prefix: &str, tables: bool, found: &mut Vec<FieldProblem>) {
    let mut seen = std::collections::HashSet::new();
    if fields.len() > 100 {
        found.push(problem(prefix, "at most 100 fields"));
    }
    for field in fields {
        let name = format!("{prefix}{}", field.key);
        if !is_key(&field.key) {
            found.push(problem(
                &name,
                "a key is 1–40 letters, digits or '_', not starting with a digit",
            ));
        }
        if !seen.insert(field.key.as_str()) {
            found.push(problem(&name, "the key is used twice"));
        }
        if field.label.trim().is_empty() || field.label.chars().count() > 100 {
            found.push(problem(&name, "a label of 1–100 characters"));
        }
        match &field.kind {
            FieldKind::Text { max_length } if *max_length == 0 || *max_length > 5000 => {
                found.push(problem(&name, "maxLength must be 1..=5000"));
            }
            FieldKind::Number {
                min: Some(min),
                max: Some(max),
            } if min > max => {
                found.push(problem(&name, "min is above max"));
            }
            FieldKind::Choice { options }
                if options.is_empty() || options.iter().any(|o| o.trim().is_empty()) =>
            {
                found.push(problem(&name, "a choice needs its options, none empty"));
            }
            FieldKind::Table { columns, max_rows } => {
                if !tables {
                    found.push(problem(&name, "a table cannot hold a table"));
                } else if columns.is_empty() {
                    found.push(problem(&name, "a table needs its columns"));
                }
                if *max_rows == 0 || *max_rows > 1000 {
                    found.push(problem(&name, "maxRows must be 1..=1000"));
                }
                check_fields(columns, &format!("{name}."), false, found);
            }
            _ => {}
        }
    }
}

/// Checks an application's `answers` (a JSON object) against the form: every required field
/// answered, every answer of its field's kind and within its bounds, no answer to a field the
/// form does not have.
///
/// # Errors
/// Every problem, each naming its field.
pub fn check_answers(fields: &[Field], answers: &Value) -> Result<Answers, Vec<FieldProblem>> {
    let mut found = Vec::new();
    let checked = answers_of(fields, answers, "", &mut found);
    if found.is_empty() {
        Ok(checked)
    } else {
        Err(found)
    }
}

fn answers_of(
    fields: &[Field],
    answers: &Value,
    prefix: &str,
    found: &mut Vec<FieldProblem>,
) -> Answers {
    let mut checked = Answers::new();
    let Some(given) = answers.as_object() else {
        found.push(problem(
            prefix.trim_end_matches('.'),
            "answers are an object of field keys",
        ));
        return checked;
    };
    for key in given.keys() {
        if !fields.iter().any(|f| &f.key == key) {
            found.push(problem(
                &format!("{prefix}{key}"),
                "the form has no such field",
            ));
        }
    }
    for field in fields {
        let name = format!("{prefix}{}", field.key);
        match given
            .get(&field.key)
            .filter(|v| !v.is_null() && *v != &Value::String(String::new()))
        {
            None if field.required => found.push(problem(&name, "is required")),
            None => {}
            Some(value) => {
                if let Some(answer) = answer_of(field, value, &name, found) {
                    checked.insert(field.key.clone(), answer);
                }
            }
        }
    }
    checked
}

fn answer_of(
    field: &Field,
    value: &Value,
    name: &str,
    found: &mut Vec<FieldProblem>,
) -> Option<Answer> {
    let mut refuse = |message: String| {
        found.push(problem(name, message));
        None
    };
    match &field.kind {
        FieldKind::Text { max_length } => match value.as_str() {
            Some(text) if text.chars().count() <= *max_length => {
                Some(Answer::Text(text.trim().to_owned()))
            }
            Some(_) => refuse(format!("at most {max_length} characters")),
            None => refuse("is text".to_owned()),
        },
        FieldKind::Number { min, max } => {
            let number = value
                .as_f64()
                .or_else(|| value.as_str().and_then(|s| s.trim().parse::<f64>().ok()))
                .filter(|n| n.is_finite());
            match number {
                None => refuse("is a number".to_owned()),
                Some(n) if min.is_some_and(|m| n < m) => {
                    refuse(format!("at least {}", min.unwrap_or_default()))
                }
                Some(n) if max.is_some_and(|m| n > m) => {
                    refuse(format!("at most {}", max.unwrap_or_default()))
                }
                Some(n) => Some(Answer::Number(n)),
            }
        }
        FieldKind::Date => match value
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        {
            Some(date) => Some(Answer::Date(date)),
            None => refuse("is a date, YYYY-MM-DD".to_owned()),
        },
        FieldKind::Choice { options } => match value.as_str() {
            Some(choice) if options.iter().any(|o| o == choice) => {
                Some(Answer::Choice(choice.to_owned()))
            }
            _ => refuse(format!("one of {}", options.join("、"))),
        },
        FieldKind::YesNo => match value.as_bool() {
            Some(yes) => Some(Answer::YesNo(yes)),
            None => refuse("is yes or no (true/false)".to_owned()),
        },
        FieldKind::Table { columns, max_rows } => {
            let Some(rows) = value.as_array() else {
                return refuse("is a list of rows".to_owned());
            };
            if rows.len() > *max_rows {
                return refuse(format!("at most {max_rows} rows"));
            }
            let checked = rows
                .iter()
                .enumerate()
                .map(|(i, row)| answers_of(columns, row, &format!("{name}[{}].", i + 1), found))
                .collect();
            Some(Answer::Table(checked))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form() -> Vec<Field> {
        serde_json::from_value(json!([
            { "key": "shop_name", "label": "店铺名称", "kind": "TEXT", "maxLength": 50, "required": true },
            { "key": "建筑面积", "label": "建筑面积（平方米）", "kind": "NUMBER", "min": 1, "max": 100000, "required": true },
            { "key": "opening", "label": "拟开业日期", "kind": "DATE" },
            { "key": "cuisine", "label": "经营类别", "kind": "CHOICE", "options": ["中餐", "西餐", "饮品"] },
            { "key": "has_kitchen", "label": "设有后厨", "kind": "YES_NO", "required": true },
            { "key": "rooms", "label": "经营场所", "kind": "TABLE", "columns": [
                { "key": "name", "label": "名称", "kind": "TEXT", "required": true },
                { "key": "area", "label": "面积", "kind": "NUMBER", "min": 0 },
            ] },
        ]))
        .unwrap()
    }

    #[test]
    fn a_good_form_and_good_answers_pass() {
        assert_eq!(check_form(&form()), vec![]);
        let answers = check_answers(&form(), &json!({
            "shop_name": "老张面馆", "建筑面积": "320.5", "opening": "2026-12-20", "cuisine": "中餐",
            "has_kitchen": true, "rooms": [{ "name": "大堂", "area": 200 }, { "name": "后厨" }],
        }))
        .unwrap();
        assert_eq!(answers["建筑面积"], Answer::Number(320.5));
        assert_eq!(answers["has_kitchen"], Answer::YesNo(true));
        let Answer::Table(rows) = &answers["rooms"] else {
            panic!()
        };
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn every_bad_answer_is_named() {
        let problems = check_answers(
            &form(),
            &json!({
                "建筑面积": -3, "opening": "20.12.2026", "cuisine": "火锅", "has_kitchen": "是",
                "rooms": [{ "area": "大" }], "colour": "red",
            }),
        )
        .unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for field in [
            "shop_name",
            "建筑面积",
            "opening",
            "cuisine",
            "has_kitchen",
            "rooms[1].name",
            "rooms[1].area",
            "colour",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn a_bad_form_is_named_too() {
        let bad: Vec<Field> = serde_json::from_value(json!([
            { "key": "1st", "label": "x", "kind": "TEXT" },
            { "key": "a", "label": "", "kind": "CHOICE", "options": [] },
            { "key": "a", "label": "y", "kind": "NUMBER", "min": 5, "max": 1 },
            { "key": "t", "label": "表", "kind": "TABLE", "columns": [{ "key": "inner", "label": "内表", "kind": "TABLE", "columns": [] }] },
        ]))
        .unwrap();
        let fields: Vec<String> = check_form(&bad).into_iter().map(|p| p.field).collect();
        assert!(fields.contains(&"1st".to_owned()));
        assert_eq!(fields.iter().filter(|f| *f == "a").count(), 4, "{fields:?}");
        assert!(fields.contains(&"t.inner".to_owned()));
    }
}
