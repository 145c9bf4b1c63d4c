//! The organisation, kept as a centre admin and a department head would: departments with
//! their duties, staff and their roles, posts and their A/B holders; stale edits, and changes
//! that would leave a post or a department without anyone; deactivation, which signs a person
//! out for good and hands their tasks to the post's next holder.

use crate::support::{TestApp, code, flows};
use lianban_engine::demo::DEMO_PASSWORD;
use serde_json::{Value, json};

const SAVE_DEPARTMENT: &str = "mutation($i: DepartmentInput!) { saveDepartment(input: $i) { id code name duties active version } }";
const SAVE_STAFF: &str = "mutation($i: StaffInput!) { saveStaff(input: $i) { staff { id username version active roles department { code } } temporaryPassword linkExpiresAt } }";
const SAVE_POST: &str = "mutation($i: PostInput!) { savePost(input: $i) { id name version matters aHolder { username } bHolders { username } } }";
const DEACTIVATE: &str = "mutation($id: ID!, $v: Int!) { deactivateStaff(id: $id, expectedVersion: $v) { active version } }";
const STAFF: &str =
    "{ staffMembers(includeInactive: true) { id username version active department { id code } } }";
const POSTS: &str = "query($d: ID) { posts(departmentId: $d) { id name version department { id code } aHolder { id username } bHolders { id username } } }";

