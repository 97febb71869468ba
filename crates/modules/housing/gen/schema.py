# Generates crates/modules/housing/src/migration/m0201_housing.rs and src/entities/*.rs from one table
# list, so the schema and the entities cannot drift apart. m0201_housing is applied in databases in
# use, so it is never rewritten: when the table list changes, this script refuses and a new migration
# (housing_<NNNN>_<what>, by hand) must add the change. Run: python3 crates/modules/housing/gen/schema.py
import os
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "src")

# (entity module, table, doc, [(column, type, nullable, doc)], [indexes (name, [cols], unique)])
T = [
 ("estate", "housing_estates", "団地 (an estate), owned by the prefecture and worked on through one bundle.", [
   ("bundle_id","i64",0,""),("owner_org_id","i64",0,"the prefecture (県住宅課)"),("name","str",0,""),("address","str",1,""),("created_at","ts",0,"")],
   [("ix_housing_estates_bundle",["bundle_id"],0)]),
 ("building", "housing_buildings", "住棟 (a building of the estate).", [
   ("estate_id","i64",0,""),("position","i32",0,"order in the table (ranges such as 「N～T」 follow it)"),("name","str",0,"棟番号"),
   ("built_wareki","str",1,"建設年度 as printed"),("built_year","i32",1,"the same fiscal year, Western"),("structure","str",1,""),("floors","i32",1,""),
   ("corridor","str",1,"住棟型式"),("elevator","bool",1,""),("building_area","i64",1,"建築面積, 0.01 m²"),("floor_area","i64",1,"延床面積, 0.01 m²"),
   ("units","i32",0,"管理戸数"),("roles","str",0,"事業上の役割, keys separated by commas")],
   [("ux_housing_buildings_name",["estate_id","name"],1)]),
 ("unit_type", "housing_unit_types", "間取り別の戸数 (unit-type row of a building).", [
   ("building_id","i64",0,""),("layout","str",0,"間取り"),("area","i64",1,"戸当専用面積, 0.01 m²"),("count","i32",0,""),
   ("std_min","i32",1,"標準の世帯人員 (min)"),("std_max","i32",1,"標準の世帯人員 (max; none = no max)")],
   [("ix_housing_unit_types_building",["building_id"],0)]),
 ("unit", "housing_units", "住戸 (a dwelling unit: a household's current home or a destination).", [
   ("estate_id","i64",0,""),("building_id","i64",0,""),("number","str",0,"部屋番号"),("layout","str",1,""),("area","i64",1,"0.01 m²"),
   ("status","str",0,"UnitStatus key"),("std_min","i32",1,""),("std_max","i32",1,"")],
   [("ux_housing_units_number",["building_id","number"],1)]),
 ("snapshot", "housing_snapshots", "入居状況の時点 (an occupancy snapshot with the import's findings).", [
   ("estate_id","i64",0,""),("as_of","date",0,""),("findings","text",0,"JSON list of findings, acknowledged at import"),
   ("totals","text",0,"JSON of the computed totals"),("groups","text",0,"JSON list of target groups as printed"),("imported_by","str",0,""),("created_at","ts",0,"")],
   [("ux_housing_snapshots_as_of",["estate_id","as_of"],1)]),
 ("snapshot_row", "housing_snapshot_rows", "各棟の入居状況 (one building in a snapshot).", [
   ("snapshot_id","i64",0,""),("building_id","i64",0,""),("units","i32",0,""),("vacant","i32",0,""),("households","i32",0,""),("rate_printed","i32",1,"入居率 as printed")],
   [("ux_housing_snapshot_rows",["snapshot_id","building_id"],1)]),
 ("campaign", "housing_campaigns", "移転の事業 (a relocation campaign: dates, fees, rules; the seed's open items are configuration).", [
   ("estate_id","i64",0,""),("name","str",0,""),("completion_planned","date",1,"竣工予定日"),("move_in_start","date",1,"入居開始日 (計画書)"),
   ("handover","date",1,"引渡し日"),("fees","text",0,"JSON: 移転料・動産移転相当額 per classification and size band"),("survey_id","i64",1,"希望住戸アンケート"),("created_at","ts",0,"")],
   [("ix_housing_campaigns_estate",["estate_id"],0)]),
 ("household", "housing_households", "世帯 (a household). Personal fields are encrypted field by field; lists never decrypt them.", [
   ("estate_id","i64",0,""),("uid","str",0,"random id, part of the encryption's associated data"),("unit_id","i64",1,"current unit"),
   ("building_id","i64",0,""),("room","str",0,"部屋番号"),("size","i32",0,"世帯人員"),("aged65","i32",0,"65歳以上の人数"),("care","bool",0,"要配慮"),
   ("name_enc","text",1,""),("kana_enc","text",1,""),("phone_enc","text",1,""),("address_enc","text",1,"仮住居・転居先の住所"),("care_note_enc","text",1,""),
   ("bank_enc","text",1,"申請口座"),("name_bidx","str",1,"blind index for exact search"),("erased_at","ts",1,"")],
   [("ux_housing_households_uid",["uid"],1),("ix_housing_households_estate",["estate_id","building_id"],0)]),
 ("case", "housing_cases", "移転支援の案件 (one case per household).", [
   ("estate_id","i64",0,""),("campaign_id","i64",1,""),("household_id","i64",0,""),("classification","str",1,"Classification key"),
   ("status","str",0,"LegStatus of the current leg"),("at_risk","bool",0,""),("risk_reason","text",1,""),("closed_at","ts",1,""),("created_at","ts",0,""),("updated_at","ts",0,"")],
   [("ux_housing_cases_household",["household_id"],1),("ix_housing_cases_estate",["estate_id","status"],0)]),
 ("case_event", "housing_case_events", "経過 (history of a case: classification changes and every step).", [
   ("case_id","i64",0,""),("leg_id","i64",1,""),("action","str",0,""),("from_value","str",1,""),("to_value","str",1,""),("note","text",1,""),
   ("user_id","i64",1,""),("actor","str",0,""),("org_id","i64",1,""),("at","ts",0,"")],
   [("ix_housing_case_events_case",["case_id"],0)]),
 ("leg", "housing_legs", "移転 (one move of a case: 本移転, 仮移転, 住宅替 or 退去) with its milestones.", [
   ("case_id","i64",0,""),("kind","str",0,"Classification key"),("seq","i32",0,""),("to_unit_id","i64",1,""),("to_address_enc","text",1,"住宅替え先 (personal)"),
   ("moving_fee","i64",1,"移転料 (yen), fixed at the contract"),("movables","i64",1,"動産移転相当額 (yen)"),
   ("forms_issued_on","date",1,""),("forms_due_on","date",1,"提出〆切"),("contract_on","date",1,""),("first_paid_on","date",1,""),("keys_on","date",1,""),
   ("move_planned_on","date",1,""),("moved_on","date",1,""),("vacated_on","date",1,""),("nothing_left","bool",1,"残置物なし"),("keys_returned","bool",1,"鍵の返還"),
   ("remainder_paid_on","date",1,""),("closed_on","date",1,""),("cancelled_on","date",1,""),("cancel_reason","text",1,""),
   ("temp_briefing_on","date",1,"仮移転説明会の開催日"),("temp_from","date",1,"仮移転 入居可能日"),("temp_until","date",1,""),("extension_reason","str",1,""),("extension_until","date",1,""),("delay_cause","str",1,"")],
   [("ix_housing_legs_case",["case_id"],0)]),
 ("form_item", "housing_form_items", "提出書類 (a form issued to a household, with a printed issue number, and its receipt).", [
   ("leg_id","i64",0,""),("kind","str",0,"FormKind key"),("issue_no","str",0,"発行番号 printed on the paper"),("issued_on","date",0,""),("due_on","date",1,""),
   ("received_on","date",1,""),("received_by","str",1,""),("method","str",1,"ReceiptMethod key"),("method_reason","text",1,""),("guarantors","i32",1,"連帯保証人の人数"),
   ("defect_note","text",1,"不備"),("defect_open","bool",0,"")],
   [("ux_housing_form_items_issue_no",["issue_no"],1),("ix_housing_form_items_leg",["leg_id"],0)]),
 ("payment", "housing_payments", "支払 (a payment to the household's account: first half or remainder).", [
   ("leg_id","i64",0,""),("kind","str",0,"PaymentKind key"),("amount","i64",0,"yen"),("paid_on","date",0,""),("recorded_by","str",0,""),("created_at","ts",0,"")],
   [("ux_housing_payments_leg_kind",["leg_id","kind"],1)]),
 ("referral", "housing_referrals", "引越業者の斡旋 (a referred mover and its quote).", [
   ("leg_id","i64",0,""),("company","str",0,""),("quote","i64",0,"yen"),("fee_cap","i64",0,"県の定める移転料 at the time"),("move_on","date",1,""),("created_at","ts",0,"")],
   [("ix_housing_referrals_leg",["leg_id"],0)]),
 ("lottery", "housing_lotteries", "住戸抽選 (one lottery session: rules, canonical inputs, seed and result, all stored).", [
   ("campaign_id","i64",0,""),("name","str",0,""),("session_date","date",1,""),("algorithm","str",0,""),("inputs","text",0,"canonical JSON"),
   ("inputs_hash","str",0,""),("seed_hex","str",0,""),("seed_text","str",1,"the number announced at the venue, if the seed came from one"),
   ("result","text",0,"JSON"),("result_hash","str",0,""),("drawn_by","str",0,""),("drawn_at","ts",0,""),("confirmed_by","str",1,""),("confirmed_at","ts",1,"")],
   [("ux_housing_lotteries_name",["campaign_id","name"],1)]),
 ("incident", "housing_incidents", "苦情・要望・想定外の事態 (§8(3)イ) and when the prefecture was told.", [
   ("estate_id","i64",0,""),("case_id","i64",1,""),("kind","str",0,"IncidentKind key"),("urgent","bool",0,""),("in_scope","bool",0,"業務範囲内"),
   ("received_on","date",0,""),("summary","text",0,""),("action","text",1,""),("pref_told_on","date",1,""),("pref_told_how","str",1,""),("pref_instruction","text",1,""),
   ("closed_on","date",1,""),("recorded_by","str",0,""),("created_at","ts",0,"")],
   [("ix_housing_incidents_estate",["estate_id"],0)]),
 ("cost_item", "housing_cost_items", "入居者移転支援実費 (an actual cost of the relocation support, §8(11)): item, amount, payee, date, evidence.", [
   ("estate_id","i64",0,""),("fiscal_year","i32",0,"年度 of the payment"),("item","str",0,"項目"),("amount","i64",0,"金額 (yen)"),("payee","str",0,"支払った相手方"),
   ("paid_on","date",0,"支払日"),("evidence_file_id","i64",1,"証拠書類 (platform file)"),("evidence_note","str",1,"証拠書類の名称・番号"),("interest","i64",0,"調達にかかった金利 (yen)"),
   ("claim_id","i64",1,"the claim that includes it"),("recorded_by","str",0,""),("created_at","ts",0,"")],
   [("ix_housing_cost_items_estate",["estate_id","fiscal_year"],0)]),
 ("cost_claim", "housing_cost_claims", "実費の請求 (a claim: once per fiscal year from 令和8年度, and one final claim at the end of 本移転).", [
   ("estate_id","i64",0,""),("fiscal_year","i32",0,""),("is_final","bool",0,"本移転終了時の請求"),("total","i64",0,"Σ amount + interest of its items"),
   ("report_on","date",1,"収支報告の提出日"),("confirmed_on","date",1,"県の金額確定日"),("confirmed_amount","i64",1,""),("invoice_on","date",1,"請求書の受領日"),
   ("pay_by","date",1,"請求書から40日以内"),("paid_on","date",1,""),("created_by","str",0,""),("created_at","ts",0,"")],
   [("ux_housing_cost_claims_year",["estate_id","fiscal_year","is_final"],1)]),
]

