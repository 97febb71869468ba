//! How a JSON handler describes itself in the OpenAPI document: its inputs and outputs are read
//! from its signature (aide's `OperationInput` for each extractor, `OperationOutput` for the
//! return type), so the document cannot say something the handler does not take or answer.
//! This file gives the platform's own extractors and answers their descriptions.

use crate::error::AppError;
use crate::export::Export;
use crate::i18n::Lang;
use crate::middleware::{Auth, Page, RequestId, Revs};
use aide::generate::GenContext;
use aide::openapi::{MediaType, Operation, ReferenceOr, RequestBody, Response, SchemaObject, StatusCode};
use aide::operation::{OperationHandler, OperationInput, OperationOutput, set_body};
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use axum::response::IntoResponse;
use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;
use std::marker::PhantomData;

/// Which half of an operation a describer fills in. Inputs and outputs are generated with
/// schema generators of their own contract (how a type is read vs. how it is written: a field
/// with a default is optional in a request but always present in an answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Input,
    Output,
}

/// Fills in one half of a handler's operation (see `describe`).
pub type Describe = fn(&mut GenContext, &mut Operation, Side);

/// The describer of a handler, inferred from its type: `api_route!` calls this with the same
/// handler it mounts. Only a handler whose every extractor and whose answer can describe
/// themselves compiles here.
pub fn describe<H, I, O>(_handler: &H) -> Describe
where
    H: OperationHandler<I, O>,
    I: OperationInput,
    O: OperationOutput,
{
    fn run<I: OperationInput, O: OperationOutput>(ctx: &mut GenContext, op: &mut Operation, side: Side) {
        let responses = match side {
            Side::Input => {
                I::operation_input(ctx, op);
                I::inferred_early_responses(ctx, op)
            }
            Side::Output => O::inferred_responses(ctx, op),
        };
        for (status, res) in responses {
            // Errors are one shared schema (`Error`, added by the document builder).
            let Some(status) = status else { continue };
            let all = op.responses.get_or_insert_with(Default::default);
            all.responses.entry(StatusCode::Code(status)).or_insert(ReferenceOr::Item(res));
        }
    }
    run::<I, O>
}

/// A JSON answer with `201 Created`.
pub struct Created<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> axum::response::Response {
        (axum::http::StatusCode::CREATED, axum::Json(self.0)).into_response()
    }
}

impl<T: JsonSchema> OperationOutput for Created<T> {
    type Inner = T;
    fn operation_response(ctx: &mut GenContext, op: &mut Operation) -> Option<Response> {
        axum::Json::<T>::operation_response(ctx, op)
    }
    fn inferred_responses(ctx: &mut GenContext, op: &mut Operation) -> Vec<(Option<u16>, Response)> {
        Self::operation_response(ctx, op).map(|r| (Some(201), r)).into_iter().collect()
    }
}

/// JSON already serialized (a read cache keeps answers as bytes), described as the `T` it was
/// serialized from. Built only by `JsonBytes::of` and `JsonBytes::cached`, from a `T`.
pub struct JsonBytes<T>(Bytes, PhantomData<fn() -> T>);

impl<T: serde::Serialize> JsonBytes<T> {
    pub fn of(value: &T) -> Result<Self, serde_json::Error> {
        Ok(JsonBytes(Bytes::from(serde_json::to_vec(value)?), PhantomData))
    }
}

impl<T> JsonBytes<T> {
    /// Bytes that `JsonBytes::<T>::of` made earlier (taken back out of a cache).
    pub fn cached(bytes: &JsonBytes<T>) -> Self {
        JsonBytes(bytes.0.clone(), PhantomData)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> IntoResponse for JsonBytes<T> {
    fn into_response(self) -> axum::response::Response {
        ([(header::CONTENT_TYPE, "application/json")], self.0).into_response()
    }
}

impl<T: JsonSchema> OperationOutput for JsonBytes<T> {
    type Inner = T;
    fn operation_response(ctx: &mut GenContext, op: &mut Operation) -> Option<Response> {
        axum::Json::<T>::operation_response(ctx, op)
    }
    fn inferred_responses(ctx: &mut GenContext, op: &mut Operation) -> Vec<(Option<u16>, Response)> {
        axum::Json::<T>::inferred_responses(ctx, op)
    }
}

/// A `multipart/form-data` body whose parts are described by `T` (a struct used only for the
/// document; the handler reads the parts with `next_field` as before).
pub struct Upload<T>(pub Multipart, pub PhantomData<fn() -> T>);

impl<S: Send + Sync, T> FromRequest<S> for Upload<T> {
    type Rejection = <Multipart as FromRequest<S>>::Rejection;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Upload(Multipart::from_request(req, state).await?, PhantomData))
    }
}

