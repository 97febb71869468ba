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
mod report_pages;
mod tools_checks;
mod tools_current;
mod tools_pages;
mod views;

use tabane_web::{RouteDef, route};

pub fn routes() -> Vec<RouteDef> {
    vec![
        route!(get, "/infra", Tenant, "infra", "群マネ（地図と作業の概要）", pages::home),
        route!(get, "/infra/assets", Tenant, "infra", "施設台帳", pages::assets_list),
        route!(post, "/infra/assets", Tenant, "infra", "施設の登録", pages::asset_create),
        route!(get, "/infra/assets/import", Tenant, "infra", "施設台帳の取り込み画面", asset_io_pages::form),
        route!(
            post,
            "/infra/assets/import",
            Tenant,
            "infra",
            "施設台帳の取り込み（CSV・Excel・GeoJSON、全行検査）",
            asset_io_pages::submit
        ),
        route!(
            get,
            "/infra/assets/export",
            Tenant,
            "infra",
            "施設台帳の書き出し（CSV・Excel・GeoJSON）",
            asset_io_pages::export
        ),
        route!(
            post,
            "/api/infra/assets/import",
            Tenant,
            "infra",
            "施設台帳の取り込み（本文にファイル、?filename=）",
            asset_io_pages::api_import
        ),
        route!(get, "/infra/assets/{id}", Tenant, "infra", "施設の詳細", pages::asset_show),
        route!(post, "/infra/assets/{id}", Tenant, "infra", "施設の更新", pages::asset_update),
        route!(get, "/infra/work-orders", Tenant, "infra", "作業一覧（期限超過を含む）", pages::orders_list),
        route!(post, "/infra/work-orders", Tenant, "infra", "作業の受付", pages::order_create),
        route!(get, "/infra/work-orders/{id}", Tenant, "infra", "作業の詳細", pages::order_show),
        route!(
            post,
            "/infra/work-orders/{id}/step",
            Tenant,
            "infra",
            "作業の操作（指示・着手・報告・差戻し・履行確認・取消・回送）",
            pages::order_step
        ),
        route!(
            post,
            "/infra/work-orders/{id}/split",
            Tenant,
            "infra",
            "作業の分割（2管理者にまたがる作業の按分）",
            pages::order_split
        ),
        route!(
            post,
            "/api/infra/work-orders/{id}/split",
            Tenant,
            "infra",
            "作業の分割（other_owner_org_id, share_percent）",
            api::order_split
        ),
        route!(post, "/infra/work-orders/{id}/photos", Tenant, "infra", "作業写真の登録", pages::order_photo),
        route!(get, "/infra/ledger", Tenant, "infra", "管理者別台帳", pages::ledger),
        route!(get, "/infra/ledger/export", Tenant, "infra", "管理者別台帳の書き出し", pages::ledger_export),
        route!(get, "/api/infra/assets", Tenant, "infra", "施設台帳", api::assets_list),
        route!(post, "/api/infra/assets", Tenant, "infra", "施設の登録", api::asset_create),
        route!(get, "/api/infra/assets/{id}", Tenant, "infra", "施設の詳細", api::asset_get),
        route!(get, "/api/infra/work-orders", Tenant, "infra", "作業一覧", api::orders_list),
        route!(post, "/api/infra/work-orders", Tenant, "infra", "作業の受付", api::order_create),
        route!(
            get,
            "/api/infra/work-orders/{id}",
            Tenant,
            "infra",
            "作業の詳細（経過・写真・可能な操作）",
            api::order_get
        ),
        route!(post, "/api/infra/work-orders/{id}/step", Tenant, "infra", "作業の操作", api::order_step),
        route!(
            post,
            "/api/infra/work-orders/{id}/photos",
            Tenant,
            "infra",
            "作業写真の登録（multipart: file, phase, caption）",
            api::order_photo
        ),
        route!(get, "/api/infra/ledger", Tenant, "infra", "管理者別台帳（履行確認済みの金額）", api::ledger),
        route!(get, "/api/infra/map", Tenant, "infra", "地図用 GeoJSON（施設と作業）", api::map),
        route!(get, "/infra/patrols", Tenant, "infra", "パトロール一覧と記録", patrol_pages::list),
        route!(post, "/infra/patrols", Tenant, "infra", "パトロールの記録", patrol_pages::create),
        route!(get, "/infra/patrols/{id}", Tenant, "infra", "パトロールの詳細と発見事項", patrol_pages::show),
        route!(post, "/infra/patrols/{id}/findings", Tenant, "infra", "発見事項の記録", patrol_pages::add_finding),
        route!(
            post,
            "/infra/patrols/{id}/findings/{finding_id}/work-order",
            Tenant,
            "infra",
            "発見事項を作業にする",
            patrol_pages::to_work_order
        ),
        route!(
            get,
            "/infra/patrol-diary",
            Tenant,
            "infra",
            "道路パトロール日誌（管理者別・日別、印刷用）",
            patrol_pages::diary
        ),
        route!(
            get,
            "/infra/patrol-diary/export",
            Tenant,
            "infra",
            "道路パトロール日誌の書き出し",
            patrol_pages::diary_export
        ),
        route!(get, "/api/infra/patrols", Tenant, "infra", "パトロール一覧", patrol_pages::api_list),
        route!(post, "/api/infra/patrols", Tenant, "infra", "パトロールの記録", patrol_pages::api_create),
        route!(get, "/api/infra/patrols/{id}", Tenant, "infra", "パトロールの詳細", patrol_pages::api_get),
        route!(
            post,
            "/api/infra/patrols/{id}/findings",
            Tenant,
            "infra",
            "発見事項の記録",
            patrol_pages::api_add_finding
        ),
        route!(
            post,
            "/api/infra/patrols/{id}/findings/{finding_id}/work-order",
            Tenant,
            "infra",
            "発見事項を作業にする",
            patrol_pages::api_to_work_order
        ),
        route!(get, "/api/infra/patrol-diary", Tenant, "infra", "道路パトロール日誌", patrol_pages::api_diary),
        route!(
            get,
            "/infra/work-orders/{id}/photo-ledger",
            Tenant,
            "infra",
            "作業の写真台帳（印刷用、?format=xlsx）",
            report_pages::job_ledger
        ),
        route!(
            get,
            "/infra/photo-ledger",
            Tenant,
            "infra",
            "月の写真台帳（?month=2026-11、?format=xlsx）",
            report_pages::month_ledger
        ),
        route!(
            get,
            "/infra/reports/monthly",
            Tenant,
            "infra",
            "月報（管理者別、?format=xlsx|csv）",
            report_pages::monthly
        ),
        route!(
            get,
            "/api/infra/reports/monthly",
            Tenant,
            "infra",
            "月報（件数、中央値・90パーセンタイル日数、期限超過、実費用）",
            report_pages::api_monthly
        ),
        route!(get, "/infra/contracts", Tenant, "infra", "維持管理契約の一覧と登録", contract_pages::list),
        route!(post, "/infra/contracts", Tenant, "infra", "維持管理契約の登録", contract_pages::create),
        route!(
            get,
            "/infra/contracts/{id}",
            Tenant,
            "infra",
            "契約の詳細と予算執行（指示限度額）",
            contract_pages::show
        ),
        route!(post, "/infra/contracts/{id}/limits", Tenant, "infra", "指示限度額の設定", contract_pages::set_limit),
        route!(
            post,
            "/infra/contracts/{id}/parts",
            Tenant,
            "infra",
            "契約の期・業務（支払方式）・構成員の追加",
            contract_pages::add_part
        ),
        route!(
            post,
            "/api/infra/contracts/{id}/parts",
            Tenant,
            "infra",
            "契約の期・業務（支払方式）・構成員の追加",
            contract_pages::api_add_part
        ),
        route!(get, "/api/infra/contracts", Tenant, "infra", "維持管理契約の一覧", contract_pages::api_list),
        route!(post, "/api/infra/contracts", Tenant, "infra", "維持管理契約の登録", contract_pages::api_create),
        route!(
            get,
            "/api/infra/contracts/{id}",
            Tenant,
            "infra",
            "契約と予算執行（?fy=2026）",
            contract_pages::api_get
        ),
        route!(
            put,
            "/api/infra/contracts/{id}/limits",
            Tenant,
            "infra",
            "指示限度額の設定",
            contract_pages::api_set_limit
        ),
        route!(get, "/infra/inspections", Tenant, "infra", "定期点検の一覧・期限超過・入力", inspection_pages::list),
        route!(
            post,
            "/infra/inspections",
            Tenant,
            "infra",
            "定期点検の入力（管理者は確定、受注者・コンサルは提案）",
            inspection_pages::create
        ),
        route!(get, "/infra/inspections/{id}", Tenant, "infra", "定期点検の詳細（部材・警告）", inspection_pages::show),
        route!(
            post,
            "/infra/inspections/{id}/confirm",
            Tenant,
            "infra",
            "健全性の確定（管理者）",
            inspection_pages::confirm
        ),
        route!(get, "/api/infra/inspections", Tenant, "infra", "定期点検の一覧", inspection_pages::api_list),
        route!(
            post,
            "/api/infra/inspections",
            Tenant,
            "infra",
            "定期点検の入力（部材ごとの判定区分・対策区分を含む）",
            inspection_pages::api_create
        ),
        route!(
            post,
            "/api/infra/inspections/import",
            Tenant,
            "infra",
            "点検結果の取り込み（CSV・Excel、全行検査、自団体の施設のみ）",
            inspection_pages::api_import
        ),
        route!(
            get,
            "/api/infra/inspections/overdue",
            Tenant,
            "infra",
            "点検期限超過の施設（橋梁・トンネル）",
            inspection_pages::api_overdue
        ),
        route!(
            get,
            "/api/infra/inspections/{id}",
            Tenant,
            "infra",
            "定期点検の詳細（部材・提案される健全性・写真の警告）",
            inspection_pages::api_get
        ),
        route!(
            post,
            "/api/infra/inspections/{id}/confirm",
            Tenant,
            "infra",
            "健全性の確定（管理者）",
            inspection_pages::api_confirm
        ),
        route!(
            put,
            "/api/infra/inspection-members/{id}/repair-status",
            Tenant,
            "infra",
            "部材の補修状況（未着手・着手・完了、作業との紐付け）",
            inspection_pages::api_repair_status
        ),
        route!(
            get,
            "/infra/mieruka",
            Tenant,
            "infra",
            "見える化（自団体・群・県内、人口規模別の平均と位置、?format=xlsx|csv）",
            mieruka_pages::page
        ),
        route!(
            get,
            "/api/infra/mieruka",
            Tenant,
            "infra",
            "見える化（?scope=own|bundle|prefecture&year=&round=）",
            mieruka_pages::api
        ),
        route!(
            post,
            "/infra/mieruka/profile",
            Tenant,
            "infra",
            "見える化の基礎数値（人口・職員数など）の保存",
            mieruka_pages::set_profile
        ),
        route!(
            put,
            "/api/infra/mieruka/profile",
            Tenant,
            "infra",
            "見える化の基礎数値の保存（org_id を省くと自団体）",
            mieruka_pages::api_set_profile
        ),
        route!(
            post,
            "/infra/mieruka/profiles/import",
            Tenant,
            "infra",
            "基礎数値の取り込み（CSV・Excel、全行検査）",
            mieruka_pages::import
        ),
        route!(
            post,
            "/api/infra/mieruka/profiles/import",
            Tenant,
            "infra",
            "基礎数値の取り込み（本文にファイル、?filename=）",
            mieruka_pages::api_import
        ),
        route!(
            get,
            "/infra/forecast",
            Tenant,
            "infra",
            "劣化予測（点検結果の組から推定、分布の予測）",
            forecast_pages::page
        ),
        route!(
            get,
            "/api/infra/forecast",
            Tenant,
            "infra",
            "劣化予測（θ・標準誤差・1年推移確率・IVまでの期待年数・分布の予測）",
            forecast_pages::api
        ),
        route!(
            get,
            "/infra/repair-plan",
            Tenant,
            "infra",
            "補修計画（予算制約下の最適化、LCC比較、?format=xlsx|csv）",
            planning_pages::page
        ),
        route!(
            get,
            "/api/infra/repair-plan",
            Tenant,
            "infra",
            "補修計画（?years&cost_ii&cost_iii&cost_iv&loss_iv&deadline&budget_<団体ID>=年間予算）",
            planning_pages::api_get
        ),
        route!(
            post,
            "/api/infra/repair-plan",
            Tenant,
            "infra",
            "補修計画（budgets: [{owner_org_id, annual_budget_yen}] ほか）",
            planning_pages::api_post
        ),
        route!(
            get,
            "/api/infra/lcc",
            Tenant,
            "infra",
            "LCC比較：予防保全と事後保全（?cost_ii&cost_iii&cost_iv&lcc_years&interval&discount&owner）",
            planning_pages::api_lcc
        ),
        route!(get, "/infra/tools", SignedIn, "infra", "計画ツールの一覧", tools_pages::index),
        route!(
            get,
            "/infra/tools/effect",
            SignedIn,
            "infra",
            "導入効果試算（?example=1 で手引きの例）",
            tools_pages::effect_form
        ),
        route!(post, "/infra/tools/effect", SignedIn, "infra", "導入効果試算の計算", tools_pages::effect_submit),
        route!(
            post,
            "/api/infra/tools/effect",
            SignedIn,
            "infra",
            "導入効果試算（members・人件費単価・三条市の積算）",
            tools_pages::effect_api
        ),
        route!(
            get,
            "/infra/tools/cost-sharing",
            SignedIn,
            "infra",
            "費用負担（業務量割・数量割・均等割・複合配分、事務費）",
            tools_pages::cost_form
        ),
        route!(post, "/infra/tools/cost-sharing", SignedIn, "infra", "費用負担の計算", tools_pages::cost_submit),
        route!(
            post,
            "/api/infra/tools/cost-sharing",
            SignedIn,
            "infra",
            "費用負担（最大剰余方式で合計が一致）",
            tools_pages::cost_api
        ),
        route!(
            get,
            "/infra/tools/regional",
            SignedIn,
            "infra",
            "地域要件の確認（JV・事業協同組合）",
            tools_checks::regional_form
        ),
        route!(post, "/infra/tools/regional", SignedIn, "infra", "地域要件の確認", tools_checks::regional_submit),
        route!(
            post,
            "/api/infra/tools/regional",
            SignedIn,
            "infra",
            "地域要件の確認（不適合の要件と不足分）",
            tools_checks::regional_api
        ),
        route!(
            get,
            "/infra/tools/current-state",
            SignedIn,
            "infra",
            "現状把握（タイムリミット・業務配分・同規模比較）",
            tools_checks::current_form
        ),
        route!(post, "/infra/tools/current-state", SignedIn, "infra", "現状把握の分析", tools_checks::current_submit),
        route!(
            post,
            "/api/infra/tools/current-state",
            SignedIn,
            "infra",
            "現状把握（年齢階層・業務配分時間・人口）",
            tools_checks::current_api
        ),
        route!(get, "/infra/open311", Tenant, "infra", "Open311 の接続先と API キー", crate::open311::clients::page),
        route!(
            post,
            "/infra/open311/clients",
            Tenant,
            "infra",
            "Open311 の API キー発行",
            crate::open311::clients::create
        ),
        // Open311 GeoReport v2: public, as the spec intends; POST needs an api_key.
        route!(
            get,
            "/open311/v2/{file}",
            Public,
            "infra",
            "Open311: discovery / services / requests / servicerequestupdates（.xml または .json）",
            crate::open311::get_top
        )
        .external(),
        route!(
            post,
            "/open311/v2/{file}",
            Public,
            "infra",
            "Open311: 通報の送信（requests.xml / requests.json、api_key 必須）",
            crate::open311::post_request
        )
        .external(),
        route!(
            get,
            "/open311/v2/services/{file}",
            Public,
            "infra",
            "Open311: 通報種類の定義",
            crate::open311::get_service
        )
        .external(),
        route!(get, "/open311/v2/requests/{file}", Public, "infra", "Open311: 通報の状況", crate::open311::get_request)
            .external(),
        route!(
            get,
            "/open311/v2/tokens/{file}",
            Public,
            "infra",
            "Open311: トークンから通報番号",
            crate::open311::get_token
        )
        .external(),
    ]
}