RS = {"i64":"i64","i32":"i32","str":"String","text":"String","bool":"bool","date":"Date","ts":"DateTimeUtc"}
MIG = {"i64":"big_integer","i32":"integer","str":"string","text":"text","bool":"boolean","date":"date","ts":"timestamp_with_time_zone"}

ents = []
for mod, table, doc, cols, idx in T:
    lines = [f"//! {doc}", "//! Generated by crates/modules/housing/gen/schema.py; edit the table list there.", "use sea_orm::entity::prelude::*;", "use serde::Serialize;", "",
             "#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]",
             # The schema's name in the OpenAPI document (every entity's type is called `Model`).
             f'#[schemars(rename = "{"".join(w.capitalize() for w in mod.split("_"))}")]', f'#[sea_orm(table_name = "{table}")]', "pub struct Model {", "    #[sea_orm(primary_key)]", "    pub id: i64,"]
    for c, t, n, d in cols:
        if d: lines.append(f"    /// {d}")
        if t == "text": lines.append(f'    #[sea_orm(column_type = "Text"{", nullable" if n else ""})]')
        ty = RS[t]
        lines.append(f"    pub {c}: {'Option<'+ty+'>' if n else ty},")
    lines += ["}", "", "#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]", "pub enum Relation {}", "", "impl ActiveModelBehavior for ActiveModel {}", ""]
    open(os.path.join(SRC, "entities", mod + ".rs"), "w").write("\n".join(lines))
    ents.append(mod)
