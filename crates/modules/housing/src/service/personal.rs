//! 個人情報 (personal data, seed §1(9), §8(3)イ(ウ)): names, kana, phone, forwarding address,
//! care notes and the bank account are encrypted field by field (XChaCha20-Poly1305, the
//! household's random uid in the associated data) and never appear in lists. Reading them is a
//! deliberate act: `reveal` writes a personal-read audit entry before returning the plaintext.
//! The contractor enters the bank account from the paper 6-sheet set but cannot read it back.

use super::cases;
use crate::entities::household;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use tabane_core::crypto::{self, EncryptedColumn};
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

const T: &str = "housing_households";

/// The encrypted columns, for key rotation (`tabane rotate-keys`).
pub const COLUMNS: &[EncryptedColumn] = &[
    EncryptedColumn { table: T, id_col: "uid", col: "name_enc", aad_prefix: "housing_households.name:" },
    EncryptedColumn { table: T, id_col: "uid", col: "kana_enc", aad_prefix: "housing_households.kana:" },
    EncryptedColumn { table: T, id_col: "uid", col: "phone_enc", aad_prefix: "housing_households.phone:" },
    EncryptedColumn { table: T, id_col: "uid", col: "address_enc", aad_prefix: "housing_households.address:" },
    EncryptedColumn { table: T, id_col: "uid", col: "care_note_enc", aad_prefix: "housing_households.care_note:" },
    EncryptedColumn { table: T, id_col: "uid", col: "bank_enc", aad_prefix: "housing_households.bank:" },
];

/// 住宅替え先の住所 on a move (AAD: the move's id).
pub const LEG_ADDRESS: EncryptedColumn = EncryptedColumn {
    table: "housing_legs",
    id_col: "id",
    col: "to_address_enc",
    aad_prefix: "housing_legs.to_address:",
};

/// Every encrypted column of the module.
pub fn all_columns() -> Vec<EncryptedColumn> {
    let mut v = COLUMNS.to_vec();
    v.push(LEG_ADDRESS);
    v
}

/// 住宅替え先 (another prefectural dwelling's address) for a 住宅替 move, encrypted.
pub async fn set_transfer_address<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg_id: i64,
    address: &str,
) -> Result<()> {
    set_transfer_address_on(db, ctx, super::moves::load(db, ctx, leg_id).await?, address).await
}

/// [`set_transfer_address`] on a move already found for the actor (the access proof).
pub async fn set_transfer_address_on<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    lc: super::moves::LegCtx,
    address: &str,
) -> Result<()> {
    use crate::entities::leg;
    let super::moves::LegCtx { leg: l, case: c, acc, .. } = lc;
    acc.require_staff()?;
    if l.kind != crate::domain::Classification::Transfer.key() {
        return Err(Error::conflict(
            "住宅替え先の住所は住宅替の移転にだけ登録します",
            "Only a transfer has a destination address",
        ));
    }
    if address.trim().is_empty() {
        return Err(Error::invalid("address", "住宅替え先の住所", "Address", "を入力してください", "is required"));
    }
    if l.forms_issued_on.is_some() {
        return Err(Error::conflict(
            "書類の配布後は住宅替え先を変えられません",
            "The destination cannot change after the forms were issued",
        ));
    }
    let sealed = crypto::seal(&LEG_ADDRESS.aad(&l.id.to_string()), address.trim())?;
    let tx = db.begin().await?;
    let mut am: leg::ActiveModel = l.clone().into();
    am.to_address_enc = Set(Some(sealed));
    am.update(&tx).await?;
    cases::event(
        &tx,
        ctx,
        &acc,
        c.id,
        Some(l.id),
        "set_transfer_address",
        None,
        Some("住宅替え先の住所（暗号化）".into()),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The transfer address of a move, for someone allowed to read personal data (audited by the caller).
pub fn open_leg_address(l: &crate::entities::leg::Model) -> Result<Option<String>> {
    l.to_address_enc.as_deref().map(|s| crypto::open(&LEG_ADDRESS.aad(&l.id.to_string()), s)).transpose()
}

fn col(name: &str) -> &'static EncryptedColumn {
    COLUMNS.iter().find(|c| c.col == name).expect("known column")
}

/// What staff enter. A field left out (None) is unchanged; an empty string clears it.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct PersonalForm {
    pub name: Option<String>,
    pub kana: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub care_note: Option<String>,
    pub bank_account: Option<String>,
}

/// The fields as revealed. `bank_account` is None when the actor may not read it; then
/// `bank_registered` says whether one is on file.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct PersonalView {
    pub name: Option<String>,
    pub kana: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub care_note: Option<String>,
    pub bank_account: Option<String>,
    pub bank_registered: bool,
    pub bank_hidden: bool,
    /// 住宅替え先 of the current move, if any.
    pub transfer_address: Option<String>,
}

