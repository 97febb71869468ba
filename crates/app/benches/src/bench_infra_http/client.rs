//! A minimal HTTP/1.1 client, the wrk runner and parser, and the query timings and plans.

use super::*;

// ---------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client (login, switcher, checks): one request per connection.

pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl HttpResponse {
    pub(crate) fn header(&self, name: &str) -> impl Iterator<Item = &str> {
        self.headers.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub(crate) fn dechunk(mut b: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").context("chunked body: no chunk size line")?;
        let line = std::str::from_utf8(&b[..eol])?;
        let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
            .with_context(|| format!("chunked body: bad size {line:?}"))?;
        b = &b[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        ensure!(b.len() >= size + 2, "chunked body: truncated");
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

pub(crate) async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<HttpResponse> {
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let io = async {
        let mut s = tokio::net::TcpStream::connect(addr).await?;
        s.write_all(req.as_bytes()).await?;
        s.write_all(body).await?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await?;
        anyhow::Ok(buf)
    };
    let raw = tokio::time::timeout(Duration::from_secs(120), io)
        .await
        .with_context(|| format!("{method} {path}: no answer in 120 s"))??;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .with_context(|| format!("{method} {path}: malformed response"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("{method} {path}: bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let mut r = HttpResponse { status, headers, body: raw[split + 4..].to_vec() };
    if r.header("transfer-encoding").any(|v| v.eq_ignore_ascii_case("chunked")) {
        r.body = dechunk(&r.body)?;
    }
    Ok(r)
}

/// Signs in through `POST /api/session` and chooses the bundle in the switcher, as a browser
/// user would before opening the map. Returns the session token.
pub(crate) async fn sign_in(addr: SocketAddr, login: &str, bundle: i64) -> Result<String> {
    let body = serde_json::to_vec(&json!({ "login": login, "password": tabane_core::demo::DEMO_PASSWORD }))?;
    let r = http(addr, "POST", "/api/session", &[("Content-Type", "application/json")], &body).await?;
    ensure!(r.status == 200, "login as {login}: HTTP {}: {}", r.status, r.text());
    let prefix = format!("{SESSION_COOKIE}=");
    let token = r
        .header("set-cookie")
        .find_map(|c| c.split(';').next().and_then(|kv| kv.trim().strip_prefix(&prefix)).map(str::to_string))
        .context("login answered without a tabane_session cookie")?;
    let v: Value = serde_json::from_slice(&r.body).context("login answer is not JSON")?;
    let csrf = v["csrf_token"].as_str().context("login answer without csrf_token")?.to_string();
    let cookie = format!("{SESSION_COOKIE}={token}");
    let form = format!("bundle_id={bundle}");
    let r = http(
        addr,
        "POST",
        "/switch",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf), ("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
    .await?;
    ensure!(matches!(r.status, 200 | 302 | 303), "switching to bundle {bundle}: HTTP {}: {}", r.status, r.text());
    let r = http(addr, "GET", "/api/me", &[("Cookie", &cookie)], b"").await?;
    let me: Value = serde_json::from_slice(&r.body).context("/api/me is not JSON")?;
    ensure!(me["acting_bundle_id"].as_i64() == Some(bundle), "the switcher did not select bundle {bundle}: {me}");
    Ok(token)
}

// ---------------------------------------------------------------------------------------------
// wrk

#[derive(Clone, Debug, Default)]
pub(crate) struct WrkResult {
    pub(crate) rps: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) requests: u64,
    pub(crate) non_2xx: u64,
    pub(crate) socket_errors: u64,
    pub(crate) timeouts: u64,
}

pub(crate) fn wrk_available() -> bool {
    Command::new(WRK).arg("-v").output().is_ok()
}

/// "1.23ms" → 1.23; wrk prints us, ms, s, m and h.
pub(crate) fn to_ms(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        "h" => n * 3_600_000.0,
        _ => return None,
    })
}

pub(crate) fn parse_wrk(out: &str) -> Result<WrkResult> {
    let mut r = WrkResult::default();
    let (mut p50, mut p99, mut rps) = (None, None, None);
    for line in out.lines().map(str::trim) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["50%", v] => p50 = to_ms(v),
            ["99%", v] => p99 = to_ms(v),
            ["Requests/sec:", v] => rps = v.parse().ok(),
            [n, "requests", "in", ..] => r.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => r.non_2xx = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                // "connect 0, read 0, write 0, timeout 12"
                let nums: Vec<(&str, u64)> = rest
                    .chunks(2)
                    .filter_map(|c| Some((c[0], c.get(1)?.trim_end_matches(',').parse().ok()?)))
                    .collect();
                r.socket_errors = nums.iter().filter(|(k, _)| *k != "timeout").map(|(_, n)| n).sum();
                r.timeouts = nums.iter().find(|(k, _)| *k == "timeout").map(|(_, n)| *n).unwrap_or(0);
            }
            _ => {}
        }
    }
    r.p50_ms = p50.context("no 50% line in wrk's output")?;
    r.p99_ms = p99.context("no 99% line in wrk's output")?;
    r.rps = rps.context("no Requests/sec line in wrk's output")?;
    Ok(r)
}

pub(crate) async fn run_wrk(cli: &Cli, url: &str, cookie: &str, seconds: u64) -> Result<WrkResult> {
    let args: Vec<String> = vec![
        format!("-t{}", cli.threads),
        format!("-c{}", cli.connections),
        format!("-d{seconds}s"),
        "--timeout".into(),
        format!("{}s", cli.timeout),
        "--latency".into(),
        "-H".into(),
        format!("Cookie: {cookie}"),
        url.to_string(),
    ];
    // wrk blocks; the servers run on this runtime's workers, so wait on a blocking thread.
    let out =
        tokio::task::spawn_blocking(move || Command::new(WRK).args(&args).output()).await?.context("running wrk")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    ensure!(out.status.success(), "wrk failed ({}): {}{}", out.status, stdout, String::from_utf8_lossy(&out.stderr));
    parse_wrk(&stdout).with_context(|| format!("parsing wrk's output:\n{stdout}"))
}

/// When wrk stops, requests it gave up on may still be queued for the database pool. One more
/// request to the same URL, answered after them (the pool hands out connections in order),
/// and a short pause keep that backlog out of the next measurement.
pub(crate) async fn drain(addr: SocketAddr, path: &str, cookie: &str) -> Result<()> {
    let r = http(addr, "GET", path, &[("Cookie", cookie)], b"").await?;
    ensure!(r.status == 200, "{path}: HTTP {} after the load run", r.status);
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Query timings and plans (one connection, no load)

pub(crate) async fn plan(db: &DatabaseConnection, sql: &str) -> Result<String> {
    let rows = db.query_all(Statement::from_string(DbBackend::Sqlite, format!("EXPLAIN QUERY PLAN {sql}"))).await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String>("", "detail").ok()).collect::<Vec<_>>().join(" | "))
}

pub(crate) async fn time_statement(db: &DatabaseConnection, stmt: &Statement) -> Result<(f64, usize)> {
    let mut rows = db.query_all(stmt.clone()).await?.len(); // warm
    let start = Instant::now();
    let mut n = 0u32;
    while n < 5 || (start.elapsed() < Duration::from_millis(1500) && n < 200) {
        rows = db.query_all(stmt.clone()).await?.len();
        n += 1;
    }
    Ok((start.elapsed().as_secs_f64() * 1000.0 / f64::from(n), rows))
}

pub(crate) async fn report_queries(
    db: &DatabaseConnection,
    bundles: &[i64],
    bundle: i64,
    bbox: Option<(f64, f64, f64, f64)>,
    order_id: i64,
    pref: i64,
) -> Result<()> {
    let list = orders_query(bundles, bundle, None);
    let map = orders_query(bundles, bundle, bbox);
    let b = DbBackend::Sqlite;
    let stmts: Vec<(&str, Statement)> = vec![
        ("list: COUNT(*)", count_statement(&list)),
        ("list: page of 200, ORDER BY id DESC", b.build(page_query(list.clone(), 1, PER_PAGE_API).as_query())),
        ("map: COUNT(*) in the viewport", count_statement(&map)),
        (
            "map: located in the viewport, for clusters",
            b.build(
                map.clone()
                    .filter(wo::Column::Lat.is_not_null())
                    .select_only()
                    .columns(tabane_infra::service::map::ORDER_POINT_COLUMNS)
                    .as_query(),
            ),
        ),
        ("order: by id", b.build(wo::Entity::find_by_id(order_id).as_query())),
        (
            "order: events",
            b.build(
                ev::Entity::find().filter(ev::Column::WorkOrderId.eq(order_id)).order_by_asc(ev::Column::Id).as_query(),
            ),
        ),
        (
            "order: photos",
            b.build(
                photo::Entity::find()
                    .filter(photo::Column::WorkOrderId.eq(order_id))
                    .order_by_asc(photo::Column::Id)
                    .as_query(),
            ),
        ),
        (
            "order: resident report",
            b.build(
                resident_report::Entity::find().filter(resident_report::Column::WorkOrderId.eq(order_id)).as_query(),
            ),
        ),
        (
            "access: my bundles (twice per page view)",
            b.build(bundle_member::Entity::find().filter(bundle_member::Column::OrgId.eq(pref)).as_query()),
        ),
    ];
    println!("\nstatements alone (one connection, sequential, no load):");
    println!("  {:<52} {:>9} {:>7}  plan", "statement", "ms/query", "rows");
    for (name, stmt) in &stmts {
        let (ms, rows) = time_statement(db, stmt).await?;
        let p = plan(db, &stmt.to_string()).await?;
        println!("  {name:<52} {ms:>9.2} {rows:>7}  {p}");
    }
    Ok(())
}
