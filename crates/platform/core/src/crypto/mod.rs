//! 個人情報の暗号化 (personal-data field encryption).
//!
//! Modules that hold personal data (housing: names, phone numbers, addresses, bank accounts,
//! care notes) encrypt it field by field with XChaCha20-Poly1305 before it reaches the
//! database, and search it by exact match through a blind index (HMAC-SHA256).
//!
//! - Stored text: `v1.<key_id>.<base64url(nonce ‖ ciphertext ‖ tag)>`, the same on SQLite and
//!   PostgreSQL. The nonce is 24 random bytes per value: random 24-byte nonces do not
//!   realistically collide, unlike 12-byte ones.
//! - The caller gives the AAD (`"housing_households.name:<row uid>"`), so a value copied into
//!   another row or column does not decrypt.
//! - A [`Keyring`] holds several keys (one active for new writes, older ones for reading until
//!   `tabane rotate-keys` has re-encrypted everything) and the blind-index key.
//! - The process installs one keyring at start-up ([`install`]); [`seal`], [`open`] and
//!   [`blind_index`] use it. [`verify_or_init`] refuses a start whose keys do not match the
//!   canaries in `crypto_key_checks`.
//!
//! Key material is zeroized on drop and never printed: `Debug` shows key ids only.

mod store;

pub use store::{
    EncryptedColumn, KeyProblem, RotationReport, find_key_problem, key_usage, reencrypt, retire_unused, verify_or_init,
};

use crate::error::{Error, Result};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::fmt;
use std::sync::{Arc, RwLock};
use zeroize::Zeroizing;

/// Version tag of the stored form; a later format gets `v2`.
const VERSION: &str = "v1";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

type Material = Zeroizing<[u8; 32]>;

/// 鍵束 (keyring): the personal-data keys of this installation.
pub struct Keyring {
    keys: Vec<(String, Material)>,
    active: String,
    index: (String, Material),
}

impl fmt::Debug for Keyring {
    // Key ids only: key material must never reach a log line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("keys", &self.keys.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>())
            .field("active", &self.active)
            .field("index", &self.index.0)
            .finish()
    }
}

fn bad_key(ja: String, en: String) -> Error {
    Error::crypto(ja, en)
}

/// Key ids appear in stored text and in `LIKE 'v1.<id>.%'` filters: lower-case letters, digits
/// and `-` only (no `_`/`%` wildcards, no case folding differences between SQLite and PostgreSQL).
pub fn valid_key_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses a key text `"<key_id>:<base64 of 32 bytes>"`.
fn parse_key(text: &str) -> Result<(String, Material)> {
    let text = text.trim();
    let Some((id, b64)) = text.split_once(':') else {
        return Err(bad_key(
            "個人情報の暗号鍵は「鍵ID:base64」の形で指定してください".into(),
            "A personal-data key must be given as \"key_id:base64\"".into(),
        ));
    };
    let id = id.trim();
    if !valid_key_id(id) {
        return Err(bad_key(
            format!("個人情報の暗号鍵の鍵ID「{id}」は英小文字・数字・ハイフン（32文字まで）で指定してください"),
            format!("Personal-data key id \"{id}\" must be lower-case letters, digits and hyphens (up to 32)"),
        ));
    }
    let bytes =
        Zeroizing::new(STANDARD.decode(b64.trim()).or_else(|_| URL_SAFE_NO_PAD.decode(b64.trim())).unwrap_or_default());
    if bytes.len() != 32 {
        return Err(bad_key(
            format!("個人情報の暗号鍵 {id} は32バイトをbase64で表したものではありません"),
            format!("Personal-data key {id} is not 32 bytes in base64"),
        ));
    }
    let mut m: Material = Zeroizing::new([0u8; 32]);
    m.copy_from_slice(&bytes);
    Ok((id.to_string(), m))
}

impl Keyring {
    /// Builds a keyring from key texts (`"k2026:<base64>"`), the active key id (may be empty when
    /// there is exactly one key) and the blind-index key text.
    pub fn from_texts(keys: &[String], active: &str, index_key: &str) -> Result<Keyring> {
        let mut parsed: Vec<(String, Material)> = Vec::new();
        for t in keys.iter().filter(|t| !t.trim().is_empty()) {
            let (id, m) = parse_key(t)?;
            if parsed.iter().any(|(p, _)| *p == id) {
                return Err(bad_key(
                    format!("個人情報の暗号鍵 {id} が重複しています"),
                    format!("Personal-data key {id} is given twice"),
                ));
            }
            parsed.push((id, m));
        }
        if parsed.is_empty() {
            return Err(bad_key(
                "個人情報の暗号鍵が設定されていません".into(),
                "No personal-data key is configured".into(),
            ));
        }
        let active = match active.trim() {
            "" if parsed.len() == 1 => parsed[0].0.clone(),
            "" => {
                return Err(bad_key(
                    "個人情報の暗号鍵が複数あります。personal_data_active_key で使用中の鍵IDを指定してください".into(),
                    "Several personal-data keys are configured: set personal_data_active_key".into(),
                ));
            }
            a if parsed.iter().any(|(id, _)| id == a) => a.to_string(),
            a => {
                return Err(bad_key(
                    format!("personal_data_active_key の鍵 {a} が personal_data_keys にありません"),
                    format!("Active key {a} is not among personal_data_keys"),
                ));
            }
        };
        if index_key.trim().is_empty() {
            return Err(bad_key(
                "個人情報の検索用鍵 personal_data_index_key が設定されていません".into(),
                "personal_data_index_key is not configured".into(),
            ));
        }
        let index = parse_key(index_key)?;
        Ok(Keyring { keys: parsed, active, index })
    }

