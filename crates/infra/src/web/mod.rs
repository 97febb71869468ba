//! Infra routes: HTML pages under /infra, JSON under /api/infra. Every route is declared with its
//! access class; the tenant ones have entries in the isolation matrix.

mod api;
mod asset_io_pages;
mod cached;
mod contract_pages;
mod forecast_pages;
mod inspection_pages;
mod mieruka_pages;
mod pages;
mod patrol_pages;
mod planning_input;
mod planning_pages;
mod tools_checks;
mod tools_current;
mod tools_pages;
mod report_pages;
mod views;

use axum::routing::{get, post, put};
use tabane_web::{Access, RouteDef};

macro_rules! r {
    ($m:ident, $path:literal, $access:ident, $summary:literal, $h:expr) => {
        RouteDef { method: stringify!($m), path: $path, access: Access::$access, summary: $summary, tag: "infra", handler: $m($h) }
    };
}

pub fn routes() -> Vec<RouteDef> {
    vec![
        r!(get, "/infra", Tenant, "群マネ（地図と作業の概要）", pages::home),
        r!(get, "/infra/assets", Tenant, "施設台帳", pages::assets_list),
        r!(post, "/infra/assets", Tenant, "施設の登録", pages::asset_create),
        r!(get, "/infra/assets/import", Tenant, "施設台帳の取り込み画面", asset_io_pages::form),
        r!(post, "/infra/assets/import", Tenant, "施設台帳の取り込み（CSV・Excel・GeoJSON、全行検査）", asset_io_pages::submit),
        r!(get, "/infra/assets/export", Tenant, "施設台帳の書き出し（CSV・Excel・GeoJSON）", asset_io_pages::export),
        r!(post, "/api/infra/assets/import", Tenant, "施設台帳の取り込み（本文にファイル、?filename=）", asset_io_pages::api_import),
        r!(get, "/infra/assets/{id}", Tenant, "施設の詳細", pages::asset_show),
        r!(post, "/infra/assets/{id}", Tenant, "施設の更新", pages::asset_update),
        r!(get, "/infra/work-orders", Tenant, "作業一覧（期限超過を含む）", pages::orders_list),
        r!(post, "/infra/work-orders", Tenant, "作業の受付", pages::order_create),
        r!(get, "/infra/work-orders/{id}", Tenant, "作業の詳細", pages::order_show),
        r!(post, "/infra/work-orders/{id}/step", Tenant, "作業の操作（指示・着手・報告・差戻し・履行確認・取消・回送）", pages::order_step),
        r!(post, "/infra/work-orders/{id}/split", Tenant, "作業の分割（2管理者にまたがる作業の按分）", pages::order_split),
        r!(post, "/api/infra/work-orders/{id}/split", Tenant, "作業の分割（other_owner_org_id, share_percent）", api::order_split),
        r!(post, "/infra/work-orders/{id}/photos", Tenant, "作業写真の登録", pages::order_photo),
        r!(get, "/infra/ledger", Tenant, "管理者別台帳", pages::ledger),
        r!(get, "/infra/ledger/export", Tenant, "管理者別台帳の書き出し", pages::ledger_export),
        r!(get, "/api/infra/assets", Tenant, "施設台帳", api::assets_list),
        r!(post, "/api/infra/assets", Tenant, "施設の登録", api::asset_create),
        r!(get, "/api/infra/assets/{id}", Tenant, "施設の詳細", api::asset_get),
        r!(get, "/api/infra/work-orders", Tenant, "作業一覧", api::orders_list),
        r!(post, "/api/infra/work-orders", Tenant, "作業の受付", api::order_create),
        r!(get, "/api/infra/work-orders/{id}", Tenant, "作業の詳細（経過・写真・可能な操作）", api::order_get),
        r!(post, "/api/infra/work-orders/{id}/step", Tenant, "作業の操作", api::order_step),
        r!(post, "/api/infra/work-orders/{id}/photos", Tenant, "作業写真の登録（multipart: file, phase, caption）", api::order_photo),
        r!(get, "/api/infra/ledger", Tenant, "管理者別台帳（履行確認済みの金額）", api::ledger),
        r!(get, "/api/infra/map", Tenant, "地図用 GeoJSON（施設と作業）", api::map),
        r!(get, "/infra/patrols", Tenant, "パトロール一覧と記録", patrol_pages::list),
        r!(post, "/infra/patrols", Tenant, "パトロールの記録", patrol_pages::create),
        r!(get, "/infra/patrols/{id}", Tenant, "パトロールの詳細と発見事項", patrol_pages::show),
        r!(post, "/infra/patrols/{id}/findings", Tenant, "発見事項の記録", patrol_pages::add_finding),
        r!(post, "/infra/patrols/{id}/findings/{finding_id}/work-order", Tenant, "発見事項を作業にする", patrol_pages::to_work_order),
        r!(get, "/infra/patrol-diary", Tenant, "道路パトロール日誌（管理者別・日別、印刷用）", patrol_pages::diary),
        r!(get, "/infra/patrol-diary/export", Tenant, "道路パトロール日誌の書き出し", patrol_pages::diary_export),
        r!(get, "/api/infra/patrols", Tenant, "パトロール一覧", patrol_pages::api_list),
        r!(post, "/api/infra/patrols", Tenant, "パトロールの記録", patrol_pages::api_create),
        r!(get, "/api/infra/patrols/{id}", Tenant, "パトロールの詳細", patrol_pages::api_get),
        r!(post, "/api/infra/patrols/{id}/findings", Tenant, "発見事項の記録", patrol_pages::api_add_finding),
        r!(post, "/api/infra/patrols/{id}/findings/{finding_id}/work-order", Tenant, "発見事項を作業にする", patrol_pages::api_to_work_order),
        r!(get, "/api/infra/patrol-diary", Tenant, "道路パトロール日誌", patrol_pages::api_diary),
        r!(get, "/infra/work-orders/{id}/photo-ledger", Tenant, "作業の写真台帳（印刷用、?format=xlsx）", report_pages::job_ledger),
        r!(get, "/infra/photo-ledger", Tenant, "月の写真台帳（?month=2026-11、?format=xlsx）", report_pages::month_ledger),
        r!(get, "/infra/reports/monthly", Tenant, "月報（管理者別、?format=xlsx|csv）", report_pages::monthly),
        r!(get, "/api/infra/reports/monthly", Tenant, "月報（件数、中央値・90パーセンタイル日数、期限超過、実費用）", report_pages::api_monthly),
        r!(get, "/infra/contracts", Tenant, "維持管理契約の一覧と登録", contract_pages::list),
        r!(post, "/infra/contracts", Tenant, "維持管理契約の登録", contract_pages::create),
        r!(get, "/infra/contracts/{id}", Tenant, "契約の詳細と予算執行（指示限度額）", contract_pages::show),
        r!(post, "/infra/contracts/{id}/limits", Tenant, "指示限度額の設定", contract_pages::set_limit),
        r!(post, "/infra/contracts/{id}/parts", Tenant, "契約の期・業務（支払方式）・構成員の追加", contract_pages::add_part),
        r!(post, "/api/infra/contracts/{id}/parts", Tenant, "契約の期・業務（支払方式）・構成員の追加", contract_pages::api_add_part),
        r!(get, "/api/infra/contracts", Tenant, "維持管理契約の一覧", contract_pages::api_list),
        r!(post, "/api/infra/contracts", Tenant, "維持管理契約の登録", contract_pages::api_create),
        r!(get, "/api/infra/contracts/{id}", Tenant, "契約と予算執行（?fy=2026）", contract_pages::api_get),
        r!(put, "/api/infra/contracts/{id}/limits", Tenant, "指示限度額の設定", contract_pages::api_set_limit),
        r!(get, "/infra/inspections", Tenant, "定期点検の一覧・期限超過・入力", inspection_pages::list),
        r!(post, "/infra/inspections", Tenant, "定期点検の入力（管理者は確定、受注者・コンサルは提案）", inspection_pages::create),
        r!(get, "/infra/inspections/{id}", Tenant, "定期点検の詳細（部材・警告）", inspection_pages::show),
        r!(post, "/infra/inspections/{id}/confirm", Tenant, "健全性の確定（管理者）", inspection_pages::confirm),
        r!(get, "/api/infra/inspections", Tenant, "定期点検の一覧", inspection_pages::api_list),
        r!(post, "/api/infra/inspections", Tenant, "定期点検の入力（部材ごとの判定区分・対策区分を含む）", inspection_pages::api_create),
        r!(post, "/api/infra/inspections/import", Tenant, "点検結果の取り込み（CSV・Excel、全行検査、自団体の施設のみ）", inspection_pages::api_import),
        r!(get, "/api/infra/inspections/overdue", Tenant, "点検期限超過の施設（橋梁・トンネル）", inspection_pages::api_overdue),
        r!(get, "/api/infra/inspections/{id}", Tenant, "定期点検の詳細（部材・提案される健全性・写真の警告）", inspection_pages::api_get),
        r!(post, "/api/infra/inspections/{id}/confirm", Tenant, "健全性の確定（管理者）", inspection_pages::api_confirm),
        r!(put, "/api/infra/inspection-members/{id}/repair-status", Tenant, "部材の補修状況（未着手・着手・完了、作業との紐付け）", inspection_pages::api_repair_status),
        r!(get, "/infra/mieruka", Tenant, "見える化（自団体・群・県内、人口規模別の平均と位置、?format=xlsx|csv）", mieruka_pages::page),
        r!(get, "/api/infra/mieruka", Tenant, "見える化（?scope=own|bundle|prefecture&year=&round=）", mieruka_pages::api),
        r!(post, "/infra/mieruka/profile", Tenant, "見える化の基礎数値（人口・職員数など）の保存", mieruka_pages::set_profile),
        r!(put, "/api/infra/mieruka/profile", Tenant, "見える化の基礎数値の保存（org_id を省くと自団体）", mieruka_pages::api_set_profile),
        r!(post, "/infra/mieruka/profiles/import", Tenant, "基礎数値の取り込み（CSV・Excel、全行検査）", mieruka_pages::import),
        r!(post, "/api/infra/mieruka/profiles/import", Tenant, "基礎数値の取り込み（本文にファイル、?filename=）", mieruka_pages::api_import),
        r!(get, "/infra/forecast", Tenant, "劣化予測（点検結果の組から推定、分布の予測）", forecast_pages::page),
        r!(get, "/api/infra/forecast", Tenant, "劣化予測（θ・標準誤差・1年推移確率・IVまでの期待年数・分布の予測）", forecast_pages::api),
        r!(get, "/infra/repair-plan", Tenant, "補修計画（予算制約下の最適化、LCC比較、?format=xlsx|csv）", planning_pages::page),
        r!(get, "/api/infra/repair-plan", Tenant, "補修計画（?years&cost_ii&cost_iii&cost_iv&loss_iv&deadline&budget_<団体ID>=年間予算）", planning_pages::api_get),
        r!(post, "/api/infra/repair-plan", Tenant, "補修計画（budgets: [{owner_org_id, annual_budget_yen}] ほか）", planning_pages::api_post),
        r!(get, "/api/infra/lcc", Tenant, "LCC比較：予防保全と事後保全（?cost_ii&cost_iii&cost_iv&lcc_years&interval&discount&owner）", planning_pages::api_lcc),
        r!(get, "/infra/tools", SignedIn, "計画ツールの一覧", tools_pages::index),
        r!(get, "/infra/tools/effect", SignedIn, "導入効果試算（?example=1 で手引きの例）", tools_pages::effect_form),
        r!(post, "/infra/tools/effect", SignedIn, "導入効果試算の計算", tools_pages::effect_submit),
        r!(post, "/api/infra/tools/effect", SignedIn, "導入効果試算（members・人件費単価・三条市の積算）", tools_pages::effect_api),
        r!(get, "/infra/tools/cost-sharing", SignedIn, "費用負担（業務量割・数量割・均等割・複合配分、事務費）", tools_pages::cost_form),
        r!(post, "/infra/tools/cost-sharing", SignedIn, "費用負担の計算", tools_pages::cost_submit),
        r!(post, "/api/infra/tools/cost-sharing", SignedIn, "費用負担（最大剰余方式で合計が一致）", tools_pages::cost_api),
        r!(get, "/infra/tools/regional", SignedIn, "地域要件の確認（JV・事業協同組合）", tools_checks::regional_form),
        r!(post, "/infra/tools/regional", SignedIn, "地域要件の確認", tools_checks::regional_submit),
        r!(post, "/api/infra/tools/regional", SignedIn, "地域要件の確認（不適合の要件と不足分）", tools_checks::regional_api),
        r!(get, "/infra/tools/current-state", SignedIn, "現状把握（タイムリミット・業務配分・同規模比較）", tools_checks::current_form),
        r!(post, "/infra/tools/current-state", SignedIn, "現状把握の分析", tools_checks::current_submit),
        r!(post, "/api/infra/tools/current-state", SignedIn, "現状把握（年齢階層・業務配分時間・人口）", tools_checks::current_api),
        r!(get, "/infra/open311", Tenant, "Open311 の接続先と API キー", crate::open311::clients::page),
        r!(post, "/infra/open311/clients", Tenant, "Open311 の API キー発行", crate::open311::clients::create),
        // Open311 GeoReport v2: public, as the spec intends; POST needs an api_key.
        r!(get, "/open311/v2/{file}", Public, "Open311: discovery / services / requests / servicerequestupdates（.xml または .json）", crate::open311::get_top),
        r!(post, "/open311/v2/{file}", Public, "Open311: 通報の送信（requests.xml / requests.json、api_key 必須）", crate::open311::post_request),
        r!(get, "/open311/v2/services/{file}", Public, "Open311: 通報種類の定義", crate::open311::get_service),
        r!(get, "/open311/v2/requests/{file}", Public, "Open311: 通報の状況", crate::open311::get_request),
        r!(get, "/open311/v2/tokens/{file}", Public, "Open311: トークンから通報番号", crate::open311::get_token),
    ]
}
