//! 办事指南 — each matter's guide read without signing in; a new version published by the
//! centre admin changes the matter for cases received afterwards and leaves a case accepted
//! under the old version as it was, its supplement notice quoting the old names; shortening the
//! promise or making a matter immediate credits the lead department.

use crate::support::{code, flows};
use serde_json::{Value, json};

const GUIDE: &str = "query($m: String!, $v: Int) { serviceGuide(matterCode: $m, version: $v) { version kind limitUnit legalLimit promisedLimit promiseFasterPercent promiseAtLeastHalfFaster urgentReviewLimit materials { number name sample } legalBasis fee feeText feeBasis specialProcedures leadDepartment { code } coHandlers { department { code } reviewLimit } window { name location } changeNote } }";
const PUBLISH: &str = "mutation($input: PublishServiceGuideInput!) { publishServiceGuide(input: $input) { version kind limitUnit promisedLimit promiseFasterPercent materials { number name } feeText } }";
const CHECKLIST: &str = "query($id: ID!) { case(id: $id) { guideVersion serviceGuide { version } supplementChecklist { number name sample askedBy } } }";
const SUPPLEMENT: &str = "mutation($c: ID!, $items: [Int!]!) { issueSupplementNotice(input: { caseId: $c, guideItems: $items }) { status notices { kind body } } }";

/// Version 2 of the joint matter's guide: a material renamed, the promise cut from 10 to 8
/// working days, a fee with its basis.
fn version_two() -> Value {
    json!({ "input": {
        "matterCode": "JOINT-001",
        "promisedLimit": 8,
        "urgentReviewLimit": 2,
        "materials": [
            { "name": "营业执照" },
            { "name": "经营场所产权证明或租赁合同", "sample": "https://zwfw.example.gov.cn/samples/lease.docx" },
            { "name": "消防安全检查申请表" },
            { "name": "环境影响登记表" },
            { "name": "从业人员健康证明" }
        ],
        "legalBasis": "《中华人民共和国消防法》第十五条；《中华人民共和国食品安全法》第三十五条",
        "fee": "工本费10元",
        "feeBasis": "《行政事业性收费标准》",
        "specialProcedures": ["SITE_SURVEY"],
        "changeNote": "经营场所证明改为产权证明或租赁合同；承诺时限压缩至8个工作日",
        "idempotencyKey": "guide-v2"
    }})
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .collect()
}

