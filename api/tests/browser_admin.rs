//! The organisation and account pages in a real browser: headless Chromium driven by
//! `playwright-core` (`clients/browser/admin.mjs`) against two real binaries — one on an empty
//! database (the first-start page), one serving the demo centre with its jobs running, so that
//! a reset link arrives as an `.eml` file and opens the page that sets the password.
//!
//! Needs Node.js, `clients/browser/node_modules` (`npm ci`) and Chromium; `scripts/services`
//! installs both. Without them the test fails, never skips.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

use std::path::PathBuf;
use std::process::Command;
use support::{serve_demo, serve_plain};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_centre_admin_a_department_head_and_a_clerk_use_the_organisation_and_account_pages() {
    let demo_dir = tempfile::tempdir().unwrap();
    let (_demo, _printed, base) = serve_demo(demo_dir.path(), &[]);
    let empty_dir = tempfile::tempdir().unwrap();
    let (_empty, empty, _) =
        serve_plain(empty_dir.path(), &[("LIANBAN_WORKERS__ENABLED", "false")]);

    let output = Command::new("node")
        .arg(repository().join("clients/browser/admin.mjs"))
        .arg(&base)
        .arg(&empty)
        .arg(demo_dir.path().join("outbox"))
        .arg(repository().join("docs/samples/organisation.xlsx"))
        .output()
        .expect("node (Node.js) runs the browser script");
    let said = String::from_utf8_lossy(&output.stdout);
    let why = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser script failed:\n{said}\n{why}"
    );
    for step in [
        "first start: the sign-in page shows how to create the first centre admin",
        "admin: a department is created with its duties",
        "admin: a person is created and another deactivated, who signs in no more",
        "admin: a window of the new department is set up on the same page",
        "admin: the sign-in log shows the refused deactivated account",
        "department head: the post's A holder is now 杨消防",
        "admin: the sample workbook is checked, then imported",
        "phone width: every part of the admin page fits 390 px",
        "clerk: signed in with a temporary password, changed it, then reached the queue",
        "clerk: signed out; the old token is refused",
        "reset link: the mailed link sets the password, which then signs in",
        "policy: the admin and account pages ran with no inline script or style",
    ] {
        assert!(said.contains(step), "missing step `{step}` in:\n{said}");
    }
}