fn seal(c: &str, uid: &str, v: &str) -> Result<Option<String>> {
    let v = v.trim();
    if v.is_empty() { Ok(None) } else { crypto::seal(&col(c).aad(uid), v).map(Some) }
}

fn open(c: &str, uid: &str, v: &Option<String>) -> Result<Option<String>> {
    v.as_deref().map(|s| crypto::open(&col(c).aad(uid), s)).transpose()
}

/// 申請口座 as written on the form: 金融機関・支店・種別・番号・名義. Only digits and the usual
/// punctuation are checked, so a typo in the number is caught at entry.
fn check_bank(v: &str) -> Result<()> {
    let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
    if !v.trim().is_empty() && !(4..=30).contains(&digits) {
        return Err(Error::invalid(
            "bank_account",
            "申請口座",
            "Bank account",
            "は金融機関名・支店・種別・口座番号（数字）を入力してください",
            "needs the bank, branch, type and account number",
        ));
    }
    Ok(())
}

/// Seals the fields given in `f` into a household row with the scheme of [`COLUMNS`] (AAD =
/// prefix + the household's uid) and sets the name's blind index; returns which fields were set.
/// `update` uses it, and so do bulk loads (the demo inserts its households in batches), so the
/// scheme lives in one place.
pub(crate) fn seal_into(am: &mut household::ActiveModel, uid: &str, f: &PersonalForm) -> Result<Vec<&'static str>> {
    let mut changed = Vec::new();
    macro_rules! put {
        ($field:ident, $col:literal, $am:ident) => {
            if let Some(v) = &f.$field {
                am.$am = Set(seal($col, uid, v)?);
                changed.push(stringify!($field));
            }
        };
    }
    put!(name, "name_enc", name_enc);
    put!(kana, "kana_enc", kana_enc);
    put!(phone, "phone_enc", phone_enc);
    put!(address, "address_enc", address_enc);
    put!(care_note, "care_note_enc", care_note_enc);
    put!(bank_account, "bank_enc", bank_enc);
    if let Some(n) = &f.name {
        am.name_bidx = Set(Some(n.trim()).filter(|s| !s.is_empty()).map(crypto::blind_index).transpose()?);
    }
    Ok(changed)
}

pub async fn update<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    case_id: i64,
    f: &PersonalForm,
) -> Result<()> {
    let (c, h, acc) = cases::load(db, ctx, case_id).await?;
    acc.require_staff()?;
    if let Some(b) = &f.bank_account {
        check_bank(b)?;
    }
    if h.erased_at.is_some() {
        return Err(Error::conflict(
            "この世帯の個人情報は保存期間の経過により消去されています",
            "This household's personal data has been erased",
        ));
    }
    let uid = h.uid.clone();
    let mut am: household::ActiveModel = h.into();
    let changed = seal_into(&mut am, &uid, f)?;
    if changed.is_empty() {
        return Ok(());
    }
    let tx = db.begin().await?;
    am.update(&tx).await?;
    // Which fields changed, never their values.
    audit::record(
        &tx,
        ctx,
        acc.change("update_personal", "housing_case", c.id, None, Some(serde_json::json!({ "fields": changed }))),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 個人情報の表示: decrypts the fields the actor may read and records the read first.
pub async fn reveal<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, case_id: i64) -> Result<PersonalView> {
    let (c, h, acc) = cases::load(db, ctx, case_id).await?;
    if !acc.may_read_personal() {
        return Err(Error::forbidden("閲覧者は個人情報を表示できません", "Viewers cannot read personal data"));
    }
    let bank_ok = acc.may_read_bank();
    let mut fields = vec!["name", "kana", "phone", "address", "care_note"];
    if bank_ok {
        fields.push("bank_account");
    }
    let current = cases::current_leg(db, c.id).await?;
    if current.as_ref().is_some_and(|l| l.to_address_enc.is_some()) {
        fields.push("transfer_address");
    }
    let tx = db.begin().await?;
    audit::record_personal_read(
        &tx,
        ctx,
        acc.change("read_personal", "housing_case", c.id, None, Some(serde_json::json!({ "fields": fields }))),
    )
    .await?;
    tx.commit().await?;
    Ok(PersonalView {
        name: open("name_enc", &h.uid, &h.name_enc)?,
        kana: open("kana_enc", &h.uid, &h.kana_enc)?,
        phone: open("phone_enc", &h.uid, &h.phone_enc)?,
        address: open("address_enc", &h.uid, &h.address_enc)?,
        care_note: open("care_note_enc", &h.uid, &h.care_note_enc)?,
        bank_account: if bank_ok { open("bank_enc", &h.uid, &h.bank_enc)? } else { None },
        bank_registered: h.bank_enc.is_some(),
        bank_hidden: !bank_ok,
        transfer_address: match &current {
            Some(l) => open_leg_address(l)?,
            None => None,
        },
    })
}