on_both_databases! {
    async fn a_guide_change_does_not_alter_a_case_accepted_under_the_old_version(app: TestApp) {
        // The public reads version 1 without signing in.
        let v1 = app.ok(None, GUIDE, json!({ "m": "JOINT-001" })).await["serviceGuide"].clone();
        assert_eq!(v1["version"], 1);
        assert_eq!((v1["legalLimit"].clone(), v1["promisedLimit"].clone(), v1["promiseFasterPercent"].clone()), (json!(20), json!(10), json!(50)));
        assert_eq!(v1["promiseAtLeastHalfFaster"], true);
        assert_eq!(v1["feeText"], "不收费");
        assert!(v1["fee"].is_null());
        assert_eq!(names(&v1["materials"])[1], "经营场所证明");
        assert_eq!(v1["materials"][2]["sample"], "https://zwfw.example.gov.cn/samples/消防安全检查申请表.docx");
        assert_eq!(v1["specialProcedures"], json!(["SITE_SURVEY", "EXPERT_REVIEW"]));
        assert_eq!(v1["leadDepartment"]["code"], "SCJG");
        let co: Vec<&str> = v1["coHandlers"].as_array().unwrap().iter().map(|c| c["department"]["code"].as_str().unwrap()).collect();
        assert_eq!(co, vec!["XFJY", "STHJ", "WSJK"]);
        assert_eq!(v1["window"]["name"], "1号窗口（市场监管综合受理）");
        assert!(v1["legalBasis"].as_str().unwrap().contains("消防法"));

        // A case accepted under version 1.
        let (window, old_case, _, _) = flows::joint_case_in_review(&app).await;
        let old_due = flows::case(&app, &window, &old_case, "dueAt").await["dueAt"].clone();
        assert_eq!(old_due, "2026-12-07T10:00:00+00:00", "10 working days from Monday 23 Nov");

        // Bad versions are refused and nothing is written.
        let admin = app.login("admin").await;
        let mut bad = version_two();
        bad["input"]["promisedLimit"] = json!(25);
        assert_eq!(code(&app.fails(Some(&admin), PUBLISH, bad).await), "INVALID_INPUT", "a promise above the legal limit");
        let mut bad = version_two();
        bad["input"]["materials"][1]["name"] = json!("营业执照");
        assert_eq!(code(&app.fails(Some(&admin), PUBLISH, bad).await), "INVALID_INPUT", "a material twice");
        let mut bad = version_two();
        bad["input"]["feeBasis"] = Value::Null;
        assert_eq!(code(&app.fails(Some(&admin), PUBLISH, bad).await), "INVALID_INPUT", "a fee without its basis");
        let mut bad = version_two();
        bad["input"]["kind"] = json!("IMMEDIATE");
        assert_eq!(code(&app.fails(Some(&admin), PUBLISH, bad).await), "INVALID_INPUT", "a joint matter cannot become immediate");
        assert_eq!(code(&app.fails(Some(&window), PUBLISH, version_two()).await), "FORBIDDEN");
        let versions = app.ok(None, "{ serviceGuideVersions(matterCode: \"JOINT-001\") { version } }", json!({})).await;
        assert_eq!(versions["serviceGuideVersions"], json!([{ "version": 1 }]), "nothing was written");

        // Version 2; the same key again publishes nothing more.
        let v2 = app.ok(Some(&admin), PUBLISH, version_two()).await["publishServiceGuide"].clone();
        assert_eq!((v2["version"].clone(), v2["promisedLimit"].clone(), v2["promiseFasterPercent"].clone()), (json!(2), json!(8), json!(60)));
        assert_eq!(v2["feeText"], "工本费10元");
        let again = app.ok(Some(&admin), PUBLISH, version_two()).await;
        assert_eq!(again["publishServiceGuide"]["version"], 2);
        let versions = app.ok(None, "{ serviceGuideVersions(matterCode: \"JOINT-001\") { version changeNote } }", json!({})).await;
        let listed: Vec<i64> = versions["serviceGuideVersions"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
        assert_eq!(listed, vec![2, 1]);
        let old_v1 = app.ok(None, GUIDE, json!({ "m": "JOINT-001", "v": 1 })).await["serviceGuide"].clone();
        assert_eq!(old_v1, v1, "a published version never changes");

        // The old case keeps its version, deadline and material names.
        let old = app.ok(Some(&window), CHECKLIST, json!({ "id": old_case })).await["case"].clone();
        assert_eq!((old["guideVersion"].clone(), old["serviceGuide"]["version"].clone()), (json!(1), json!(1)));
        assert_eq!(names(&old["supplementChecklist"])[1], "经营场所证明");
        assert_eq!(flows::case(&app, &window, &old_case, "dueAt").await["dueAt"], old_due);

        // A case received now is under version 2, with the shorter promise.
        let (new_case, _) = flows::open_case(&app, &window, "JOINT-001").await;
        flows::accept(&app, &window, &new_case).await;
        let new = app.ok(Some(&window), CHECKLIST, json!({ "id": new_case })).await["case"].clone();
        assert_eq!(new["guideVersion"], 2);
        assert_eq!(names(&new["supplementChecklist"])[1], "经营场所产权证明或租赁合同");
        assert_eq!(new["supplementChecklist"][1]["sample"], "https://zwfw.example.gov.cn/samples/lease.docx");
        assert_eq!(flows::case(&app, &window, &new_case, "dueAt").await["dueAt"], "2026-12-03T10:00:00+00:00", "8 working days");

        // A department asks for the premises proof on the old case: the checklist says who.
        let fire = app.login("xfjy.a").await;
        let tasks = flows::case(&app, &window, &old_case, "tasks { id department { code } }").await;
        let fire_task = tasks["tasks"].as_array().unwrap().iter().find(|t| t["department"]["code"] == "XFJY").unwrap()["id"].clone();
        app.ok(Some(&fire), "mutation($t: ID!) { submitOpinion(input: { taskId: $t, kind: NEEDS_SUPPLEMENT, missingItems: [\"经营场所证明\"] }) { id } }", json!({ "t": fire_task })).await;
        let old = app.ok(Some(&window), CHECKLIST, json!({ "id": old_case })).await["case"].clone();
        assert_eq!(old["supplementChecklist"][1]["askedBy"], json!(["消防救援大队"]));

        // Each supplement notice quotes the names of its own case's version.
        let refused = app.fails(Some(&window), SUPPLEMENT, json!({ "c": old_case, "items": [9] })).await;
        assert_eq!(code(&refused), "INVALID_INPUT", "the guide has no ninth material");
        let notice = |data: &Value| data["issueSupplementNotice"]["notices"].as_array().unwrap().iter().find(|n| n["kind"] == "SUPPLEMENT").unwrap()["body"].as_str().unwrap().to_owned();
        let old_notice = notice(&app.ok(Some(&window), SUPPLEMENT, json!({ "c": old_case, "items": [2, 5] })).await);
        assert!(old_notice.contains("本事项办事指南（第1版）"), "{old_notice}");
        assert!(old_notice.contains("1. 经营场所证明（办事指南第1版所列第2项材料）（提出单位：受理窗口、消防救援大队）"), "{old_notice}");
        assert!(old_notice.contains("2. 从业人员健康证明（办事指南第1版所列第5项材料）（提出单位：受理窗口）"), "{old_notice}");
        assert!(!old_notice.contains("租赁合同"));
        let new_notice = notice(&app.ok(Some(&window), SUPPLEMENT, json!({ "c": new_case, "items": [2] })).await);
        assert!(new_notice.contains("1. 经营场所产权证明或租赁合同（办事指南第2版所列第2项材料，样表：https://zwfw.example.gov.cn/samples/lease.docx）（提出单位：受理窗口）"), "{new_notice}");

        // The shortened promise credits the lead department (SPEC §7: +5).
        let market = app.ok(Some(&admin), "{ departments { id code } }", json!({})).await["departments"].as_array().unwrap().iter().find(|d| d["code"] == "SCJG").unwrap()["id"].clone();
        let scores = app.ok(Some(&admin), "query($d: ID!) { scoreEntries(filter: {departmentId: $d}) { nodes { ruleCode points reason causeKind } } }", json!({ "d": market })).await;
        let credits: Vec<&Value> = scores["scoreEntries"]["nodes"].as_array().unwrap().iter().filter(|s| s["ruleCode"] == "LIMIT_SHORTENED").collect();
        assert_eq!(credits.len(), 1, "{scores}");
        assert_eq!(credits[0]["points"], 5);
        assert_eq!(credits[0]["causeKind"], "SERVICE_GUIDE_PUBLISHED");
        assert!(credits[0]["reason"].as_str().unwrap().contains("承诺时限由10压缩为8"), "{}", credits[0]["reason"]);

        // Lengthening the promise and shortening it back earns nothing more.
        for (days, key) in [(12, "guide-v3"), (8, "guide-v4")] {
            let mut next = version_two();
            next["input"]["promisedLimit"] = json!(days);
            next["input"]["idempotencyKey"] = json!(key);
            app.ok(Some(&admin), PUBLISH, next).await;
        }
        let scores = app.ok(Some(&admin), "query($d: ID!) { scoreEntries(filter: {departmentId: $d}) { nodes { ruleCode } } }", json!({ "d": market })).await;
        let credits = scores["scoreEntries"]["nodes"].as_array().unwrap().iter().filter(|s| s["ruleCode"] == "LIMIT_SHORTENED").count();
        assert_eq!(credits, 1, "8 → 12 → 8 is not a new shortening");
    }

    async fn a_promised_matter_made_immediate_is_credited_and_counts_thirty_minutes(app: TestApp) {
        // Received under version 1 (promised, 10 working days), accepted after version 2.
        let window = app.login("scjg.window").await;
        let (received, _) = flows::open_case(&app, &window, "SCJG-PRM-001").await;
        let admin = app.login("admin").await;
        let made = app.ok(Some(&admin), PUBLISH, json!({ "input": {
            "matterCode": "SCJG-PRM-001", "kind": "IMMEDIATE",
            "materials": [{ "name": "食品经营许可申请书" }, { "name": "营业执照" }],
            "legalBasis": "《食品经营许可和备案管理办法》",
            "changeNote": "承诺件改为即办件"
        }})).await["publishServiceGuide"].clone();
        assert_eq!((made["version"].clone(), made["kind"].clone(), made["limitUnit"].clone(), made["promisedLimit"].clone()), (json!(2), json!("IMMEDIATE"), json!("WORKING_MINUTES"), json!(30)));
        let matter = app.ok(Some(&admin), "{ matters { code kind limitUnit promisedLimit guideVersion requiredMaterials } }", json!({})).await;
        let prm = matter["matters"].as_array().unwrap().iter().find(|m| m["code"] == "SCJG-PRM-001").unwrap().clone();
        assert_eq!((prm["kind"].clone(), prm["guideVersion"].clone()), (json!("IMMEDIATE"), json!(2)));
        assert_eq!(prm["requiredMaterials"], json!(["食品经营许可申请书", "营业执照"]));
        let scores = app.ok(Some(&admin), "{ scoreEntries { nodes { ruleCode points department { code } } } }", json!({})).await;
        let credit: Vec<&Value> = scores["scoreEntries"]["nodes"].as_array().unwrap().iter().filter(|s| s["ruleCode"] == "MATTER_MADE_IMMEDIATE").collect();
        assert_eq!(credit.len(), 1);
        assert_eq!((credit[0]["points"].clone(), credit[0]["department"]["code"].clone()), (json!(5), json!("SCJG")));
        let (_, tasks) = flows::accept(&app, &window, &received).await;
        let accepted = flows::case(&app, &window, &received, "kind guideVersion dueAt tasks { reviewLimit }").await;
        assert_eq!((accepted["kind"].clone(), accepted["guideVersion"].clone()), (json!("PROMISED"), json!(1)));
        assert_eq!(accepted["dueAt"], "2026-12-07T10:00:00+00:00", "accepted under version 1: 10 working days");
        assert_eq!((tasks.len(), accepted["tasks"][0]["reviewLimit"].clone()), (1, json!(10)));
        // A case opened now is an immediate one, due in 30 working minutes.
        let opened = app.ok(Some(&window), "mutation { openCase(input: { matterCode: \"SCJG-PRM-001\", acceptNow: true, applicant: { name: \"李四\", idNumber: \"110101199003071234\", phone: \"13900139000\" } }) { kind dueAt guideVersion } }", json!({})).await;
        assert_eq!(opened["openCase"]["kind"], "IMMEDIATE");
        assert_eq!(opened["openCase"]["dueAt"], "2026-11-23T01:30:00+00:00");
        assert_eq!(opened["openCase"]["guideVersion"], 2);
    }
}
