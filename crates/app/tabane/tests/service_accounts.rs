//! サービスアカウントとAPIトークン: another system reads 下田市's work orders with a token and
//! nothing of 河津町's; the token is refused after revocation or expiry, limited by its scopes,
//! needs no CSRF token, and every use is in the audit log in the account's name; bad tokens are
//! rate-limited like logins.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tabane_core::entities::{api_token, audit_entry};
use tabane_infra::entities::work_order;
use tabane_testkit::TestApp;

async fn order_of(app: &TestApp, org: &str) -> work_order::Model {
    let org = app.org_id(org).await;
    work_order::Entity::find().filter(work_order::Column::OwnerOrgId.eq(org)).one(&app.db).await.unwrap().unwrap()
}

/// A job of 河津町 in the 賀茂 council bundle, which 下田市 is not in (the demo gives 河津町 none).
async fn kawazu_order(app: &TestApp, like: &work_order::Model) -> i64 {
    use tabane_core::entities::bundle;
    let council = bundle::Entity::find()
        .filter(bundle::Column::Name.eq("賀茂地域 インフラ広域連携協議会"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut am: work_order::ActiveModel = like.clone().into();
    am.id = sea_orm::ActiveValue::NotSet;
    am.owner_org_id = Set(app.org_id("河津町").await);
    am.bundle_id = Set(council.id);
    am.contractor_org_id = Set(None);
    am.asset_id = Set(None);
    am.description = Set("河津町の作業".into());
    am.insert(&app.db).await.unwrap().id
}

fn ids(v: &Value) -> Vec<i64> {
    let items = v["items"].as_array().or(v.as_array()).cloned().unwrap_or_default();
    items.iter().filter_map(|o| o["id"].as_i64().or(o["order"]["id"].as_i64())).collect()
}

#[tokio::test]
async fn a_shimoda_token_reads_shimoda_work_orders_only_until_revoked_and_every_use_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.login("shimoda-admin").await;
    let (s, issued) = admin
        .send_json(
            "post",
            "/api/service-accounts",
            json!({"name": "道路GIS連携", "scopes": ["infra:read"], "expires_on": "2099-03-31"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{issued}");
    let token = issued["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("tbn_"));
    let gis = app.with_token(&token);

    let mine = order_of(&app, "下田市").await;
    let theirs = kawazu_order(&app, &mine).await;
    let (s, list) = gis.get_json("/api/infra/work-orders").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let listed = ids(&list);
    assert!(listed.contains(&mine.id), "下田市's work order is listed: {listed:?}");
    assert!(!listed.contains(&theirs), "河津町's is not");
    assert!(!list.to_string().contains("河津町の作業"));
    let (s, _) = gis.get_json(&format!("/api/infra/work-orders/{}", mine.id)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = gis.get_json(&format!("/api/infra/work-orders/{theirs}")).await;
    assert!(s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN, "河津町's work order: {s}");

    // The probe is meaningful: 河津町's own token lists that job.
    let (_, k) = app
        .login("kawazu-admin")
        .await
        .send_json("post", "/api/service-accounts", json!({"name": "河津町GIS", "scopes": ["infra:read"]}))
        .await;
    let (_, klist) = app.with_token(k["token"].as_str().unwrap()).get_json("/api/infra/work-orders").await;
    assert!(ids(&klist).contains(&theirs), "{klist}");

    // Every use is in the audit log, in the service account's name, seen by 下田市's admin.
    let (_, accounts) = admin.get_json("/api/service-accounts").await;
    let login = accounts[0]["login"].as_str().unwrap().to_string();
    assert!(accounts[0]["tokens"][0]["last_used_at"].is_string(), "last use is shown: {accounts}");
    assert!(accounts[0]["tokens"][0].get("token_hash").is_none(), "the hash is never answered");
    let uses = audit_entry::Entity::find()
        .filter(audit_entry::Column::Actor.eq(&login))
        .filter(audit_entry::Column::Action.eq("use"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(uses.len(), 3, "one entry per request");
    assert!(uses.iter().any(|u| u.after.as_deref().unwrap_or_default().contains("/api/infra/work-orders")));
    let (s, audit) = admin.get_json(&format!("/api/audit?actor={login}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(audit.to_string().contains("api_token"), "{audit}");

    // Revoked: refused at once, in JSON, with WWW-Authenticate.
    let token_id = issued["token_id"].as_i64().unwrap();
    let (s, v) = admin.send_json("delete", &format!("/api/service-accounts/tokens/{token_id}"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let r = gis.get("/api/infra/work-orders").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "unauthenticated");
}

#[tokio::test]
async fn scopes_limit_a_token_and_writes_need_no_csrf_token() {
    let app = TestApp::spawn().await;
    let admin = app.login("shimoda-admin").await;
    let (_, ro) =
        admin.send_json("post", "/api/service-accounts", json!({"name": "閲覧", "scopes": ["infra:read"]})).await;
    let ro = app.with_token(ro["token"].as_str().unwrap());
    // Another area: refused, naming the missing scope.
    let (s, v) = ro.get_json("/api/bundles").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v["message"].as_str().unwrap().contains("platform"), "{v}");
    // A write with a read scope: refused.
    let (s, _) = ro.send_json("post", "/api/infra/work-orders", json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (_, rw) = admin
        .send_json("post", "/api/service-accounts", json!({"name": "会議連携", "scopes": ["platform:write"]}))
        .await;
    let rw = app.with_token(rw["token"].as_str().unwrap());
    // No cookie, no X-CSRF-Token: the bearer token is the whole proof.
    let r = rw
        .client
        .post(rw.url("/api/meetings/series"))
        .json(&json!({"title": "連携で作った会議体"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    let created = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq("meeting_series"))
        .filter(audit_entry::Column::Action.eq("create"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(created.iter().any(|e| e.actor.starts_with("svc-")), "the write is attributed to the account");
    // A token is never an administrator: it cannot make more tokens or change roles.
    let (s, _) =
        rw.send_json("post", "/api/service-accounts", json!({"name": "増殖", "scopes": ["platform:write"]})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Pages are for people: a token there is not a login.
    let r = rw.get("/meetings").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn tokens_expire_cannot_log_in_and_bad_input_is_named() {
    let app = TestApp::spawn().await;
    let admin = app.login("shimoda-admin").await;
    let (s, v) = admin
        .send_json(
            "post",
            "/api/service-accounts",
            json!({"name": "", "scopes": ["talent:read", "infra:admin"], "expires_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["name", "scopes", "expires_on"], "{v}");
    assert!(v["message"].as_str().unwrap().contains("有効期限"), "{v}");
    let (_, accounts) = admin.get_json("/api/service-accounts").await;
    assert_eq!(accounts, json!([]), "nothing was written");
    // Staff may not manage service accounts.
    let staff = app.login("shimoda-staff").await;
    let (s, _) = staff.send_json("post", "/api/service-accounts", json!({"name": "x", "scopes": ["infra:read"]})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (_, issued) =
        admin.send_json("post", "/api/service-accounts", json!({"name": "期限つき", "scopes": ["infra:read"]})).await;
    let client = app.with_token(issued["token"].as_str().unwrap());
    assert_eq!(client.get("/api/infra/work-orders").await.status(), StatusCode::OK);
    let t = api_token::Entity::find_by_id(issued["token_id"].as_i64().unwrap()).one(&app.db).await.unwrap().unwrap();
    // Sessions of tokens are cached under the `auth` counter: a change through the services
    // raises it, so this edit behind their back raises it too. The token then ends while its
    // session is in the cache, and is refused from that moment.
    let mut am: api_token::ActiveModel = t.into();
    am.expires_at = Set(Some(chrono::Utc::now() + chrono::Duration::milliseconds(1500)));
    am.update(&app.db).await.unwrap();
    tabane_core::service::revisions::bump(&app.db, tabane_core::service::revisions::AUTH).await.unwrap();
    assert_eq!(client.get("/api/infra/work-orders").await.status(), StatusCode::OK, "not yet expired");
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    assert_eq!(client.get("/api/infra/work-orders").await.status(), StatusCode::UNAUTHORIZED, "expired");

    // The account cannot sign in with a password, and its role cannot be raised by hand.
    let (_, accounts) = admin.get_json("/api/service-accounts").await;
    let login = accounts[0]["login"].as_str().unwrap();
    let r = app
        .anon()
        .post(app.url("/api/session"))
        .json(&json!({"login": login, "password": "!service-account"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (_, users) = admin.get_json("/api/users").await;
    let uid = users.as_array().unwrap().iter().find(|u| u["login"] == login).unwrap()["id"].as_i64().unwrap();
    let (s, _) = admin.send_json("put", &format!("/api/users/{uid}/role"), json!({"role": "admin"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
}

#[tokio::test]
async fn guessing_tokens_is_rate_limited_like_logins() {
    let app = TestApp::spawn().await;
    let admin = app.login("shimoda-admin").await;
    let (_, issued) =
        admin.send_json("post", "/api/service-accounts", json!({"name": "正規", "scopes": ["infra:read"]})).await;
    let good = app.with_token(issued["token"].as_str().unwrap());
    let limit = tabane_core::service::accounts::MAX_FAILURES_PER_ADDRESS;
    for i in 0..limit {
        let guess = app.with_token(&format!("tbn_{i:064x}"));
        assert_eq!(guess.get("/api/me").await.status(), StatusCode::UNAUTHORIZED);
    }
    // Past the limit every token from this address is refused, the right one too.
    let r = good.get("/api/me").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "rate_limited", "{v}");
}

#[tokio::test]
async fn the_page_shows_the_token_once_and_lists_last_use() {
    let app = TestApp::spawn().await;
    let admin = app.login("shimoda-admin").await;
    let r = admin
        .post_form("/service-accounts", &[("name", "基幹系"), ("scope.infra", "read"), ("scope.platform", "")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    let start = html.find("value=\"tbn_").expect("the token is shown") + "value=\"".len();
    let token = &html[start..start + 68];
    let page = admin.get("/service-accounts").await.text().await.unwrap();
    assert!(!page.contains(token), "shown once only");
    assert!(page.contains(&token[..10]) && page.contains("未使用"), "listed by its start, never used");
    assert_eq!(app.with_token(token).get("/api/infra/work-orders").await.status(), StatusCode::OK);
    let page = admin.get("/service-accounts").await.text().await.unwrap();
    assert!(!page.contains("未使用"), "the last use is shown");
    // Bad input on the form: named, nothing created.
    let r = admin.post_form("/service-accounts", &[("name", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("名称") && html.contains("権限の範囲"), "both fields named");
}
