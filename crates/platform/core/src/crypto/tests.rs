use super::*;

fn ring(keys: &[&str], active: &str) -> Keyring {
    let keys: Vec<String> = keys.iter().map(|s| s.to_string()).collect();
    Keyring::from_texts(&keys, active, &format!("idx:{}", STANDARD.encode([3u8; 32]))).unwrap()
}

fn key(id: &str, byte: u8) -> String {
    format!("{id}:{}", STANDARD.encode([byte; 32]))
}

#[test]
fn round_trip_and_stored_form() {
    let k = Keyring::for_tests();
    let s = k.seal("housing_households.name:42", "山田 太郎").unwrap();
    assert!(s.starts_with("v1.test-a."), "{s}");
    assert!(!s.contains("山田"));
    assert_eq!(k.open("housing_households.name:42", &s).unwrap(), "山田 太郎");
    assert_eq!(key_id_of(&s), Some("test-a"));
    // A fresh nonce each time: equal plaintexts give different texts.
    assert_ne!(s, k.seal("housing_households.name:42", "山田 太郎").unwrap());
    assert_eq!(k.open("a", &k.seal("a", "").unwrap()).unwrap(), "");
}

#[test]
fn wrong_aad_fails() {
    let k = Keyring::for_tests();
    let s = k.seal("housing_households.name:42", "山田").unwrap();
    let e = k.open("housing_households.name:43", &s).unwrap_err();
    assert!(e.to_string().contains("復号できません"), "{e}");
    assert!(k.open("housing_households.phone:42", &s).is_err());
}

#[test]
fn tampered_text_fails() {
    let k = Keyring::for_tests();
    let s = k.seal("t:1", "090-1234-5678").unwrap();
    let (head, body) = s.rsplit_once('.').unwrap();
    let mut b = URL_SAFE_NO_PAD.decode(body).unwrap();
    for i in [0, NONCE_LEN, b.len() - 1] {
        let mut c = b.clone();
        c[i] ^= 1;
        assert!(k.open("t:1", &format!("{head}.{}", URL_SAFE_NO_PAD.encode(&c))).is_err(), "flipped byte {i}");
    }
    b.truncate(NONCE_LEN + TAG_LEN - 1);
    assert!(k.open("t:1", &format!("{head}.{}", URL_SAFE_NO_PAD.encode(&b))).is_err());
    assert!(k.open("t:1", "v1.test-a.!!!").is_err());
    assert!(k.open("t:1", "plain text").unwrap_err().to_string().contains("形式"));
    assert!(k.open("t:1", &s.replacen("v1.", "v2.", 1)).is_err());
}

#[test]
fn unknown_key_id_fails_with_message() {
    let old = ring(&[&key("k2025", 1)], "");
    let s = old.seal("t:1", "x").unwrap();
    let new = ring(&[&key("k2026", 2)], "");
    let e = new.open("t:1", &s).unwrap_err();
    assert_eq!(e.to_string(), "個人情報の暗号鍵 k2025 が設定にありません");
    assert_eq!(e.message(true), "Personal-data key k2025 is not configured");
    // Same id, different material: authentication fails.
    assert!(ring(&[&key("k2025", 9)], "").open("t:1", &s).is_err());
    // Both keys, new one active: old values still read, new ones use the new key.
    let both = ring(&[&key("k2025", 1), &key("k2026", 2)], "k2026");
    assert_eq!(both.open("t:1", &s).unwrap(), "x");
    assert_eq!(key_id_of(&both.seal("t:1", "y").unwrap()), Some("k2026"));
}

#[test]
fn blind_index_is_stable_normalised_and_key_dependent() {
    let k = Keyring::for_tests();
    let a = k.blind_index("山田太郎");
    assert_eq!(a.len(), 32);
    assert_eq!(a, k.blind_index("  山田\u{3000}太郎 "));
    assert_eq!(a, Keyring::for_tests().blind_index("山田 太郎"));
    assert_ne!(a, k.blind_index("山田次郎"));
    assert_ne!(a, ring(&[&key("k1", 1)], "").blind_index("山田太郎"));
}

#[test]
fn generated_keys_parse_back_and_differ() {
    let a = Keyring::generate_key("k2026").unwrap();
    let b = Keyring::generate_key("k2026").unwrap();
    assert_ne!(a, b);
    assert!(a.starts_with("k2026:"));
    let k = Keyring::from_texts(std::slice::from_ref(&a), "", &Keyring::generate_key("idx").unwrap()).unwrap();
    assert_eq!(k.active_key_id(), "k2026");
    assert!(Keyring::generate_key("K_2026").is_err());
}

#[test]
fn bad_configuration_is_explained() {
    let msg = |r: Result<Keyring>| r.unwrap_err().to_string();
    let idx = key("idx", 3);
    assert!(msg(Keyring::from_texts(&[], "", &idx)).contains("設定されていません"));
    assert!(msg(Keyring::from_texts(&["k1".into()], "", &idx)).contains("鍵ID:base64"));
    assert!(msg(Keyring::from_texts(&["k1:AAAA".into()], "", &idx)).contains("32バイト"));
    assert!(msg(Keyring::from_texts(&[key("k1", 1), key("k2", 2)], "", &idx)).contains("personal_data_active_key"));
    assert!(msg(Keyring::from_texts(&[key("k1", 1)], "k9", &idx)).contains("k9"));
    assert!(msg(Keyring::from_texts(&[key("k1", 1), key("k1", 2)], "k1", &idx)).contains("重複"));
    assert!(msg(Keyring::from_texts(&[key("k1", 1)], "", "")).contains("personal_data_index_key"));
}

#[test]
fn debug_never_shows_key_material() {
    let text = key("k1", 0xAB);
    let k = Keyring::from_texts(std::slice::from_ref(&text), "", &key("idx", 0xCD)).unwrap();
    let d = format!("{k:?}");
    assert!(d.contains("k1") && d.contains("idx"), "{d}");
    assert!(
        !d.contains(text.split_once(':').unwrap().1) && !d.contains("171") && !d.to_lowercase().contains("ab, "),
        "{d}"
    );
}

#[test]
fn process_keyring_must_be_installed() {
    // The only unit test touching the process-wide keyring, so the order here is reliable.
    let e = seal("t:1", "x").unwrap_err();
    assert_eq!(e.to_string(), "個人情報の暗号鍵が設定されていません");
    install(Arc::new(Keyring::for_tests()));
    let s = seal("t:1", "x").unwrap();
    assert_eq!(open("t:1", &s).unwrap(), "x");
    assert_eq!(blind_index("x").unwrap(), Keyring::for_tests().blind_index("x"));
}
