//! Partnership routes: HTML pages under /partnership (the public portal under
//! /partnership/public, signed out), JSON under /api/partnership. Every tenant route has an entry
//! in the isolation matrix.

mod api;
mod pages;
mod public;

use tabane_web::RouteDef;

pub fn routes() -> Vec<RouteDef> {
    [api::routes(), pages::routes(), public::routes()].into_iter().flatten().collect()
}
