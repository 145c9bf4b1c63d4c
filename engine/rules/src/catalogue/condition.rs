//! 参与条件 — when a conditional co-handler joins a case: a small, safe expression over the
//! application's answers, written by the centre admin and shown on the page as written. Not a
//! scripting language: field names, numbers, quoted text, 是/否 (true/false), comparisons
//! (`=`, `!=`, `>`, `>=`, `<`, `<=`, `包含` for text and tables' row count), `且`/`and`,
//! `或`/`or`, `非`/`not` and parentheses — nothing else, no loops, no calls, bounded length.
//!
//! ```text
//! 建筑面积 > 300 且 (经营类别 = "中餐" 或 设有后厨 = 是)
//! ```
//!
//! Checked against the form before a matter is saved (every field named exists and is compared
//! with a value of its kind); evaluated against checked answers at acceptance. An unanswered
//! optional field makes its comparison false. Pure.

use super::form::{Answer, Answers, Field, FieldKind};

/// The longest condition, in characters.
pub const MAX_LENGTH: usize = 500;

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
    /// `field op value`.
    Compare(String, Op, Literal),
    /// A yes/no field on its own.
    Flag(String),
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Contains,
}

/// A value written in a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(f64),
    Text(String),
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Number(f64),
    Text(String),
    Bool(bool),
    Op(Op),
    And,
    Or,
    Not,
    Open,
    Close,
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let op = match two.as_str() {
            ">=" | "≥" => Some((Op::Ge, 2)),
            "<=" | "≤" => Some((Op::Le, 2)),
            "!=" | "≠" => Some((Op::Ne, 2)),
            "==" => Some((Op::Eq, 2)),
            "&&" => {
                out.push(Token::And);
                i += 2;
                continue;
            }
            "||" => {
                out.push(Token::Or);
                i += 2;
                continue;
            }
            _ => match c {
                '>' => Some((Op::Gt, 1)),
                '<' => Some((Op::Lt, 1)),
                '=' => Some((Op::Eq, 1)),
                '≥' => Some((Op::Ge, 1)),
                '≤' => Some((Op::Le, 1)),
                '≠' => Some((Op::Ne, 1)),
                _ => None,
            },
        };
        if let Some((op, width)) = op {
            out.push(Token::Op(op));
            i += width;
            continue;
        }
        match c {
            '(' | '（' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' | '）' => {
                out.push(Token::Close);
                i += 1;
            }
            '!' => {
                out.push(Token::Not);
                i += 1;
            }
            '"' | '“' | '”' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|d| matches!(d, '"' | '“' | '”'))
                    .ok_or("a text is not closed with its quote")?;
                out.push(Token::Text(chars[i + 1..i + 1 + end].iter().collect()));
                i += end + 2;
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                out.push(Token::Number(
                    text.parse()
                        .map_err(|_| format!("{text} is not a number"))?,
                ));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(match word.as_str() {
                    "且" | "and" | "AND" => Token::And,
                    "或" | "or" | "OR" => Token::Or,
                    "非" | "not" | "NOT" => Token::Not,
                    "是" | "true" => Token::Bool(true),
                    "否" | "false" => Token::Bool(false),
                    "包含" | "contains" => Token::Op(Op::Contains),
                    _ => Token::Name(word),
                });
            }
            other => return Err(format!("{other} is not part of a condition")),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn or(&mut self) -> Result<Condition, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            left = Condition::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Condition, String> {
        let mut left = self.not()?;
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            left = Condition::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Condition, String> {
        if self.peek() == Some(&Token::Not) {
            self.at += 1;
            return Ok(Condition::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Condition, String> {
        match self.next() {
            Some(Token::Open) => {
                self.depth += 1;
                if self.depth > 20 {
                    return Err("too deeply nested".to_owned());
                }
                let inner = self.or()?;
                self.depth -= 1;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("a bracket is not closed".to_owned()),
                }
            }
            Some(Token::Name(field)) => match self.peek() {
                Some(Token::Op(op)) => {
                    let op = *op;
                    self.at += 1;
                    let value = match self.next() {
                        Some(Token::Number(n)) => Literal::Number(n),
                        Some(Token::Text(t)) => Literal::Text(t),
                        Some(Token::Bool(b)) => Literal::Bool(b),
                        _ => {
                            return Err(format!(
                                "{field} is compared with a number, a quoted text or 是/否"
                            ));
                        }
                    };
                    Ok(Condition::Compare(field, op, value))
                }
                _ => Ok(Condition::Flag(field)),
            },
            Some(other) => Err(format!("a field name was expected, not {other:?}")),
            None => Err("the condition ends too early".to_owned()),
        }
    }
}

/// Parses a condition.
///
/// # Errors
/// What is wrong with it, in words.
pub fn parse(text: &str) -> Result<Condition, String> {
    if text.chars().count() > MAX_LENGTH {
        return Err(format!("at most {MAX_LENGTH} characters"));
    }
    let mut parser = Parser {
        tokens: tokens(text)?,
        at: 0,
        depth: 0,
    };
    let condition = parser.or()?;
    if parser.at < parser.tokens.len() {
        return Err("something follows the condition's end".to_owned());
    }
    Ok(condition)
}

/// Checks a condition against the form: every field it names exists (outside tables) and is
/// compared with a value of its kind.
///
/// # Errors
/// The first mismatch, in words.
pub fn check(condition: &Condition, form: &[Field]) -> Result<(), String> {
    let field = |key: &str| {
        form.iter()
            .find(|f| f.key == key)
            .ok_or_else(|| format!("the form has no field {key}"))
    };
    match condition {
        Condition::And(a, b) | Condition::Or(a, b) => {
            check(a, form)?;
            check(b, form)
        }
        Condition::Not(inner) => check(inner, form),
        Condition::Flag(key) => match field(key)?.kind {
            FieldKind::YesNo => Ok(()),
            _ => Err(format!(
                "{key} is not a yes/no field: compare it with a value"
            )),
        },
        Condition::Compare(key, op, value) => {
            let kind = &field(key)?.kind;
            let fits = match (kind, op, value) {
                (FieldKind::Number { .. }, Op::Contains, _) => false,
                (FieldKind::Number { .. }, _, Literal::Number(_)) => true,
                (FieldKind::Text { .. }, Op::Eq | Op::Ne | Op::Contains, Literal::Text(_)) => true,
                (FieldKind::Choice { options }, Op::Eq | Op::Ne, Literal::Text(t)) => {
                    if !options.contains(t) {
                        return Err(format!("{key} has no option {t}"));
                    }
                    true
                }
                (FieldKind::YesNo, Op::Eq | Op::Ne, Literal::Bool(_)) => true,
                (FieldKind::Date, _, Literal::Text(t)) if !matches!(op, Op::Contains) => {
                    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok()
                }
                (FieldKind::Table { .. }, Op::Contains, _) => false,
                (FieldKind::Table { .. }, _, Literal::Number(_)) => true,
                _ => false,
            };
            if fits {
                Ok(())
            } else {
                Err(format!("{key} cannot be compared that way"))
            }
        }
    }
}

fn compare<T: PartialOrd>(a: &T, op: Op, b: &T) -> bool {
    match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Contains => false,
    }
}

/// Whether a checked application meets the condition.
pub fn holds(condition: &Condition, answers: &Answers) -> bool {
    match condition {
        Condition::And(a, b) => holds(a, answers) && holds(b, answers),
        Condition::Or(a, b) => holds(a, answers) || holds(b, answers),
        Condition::Not(inner) => !holds(inner, answers),
        Condition::Flag(key) => matches!(answers.get(key), Some(Answer::YesNo(true))),
        Condition::Compare(key, op, value) => match (answers.get(key), value) {
            (Some(Answer::Number(n)), Literal::Number(v)) => compare(n, *op, v),
            (Some(Answer::Text(t)), Literal::Text(v)) if *op == Op::Contains => {
                t.contains(v.as_str())
            }
            (Some(Answer::Text(t) | Answer::Choice(t)), Literal::Text(v)) => compare(t, *op, v),
            (Some(Answer::YesNo(b)), Literal::Bool(v)) => compare(b, *op, v),
            (Some(Answer::Date(d)), Literal::Text(v)) => {
                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok_and(|v| compare(d, *op, &v))
            }
            (Some(Answer::Table(rows)), Literal::Number(v)) => {
                compare(&(rows.len() as f64), *op, v)
            }
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests;