async fn person(app: &TestApp, admin: &str, username: &str) -> Value {
    let all = app.ok(Some(admin), STAFF, json!({})).await;
    all["staffMembers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == username)
        .cloned()
        .unwrap_or_else(|| panic!("no {username}"))
}

async fn post_of(app: &TestApp, admin: &str, department: &str) -> Value {
    let all = app.ok(Some(admin), POSTS, json!({ "d": null })).await;
    all["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["department"]["code"] == department)
        .cloned()
        .unwrap()
}

fn error(answer: &Value) -> (String, String) {
    (
        code(&answer["errors"][0]).to_owned(),
        answer["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
    )
}

on_both_databases! {
    async fn a_centre_admin_keeps_departments_with_their_duties(app: TestApp) {
        let admin = app.login("admin").await;
        let made = app.ok(Some(&admin), SAVE_DEPARTMENT, json!({ "i": { "code": "zrzy", "name": "自然资源局", "duties": "负责土地、矿产等自然资源管理。" } })).await;
        let d = &made["saveDepartment"];
        assert_eq!((d["code"].as_str(), d["version"].as_i64(), d["active"].as_bool()), (Some("ZRZY"), Some(0), Some(true)));
        let renamed = app.ok(Some(&admin), SAVE_DEPARTMENT, json!({ "i": { "id": d["id"], "expectedVersion": 0, "code": "ZRZY", "name": "自然资源和规划局", "duties": "负责自然资源和国土空间规划。" } })).await;
        assert_eq!(renamed["saveDepartment"]["version"], 1);
        let stale = app.post(Some(&admin), SAVE_DEPARTMENT, json!({ "i": { "id": d["id"], "expectedVersion": 0, "code": "ZRZY", "name": "旧名", "duties": "" } })).await;
        assert_eq!(error(&stale).0, "CONFLICT", "{stale}");
        let taken = app.post(Some(&admin), SAVE_DEPARTMENT, json!({ "i": { "code": "SCJG", "name": "重复", "duties": "" } })).await;
        assert_eq!(error(&taken).0, "CONFLICT");
        let window = app.login("scjg.window").await;
        let denied = app.post(Some(&window), SAVE_DEPARTMENT, json!({ "i": { "code": "X", "name": "X" } })).await;
        assert_eq!(error(&denied).0, "FORBIDDEN");
        // The public duties, and the history of the rename.
        let listed = app.ok(Some(&window), "{ departments { code name duties } }", json!({})).await;
        let zrzy = listed["departments"].as_array().unwrap().iter().find(|x| x["code"] == "ZRZY").unwrap().clone();
        assert_eq!(zrzy["name"], "自然资源和规划局");
        // A department with work is not deactivated; an empty one is, and keeps its name.
        let fire = app.ok(Some(&admin), "{ allDepartments { id code version } }", json!({})).await["allDepartments"]
            .as_array().unwrap().iter().find(|x| x["code"] == "XFJY").unwrap().clone();
        let busy = app.post(Some(&admin), "mutation($id: ID!, $v: Int!) { deactivateDepartment(id: $id, expectedVersion: $v) { active } }", json!({ "id": fire["id"], "v": fire["version"] })).await;
        let (c, message) = error(&busy);
        assert_eq!(c, "INVALID_STATE");
        assert!(message.contains("餐饮店开业") && message.contains("刘消防"), "{message}");
        let off = app.ok(Some(&admin), "mutation($id: ID!, $v: Int!) { deactivateDepartment(id: $id, expectedVersion: $v) { active name } }", json!({ "id": d["id"], "v": 1 })).await;
        assert_eq!(off["deactivateDepartment"]["active"], false);
        let after = app.ok(Some(&admin), "{ allDepartments(includeInactive: true) { code name active } }", json!({})).await;
        assert!(after["allDepartments"].as_array().unwrap().iter().any(|x| x["code"] == "ZRZY" && x["active"] == false && x["name"] == "自然资源和规划局"));
    }

    async fn staff_are_created_moved_and_given_roles(app: TestApp) {
        let admin = app.login("admin").await;
        let departments = app.ok(Some(&admin), "{ allDepartments { id code } }", json!({})).await;
        let id_of = |code: &str| departments["allDepartments"].as_array().unwrap().iter().find(|d| d["code"] == code).unwrap()["id"].clone();
        let created = app.ok(Some(&admin), SAVE_STAFF, json!({ "i": {
            "username": "sthj.c", "name": "沈环评", "email": "sthj.c@lianban.example", "departmentId": id_of("STHJ"),
            "roles": ["REVIEWER"], "firstPassword": "TEMPORARY",
        } })).await;
        let saved = &created["saveStaff"];
        let temporary = saved["temporaryPassword"].as_str().unwrap();
        let signed = app.post(None, "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { mustChangePassword } }", json!({ "u": "sthj.c", "p": temporary })).await;
        assert_eq!(signed["data"]["login"]["mustChangePassword"], true, "{signed}");
        let twice = app.post(Some(&admin), SAVE_STAFF, json!({ "i": {
            "username": "sthj.c", "name": "重名", "email": "x@lianban.example", "departmentId": id_of("STHJ"), "roles": ["REVIEWER"],
        } })).await;
        assert_eq!(error(&twice).0, "CONFLICT");
        let bad = app.post(Some(&admin), SAVE_STAFF, json!({ "i": {
            "username": "有 空格", "name": "x", "email": "not-mail", "departmentId": id_of("STHJ"), "roles": ["REVIEWER"],
        } })).await;
        assert_eq!(error(&bad).0, "INVALID_INPUT");
        // Moved to another department with a role granted.
        let moved = app.ok(Some(&admin), SAVE_STAFF, json!({ "i": {
            "id": saved["staff"]["id"], "expectedVersion": saved["staff"]["version"], "username": "sthj.c", "name": "沈环评",
            "email": "sthj.c@lianban.example", "departmentId": id_of("WSJK"), "roles": ["REVIEWER", "WINDOW"],
        } })).await;
        assert_eq!(moved["saveStaff"]["staff"]["department"]["code"], "WSJK");
        assert_eq!(moved["saveStaff"]["staff"]["roles"], json!(["WINDOW", "REVIEWER"]));
        // A post holder is not moved until taken off the post.
        let holder = person(&app, &admin, "xfjy.b").await;
        let refused = app.post(Some(&admin), SAVE_STAFF, json!({ "i": {
            "id": holder["id"], "expectedVersion": holder["version"], "username": "xfjy.b", "name": "杨消防",
            "email": "xfjy.b@lianban.example", "departmentId": id_of("CSGL"), "roles": ["REVIEWER"],
        } })).await;
        let (c, message) = error(&refused);
        assert_eq!(c, "INVALID_STATE");
        assert!(message.contains("审批岗"), "{message}");
        // The last centre admin keeps the role.
        let me = person(&app, &admin, "admin").await;
        let alone = app.post(Some(&admin), SAVE_STAFF, json!({ "i": {
            "id": me["id"], "expectedVersion": me["version"], "username": "admin", "name": "周管理",
            "email": "admin@lianban.example", "departmentId": me["department"]["id"], "roles": ["LEADER"],
        } })).await;
        assert_eq!(error(&alone).0, "INVALID_STATE", "{alone}");
    }

    async fn a_department_head_keeps_the_ab_arrangement_of_their_own_posts(app: TestApp) {
        let admin = app.login("admin").await;
        let post = post_of(&app, &admin, "XFJY").await;
        let (a, b) = (post["aHolder"]["id"].clone(), post["bHolders"][0]["id"].clone());
        let head = app.login("xfjy.head").await;
        let own = app.ok(Some(&head), POSTS, json!({ "d": post["department"]["id"] })).await;
        assert_eq!(own["posts"].as_array().unwrap().len(), 1);
        let head_id = person(&app, &admin, "xfjy.head").await["id"].clone();
        let swapped = app.ok(Some(&head), SAVE_POST, json!({ "i": {
            "id": post["id"], "expectedVersion": post["version"], "departmentId": post["department"]["id"], "name": "审批岗",
            "aHolderId": b, "bHolderIds": [a, head_id],
        } })).await;
        let saved = &swapped["savePost"];
        assert_eq!(saved["aHolder"]["username"], "xfjy.b");
        assert_eq!(saved["bHolders"], json!([{ "username": "xfjy.a" }, { "username": "xfjy.head" }]));
        assert_eq!(saved["matters"], json!(["餐饮店开业（一件事）"]));
        let stale = app.post(Some(&head), SAVE_POST, json!({ "i": {
            "id": post["id"], "expectedVersion": post["version"], "departmentId": post["department"]["id"], "name": "审批岗", "aHolderId": a,
        } })).await;
        assert_eq!(error(&stale).0, "CONFLICT");
        let elsewhere = post_of(&app, &admin, "STHJ").await;
        let denied = app.post(Some(&head), SAVE_POST, json!({ "i": {
            "id": elsewhere["id"], "expectedVersion": elsewhere["version"], "departmentId": elsewhere["department"]["id"], "name": "审批岗",
            "aHolderId": elsewhere["aHolder"]["id"],
        } })).await;
        assert_eq!(error(&denied).0, "FORBIDDEN");
        // A holder must be able to work the post's tasks.
        let observer = app.ok(Some(&admin), SAVE_STAFF, json!({ "i": {
            "username": "xfjy.observer", "name": "观察员", "email": "xfjy.observer@lianban.example",
            "departmentId": post["department"]["id"], "roles": ["LEADER"],
        } })).await["saveStaff"]["staff"]["id"].clone();
        let idle = app.post(Some(&head), SAVE_POST, json!({ "i": {
            "id": post["id"], "expectedVersion": saved["version"], "departmentId": post["department"]["id"], "name": "审批岗",
            "aHolderId": b, "bHolderIds": [observer],
        } })).await;
        let (c, message) = error(&idle);
        assert_eq!(c, "INVALID_STATE");
        assert!(message.contains("观察员") && message.contains("REVIEWER"), "{message}");
        let outsider = person(&app, &admin, "sthj.a").await["id"].clone();
        let foreign = app.post(Some(&head), SAVE_POST, json!({ "i": {
            "id": post["id"], "expectedVersion": saved["version"], "departmentId": post["department"]["id"], "name": "审批岗",
            "aHolderId": b, "bHolderIds": [outsider],
        } })).await;
        let (c, message) = error(&foreign);
        assert_eq!(c, "INVALID_STATE");
        assert!(message.contains("吴环评"), "{message}");
    }

    async fn a_deactivated_person_is_signed_out_for_good_and_their_tasks_move(app: TestApp) {
        let (_, _, _, tasks) = flows::joint_case_in_review(&app).await;
        let fire = tasks.iter().find(|t| t.department == "消防救援大队").unwrap();
        assert_eq!(fire.assignee, "xfjy.a");
        let token = app.login("xfjy.a").await;
        let admin = app.login("admin").await;
        let a = person(&app, &admin, "xfjy.a").await;
        let stale = app.post(Some(&admin), DEACTIVATE, json!({ "id": a["id"], "v": 99 })).await;
        assert_eq!(error(&stale).0, "CONFLICT");
        let off = app.ok(Some(&admin), DEACTIVATE, json!({ "id": a["id"], "v": a["version"] })).await;
        assert_eq!(off["deactivateStaff"]["active"], false);
        let answer = app.post(Some(&token), "{ me { username } }", json!({})).await;
        assert_eq!(error(&answer).0, "UNAUTHENTICATED");
        let again = app.post(None, "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }", json!({ "u": "xfjy.a", "p": DEMO_PASSWORD })).await;
        assert_eq!(error(&again).0, "UNAUTHENTICATED");
        let b = app.login("xfjy.b").await;
        let queue = app.ok(Some(&b), "{ myTasks { nodes { id actingFor { username } } } }", json!({})).await;
        let moved = queue["myTasks"]["nodes"].as_array().unwrap().iter().find(|t| t["id"] == fire.id.as_str()).cloned();
        assert_eq!(moved.unwrap()["actingFor"]["username"], "xfjy.a", "the B holder has it at once");
        // The post's last active holder is not deactivated while a matter sends it tasks.
        let last = person(&app, &admin, "xfjy.b").await;
        let alone = app.post(Some(&admin), DEACTIVATE, json!({ "id": last["id"], "v": last["version"] })).await;
        let (c, message) = error(&alone);
        assert_eq!(c, "INVALID_STATE");
        assert!(message.contains("审批岗") && message.contains("消防救援大队") && message.contains("餐饮店开业"), "{message}");
        // Reactivated, the task comes back.
        let a = person(&app, &admin, "xfjy.a").await;
        app.ok(Some(&admin), "mutation($id: ID!, $v: Int!) { reactivateStaff(id: $id, expectedVersion: $v) { active } }", json!({ "id": a["id"], "v": a["version"] })).await;
        let token = app.login("xfjy.a").await;
        let queue = app.ok(Some(&token), "{ myTasks { nodes { id } } }", json!({})).await;
        assert!(queue["myTasks"]["nodes"].as_array().unwrap().iter().any(|t| t["id"] == fire.id.as_str()));
    }
}