impl<T: JsonSchema> OperationInput for Upload<T> {
    fn operation_input(ctx: &mut GenContext, op: &mut Operation) {
        let schema = ctx.schema.subschema_for::<T>();
        let content = IndexMap::from_iter([(
            "multipart/form-data".to_string(),
            MediaType {
                schema: Some(SchemaObject { json_schema: schema, example: None, external_docs: None }),
                ..Default::default()
            },
        )]);
        set_body(ctx, op, RequestBody { description: None, content, required: true, extensions: IndexMap::default() });
    }
}

/// A file part of an `Upload` (its bytes, as sent).
pub struct FilePart;

impl JsonSchema for FilePart {
    fn schema_name() -> Cow<'static, str> {
        "FilePart".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "contentMediaType": "application/octet-stream" })
    }
}

// Extractors that read nothing from the request itself: who is calling is the operation's
// security (from the route's access class), the rest are set by the middleware.
impl OperationInput for Auth {}
impl OperationInput for Page {}
impl OperationInput for Lang {}
impl OperationInput for RequestId {}
impl OperationInput for Revs {}

impl OperationInput for Export {
    fn operation_input(ctx: &mut GenContext, op: &mut Operation) {
        let schema = ctx.schema.subschema_for::<ExportQuery>();
        let params = aide::operation::parameters_from_schema(ctx, schema, aide::operation::ParamLocation::Query);
        aide::operation::add_parameters(ctx, op, params);
    }
}

/// `?format=` (see `Export`): described for the document only.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct ExportQuery {
    /// Absent, empty or `html` for JSON; `csv`/`utf8`, `cp932`/`sjis` or `xlsx` for a file.
    format: Option<String>,
}

/// Every error is the one `Error` schema, added to each operation by the document builder
/// (an error can come from the pipeline before the handler, so it is not the handler's own).
impl OperationOutput for AppError {
    type Inner = ();
}

/// An answer with extra headers (a `Set-Cookie`), described as the answer itself.
pub struct WithHeaders<T>(pub axum::http::HeaderMap, pub T);

impl<T: IntoResponse> IntoResponse for WithHeaders<T> {
    fn into_response(self) -> axum::response::Response {
        (self.0, self.1).into_response()
    }
}

impl<T: OperationOutput> OperationOutput for WithHeaders<T> {
    type Inner = T::Inner;
    fn operation_response(ctx: &mut GenContext, op: &mut Operation) -> Option<Response> {
        T::operation_response(ctx, op)
    }
    fn inferred_responses(ctx: &mut GenContext, op: &mut Operation) -> Vec<(Option<u16>, Response)> {
        T::inferred_responses(ctx, op)
    }
}

/// A JSON body read as `T`, where a body that is JSON but not a `T` is the app's own 422
/// (`{code: "invalid", fields: [{field: "body", …}]}`, naming serde's reason) rather than
/// axum's plain-text rejection. Described as a JSON `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = axum::response::Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(v) =
            axum::Json::<serde_json::Value>::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        serde_json::from_value(v).map(JsonBody).map_err(|e| {
            AppError(tabane_core::Error::invalid(
                "body",
                "送信内容",
                "Request body",
                format!("の形式が違います（{e}）"),
                format!("is malformed ({e})"),
            ))
            .into_response()
        })
    }
}

impl<T: JsonSchema> OperationInput for JsonBody<T> {
    fn operation_input(ctx: &mut GenContext, op: &mut Operation) {
        axum::Json::<T>::operation_input(ctx, op);
    }
}

/// A query string read as name–value pairs in order (a repeated name is a table's rows; a name
/// may carry an id, `budget_<org id>`), whose named parameters `T` describes for the document.
pub struct QueryPairs<T>(pub Vec<(String, String)>, pub PhantomData<fn() -> T>);

impl<S: Send + Sync, T> axum::extract::FromRequestParts<S> for QueryPairs<T> {
    type Rejection = <axum::extract::Query<Vec<(String, String)>> as axum::extract::FromRequestParts<S>>::Rejection;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(pairs) = axum::extract::Query::from_request_parts(parts, state).await?;
        Ok(QueryPairs(pairs, PhantomData))
    }
}

impl<T: JsonSchema> OperationInput for QueryPairs<T> {
    fn operation_input(ctx: &mut GenContext, op: &mut Operation) {
        axum::extract::Query::<T>::operation_input(ctx, op);
    }
}
