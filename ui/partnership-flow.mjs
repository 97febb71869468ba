// 官民連携 as a company, the window, a department and the dashboard see it, in headless Chromium:
// a company proposes through the public form (signed out) and gets a 受付番号; the window routes it
// to 子ども家庭部; the department sends its 所見; the window answers (採択) within the target; the
// window registers the agreement, adds a KPI and signs it; the KPI dashboard shows the figures.
// Phone views of the public form and of the reception.
// Usage: node ui/partnership-flow.mjs http://127.0.0.1:PORT OUTDIR
import { chromium } from "playwright-core";
import { watchCsp } from "./csp.mjs";
import { join } from "node:path";

const [base, out = "screenshots"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const shot = (page, name) => page.screenshot({ path: join(out, name), fullPage: true });
const said = async (page, text, what) => {
  const main = await page.textContent("main");
  check(main.includes(text), `${what}: expected 「${text}」`);
  const err = await page.$(".alert.error");
  if (err) failures.push(`${what}: error shown: ${(await err.textContent()).trim()}`);
};

async function anonymous(viewport = { width: 1100, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: "ja-JP" });
  const page = await ctx.newPage();
  watchCsp(page, failures);
  return page;
}

async function as(login, viewport = { width: 1100, height: 900 }) {
  const page = await anonymous(viewport);
  await page.goto(`${base}/login`);
  await page.fill("#login", login);
  await page.fill("#password", "tabane-demo-2026");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
  return page;
}

async function run() {
  // 1. A company proposes through the public form, signed out.
  const anon = await anonymous();
  await anon.goto(`${base}/partnership/public/issues`);
  await said(anon, "保育施設の空き情報が保護者に届きにくい", "public issues");
  check(!(await anon.textContent("main")).includes("庁内の紙申請"), "no internal issue on the portal");
  await shot(anon, "partnership-public-issues.png");
  await anon.goto(`${base}/partnership/public/propose`);
  await anon.fill("#pp-n", "株式会社 こそだてテック（デモ）");
  await anon.fill("#pp-c", "info@example.jp");
  await anon.fill("#pp-t", "保育園の送迎シェアリング実証");
  await anon.fill("#pp-b", "共働き世帯の送迎負担を減らすため、保育園の送迎を地域で分担するアプリの実証を提案します。");
  await anon.fill("#pp-f", "子育て");
  await anon.click("form[action='/partnership/public/propose'] button[type=submit]");
  await said(anon, "受付番号", "receipt");
  await shot(anon, "partnership-proposed.png");
  const phone = await anonymous({ width: 390, height: 844 });
  await phone.goto(`${base}/partnership/public/propose`);
  await shot(phone, "partnership-propose-phone.png");
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 392, `the public form is ${wide}px wide on a 390-px phone`);

  // 2. The window finds it in the reception book and routes it.
  const w = await as("koumin-window");
  await w.goto(`${base}/partnership`);
  await w.click("main a[href^='/partnership/platforms/']");
  const platformUrl = w.url();
  await w.click("main a:text-is('保育園の送迎シェアリング実証')");
  const contactUrl = w.url();
  await w.selectOption("#c-d", { label: "子ども家庭部" });
  await w.click(`form[action$="/route"] button[type=submit]`);
  await said(w, "回付しました", "routed");

  // 3. The department sends its opinion.
  const d = await as("kodomo-staff");
  await d.goto(contactUrl);
  await d.fill("#c-o", "保育課と連携して実証可能。個人情報の扱いに留意。");
  await d.click(`form[action$="/opinion"] button[type=submit]`);
  await said(d, "所見を送りました", "opinion sent");
  await shot(d, "partnership-contact-department.png");

  // 4. The window answers within the target.
  await w.goto(contactUrl);
  await w.selectOption("#c-a", "adopted");
  await w.fill("#c-t", "子ども家庭部と協議し、令和8年度の実証として採択します。");
  await w.click(`form[action$="/answer"] button[type=submit]`);
  await said(w, "回答しました", "answered");
  await said(w, "0日（0.0カ月）", "answered within the target");
  await shot(w, "partnership-contact-answered.png");
  const wp = await as("koumin-window", { width: 390, height: 844 });
  await wp.goto(contactUrl);
  await shot(wp, "partnership-contact-phone.png");

  // 5. The agreement: registered, a KPI, signed.
  await w.goto(`${platformUrl}/projects`);
  await w.fill("#p-t", "保育園送迎シェアリング実証");
  await w.selectOption("#p-k", "research");
  await w.selectOption("#p-pa", { label: "株式会社 こそだてテック（デモ）" });
  await w.fill("#p-i", "3000000");
  await w.click(`form[action$="/projects"] button[type=submit]`);
  await said(w, "登録しました", "project registered");
  await w.click(`form[action$="/sign"] button[type=submit]`);
  const refused = await w.$(".alert.error");
  check(refused && (await refused.textContent()).includes("KPIが設定されていないため締結できません"), "no signing without a KPI: the refusal is shown");
  await w.fill("#k-n", "実証参加世帯数");
  await w.fill("#k-t", "50");
  await w.fill("#k-u", "世帯");
  await w.click(`form[action$="/kpis"] button[type=submit]`);
  await said(w, "KPIを追加しました", "KPI added");
  await w.click(`form[action$="/sign"] button[type=submit]`);
  await said(w, "締結しました", "signed");
  await shot(w, "partnership-project-signed.png");

  // 6. The dashboard shows the KPIs with their formulas.
  await w.goto(`${platformUrl}/kpis`);
  await said(w, "明確なKPIを設定している連携事業の割合", "dashboard");
  await said(w, "参考値（出典未確認）", "references marked unverified");
  await shot(w, "partnership-kpis.png");
  await w.goto(`${platformUrl}/kpis?fy=2025`);
  await said(w, "30.0%", "成約率 of the R3 cohort");
  await shot(w, "partnership-kpis-2025.png");
}

try {
  await run();
} catch (e) {
  failures.push(`partnership flow stopped: ${e.message}`);
}
await browser.close();
if (failures.length) {
  console.error("partnership flow failures:\n" + failures.join("\n"));
  process.exit(1);
}
console.log("partnership flow: ok");
