//! 通報の種類 (Open311 service definitions). Each service maps to a work-order category and to
//! the kind of asset used to route a report to its owner.

use crate::domain::AssetKind;

pub struct Attribute {
    pub code: &'static str,
    pub datatype: &'static str,
    pub required: bool,
    pub description: &'static str,
    pub values: &'static [(&'static str, &'static str)],
}

pub struct Service {
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub group: &'static str,
    pub keywords: &'static str,
    /// Work-order category the report becomes.
    pub category: &'static str,
    /// Asset kinds whose owner is found by the nearest-asset rule.
    pub asset_kinds: &'static [AssetKind],
    pub attributes: &'static [Attribute],
}

const SIZE: Attribute = Attribute {
    code: "size",
    datatype: "singlevaluelist",
    required: false,
    description: "大きさ",
    values: &[("small", "小（30cm未満）"), ("medium", "中（30cm〜1m）"), ("large", "大（1m以上）")],
};
const DANGER: Attribute = Attribute {
    code: "danger",
    datatype: "singlevaluelist",
    required: true,
    description: "通行に危険がありますか",
    values: &[("yes", "はい"), ("no", "いいえ")],
};

pub static SERVICES: &[Service] = &[
    Service {
        code: "road-pothole",
        name: "道路の穴・段差",
        description: "舗装の穴（ポットホール）、段差、ひび割れ",
        group: "道路",
        keywords: "舗装,穴,段差",
        category: "舗装補修",
        asset_kinds: &[AssetKind::Pavement, AssetKind::Road],
        attributes: &[SIZE, DANGER],
    },
    Service {
        code: "streetlight",
        name: "道路照明・防犯灯の不点灯",
        description: "道路照明や防犯灯が点かない・点滅している",
        group: "道路",
        keywords: "照明,街灯,防犯灯",
        category: "照明施設修繕",
        asset_kinds: &[AssetKind::Appendage],
        attributes: &[],
    },
    Service {
        code: "guardrail",
        name: "ガードレール・標識の破損",
        description: "防護柵、カーブミラー、標識の破損や傾き",
        group: "道路",
        keywords: "ガードレール,標識,ミラー",
        category: "小規模施設修繕",
        asset_kinds: &[AssetKind::Appendage],
        attributes: &[DANGER],
    },
    Service {
        code: "fallen-tree",
        name: "倒木・落下物",
        description: "道路をふさぐ倒木や落下物",
        group: "道路",
        keywords: "倒木,落下物",
        category: "倒木処理",
        asset_kinds: &[AssetKind::Road, AssetKind::Pavement],
        attributes: &[DANGER],
    },
    Service {
        code: "drain",
        name: "側溝・排水の詰まり",
        description: "側溝の詰まり、冠水",
        group: "道路",
        keywords: "側溝,排水,冠水",
        category: "側溝清掃",
        asset_kinds: &[AssetKind::Road, AssetKind::River],
        attributes: &[],
    },
    Service {
        code: "park",
        name: "公園・遊具の破損",
        description: "遊具やベンチの破損",
        group: "公園",
        keywords: "公園,遊具",
        category: "小規模施設修繕",
        asset_kinds: &[AssetKind::Park],
        attributes: &[],
    },
];

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Service").field(&self.code).finish()
    }
}

pub fn find(code: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.code == code)
}
