//! 個人情報の回答 (answers to questions marked `personal`): sealed with the platform's field
//! encryption (`crypto::seal`, AAD `survey_answers.value:<id>`), never written to the audit log in
//! clear, and each read of them by a person is audited.

use crate::context::Ctx;
use crate::crypto::{self, EncryptedColumn};
use crate::entities::survey_answer;
use crate::error::Result;
use crate::service::audit;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, IntoActiveModel};
use serde_json::Value;

/// The encrypted column of survey answers (for key rotation and key-use counts).
pub const ANSWER_VALUE: EncryptedColumn =
    EncryptedColumn { table: "survey_answers", id_col: "id", col: "value_enc", aad_prefix: "survey_answers.value:" };

/// What the audit log shows in place of a personal answer.
pub const MASK: &str = "（個人情報）";

/// An answer's value, opened when it is sealed.
pub fn value_of(a: &survey_answer::Model) -> Result<Value> {
    match &a.value_enc {
        Some(sealed) => {
            let text = crypto::open(&ANSWER_VALUE.aad(&a.id.to_string()), sealed)?;
            Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
        }
        None => Ok(serde_json::from_str(&a.value_json).unwrap_or(Value::Null)),
    }
}

/// Stores a personal answer: the row first (to know its id, the AAD), then its sealed value; the
/// clear value is never written.
pub async fn insert_sealed<C: ConnectionTrait>(
    txn: &C,
    survey_id: i64,
    recipient_id: i64,
    question_id: i64,
    value: &Value,
) -> Result<()> {
    let row = survey_answer::ActiveModel {
        survey_id: Set(survey_id),
        recipient_id: Set(recipient_id),
        question_id: Set(question_id),
        value_json: Set("null".into()),
        value_enc: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let sealed = crypto::seal(&ANSWER_VALUE.aad(&row.id.to_string()), &value.to_string())?;
    let mut am = row.into_active_model();
    am.value_enc = Set(Some(sealed));
    am.update(txn).await?;
    Ok(())
}

/// Records that a person read personal answers (which recipients, which questions).
pub async fn audit_read<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    owner_org_id: i64,
    bundle_id: Option<i64>,
    survey_id: i64,
    what: serde_json::Value,
) -> Result<()> {
    audit::record(
        db,
        ctx,
        audit::Change {
            org_id: Some(owner_org_id),
            bundle_id,
            action: "read_personal",
            entity: "survey",
            entity_id: survey_id.to_string(),
            before: None,
            after: Some(what),
        },
    )
    .await
}
