// デジタル人材 as the prefecture and a municipality use it, in headless Chromium: 下田市 registers a
// need; 静岡県 reads the suggestions with their reasons, arranges a weekly assignment for the
// best one and confirms it; the prefecture logs the first day and 下田市 confirms it; the
// prefecture adds the person's pay to its 令和8年度 sheet and the 措置額 goes up. Phone and English
// views of the same pages.
// Usage: node ui/talent-flow.mjs http://127.0.0.1:PORT OUTDIR
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

async function as(login, viewport = { width: 1100, height: 900 }, locale = "ja-JP") {
  const ctx = await browser.newContext({ viewport, locale });
  const page = await ctx.newPage();
  watchCsp(page, failures);
  await page.goto(`${base}/login`);
  await page.fill("#login", login);
  await page.fill("#password", "tabane-demo-2026");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
  return page;
}

async function run() {
  // 1. 下田市 registers a need for 令和8年度.
  const shimoda = await as("shimoda-staff");
  await shimoda.goto(`${base}/talent`);
  await shimoda.click("main a[href^='/talent/pools/']");
  const poolUrl = shimoda.url();
  const pool = poolUrl.match(/pools\/(\d+)/)[1];
  await shimoda.goto(`${base}/talent/pools/${pool}/needs`);
  await shimoda.selectOption("#n-theme", "regional_dx");
  await shimoda.selectOption("#n-field", "data");
  await shimoda.fill("#n-types", "");
  await shimoda.fill("#n-days", "1");
  await shimoda.fill("#n-from", "2026-04-01");
  await shimoda.fill("#n-to", "2027-03-31");
  await shimoda.fill("#n-desc", "観光・防災データのオープンデータ化（週1日）");
  await shimoda.click(`form[action$="/needs"] button[type=submit]`);
  await said(shimoda, "登録しました", "need registered");
  const needUrl = shimoda.url();
  await shot(shimoda, "talent-need-municipality.png");

  // 2. The prefecture reads the suggestions and arranges the best one on Wednesdays.
  const pref = await as("pref-staff");
  await pref.goto(needUrl);
  await said(pref, "支援分野「データ利活用」に対応", "suggestion reasons");
  await shot(pref, "talent-need-suggestions.png");
  await pref.fill("#a-w", "水");
  await pref.click(`form[action$="/assign"] button[type=submit]`);
  await pref.waitForURL(/\/talent\/assignments\/\d+/);
  const assignmentUrl = pref.url();
  await said(pref, "調整中", "assignment arranged");
  await pref.click(`form[action$="/confirm"] button[type=submit]`);
  await said(pref, "確定しました", "assignment confirmed");

  // 3. The prefecture logs the first Wednesday; 下田市 confirms it.
  await pref.goto(`${assignmentUrl}?month=2026-04`);
  await pref.fill("#v-on", "2026-04-01");
  await pref.fill("#v-h", "7.75");
  await pref.fill("#v-s", "庁内データの棚卸し");
  await pref.click(`form[action$="/visits"] button[type=submit]`);
  await said(pref, "未確認", "visit logged");
  await shimoda.goto(`${assignmentUrl}?month=2026-04`);
  await shimoda.click(`form[action^="/talent/visits/"] button[type=submit]`);
  await said(shimoda, "確認済", "visit confirmed by the municipality");
  await shot(shimoda, "talent-assignment-confirmed.png");
  const phone = await as("shimoda-staff", { width: 390, height: 844 });
  await phone.goto(`${assignmentUrl}?month=2026-04`);
  await shot(phone, "talent-assignment-phone.png");
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 392, `assignment page is ${wide}px wide on a 390-px phone`);
  const need = await (await shimoda.request.get(`${base}/api/talent/needs/${needUrl.match(/(\d+)$/)[1]}`)).json();
  check(need.status === "filled", `the need is filled (${need.status})`);

  // 4. The grant sheet updates: the person's pay on 静岡県's 令和8年度 sheet.
  const sheets = await (await pref.request.get(`${base}/api/talent/pools/${pool}/grants`)).json();
  const r8 = sheets.find((s) => s.organisation === "静岡県" && s.sheet.measure === "a" && s.sheet.fiscal_year === 2026);
  await pref.goto(`${base}/talent/grants/${r8.sheet.id}`);
  await said(pref, "22,400,000", "措置額 before");
  await pref.selectOption("#l-kind", "staff_pay");
  await pref.fill("#l-label", "非常勤職員（下田市派遣分）人件費");
  await pref.fill("#l-amount", "6000000");
  await pref.click(`form[action$="/lines"] button[type=submit]`);
  await said(pref, "26,600,000", "措置額 after (22,400,000 + 0.7 × 6,000,000)");
  await shot(pref, "talent-grant-updated.png");
  const en = await as("pref-staff", { width: 1100, height: 900 }, "en-US");
  await en.goto(`${base}/lang/en`);
  await en.goto(`${base}/talent/grants/${r8.sheet.id}`);
  check((await en.getAttribute("html", "lang")) === "en", "the grant page is marked English");
  await shot(en, "talent-grant-en.png");
  await en.goto(`${base}/talent/pools/${pool}`);
  await shot(en, "talent-pool-en.png");
  await pref.goto(poolUrl);
  await shot(pref, "talent-pool.png");
}

try {
  await run();
} catch (e) {
  failures.push(`talent flow stopped: ${e.message}`);
}
await browser.close();
if (failures.length) {
  console.error("talent flow failures:\n" + failures.join("\n"));
  process.exit(1);
}
console.log("talent flow: ok");
