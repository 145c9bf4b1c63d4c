//! Importing and exporting the organisation as a centre keeps it, in spreadsheets: the sample
//! list of the repository (docs/samples) as `.xlsx` and as `.csv`, a dry run first, every bad
//! row named, all or nothing; and the export read back by the import.

use crate::support::{TestApp, code};
use base64::Engine as _;
use lianban_entity::outbox;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const IMPORT: &str = "mutation($i: ImportOrganisationInput!) { importOrganisation(input: $i) { dryRun written problems { sheet row column message } departmentsCreated departmentsUpdated staffCreated staffUpdated postsCreated postsUpdated } }";

fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/samples")
        .join(name);
    std::fs::read(path).unwrap()
}

fn text(name: &str) -> String {
    String::from_utf8(sample(name)).unwrap()
}

async fn download(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(format!("http://{}{path}", app.addr))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn people(app: &TestApp) -> u64 {
    lianban_entity::staff::Entity::find()
        .count(app.engine.db())
        .await
        .unwrap()
}

fn report(answer: &Value) -> Value {
    answer["importOrganisation"].clone()
}

on_both_databases! {
    async fn the_sample_workbook_is_checked_then_imported_whole(app: TestApp) {
        let admin = app.login("admin").await;
        let workbook = base64::engine::general_purpose::STANDARD.encode(sample("organisation.xlsx"));
        let before = people(&app).await;
        let dry = report(&app.ok(Some(&admin), IMPORT, json!({ "i": { "format": "XLSX", "workbook": workbook } })).await);
        assert_eq!((dry["dryRun"].as_bool(), dry["written"].as_bool()), (Some(true), Some(false)));
        assert_eq!(dry["problems"], json!([]));
        assert_eq!((dry["departmentsCreated"].as_i64(), dry["departmentsUpdated"].as_i64()), (Some(0), Some(6)), "the demo's codes");
        assert_eq!((dry["staffCreated"].as_i64(), dry["postsUpdated"].as_i64()), (Some(19), Some(5)));
        assert_eq!(people(&app).await, before, "a dry run writes nothing");
        let done = report(&app.ok(Some(&admin), IMPORT, json!({ "i": { "format": "XLSX", "workbook": workbook, "dryRun": false } })).await);
        assert_eq!(done["written"], true, "{done}");
        assert_eq!(people(&app).await, before + 19);
        // The posts have the list's holders, in its order.
        let posts = app.ok(Some(&admin), "{ posts { department { code } aHolder { username } bHolders { username } } }", json!({})).await;
        let fire = posts["posts"].as_array().unwrap().iter().find(|p| p["department"]["code"] == "XFJY").unwrap().clone();
        assert_eq!(fire["aHolder"]["username"], "xfjy.shen1");
        assert_eq!(fire["bHolders"], json!([{ "username": "xfjy.shen2" }, { "username": "xfjy.fuze" }]));
        // Each new person was sent a link to set their password.
        let links = outbox::Entity::find()
            .filter(outbox::Column::Template.eq("password_link"))
            .count(app.engine.db())
            .await
            .unwrap();
        assert_eq!(links, 19);
        // Imported again, nothing is new.
        let again = report(&app.ok(Some(&admin), IMPORT, json!({ "i": { "format": "XLSX", "workbook": workbook, "dryRun": false } })).await);
        assert_eq!((again["staffCreated"].as_i64(), again["staffUpdated"].as_i64()), (Some(0), Some(19)));
    }

    async fn every_bad_row_is_named_and_nothing_is_written(app: TestApp) {
        let admin = app.login("admin").await;
        let departments = "部门代码,部门名称,工作职责\nZRZY,自然资源局,\nZRZY,重复的代码,\n,没有代码,\n";
        let staff = "用户名,姓名,邮箱,部门代码,角色,岗位,AB岗,统一身份认证标识\nzrzy.a,甲,zrzy.a@x.cn,ZRZY,审核,审批岗,A,\nzrzy.b,乙,not-mail,ZRZY,审核,审批岗,B1,\nzrzy.c,丙,zrzy.c@x.cn,NOWHERE,审核,,,\nzrzy.d,丁,zrzy.d@x.cn,ZRZY,厨师,,,\nzrzy.e,戊,zrzy.e@x.cn,ZRZY,审核,审批岗,A,\n";
        let before = people(&app).await;
        let answer = report(&app.ok(Some(&admin), IMPORT, json!({ "i": { "format": "CSV", "departmentsCsv": departments, "staffCsv": staff, "dryRun": false } })).await);
        assert_eq!(answer["written"], false);
        let problems: Vec<(String, i64, String)> = answer["problems"].as_array().unwrap().iter()
            .map(|p| (p["sheet"].as_str().unwrap().to_owned(), p["row"].as_i64().unwrap(), p["column"].as_str().unwrap().to_owned()))
            .collect();
        for expected in [("部门", 3, "部门代码"), ("部门", 4, "部门代码"), ("人员", 3, "邮箱"), ("人员", 4, "部门代码"), ("人员", 5, "角色"), ("人员", 6, "AB岗")] {
            assert!(problems.contains(&(expected.0.to_owned(), expected.1, expected.2.to_owned())), "{expected:?} in {problems:?}");
        }
        assert_eq!(people(&app).await, before, "all or nothing");
        let departments = app.ok(Some(&admin), "{ allDepartments { code } }", json!({})).await;
        assert!(!departments["allDepartments"].as_array().unwrap().iter().any(|d| d["code"] == "ZRZY"));
        // A file that is no workbook is a problem of its own, not a fault.
        let junk = base64::engine::general_purpose::STANDARD.encode(b"PK not really");
        let answer = report(&app.ok(Some(&admin), IMPORT, json!({ "i": { "format": "XLSX", "workbook": junk } })).await);
        assert_eq!(answer["problems"][0]["row"], 1, "{answer}");
        let window = app.login("scjg.window").await;
        let denied = app.post(Some(&window), IMPORT, json!({ "i": { "format": "CSV", "staffCsv": staff } })).await;
        assert_eq!(code(&denied["errors"][0]), "FORBIDDEN");
    }

    async fn an_import_cannot_leave_a_department_without_anyone_able_to_act(app: TestApp) {
        let admin = app.login("admin").await;
        // Every reviewer of 消防救援大队 made a leader: matters still send it tasks.
        let staff = "用户名,姓名,邮箱,部门代码,角色,岗位,AB岗,统一身份认证标识\nxfjy.a,刘消防,xfjy.a@lianban.example,XFJY,中心领导,,,\nxfjy.b,杨消防,xfjy.b@lianban.example,XFJY,中心领导,,,\nxfjy.head,黄大队长,xfjy.head@lianban.example,XFJY,中心领导,,,\n";
        let answer = app.post(Some(&admin), IMPORT, json!({ "i": { "format": "CSV", "staffCsv": staff, "dryRun": false } })).await;
        assert_eq!(code(&answer["errors"][0]), "INVALID_STATE", "{answer}");
        assert!(answer["errors"][0]["message"].as_str().unwrap().contains("消防救援大队"));
        let roles = app.ok(Some(&admin), "{ staffMembers { username roles } }", json!({})).await;
        let a = roles["staffMembers"].as_array().unwrap().iter().find(|s| s["username"] == "xfjy.a").unwrap().clone();
        assert_eq!(a["roles"], json!(["REVIEWER"]), "nothing was written");
    }

    async fn the_export_reads_back_as_the_same_organisation(app: TestApp) {
        let admin = app.login("admin").await;
        // 杨消防 holds a second post: the export gives him a row per post.
        let ids = app.ok(Some(&admin), "{ allDepartments { id code } staffMembers { id username } }", json!({})).await;
        let fire = ids["allDepartments"].as_array().unwrap().iter().find(|d| d["code"] == "XFJY").unwrap()["id"].clone();
        let b = ids["staffMembers"].as_array().unwrap().iter().find(|s| s["username"] == "xfjy.b").unwrap()["id"].clone();
        app.ok(Some(&admin), "mutation($d: ID!, $a: ID!) { savePost(input: { departmentId: $d, name: \"值班岗\", aHolderId: $a }) { id } }", json!({ "d": fire, "a": b })).await;
        let workbook = download(&app, &admin, "/admin/organisation.xlsx").await;
        assert_eq!(workbook.status(), 200);
        assert!(workbook.headers()["content-disposition"].to_str().unwrap().contains("organisation.xlsx"));
        let bytes = workbook.bytes().await.unwrap();
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let dry = report(&app.ok(Some(&admin), IMPORT, json!({ "i": { "format": "XLSX", "workbook": encoded } })).await);
        assert_eq!(dry["problems"], json!([]), "{dry}");
        assert_eq!((dry["departmentsCreated"].as_i64(), dry["staffCreated"].as_i64()), (Some(0), Some(0)));
        assert_eq!(dry["staffUpdated"], 19, "the demo's people, each once");
        assert_eq!(dry["postsUpdated"], 6, "five 审批岗 and the 值班岗");
        let staff = download(&app, &admin, "/admin/staff.csv").await.text().await.unwrap();
        assert!(staff.starts_with('\u{feff}'));
        assert!(staff.contains("xfjy.a,刘消防,xfjy.a@lianban.example,XFJY,审核,审批岗,A,"), "{staff}");
        assert!(staff.contains("xfjy.b,杨消防,xfjy.b@lianban.example,XFJY,审核,审批岗,B1,"));
        let departments = download(&app, &admin, "/admin/departments.csv").await.text().await.unwrap();
        let dry = report(&app.ok(Some(&admin), IMPORT, json!({ "i": { "format": "CSV", "departmentsCsv": departments, "staffCsv": staff } })).await);
        assert_eq!(dry["problems"], json!([]), "{dry}");
        let window = app.login("scjg.window").await;
        assert_eq!(download(&app, &window, "/admin/staff.csv").await.status(), 403);
        // The sample CSV files hold what the sample workbook holds (both are in README).
        let csv = report(&app.ok(Some(&admin), IMPORT, json!({ "i": { "format": "CSV", "departmentsCsv": text("departments.csv"), "staffCsv": text("staff.csv") } })).await);
        assert_eq!((csv["problems"].clone(), csv["staffCreated"].as_i64()), (json!([]), Some(19)));
    }
}
