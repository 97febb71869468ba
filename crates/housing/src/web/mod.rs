//! Housing routes: HTML pages under /housing, JSON under /api/housing. Every route is declared
//! with its access class; the tenant ones have entries in the isolation matrix.

mod campaign_pages;
mod case_pages;
mod cost_pages;
mod estate_pages;
mod lottery_pages;
mod incident_pages;
mod report_pages;

use tabane_core::Error;

/// A refusal the page shows in place (bad input, not allowed, a gate): re-render with the message
/// rather than an error page.
pub(crate) fn recoverable(e: &Error) -> bool {
    matches!(e, Error::Invalid(_) | Error::Forbidden(_) | Error::Conflict(_))
}
use tabane_web::{RouteDef, route};

pub fn routes() -> Vec<RouteDef> {
    vec![
        route!(get, "/housing", Tenant, "housing", "団地建替・移転（団地の一覧と登録）", estate_pages::home),
        route!(post, "/housing/estates", Tenant, "housing", "団地の登録（束の発注者）", estate_pages::create),
        route!(get, "/housing/estates/{id}", Tenant, "housing", "団地（住棟別諸元・入居状況・表の不一致の記録）", estate_pages::show),
        route!(post, "/housing/estates/{id}/import", Tenant, "housing", "住棟別諸元一覧・入居状況・対象世帯の取り込み（不一致は確認のうえ記録）", estate_pages::import),
        route!(get, "/api/housing/dashboard", Tenant, "housing", "進捗・期限・支援期間内に終わらないおそれのある本移転（?today=）", estate_pages::api_dashboard),
        route!(post, "/housing/estates/{id}/deliverables", Tenant, "housing", "要求水準書の提出物（計画書・報告書）を提出物の一覧に登録（県、重複なし）", estate_pages::register_deliverables),
        route!(post, "/api/housing/estates/{id}/deliverables", Tenant, "housing", "提出物の登録（県、重複なし）", estate_pages::api_register_deliverables),
        route!(get, "/api/housing/estates", Tenant, "housing", "団地の一覧", estate_pages::api_list),
        route!(post, "/api/housing/estates", Tenant, "housing", "団地の登録（bundle_id, name, address）", estate_pages::api_create),
        route!(get, "/api/housing/estates/{id}", Tenant, "housing", "団地（住棟・間取り・入居状況、?snapshot=）", estate_pages::api_get),
        route!(post, "/api/housing/estates/{id}/import", Tenant, "housing", "基本情報の取り込み（multipart: buildings, unit_types, occupancy, groups, as_of, acknowledge）", estate_pages::api_import),
        route!(post, "/api/housing/estates/{id}/buildings", Tenant, "housing", "移転先の棟と住戸の登録（name, role, floors, types）", campaign_pages::api_add_building),
        route!(get, "/api/housing/estates/{id}/units", Tenant, "housing", "住戸の一覧（移転先の割当状況）", campaign_pages::api_units),
        route!(get, "/housing/campaigns", Tenant, "housing", "移転の事業の一覧と登録", campaign_pages::list),
        route!(post, "/housing/campaigns", Tenant, "housing", "事業の登録（県）", campaign_pages::create),
        route!(get, "/housing/campaigns/{id}", Tenant, "housing", "事業（日付・移転料・住戸）", campaign_pages::show),
        route!(post, "/housing/campaigns/{id}", Tenant, "housing", "事業の更新（県）", campaign_pages::update),
        route!(post, "/housing/campaigns/{id}/buildings", Tenant, "housing", "移転先の棟と住戸の登録（県、間取りごとの戸数から住戸番号を付番）", campaign_pages::add_building),
        route!(get, "/api/housing/campaigns", Tenant, "housing", "事業の一覧", campaign_pages::api_list),
        route!(post, "/api/housing/campaigns", Tenant, "housing", "事業の登録（estate_id, name, 日付, fees）", campaign_pages::api_create),
        route!(get, "/api/housing/campaigns/{id}", Tenant, "housing", "事業と移転料", campaign_pages::api_get),
        route!(put, "/api/housing/campaigns/{id}", Tenant, "housing", "事業の更新（県）", campaign_pages::api_update),
        route!(post, "/housing/campaigns/{id}/questionnaire", Tenant, "housing", "希望住戸アンケートの作成（県、対象世帯と空き住戸から）", lottery_pages::open_questionnaire),
        route!(post, "/housing/campaigns/{id}/questionnaire/apply", Tenant, "housing", "アンケート結果による分類", lottery_pages::apply_classes),
        route!(post, "/housing/campaigns/{id}/lotteries", Tenant, "housing", "住戸抽選の実施（乱数の種を記録）", lottery_pages::draw),
        route!(post, "/api/housing/campaigns/{id}/questionnaire", Tenant, "housing", "希望住戸アンケートの作成（depth）", lottery_pages::api_open_questionnaire),
        route!(post, "/api/housing/campaigns/{id}/questionnaire/apply", Tenant, "housing", "アンケート結果による分類", lottery_pages::api_apply_classes),
        route!(post, "/api/housing/campaigns/{id}/lotteries", Tenant, "housing", "住戸抽選の実施（name, session_date, announced, direct_uncontested, depth）", lottery_pages::api_draw),
        route!(get, "/housing/lotteries/{id}", Tenant, "housing", "抽選（計画・抽選会前の報告・結果の報告、?report=plan|result）", lottery_pages::show),
        route!(get, "/housing/lotteries/{id}/verify", Tenant, "housing", "抽選の再計算による確認", lottery_pages::verify),
        route!(post, "/housing/lotteries/{id}/confirm", Tenant, "housing", "抽選結果の確定（県、移転先の決定）", lottery_pages::confirm),
        route!(get, "/api/housing/lotteries/{id}", Tenant, "housing", "抽選（入力・種・結果・計画）", lottery_pages::api_get),
        route!(get, "/api/housing/lotteries/{id}/verify", Tenant, "housing", "抽選の再計算による確認", lottery_pages::verify),
        route!(post, "/api/housing/lotteries/{id}/confirm", Tenant, "housing", "抽選結果の確定（県）", lottery_pages::api_confirm),
        route!(get, "/housing/costs", Tenant, "housing", "入居者移転支援実費（台帳・請求、?estate=）", cost_pages::show),
        route!(post, "/housing/costs/items", Tenant, "housing", "実費の記録（項目・金額・相手方・支払日・証拠書類・金利）", cost_pages::add_item),
        route!(post, "/housing/costs/claims", Tenant, "housing", "実費の請求（年度1回・本移転終了時）", cost_pages::claim),
        route!(post, "/housing/costs/claims/{id}/step", Tenant, "housing", "請求の手続（収支報告・確定・請求書・支払）", cost_pages::claim_step),
        route!(get, "/housing/costs/export", Tenant, "housing", "収支報告の書き出し（?estate&format=xlsx|csv|cp932）", cost_pages::export),
        route!(get, "/api/housing/costs", Tenant, "housing", "実費台帳と請求（?estate=）", cost_pages::api_show),
        route!(post, "/api/housing/costs/items", Tenant, "housing", "実費の記録", cost_pages::api_add_item),
        route!(post, "/api/housing/costs/claims", Tenant, "housing", "実費の請求（estate, fiscal_year, is_final）", cost_pages::api_claim),
        route!(post, "/api/housing/costs/claims/{id}/step", Tenant, "housing", "請求の手続（step=report|confirm|invoice|pay, on, amount）", cost_pages::api_claim_step),
        route!(get, "/housing/reports/business", Tenant, "housing", "業務報告書（本移転・仮移転・住宅替・退去、?estate&class&format=xlsx）", cost_pages::business),
        route!(get, "/api/housing/reports/business", Tenant, "housing", "業務報告書（?estate&class）", cost_pages::api_business),
        route!(get, "/housing/reports/danchi-chosho", Tenant, "housing", "団地別調書（交付金申請用、?estate&format=xlsx）", cost_pages::chosho),
        route!(get, "/api/housing/reports/danchi-chosho", Tenant, "housing", "団地別調書（?estate=）", cost_pages::api_chosho),
        route!(get, "/api/housing/campaigns/{id}/deadlines", Tenant, "housing", "事業の期限と要注意の本移転（?today=&days=）", campaign_pages::api_deadlines),
        route!(get, "/housing/cases", Tenant, "housing", "移転支援の案件の一覧（個人情報なし）と世帯の登録", case_pages::list),
        route!(post, "/housing/cases", Tenant, "housing", "世帯の登録（案件を開く）", case_pages::create),
        route!(get, "/housing/cases/export", Tenant, "housing", "案件の書き出し（?estate&columns&format=csv|cp932|xlsx、個人情報の列は記録）", case_pages::export),
        route!(get, "/housing/cases/{id}", Tenant, "housing", "案件（移転・書類・支払・経過）", case_pages::show),
        route!(post, "/housing/cases/{id}/personal", Tenant, "housing", "個人情報の表示（表示は監査ログに記録、口座は県のみ）", case_pages::reveal),
        route!(post, "/housing/cases/{id}/personal/edit", Tenant, "housing", "個人情報の入力（暗号化して保存）", case_pages::edit_personal),
        route!(post, "/api/housing/cases/{id}/personal/reveal", Tenant, "housing", "個人情報の表示（監査ログに記録）", case_pages::api_reveal),
        route!(put, "/api/housing/cases/{id}/personal", Tenant, "housing", "個人情報の入力（name, kana, phone, address, care_note, bank_account）", case_pages::api_edit_personal),
        route!(post, "/housing/cases/{id}/classify", Tenant, "housing", "分類（本移転・仮移転・住宅替・退去、変更は理由つき）", case_pages::classify),
        route!(post, "/housing/legs/{id}/step", Tenant, "housing", "移転の手続（書類配布・契約・支払・鍵渡し・移転・退去確認・残額・完了・取消）", case_pages::step),
        route!(post, "/housing/legs/{id}/unit", Tenant, "housing", "移転先の住戸の決定", case_pages::assign_unit),
        route!(post, "/housing/legs/{id}/forms/receive", Tenant, "housing", "提出書類の受領（発行番号、原則対面）", case_pages::receive),
        route!(post, "/housing/legs/{id}/address", Tenant, "housing", "住宅替え先の住所（暗号化）", case_pages::transfer_address),
        route!(put, "/api/housing/legs/{id}/address", Tenant, "housing", "住宅替え先の住所（address、暗号化）", case_pages::api_transfer_address),
        route!(post, "/housing/legs/{id}/referral", Tenant, "housing", "引越業者の斡旋（移転料以下）", case_pages::referral),
        route!(post, "/housing/legs/{id}/briefing", Tenant, "housing", "仮移転説明会の日（入居可能日＝翌月1日、期間6か月）", case_pages::briefing),
        route!(post, "/housing/legs/{id}/extend", Tenant, "housing", "仮移転の延長（6か月、1回、病気・障害／失踪／入院中のみ）", case_pages::extend),
        route!(post, "/housing/legs/{id}/delay-cause", Tenant, "housing", "仮移転の遅延の原因（県・事業者・入居者・不可抗力・法令変更・その他）", case_pages::delay_cause),
        route!(get, "/api/housing/cases", Tenant, "housing", "案件の一覧（個人情報なし、?class&status&building&estate）", case_pages::api_list),
        route!(post, "/api/housing/cases", Tenant, "housing", "世帯の登録（estate_id, building, room, size, aged65, care, campaign_id）", case_pages::api_create),
        route!(get, "/api/housing/cases/{id}", Tenant, "housing", "案件（移転・書類・支払・可能な操作・経過）", case_pages::api_get),
        route!(post, "/api/housing/cases/{id}/classify", Tenant, "housing", "分類（class, reason）", case_pages::api_classify),
        route!(post, "/api/housing/legs/{id}/step", Tenant, "housing", "移転の手続（action, on, due_on, nothing_left, keys_returned, note）", case_pages::api_step),
        route!(post, "/api/housing/legs/{id}/unit", Tenant, "housing", "移転先の住戸の決定（unit_id）", case_pages::api_assign_unit),
        route!(post, "/api/housing/legs/{id}/forms/receive", Tenant, "housing", "提出書類の受領（issue_no, method, method_reason, guarantors, defect_note）", case_pages::api_receive),
        route!(post, "/api/housing/legs/{id}/referral", Tenant, "housing", "引越業者の斡旋（company, quote）", case_pages::api_referral),
        route!(post, "/api/housing/legs/{id}/briefing", Tenant, "housing", "仮移転説明会の日（briefing_on）", case_pages::api_briefing),
        route!(post, "/api/housing/legs/{id}/extend", Tenant, "housing", "仮移転の延長（reason, note）", case_pages::api_extend),
        route!(post, "/api/housing/legs/{id}/delay-cause", Tenant, "housing", "遅延の原因（cause, note）", case_pages::api_delay_cause),
        route!(get, "/housing/incidents", Tenant, "housing", "苦情・要望・想定外の事態の一覧（県へ未報告の緊急は表示）と記録", incident_pages::list),
        route!(post, "/housing/incidents", Tenant, "housing", "苦情・要望・想定外の事態の記録", incident_pages::create),
        route!(get, "/housing/incidents/{id}", Tenant, "housing", "苦情等（対応・県への報告・県の指示・完了）", incident_pages::show),
        route!(post, "/housing/incidents/{id}", Tenant, "housing", "苦情等の更新", incident_pages::update),
        route!(get, "/api/housing/incidents", Tenant, "housing", "苦情等の一覧（?estate&open&month）", incident_pages::api_list),
        route!(post, "/api/housing/incidents", Tenant, "housing", "苦情等の記録（estate_id, kind, urgent, in_scope, received_on, summary, action, pref_told_on, pref_told_how, pref_instruction, closed_on, case_id）", incident_pages::api_create),
        route!(get, "/api/housing/incidents/{id}", Tenant, "housing", "苦情等", incident_pages::api_get),
        route!(put, "/api/housing/incidents/{id}", Tenant, "housing", "苦情等の更新（全項目）", incident_pages::api_update),
        route!(get, "/housing/reports/monthly", Tenant, "housing", "県への月報（?estate&month=2027-05&format=xlsx、個人情報なし、印刷用）", report_pages::monthly),
        route!(get, "/api/housing/reports/monthly", Tenant, "housing", "県への月報（?estate&month）", report_pages::api_monthly),
        route!(get, "/housing/reports/temporary-moves", Tenant, "housing", "建替一時転出報告書（氏名・仮移転先の住所、表示は記録、?format=xlsx）", report_pages::temporary),
        route!(get, "/api/housing/reports/temporary-moves", Tenant, "housing", "建替一時転出報告書（個人情報、表示は記録）", report_pages::api_temporary),
    ]
}