open(os.path.join(SRC, "entities", "mod.rs"), "w").write("//! Housing tables (generated by crates/modules/housing/gen/schema.py).\n" + "".join(f"pub mod {m};\n" for m in sorted(ents)))

m = ["//! Housing tables. Generated by crates/modules/housing/gen/schema.py from one table list, with SeaORM's",
     "//! schema builder: one source for SQLite and PostgreSQL.", "", "use sea_orm_migration::prelude::*;", "use sea_orm_migration::schema::*;", "",
     "pub struct Migration;", "", "impl MigrationName for Migration {", '    fn name(&self) -> &str {', '        "m0201_housing"', "    }", "}", "",
     "fn a(s: &str) -> Alias {", "    Alias::new(s)", "}", "",
     "#[async_trait::async_trait]", "impl MigrationTrait for Migration {", "    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {"]
for mod, table, doc, cols, idx in T:
    m.append(f'        m.create_table(Table::create().table(a("{table}")).col(big_integer(a("id")).auto_increment().primary_key())')
    for c, t, n, d in cols:
        fn = MIG[t] + ("_null" if n else "")
        m.append(f'            .col({fn}(a("{c}")))')
    m.append("            .take()).await?;")
    for name, icols, uniq in idx:
        colstr = "".join('.col(a("%s"))' % c for c in icols)
        uq = ".unique()" if uniq else ""
        m.append(f'        m.create_index(Index::create().name("{name}").table(a("{table}")){colstr}{uq}.take()).await?;')
m.append("        Ok(())")
m.append("    }")
m.append("")
m.append("    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {")
for mod, table, doc, cols, idx in reversed(T):
    m.append(f'        m.drop_table(Table::drop().table(a("{table}")).take()).await?;')
m += ["        Ok(())", "    }", "}", ""]
# Compared after rustfmt (the committed file is formatted), with the repository's rustfmt.toml.
import subprocess, tempfile
mig = os.path.join(SRC, "migration", "m0201_housing.rs")
with tempfile.NamedTemporaryFile("w", suffix=".rs", dir=os.path.join(HERE, "..", "..", "..", ".."), delete=False) as f:
    f.write("\n".join(m))
subprocess.run(["rustfmt", "--edition", "2024", f.name], check=True)
generated = open(f.name).read()
os.unlink(f.name)
if open(mig).read() != generated:
    raise SystemExit("schema.py: the table list no longer gives m0201_housing, which is applied and frozen;\n"
                     "write a new migration housing_<NNNN>_<what> for the change (see migration/mod.rs)")
print("ok", len(T), "tables")
