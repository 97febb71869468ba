//! 団地建替・入居者移転支援の用語 (the vocabulary of estate rebuild and resident relocation),
//! from 長崎県「西諫早団地建替事業 要求水準書」 (seed 002). Section references such as §8(5)ウ(エ)
//! point into that document; docs/design/housing.md quotes them.

tabane_core::vocabulary! {
    /// 移転の分類 (classification of a household, §8(5)ウ(イ)): exactly one per case.
    Classification {
        Main = ("main", "本移転", "Permanent move"),
        Temporary = ("temporary", "仮移転", "Temporary move"),
        Transfer = ("transfer", "住宅替", "Transfer to other public housing", "住替え", "住宅替え"),
        Leave = ("leave", "退去", "Leaving public housing", "退去者"),
    }
}

tabane_core::vocabulary! {
    /// 住戸の状態 (unit status).
    UnitStatus {
        Occupied = ("occupied", "入居中", "Occupied"),
        Vacant = ("vacant", "空き", "Vacant", "空家", "空き家"),
        ReservedTemp = ("reserved_temp", "仮住居確保", "Reserved as temporary housing", "仮住居"),
        Repair = ("repair", "補修中", "Under repair"),
        Office = ("office", "支援事務所", "Support office"),
    }
}

tabane_core::vocabulary! {
    /// 事業上の役割 (a building's role in the project; a building may hold several).
    BuildingRole {
        Demolish = ("demolish", "解体", "Demolition"),
        Renovate = ("renovate", "改修", "Renovation"),
        SurplusOne = ("surplus1", "余剰地Ⅰ", "Surplus land I", "余剰地I", "余剰地Ⅰ（既存建物付き譲渡）"),
        SurplusTwo = ("surplus2", "余剰地Ⅱ", "Surplus land II", "余剰地II", "余剰地Ⅱ（既存建物付き譲渡）"),
        TempSource = ("temp_source", "仮住居", "Temporary housing", "仮住居（●●戸）"),
        Destination = ("destination", "移転先", "Destination"),
        NewFirst = ("new_first", "1工区新築", "New building (phase 1)", "1工区新築棟"),
        Rebuild = ("rebuild", "建替住宅", "Rebuilt housing", "建替"),
        RebuildSite = ("rebuild_site", "建替住宅用地の候補", "Candidate site for rebuilt housing"),
        MoveSource = ("move_source", "本移転元", "Residents move out", "本移転・仮移転元"),
    }
}

impl BuildingRole {
    /// Reads the role list of the normalised table: 「余剰地Ⅰ（既存建物付き譲渡）;本移転元」. Text in
    /// full-width parentheses is a note and ignored; unknown parts are returned as errors.
    pub fn parse_list(s: &str) -> Result<Vec<BuildingRole>, String> {
        let mut out = Vec::new();
        for part in s.split([';', '；', '、', '/']).map(str::trim).filter(|p| !p.is_empty() && *p != "記載なし") {
            let head = part.split(['（', '(']).next().unwrap_or(part).trim();
            match BuildingRole::parse(part).or_else(|| BuildingRole::parse(head)) {
                Some(r) if !out.contains(&r) => out.push(r),
                Some(_) => {}
                None => return Err(part.to_string()),
            }
        }
        Ok(out)
    }
}

tabane_core::vocabulary! {
    /// 提出書類 (forms a household hands in, §8(5)ウ(エ)a). 請書 is two forms (住居用・駐車場用).
    FormKind {
        MoveOutNotice = ("move_out_notice", "県営住宅退去届", "Notice of leaving prefectural housing", "退去届"),
        PledgeHousing = ("pledge_housing", "請書（住居用）", "Pledge (dwelling)"),
        PledgeParking = ("pledge_parking", "請書（駐車場用）", "Pledge (parking)"),
        ParkingApplication = ("parking_application", "駐車場使用申込書", "Parking application"),
        GuarantorConsent = ("guarantor_consent", "連帯保証人承諾書", "Joint guarantor's consent"),
        NewTenantContact = ("new_tenant_contact", "新入居者連絡表", "New tenant contact sheet"),
        KeyReceipt = ("key_receipt", "誓約書兼鍵受領書", "Pledge and key receipt"),
        MovingFeeSet = ("moving_fee_set", "移転費支払いに関する書類（6枚綴り）", "Moving-fee papers (6 sheets)", "移転費支払いに関する書類"),
    }
}

