//! 邮件 — the outbox the transactions queue messages in, and the delivery reads the sender and
//! the API make of it. The messages' text is the workers' (`workers/src/mail`); what a rule asks
//! to send is [`lianban_rules::mail`].

pub mod delivery;
pub mod outbox;
