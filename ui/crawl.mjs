// Follows every same-origin link each demo user is shown, and fails on an error answer, a console
// error or a serious/critical accessibility violation (axe-core; WCAG 2.1 A/AA rules, which
// JIS X 8341-3 follows). Signs in as each demo user listed on the login page; visits up to
// MAX pages each, at most PER_PATTERN per route pattern (ids folded), skipping logout, language
// switches and the language's own pages. Downloads (CSV, Excel, .ics, files) are fetched and
// their status checked, not rendered. Map tiles come from outside and are unreachable offline:
// their failures are not counted.
// Usage: node ui/crawl.mjs http://127.0.0.1:PORT OUTDIR
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [base, out = "screenshots"] = process.argv.slice(2);
const MAX = Number(process.env.CRAWL_MAX || 300);
const PER_PATTERN = Number(process.env.CRAWL_PER_PATTERN || 2);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
const report = [];

// The demo users, as the login page lists them.
const first = await browser.newPage();
await first.goto(`${base}/login`);
const logins = await first.$$eval("details.demo li code", (cs) => cs.map((c) => c.textContent.trim()));
const password = (await first.textContent("details.demo p code")).trim();
await first.close();
if (logins.length === 0) failures.push("the login page lists no demo users (is the demo loaded?)");

const skip = (u) =>
  u.pathname === "/logout" || u.pathname.startsWith("/lang/") || u.pathname.startsWith("/switch") || u.pathname === "/login";
const pattern = (u) => u.pathname.replace(/\/\d+(?=\/|$)/g, "/{id}") + (u.searchParams.has("format") ? "?format" : "");

for (const login of logins) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ja-JP" });
  const page = await ctx.newPage();
  const errors = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const at = m.location()?.url || "";
    if (at && !at.startsWith(base)) return; // a map tile or other outside resource, offline
    if (/Failed to load resource/.test(m.text()) && at && !at.startsWith(base)) return;
    errors.push(`${page.url()}: console error: ${m.text()} ${at}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: script error: ${e}`));
  page.on("requestfailed", (r) => {
    if (r.url().startsWith(base) && !/ERR_ABORTED/.test(r.failure()?.errorText || "")) errors.push(`${page.url()}: request failed: ${r.url()}`);
  });
  await page.goto(`${base}/login`);
  await page.fill("#login", login);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);

  const seen = new Set();
  const perPattern = new Map();
  const queue = [`${base}/`];
  let visited = 0;
  while (queue.length && visited < MAX) {
    const url = queue.shift();
    const u = new URL(url);
    const p = pattern(u);
    if ((perPattern.get(p) || 0) >= PER_PATTERN) continue;
    perPattern.set(p, (perPattern.get(p) || 0) + 1);
    visited++;
    const r = await ctx.request.get(url, { maxRedirects: 5 });
    if (r.status() >= 400) {
      failures.push(`${login}: ${u.pathname}${u.search} answered ${r.status()} (linked from a page it was shown)`);
      continue;
    }
    if (!(r.headers()["content-type"] || "").startsWith("text/html")) continue;
    await page.goto(url, { waitUntil: "load" });
    const links = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
    for (const l of links) {
      let v;
      try { v = new URL(l); } catch { continue; }
      if (v.origin !== new URL(base).origin || skip(v)) continue;
      v.hash = "";
      if (!seen.has(v.href)) { seen.add(v.href); queue.push(v.href); }
    }
    // Accessibility, once per pattern.
    if (perPattern.get(p) === 1) {
      await page.evaluate(axeSource);
      const res = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        (await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) })),
      );
      for (const v of res) {
        report.push({ login, path: u.pathname, ...v });
        if (v.impact === "serious" || v.impact === "critical") failures.push(`${login}: ${u.pathname}: a11y ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(", ")}`);
      }
    }
  }
  for (const e of errors) failures.push(`${login}: ${e}`);
  console.log(`crawl: ${login}: ${visited} pages`);
  await ctx.close();
}

await browser.close();
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "crawl-a11y.json"), JSON.stringify(report, null, 1));
if (failures.length) {
  console.error([...new Set(failures)].join("\n"));
  process.exit(1);
}
console.log(`crawl: ok (${logins.length} users), accessibility report in ${out}/crawl-a11y.json`);
