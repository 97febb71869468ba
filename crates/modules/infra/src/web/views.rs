use crate::domain::{AssetKind, Phase, Status, Urgency};

/// Labels for the infra vocabulary, in the page's language.
pub struct L {
    pub en: bool,
}

impl L {
    pub fn is_en(&self) -> bool {
        self.en
    }
    pub fn kind(&self, k: &str) -> &'static str {
        AssetKind::parse(k).map(|v| v.label(self.en)).unwrap_or("")
    }
    pub fn status(&self, k: &str) -> &'static str {
        Status::parse(k).map(|v| v.label(self.en)).unwrap_or("")
    }
    pub fn urgency(&self, k: &str) -> &'static str {
        Urgency::parse(k).map(|v| v.label(self.en)).unwrap_or("")
    }
    pub fn kinds(&self) -> &'static [AssetKind] {
        AssetKind::ALL
    }
    pub fn statuses(&self) -> &'static [Status] {
        Status::ALL
    }
    pub fn urgencies(&self) -> &'static [Urgency] {
        Urgency::ALL
    }
    pub fn phases(&self) -> &'static [Phase] {
        Phase::ALL
    }
    pub fn yen(&self, v: &Option<i64>) -> String {
        match v {
            None => "—".into(),
            Some(n) => yen(*n),
        }
    }
    pub fn grade(&self, g: &i32) -> &'static str {
        crate::domain::grade_label(*g as u8)
    }
    pub fn yen_i(&self, v: &i64) -> String {
        yen(*v)
    }
}

pub fn yen(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{}円", if n < 0 { "-" } else { "" }, out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn yen_has_separators() {
        assert_eq!(super::yen(1234567), "1,234,567円");
        assert_eq!(super::yen(0), "0円");
        assert_eq!(super::yen(500), "500円");
    }
}
