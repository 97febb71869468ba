// Tries Tabane as a user would, in headless Chromium, and saves screenshots.
// Usage: node ui/screenshots.mjs http://127.0.0.1:PORT OUTDIR
import { chromium } from "playwright-core";
import { watchCsp } from "./csp.mjs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const base = process.argv[2];
const out = process.argv[3] || "screenshots";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
const expect = async (page, text, what) => {
  const body = await page.textContent("body");
  if (!body.includes(text)) failures.push(`${what}: expected to see 「${text}」`);
};

const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "ja-JP" });
watchCsp(page, failures);
await page.goto(`${base}/login`);
await expect(page, "ログイン", "login page");
await page.fill("#login", "admin");
await page.fill("#password", "tabane-demo-2026");
await page.click("button[type=submit]");
await page.waitForURL(`${base}/`);
await expect(page, "ダッシュボード", "dashboard");
await expect(page, "下田地域 道路維持管理", "dashboard bundles");
await page.screenshot({ path: join(out, "dashboard.png"), fullPage: true });

await page.goto(`${base}/orgs`);
await expect(page, "下田市", "organisation list");
await expect(page, "222194", "organisation list codes");
await page.screenshot({ path: join(out, "orgs.png"), fullPage: true });

// An import with a wrong check digit (row 3) and an impossible date (row 4).
const csv = "団体コード,名称,ふりがな,有効開始日\n011002,札幌市,さっぽろし,H1.4.1\n012026,函館市,はこだてし,令和元年5月1日\n012033,小樽市,おたるし,2023-02-30\n";
const file = join(out, "bad-import.csv");
writeFileSync(file, csv);
await page.goto(`${base}/orgs/import`);
await page.setInputFiles("#file", file);
await page.click("form.card button[type=submit]");
await page.waitForSelector("table.errors");
await expect(page, "何も登録していません", "import errors");
await expect(page, "検査数字", "import errors: check digit");
await page.screenshot({ path: join(out, "import-errors.png"), fullPage: true });

// A bundle page, and the dashboard on a phone.
await page.goto(`${base}/bundles/1`);
await expect(page, "構成団体", "bundle page");
await page.screenshot({ path: join(out, "bundle.png"), fullPage: true });
const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "ja-JP" });
watchCsp(phone, failures);
await phone.context().addCookies(await page.context().cookies());
await phone.goto(`${base}/`);
await phone.screenshot({ path: join(out, "dashboard-phone.png"), fullPage: true });

// 会議: a series in the council, a meeting moved into Golden Week, its documents' due dates.
await page.goto(`${base}/meetings`);
await page.fill("#s-title", "研究部会");
await page.fill("#s-kind", "研究部会");
await page.selectOption("#s-bundle", { label: "賀茂地域 インフラ広域連携協議会" });
await page.click("form[action='/meetings/series'] button[type=submit]");
await page.waitForURL(/\/meetings\/series\/\d+$/);
await expect(page, "会議の7日前（営業日でない場合は前営業日）", "series rule in words");
await page.fill("#m-date", "令和8年5月20日");
await page.fill("#m-place", "賀茂庁舎 大会議室");
await page.check("input[name=participant_org_ids] >> nth=0");
await page.click("form[action$='/meetings'] button[type=submit]");
await page.waitForURL(/\/meetings\/\d+$/);
await expect(page, "会議を登録しました", "meeting created (flash)");
await page.fill("#m-date", "2026-05-13");
await page.click("form.form:has(#m-date) button.primary");
await page.waitForURL(/\/meetings\/\d+$/);
await expect(page, "令和8年5月1日", "materials due moved to 5/1 (Golden Week)");
await page.fill("#ac-text", "各町の点検データを提出する");
await page.click("form[action$='/actions'] button[type=submit]");
await page.waitForURL(/\/meetings\/\d+$/);
await page.screenshot({ path: join(out, "meeting.png"), fullPage: true });
const meetingUrl = page.url();
await page.goto(`${meetingUrl}/print`);
await page.screenshot({ path: join(out, "meeting-agenda-print.png"), fullPage: true });
await phone.goto(meetingUrl);
await phone.screenshot({ path: join(out, "meeting-phone.png") });

// サービスアカウント: 下田市's administrator gives its road GIS a read-only token, shown once;
// the GIS reads the work orders with it and the list shows the last use.
const sa = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "ja-JP" });
watchCsp(sa, failures);
await sa.goto(`${base}/login`);
await sa.fill("#login", "shimoda-admin");
await sa.fill("#password", "tabane-demo-2026");
await sa.click("button[type=submit]");
await sa.waitForURL(`${base}/`);
await sa.goto(`${base}/users`);
await sa.click("a[href='/service-accounts']");
await sa.fill("#sa-name", "道路GIS連携");
await sa.selectOption("#scope-infra", "read");
await sa.fill("#sa-exp", "2027-03-31");
await sa.click("form[action='/service-accounts'] button[type=submit]");
await sa.waitForSelector("#issued-token");
await expect(sa, "このトークンは今だけ表示されます", "token shown once");
await sa.screenshot({ path: join(out, "service-account-token.png"), fullPage: true });
const token = await sa.inputValue("#issued-token");
const api = await fetch(`${base}/api/infra/work-orders`, { headers: { Authorization: `Bearer ${token}` } });
if (api.status !== 200) failures.push(`a bearer token should read work orders, got ${api.status}`);
await sa.goto(`${base}/service-accounts`);
await expect(sa, "有効", "token listed as active");
await sa.screenshot({ path: join(out, "service-accounts.png"), fullPage: true });
await phone.context().clearCookies();
await phone.context().addCookies(await sa.context().cookies());
await phone.goto(`${base}/service-accounts`);
await phone.screenshot({ path: join(out, "service-accounts-phone.png"), fullPage: true });

// Keyboard: the first Tab reaches the skip link.
await page.goto(`${base}/orgs`);
await page.keyboard.press("Tab");
const focused = await page.evaluate(() => document.activeElement?.textContent);
if (!focused?.includes("本文へ移動")) failures.push(`first Tab should focus the skip link, got ${focused}`);

await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`ui: ok, screenshots in ${out}`);
