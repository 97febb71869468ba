// 協議会・研究部会 as the three sides run the 7月末 meeting, in headless Chromium: 長野県's
// 信州暮らし推進係 fixes the date; the contractor submits the materials; the client accepts and
// publishes them, marks the meeting held; the contractor submits the minutes, the client approves
// and publishes them; a member prefecture (東京都) sees both on the meeting page and answers the
// survey for itself only.
// Usage: node ui/council-flow.mjs http://127.0.0.1:PORT OUTDIR
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

async function submit(page, deliverable, period, name) {
  await page.goto(`${base}/deliverables/${deliverable}`);
  if (await page.$("#s-period")) await page.fill("#s-period", period);
  await page.setInputFiles("#s-file", { name, mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4 council demo") });
  await page.click(`form[action^="/deliverables/${deliverable}/submit"] button[type=submit]`);
  const err = await page.$(".alert.error");
  if (err) failures.push(`submit ${name}: ${(await err.textContent()).trim()}`);
}

async function run() {
  const client = await as("shinshu-staff");
  await client.goto(`${base}/council`);
  await client.click("main ul a");
  await said(client, "構成員 10都県", "term page");
  await said(client, "19／22週（86.4%）", "liaison coverage");
  await shot(client, "council-term.png");
  const termUrl = client.url();

  // 1. The client fixes the 7月末 date.
  await client.click("main table a:text-is('第1回研究部会')");
  const meetingUrl = client.url();
  const meetingId = meetingUrl.match(/(\d+)$/)[1];
  await client.fill("#m-d", "令和7年7月31日");
  await client.fill("#m-s", "13:30");
  await client.fill("#m-e", "15:30");
  await client.click(`form[action$="/date"] button[type=submit]`);
  await said(client, "開催日を設定しました", "date set");
  await said(client, "令和7年7月24日", "materials due 7 days before");
  await said(client, "令和7年8月7日", "minutes due 7 days after");
  await shot(client, "council-meeting-client.png");

  // 2. The contractor submits the materials.
  const consult = await as("consult-staff");
  const docs = await (await consult.request.get(`${base}/api/council/meetings/${meetingId}`)).json();
  const doc = (role) => docs.documents.find((d) => d.role === role);
  await submit(consult, doc("materials").deliverable_id, doc("materials").period, "会議資料ア_結果概要.pdf");
  await consult.goto(meetingUrl);
  await said(consult, "提出済", "materials submitted");
  await shot(consult, "council-meeting-contractor.png");

  // 3. The client accepts them, publishes them to the members, and marks the meeting held.
  await client.goto(`${base}/deliverables/${doc("materials").deliverable_id}`);
  await client.click('button[name=decision][value=received]');
  await client.goto(meetingUrl);
  await client.click(`form[action$="/publish"] button[type=submit]`);
  await said(client, "構成員に公開しました", "materials published");
  await client.click(`form[action$="/held"] button[type=submit]`);
  await said(client, "開催済にしました", "held");

  // 4. After the meeting, the minutes; the client approves and publishes them.
  await submit(consult, doc("minutes").deliverable_id, doc("minutes").period, "第1回研究部会_議事録.pdf");
  await client.goto(`${base}/deliverables/${doc("minutes").deliverable_id}`);
  await client.click('button[name=decision][value=approved]');
  await client.goto(meetingUrl);
  await client.click(`form[action$="/publish"] input[value=minutes] ~ button`);
  await said(client, "構成員に公開しました", "minutes published");
  await shot(client, "council-meeting-published.png");

  // 5. A member prefecture sees the approved documents and answers the survey for itself only.
  const tokyo = await as("tokyo-staff");
  await tokyo.goto(meetingUrl);
  await said(tokyo, "会議資料ア_結果概要.pdf", "member sees the materials");
  await said(tokyo, "第1回研究部会_議事録.pdf", "member sees the minutes");
  const main = await tokyo.textContent("main");
  check(!main.includes("提出・承諾"), "a member sees no register");
  await shot(tokyo, "council-meeting-member.png");
  await tokyo.goto(termUrl);
  await tokyo.click("text=構成都県へのアンケート調査");
  const survey = tokyo.url();
  await tokyo.click("main table a:text-is('東京都')");
  await tokyo.selectOption('select[name="q_support"]', "planned");
  await tokyo.selectOption("#src", "self");
  await tokyo.click(`form[action*="/responses/"] button[type=submit]`);
  const err = await tokyo.$(".alert.error");
  if (err) failures.push(`東京都 answering for itself: ${(await err.textContent()).trim()}`);
  await tokyo.goto(survey);
  await tokyo.click("main table a:text-is('茨城県')");
  await tokyo.selectOption('select[name="q_support"]', "yes");
  await tokyo.click(`form[action*="/responses/"] button[type=submit]`);
  check((await tokyo.textContent("body")).includes("茨城県"), "answering for 茨城県 is refused naming it");
  await shot(tokyo, "council-survey-refused.png");

  // 6. On a phone (390 px): the member's meeting page and the client's term page fit the width.
  for (const [login, url, name] of [["tokyo-staff", meetingUrl, "council-meeting-phone.png"], ["shinshu-staff", termUrl, "council-term-phone.png"]]) {
    const page = await as(login);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 392, `${name}: the page is ${width}px wide on a 390px phone`);
    await shot(page, name);
  }

  // 7. In English: the term page and the meeting page speak English.
  const en = await as("shinshu-staff");
  await en.goto(`${base}/lang/en`);
  await en.goto(termUrl);
  await said(en, "Report and draft proposal", "English term page");
  await said(en, "Meetings", "English term page");
  await shot(en, "council-term-en.png");
  await en.goto(meetingUrl);
  check((await en.getAttribute("html", "lang")) === "en", "the meeting page is marked English");
  await shot(en, "council-meeting-en.png");
}

try {
  await run();
} catch (e) {
  failures.push(`flow stopped: ${e.message}`);
}
await browser.close();
if (failures.length) {
  console.error("council flow failures:\n  " + failures.join("\n  "));
  process.exit(1);
}
console.log("council flow: ok");
