//! アンケートの語彙 (survey vocabularies). Stored as the ASCII key, shown in Japanese first.

crate::vocabulary! {
    /// 実施状況 (status of a survey): questions are frozen once it is open.
    SurveyStatus {
        Draft = ("draft", "下書き", "Draft"),
        Open = ("open", "実施中", "Open"),
        Closed = ("closed", "締切", "Closed", "締切済"),
    }
}

crate::vocabulary! {
    /// 設問の種類 (kind of question).
    QuestionKind {
        Text = ("text", "記述（1行）", "Text", "記述"),
        LongText = ("long_text", "記述（複数行）", "Long text"),
        Number = ("number", "数値", "Number"),
        Date = ("date", "日付", "Date"),
        Single = ("single", "単一選択", "Single choice"),
        Multiple = ("multiple", "複数選択", "Multiple choice"),
        Ranked = ("ranked", "順位付き選択（第1希望〜）", "Ranked choice", "順位"),
        YesNo = ("yes_no", "はい／いいえ", "Yes / no"),
    }
}

impl QuestionKind {
    /// Kinds whose answers are keys of the question's options.
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Ranked)
    }
}

crate::vocabulary! {
    /// 配布方法 (how the survey reaches the recipient).
    Channel {
        Paper = ("paper", "紙", "Paper", "郵送", "書面"),
        Email = ("email", "メール", "E-mail"),
        Screen = ("screen", "画面", "On screen", "Web"),
    }
}

crate::vocabulary! {
    /// 回答状況 (status of a recipient).
    RecipientStatus {
        Pending = ("pending", "未回答", "Not answered"),
        Answered = ("answered", "回答済", "Answered", "回答済み"),
        Declined = ("declined", "辞退", "Declined"),
        Unreachable = ("unreachable", "連絡不能", "Unreachable"),
    }
}

crate::vocabulary! {
    /// 入力者 (who typed the answers): the respondent, or staff entering a paper answer (代理入力).
    EntrySource {
        Respondent = ("self", "本人", "Respondent", "本人入力"),
        Proxy = ("proxy", "代理入力", "Proxy entry", "代理"),
    }
}

crate::vocabulary! {
    /// 督促の方法 (follow-up method): 架電/訪問/文書/メール.
    FollowupMethod {
        Phone = ("phone", "架電", "Phone call", "電話"),
        Visit = ("visit", "訪問", "Visit"),
        Letter = ("letter", "文書", "Letter", "郵送"),
        Email = ("email", "メール", "E-mail"),
    }
}
