//! The server under many concurrent requests (issue: the request span was held entered across
//! `.await`, which overflowed worker stacks under ~100 connections). Counts, not timings: every
//! request gets an HTTP answer, none is a 5xx, and no panic is recorded by the panic hook.

use reqwest::StatusCode;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tabane_testkit::TestApp;

/// The crash needs a real subscriber (the registry's per-thread span stacks): run with one, as
/// the server does (spans at info, as `log = "info"`), writing to the test's output, plus a layer
/// that watches the two things that went wrong. A few hundred requests do not build the chains
/// deep enough to overflow a stack, but they show the cause at once: request spans created as
/// children of other requests' spans, and spans exited on another thread than they were entered.
fn real_tracing() -> Arc<SpanAudit> {
    use tracing_subscriber::layer::SubscriberExt;
    let audit = Arc::new(SpanAudit::default());
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new("info"))
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(AuditLayer(audit.clone()));
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");
    tabane_web::panics::install_hook();
    audit
}

#[derive(Default)]
struct SpanAudit {
    request_spans: AtomicUsize,
    request_spans_with_a_parent: AtomicUsize,
    exits_without_enter_on_that_thread: AtomicUsize,
    entered: Mutex<HashMap<(u64, std::thread::ThreadId), usize>>,
}

struct AuditLayer(Arc<SpanAudit>);

impl<S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>> tracing_subscriber::Layer<S>
    for AuditLayer
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if attrs.metadata().name() != "request" {
            return;
        }
        self.0.request_spans.fetch_add(1, Ordering::SeqCst);
        let parent = if attrs.is_contextual() { ctx.current_span().id().cloned() } else { attrs.parent().cloned() };
        if parent.is_some() {
            self.0.request_spans_with_a_parent.fetch_add(1, Ordering::SeqCst);
        }
    }
    fn on_enter(&self, id: &tracing::span::Id, _: tracing_subscriber::layer::Context<'_, S>) {
        *self.0.entered.lock().unwrap().entry((id.into_u64(), std::thread::current().id())).or_default() += 1;
    }
    fn on_exit(&self, id: &tracing::span::Id, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut entered = self.0.entered.lock().unwrap();
        match entered.get_mut(&(id.into_u64(), std::thread::current().id())) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                self.0.exits_without_enter_on_that_thread.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    AnonymousPage,
    SignedInPage,
    JsonRead,
    Write,
    Open311Post,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn six_hundred_concurrent_requests_all_answered_without_a_panic() {
    let audit = real_tracing();
    let app = TestApp::spawn().await;
    let staff = app.login("shimoda-staff").await;
    let pref = app.login("pref-staff").await;
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let panics_before = tabane_web::panics::count();

    let mut set = tokio::task::JoinSet::new();
    for i in 0..600 {
        let class = match i % 6 {
            0 => Class::AnonymousPage,
            1 => Class::SignedInPage,
            2 | 3 => Class::JsonRead,
            4 => Class::Write,
            _ => Class::Open311Post,
        };
        let (anon, staff_client, pref_client) = (anon.clone(), staff.client.clone(), pref.client.clone());
        let (staff_csrf, base) = (staff.csrf.clone(), staff.base.clone());
        set.spawn(async move {
            let r = match class {
                Class::AnonymousPage => anon.get(format!("{base}/login")).send().await,
                Class::SignedInPage => {
                    let path = if i % 12 == 1 { "/" } else { "/infra" };
                    pref_client.get(format!("{base}{path}")).send().await
                }
                Class::JsonRead => {
                    let path = if i % 2 == 0 { "/api/infra/work-orders?page=1" } else { "/api/me" };
                    staff_client.get(format!("{base}{path}")).send().await
                }
                Class::Write => {
                    let body = json!({"category": "路面清掃", "description": format!("負荷試験 {i}"), "urgency": "early", "lat": "34.68", "lon": "138.94"});
                    staff_client.post(format!("{base}/api/infra/work-orders")).header("x-csrf-token", &staff_csrf).json(&body).send().await
                }
                Class::Open311Post => {
                    let form = [("api_key", "tabane-demo-open311"), ("service_code", "road-pothole"), ("lat", "34.69"), ("long", "138.95"), ("attribute[danger]", "yes"), ("description", "負荷試験の穴")];
                    anon.post(format!("{base}/open311/v2/requests.json")).form(&form).send().await
                }
            };
            // An answer is a status line and a whole body.
            let answered = match r {
                Ok(r) => {
                    let status = r.status();
                    r.bytes().await.map(|_| status).map_err(|e| e.to_string())
                }
                Err(e) => Err(e.to_string()),
            };
            (class, answered)
        });
    }

    let mut statuses: BTreeMap<(Class, u16), usize> = BTreeMap::new();
    let mut unanswered = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (class, answered) = joined.expect("a client task");
        match answered {
            Ok(s) => *statuses.entry((class, s.as_u16())).or_default() += 1,
            Err(e) => unanswered.push((class, e)),
        }
    }
    assert!(
        unanswered.is_empty(),
        "requests without an HTTP answer: {} (first: {:?})",
        unanswered.len(),
        unanswered.first()
    );
    let answered: usize = statuses.values().sum();
    assert_eq!(answered, 600, "{statuses:?}");
    let server_errors: Vec<_> = statuses.iter().filter(|((_, s), _)| *s >= 500).collect();
    assert!(server_errors.is_empty(), "5xx answers: {server_errors:?}");
    for ((class, s), n) in &statuses {
        let expected = match class {
            Class::AnonymousPage | Class::SignedInPage | Class::JsonRead => StatusCode::OK,
            Class::Write | Class::Open311Post => StatusCode::CREATED,
        };
        assert_eq!(*s, expected.as_u16(), "{n} × {class:?} answered {s}: {statuses:?}");
    }
    assert_eq!(tabane_web::panics::count(), panics_before, "panics were recorded during the load");
    assert!(audit.request_spans.load(Ordering::SeqCst) >= 600, "the request spans were seen");
    assert_eq!(
        audit.request_spans_with_a_parent.load(Ordering::SeqCst),
        0,
        "a request's span is a root, never a child of another request's"
    );
    assert_eq!(
        audit.exits_without_enter_on_that_thread.load(Ordering::SeqCst),
        0,
        "a span is left on the thread it was entered on"
    );
    // And the server still serves.
    assert_eq!(anon.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
}
