//! Small answers shared by JSON handlers of the platform and the modules, typed so that the
//! OpenAPI document describes them.

use serde::Serialize;

/// `{"ok": true}`: the step was done.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Done {
    pub ok: bool,
}

impl Done {
    pub const OK: Done = Done { ok: true };
}

/// `{"imported": n}`: how many rows an import wrote.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Imported {
    pub imported: usize,
}

/// `{"id": n}`: the record a step created.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CreatedId {
    pub id: i64,
}