    /// A fresh random key text `"<key_id>:<base64 of 32 bytes>"` (for `tabane generate-key`).
    pub fn generate_key(key_id: &str) -> Result<String> {
        if !valid_key_id(key_id) {
            return Err(bad_key(
                format!("鍵ID「{key_id}」は英小文字・数字・ハイフン（32文字まで）で指定してください"),
                format!("Key id \"{key_id}\" must be lower-case letters, digits and hyphens (up to 32)"),
            ));
        }
        let mut m: Material = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(m.as_mut());
        Ok(format!("{key_id}:{}", STANDARD.encode(m.as_ref())))
    }

    /// A fixed keyring for tests (`test-a` active, `test-idx` for the blind index). Never use it
    /// for real data: its keys are in the source.
    pub fn for_tests() -> Keyring {
        Keyring::from_texts(
            &[format!("test-a:{}", STANDARD.encode([7u8; 32]))],
            "test-a",
            &format!("test-idx:{}", STANDARD.encode([9u8; 32])),
        )
        .expect("fixed test keys are valid")
    }

    /// The key id new values are sealed with.
    pub fn active_key_id(&self) -> &str {
        &self.active
    }

    /// All configured key ids (active and older ones kept for reading).
    pub fn key_ids(&self) -> Vec<&str> {
        self.keys.iter().map(|(id, _)| id.as_str()).collect()
    }

    pub fn index_key_id(&self) -> &str {
        &self.index.0
    }

    fn material(&self, key_id: &str) -> Option<&Material> {
        self.keys.iter().find(|(id, _)| id == key_id).map(|(_, m)| m)
    }

    /// Encrypts `plaintext` with the active key; `aad` binds it to its row and column.
    pub fn seal(&self, aad: &str, plaintext: &str) -> Result<String> {
        self.seal_with(&self.active, aad, plaintext)
    }

    pub(crate) fn seal_with(&self, key_id: &str, aad: &str, plaintext: &str) -> Result<String> {
        let m = self.material(key_id).ok_or_else(|| unknown_key(key_id))?;
        let cipher = XChaCha20Poly1305::new(m.as_ref().into());
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext.as_bytes(), aad: aad.as_bytes() })
            .map_err(|_| Error::crypto("個人情報の暗号化に失敗しました", "Encrypting personal data failed"))?;
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(format!("{VERSION}.{key_id}.{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// Decrypts a stored value. Fails (without revealing anything) when the key id is not
    /// configured, the text was changed, or `aad` is not the one it was sealed with.
    pub fn open(&self, aad: &str, stored: &str) -> Result<String> {
        let (key_id, body) = split_stored(stored)?;
        let m = self.material(key_id).ok_or_else(|| unknown_key(key_id))?;
        let raw = URL_SAFE_NO_PAD.decode(body).map_err(|_| tampered())?;
        if raw.len() < NONCE_LEN + TAG_LEN {
            return Err(tampered());
        }
        let cipher = XChaCha20Poly1305::new(m.as_ref().into());
        let pt = cipher
            .decrypt(XNonce::from_slice(&raw[..NONCE_LEN]), Payload { msg: &raw[NONCE_LEN..], aad: aad.as_bytes() })
            .map_err(|_| tampered())?;
        String::from_utf8(pt).map_err(|_| tampered())
    }

    /// 検索用索引 (blind index): hex of the first 16 bytes of HMAC-SHA256(index key, value with
    /// surrounding and inner whitespace removed, full-width spaces included), for exact-match
    /// search without decrypting.
    pub fn blind_index(&self, value: &str) -> String {
        let normalised: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.index.1.as_ref()).expect("HMAC takes any key length");
        mac.update(normalised.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

/// The key id a stored value was sealed with (`None` if it is not in the stored form).
pub fn key_id_of(stored: &str) -> Option<&str> {
    split_stored(stored).ok().map(|(id, _)| id)
}

fn split_stored(stored: &str) -> Result<(&str, &str)> {
    let mut parts = stored.splitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(VERSION), Some(id), Some(body)) if !id.is_empty() => Ok((id, body)),
        _ => Err(Error::crypto(
            "暗号化された個人情報の形式が正しくありません",
            "The encrypted personal data is not in the expected form",
        )),
    }
}

fn unknown_key(key_id: &str) -> Error {
    Error::crypto(
        format!("個人情報の暗号鍵 {key_id} が設定にありません"),
        format!("Personal-data key {key_id} is not configured"),
    )
}

fn tampered() -> Error {
    Error::crypto(
        "暗号化された個人情報を復号できません（改ざん、または別の行の値の可能性があります）",
        "Cannot decrypt the personal data (it was altered or belongs to another row)",
    )
}

/// The keyring of this process; replaced by [`install`].
static INSTALLED: RwLock<Option<Arc<Keyring>>> = RwLock::new(None);

/// Installs (or replaces) the keyring used by [`seal`], [`open`] and [`blind_index`].
pub fn install(keyring: Arc<Keyring>) {
    *INSTALLED.write().unwrap_or_else(|e| e.into_inner()) = Some(keyring);
}

/// The installed keyring, or an error saying none is configured.
pub fn installed() -> Result<Arc<Keyring>> {
    INSTALLED
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .ok_or_else(|| Error::crypto("個人情報の暗号鍵が設定されていません", "No personal-data key is configured"))
}

/// Encrypts with the installed keyring's active key.
pub fn seal(aad: &str, plaintext: &str) -> Result<String> {
    installed()?.seal(aad, plaintext)
}

/// Decrypts with the installed keyring.
pub fn open(aad: &str, stored: &str) -> Result<String> {
    installed()?.open(aad, stored)
}

/// Blind index with the installed keyring's index key.
pub fn blind_index(value: &str) -> Result<String> {
    Ok(installed()?.blind_index(value))
}

#[cfg(test)]
mod tests;
