//! Lianban's scheduled workers and mailer: thin `run_once(ctx, now)` wrappers around engine
//! jobs, registered with tokio-cron-scheduler, and the mail transports (SMTP, `.eml` files,
//! memory). The jobs arrive with the deadline sweep; this crate holds their place in the house.