impl FormKind {
    /// The seed's list for 本移転 and 住宅替 (§8(5)ウ(エ)a, §8(7)ウ(ア)a). The lists for 仮移転 and 退去
    /// are 「県より様式提供」: configuration, defaulting to the moving-fee set and the notice.
    pub fn required_for(class: Classification) -> &'static [FormKind] {
        use FormKind::*;
        match class {
            Classification::Main | Classification::Transfer => &[
                MoveOutNotice,
                PledgeHousing,
                PledgeParking,
                ParkingApplication,
                GuarantorConsent,
                NewTenantContact,
                KeyReceipt,
                MovingFeeSet,
            ],
            Classification::Temporary => &[MoveOutNotice, MovingFeeSet],
            Classification::Leave => &[MoveOutNotice, MovingFeeSet],
        }
    }
}

tabane_core::vocabulary! {
    /// 受領方法 (how a form was received). 「個人情報管理のため原則対面での受領とする」: any other
    /// method needs a reason.
    ReceiptMethod {
        InPerson = ("in_person", "対面", "In person"),
        Visit = ("visit", "訪問", "Home visit"),
        Post = ("post", "郵送（返信用封筒）", "Post (return envelope)", "郵送"),
        Box = ("box", "臨時ポスト", "Collection box"),
    }
}

tabane_core::vocabulary! {
    /// 支払の種類 (§8(5)ウ(オ)): the first half after the contract, the rest after vacating.
    PaymentKind {
        First = ("first", "1回目（動産移転相当額の半分）", "First (half of the movables amount)", "1回目"),
        Remainder = ("remainder", "残額", "Remainder"),
    }
}

tabane_core::vocabulary! {
    /// 仮移転の延長事由 (§8(6)エ(イ)a,b). There is no other variant, so a reason outside the
    /// seed's three cannot be stored.
    ExtensionReason {
        Illness = ("illness", "移転ができない程度の病気・障害", "Illness or disability preventing the move", "病気・障害"),
        Missing = ("missing", "失踪", "Missing"),
        Hospital = ("hospital", "入院中", "In hospital"),
    }
}

tabane_core::vocabulary! {
    /// 遅延の原因 (§8(6)エ(イ)c–f): who bears the delay of a 仮移転.
    DelayCause {
        Prefecture = ("prefecture", "県", "The prefecture", "県の事由", "県の指示"),
        Contractor = ("contractor", "事業者", "The contractor", "事業者の事由"),
        Resident = ("resident", "入居者", "The resident", "仮移転者", "入居者の事由"),
        ForceMajeure = ("force_majeure", "不可抗力・法令変更", "Force majeure or change of law", "不可抗力", "法令変更"),
        Other = ("other", "その他", "Other"),
    }
}

tabane_core::vocabulary! {
    /// 苦情・要望・想定外の事態 (§8(3)イ).
    IncidentKind {
        Complaint = ("complaint", "苦情", "Complaint"),
        Request = ("request", "要望", "Request"),
        Unexpected = ("unexpected", "想定外の事態", "Unexpected event"),
        Serious = ("serious", "重大な事態", "Serious event"),
    }
}

/// Rounds half up, as 四捨五入 does for the printed occupancy rates (I 23/40 = 57.5 → 58).
pub fn percent_half_up(num: i64, den: i64) -> Option<i64> {
    if den <= 0 {
        return None;
    }
    Some((200 * num + den) / (2 * den))
}

/// An area in hundredths of a square metre, so that sums are exact on both databases.
pub fn format_area(centi: i64) -> String {
    let whole = centi / 100;
    let frac = (centi % 100).abs();
    let mut s = whole.to_string();
    let mut grouped = String::new();
    let len = s.len();
    for (i, ch) in s.drain(..).enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) && ch != '-' {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if frac % 10 == 0 { format!("{grouped}.{}", frac / 10) } else { format!("{grouped}.{frac:02}") }
}

/// Yen with thousands separators.
pub fn format_yen(v: i64) -> String {
    let s = v.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0 { format!("-{out}円") } else { format!("{out}円") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_up_matches_the_seed_rates() {
        assert_eq!(percent_half_up(23, 40), Some(58));
        assert_eq!(percent_half_up(27, 40), Some(68));
        assert_eq!(percent_half_up(583, 907), Some(64));
        assert_eq!(percent_half_up(0, 30), Some(0));
        assert_eq!(percent_half_up(1, 0), None);
    }

    #[test]
    fn areas_and_yen_format() {
        assert_eq!(format_area(5_441_910), "54,419.1");
        assert_eq!(format_area(4454), "44.54");
        assert_eq!(format_area(27090), "270.9");
        assert_eq!(format_yen(1_234_567), "1,234,567円");
    }

    #[test]
    fn role_lists_parse() {
        assert_eq!(
            BuildingRole::parse_list("余剰地Ⅰ（既存建物付き譲渡）;本移転元").unwrap(),
            vec![BuildingRole::SurplusOne, BuildingRole::MoveSource]
        );
        assert!(BuildingRole::parse_list("宇宙港").is_err());
    }
}
