// 群マネ as users would do it, in headless Chromium: the prefecture and the city each register
// and instruct a job, the JV starts and reports both with photos, each owner confirms its own.
// Usage: node ui/infra-flow.mjs http://127.0.0.1:PORT OUTDIR
import { chromium } from "playwright-core";
import { watchCsp } from "./csp.mjs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const [base, out = "screenshots"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

async function as(login) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: "ja-JP" });
  const page = await ctx.newPage();
  watchCsp(page, failures);
  await page.goto(`${base}/login`);
  await page.fill("#login", login);
  await page.fill("#password", "tabane-demo-2026");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
  return page;
}

async function registerAndInstruct(page, category, description, lat, lon) {
  await page.goto(`${base}/infra/work-orders`);
  await page.fill("#w-cat", category);
  await page.fill("#w-desc", description);
  await page.selectOption("#w-urg", "early");
  await page.fill("#w-lat", lat);
  await page.fill("#w-lon", lon);
  await page.click("form.form button.primary");
  await page.waitForURL(/\/infra\/work-orders\/\d+$/);
  const url = page.url();
  await page.fill("#s-ins", "現地を確認のうえ補修してください");
  await page.click("text=指示する");
  await page.waitForURL(url);
  check((await page.textContent("h1")).includes("指示"), `${category}: instructed`);
  return url;
}

const png = join(out, "photo.png");
// A tiny valid PNG (1x1) for the photo uploads.
writeFileSync(png, Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC", "base64"));

const pref = await as("pref-staff");
const prefJob = await registerAndInstruct(pref, "県道 舗装補修（UI）", "国道135号 白浜 ポットホール", "34.6936", "138.9736");
const city = await as("shimoda-staff");
const cityJob = await registerAndInstruct(city, "市道 側溝清掃（UI）", "市道須崎線 側溝の土砂", "34.6621", "138.9702");

const jv = await as("jv-staff");
for (const url of [prefJob, cityJob]) {
  await jv.goto(url);
  await jv.click("text=着手する");
  await jv.waitForURL(url);
  for (const phase of ["before", "after"]) {
    await jv.selectOption("#p-phase", phase);
    await jv.setInputFiles("#p-file", png);
    await jv.click("text=写真を登録");
    await jv.waitForURL(url);
  }
  await jv.fill("#c-l", "45000");
  await jv.fill("#c-m", "8000");
  await jv.click("text=完了を報告する");
  await jv.waitForURL(url);
  check((await jv.textContent("h1")).includes("報告"), `${url}: reported`);
  check(!(await jv.$("#confirm")), `${url}: the JV has no confirm button`);
}
await jv.screenshot({ path: join(out, "infra-order-reported.png"), fullPage: true });

// Each owner sees a confirm button on its own job only.
await city.goto(prefJob);
check(!(await city.$("#confirm")), "the city has no confirm button on the prefecture's job");
await city.screenshot({ path: join(out, "infra-city-on-pref-job.png"), fullPage: true });
for (const [page, url] of [[pref, prefJob], [city, cityJob]]) {
  await page.goto(url);
  await page.click("#confirm");
  await page.waitForURL(url);
  check((await page.textContent("h1")).includes("履行確認"), `${url}: confirmed`);
}
await pref.goto(`${base}/infra/ledger`);
const prefLedger = await pref.textContent("main");
check(prefLedger.includes("県道 舗装補修（UI）") && !prefLedger.includes("市道 側溝清掃（UI）"), "prefecture ledger shows only its own");
await pref.screenshot({ path: join(out, "infra-ledger-pref.png"), fullPage: true });
await city.goto(`${base}/infra/ledger`);
const cityLedger = await city.textContent("main");
check(cityLedger.includes("市道 側溝清掃（UI）") && !cityLedger.includes("県道 舗装補修（UI）"), "city ledger shows only its own");
await city.screenshot({ path: join(out, "infra-ledger-city.png"), fullPage: true });

// The map shows features even though no tile server is reachable here.
await pref.goto(`${base}/infra`);
await pref.waitForFunction(() => Number(document.querySelector("#map")?.dataset.count || 0) > 0, null, { timeout: 15000 });
await pref.screenshot({ path: join(out, "infra-map.png"), fullPage: true });

// The other 群マネ pages, as the prefecture sees them.
for (const [path, text, shot] of [
  ["/infra/patrol-diary", "道路パトロール日誌", "infra-diary.png"],
  ["/infra/patrols", "道路パトロール", "infra-patrols.png"],
  ["/infra/contracts/1", "指示限度額", "infra-contract.png"],
  ["/infra/reports/monthly", "月報", "infra-monthly.png"],
  ["/infra/open311", "Open311", "infra-open311.png"],
  ["/infra/assets", "施設台帳", "infra-assets.png"],
  ["/infra/inspections", "定期点検", "infra-inspections.png"],
  ["/infra/forecast", "劣化予測", "infra-forecast.png"],
]) {
  await pref.goto(`${base}${path}`);
  check((await pref.textContent("main")).includes(text), `${path} shows ${text}`);
  await pref.screenshot({ path: join(out, shot), fullPage: true });
}
// 見える化 of the prefecture: figures beside the class averages, charts, bridges coloured by grade.
await pref.goto(`${base}/infra/mieruka?scope=prefecture`);
check((await pref.textContent("main")).includes("類型平均"), "見える化 shows the class averages");
check((await pref.$$("main svg")).length >= 2, "見える化 draws its charts");
await pref.waitForFunction(() => Number(document.querySelector("#map")?.dataset.count || 0) > 0, null, { timeout: 15000 });
await pref.screenshot({ path: join(out, "infra-mieruka.png"), fullPage: true });

// The diary of a patrol day (the demo's patrols are 2 and 3 days ago).
const d = new Date(Date.now() + 9 * 3600e3 - 3 * 86400e3).toISOString().slice(0, 10);
await pref.goto(`${base}/infra/patrol-diary?date=${d}`);
check((await pref.$$("tr.finding")).length > 0, `diary of ${d} lists findings`);
await pref.screenshot({ path: join(out, "infra-diary-day.png"), fullPage: true });

await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`infra flow: ok, screenshots in ${out}`);
