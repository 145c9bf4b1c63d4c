//! 事项目录 — what a matter is made of beyond its limits: the application form and its fields
//! (`form`), the conditions under which a co-handler joins (`condition`), and its flow of stages,
//! reviews and steps (`flow`). Each is checked before a matter is saved, every problem named.
//! Pure.

pub mod condition;
pub mod flow;
pub mod form;
