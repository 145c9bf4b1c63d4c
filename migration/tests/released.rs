//! A released migration step never changes: a database that ran it will not run it again, so a
//! changed step leaves the databases already migrated different from new ones. The text of
//! every step is pinned in `migration/released.sha256` (the output of `sha256sum`, so
//! `cd migration/src && sha256sum -c ../released.sha256` checks the same thing by hand). To change
//! the schema, add a new step and pin it: `cd migration/src && sha256sum mNEW.rs >> ../released.sha256`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

fn pinned() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("released.sha256"))
        .expect("migration/released.sha256")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (hash, file) = line.split_once("  ").expect("`<sha256>  <file>` per line");
            (file.to_owned(), hash.to_owned())
        })
        .collect()
}

fn steps() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    std::fs::read_dir(&src)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with('m') && name.ends_with(".rs"))
        .map(|name| {
            let text = std::fs::read(src.join(&name)).unwrap();
            let hash = Sha256::digest(&text)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>();
            (name, hash)
        })
        .collect()
}

#[test]
fn no_released_step_has_changed_and_every_step_is_pinned() {
    let pinned = pinned();
    let steps = steps();
    assert!(steps.len() >= 13, "the steps are read from migration/src");
    for (file, hash) in &pinned {
        let now = steps
            .get(file)
            .unwrap_or_else(|| panic!("released step {file} was removed; released steps stay"));
        assert_eq!(
            now, hash,
            "released step {file} changed; undo the change and add a new step instead (DEVELOPERS.md, Migrations)"
        );
    }
    for file in steps.keys() {
        assert!(
            pinned.contains_key(file),
            "step {file} is not pinned: when it lands, run `cd migration/src && sha256sum {file} >> ../released.sha256`"
        );
    }
}
