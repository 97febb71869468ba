// 団地建替・移転 as the prefecture's staff would run a month, in headless Chromium: a campaign with
// the prefecture's fees, three households, the 希望住戸アンケート (one answer after a 架電), the
// lottery drawn and confirmed, forms issued and received, the payments, keys, the move, vacating,
// the remainder, and the monthly report printed.
// Usage: node ui/housing-flow.mjs http://127.0.0.1:PORT OUTDIR
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

let pref;
async function run() {
pref = await as("nagasaki-staff");

// The estate: the seed's tables, with the recorded disagreement of 「H・N～T棟」.
await pref.goto(`${base}/housing`);
await pref.click("main table a");
await said(pref, "54,419.1", "estate page");
await said(pref, "M棟（22世帯）を含めると一致します", "estate page finding");
await shot(pref, "housing-estate.png");

// 1. A campaign with the prefecture's amounts (県が定める金額).
await pref.goto(`${base}/housing/campaigns`);
await pref.fill("#c-n", "第2期 本移転（画面確認）");
await pref.fill("#c-c", "2027-09-30");
await pref.fill("#c-m", "2027-10-01");
await pref.click("form.stack button[type=submit]");
await pref.waitForURL(/\/housing\/campaigns\/\d+$/);
const campaign = pref.url();
for (const [band, fee, mov] of [["1", "171000", "130001"], ["2", "192000", "150000"], ["3+", "215000", "170000"]]) {
  await pref.fill(`input[name="fee_main_${band}_moving"]`, fee);
  await pref.fill(`input[name="fee_main_${band}_movables"]`, mov);
}
await pref.click('form.stack button[type=submit]');
await said(pref, "保存しました", "fees saved");
const campaignId = campaign.match(/(\d+)$/)[1];
// The destination building, entered with its unit types (the seed leaves its capacity open).
await pref.click("text=移転先の棟と住戸を登録（1工区新築棟など）");
await pref.fill("#b-n", "2期新築棟");
await pref.fill("#b-f", "2");
await pref.fill('input[name=layout1]', "2DK");
await pref.fill('input[name=area1]', "55.2");
await pref.fill('input[name=count1]', "3");
await pref.fill('input[name=layout2]', "3LDK");
await pref.fill('input[name=area2]', "67.8");
await pref.fill('input[name=count2]', "2");
await pref.click("#new-building button[type=submit]");
await said(pref, "2期新築棟（5戸）を登録しました", "destination building");

// 2. Three households of the campaign, entered from the paper register.
const cases = [];
for (const [room, size, aged] of [["901", "1", "1"], ["902", "2", "1"], ["903", "3", "0"]]) {
  await pref.goto(`${base}/housing/cases`);
  await pref.selectOption("#h-camp", campaignId);
  await pref.fill("#h-b", "T");
  await pref.fill("#h-r", room);
  await pref.fill("#h-s", size);
  await pref.fill("#h-a", aged);
  await pref.click('form[method=post][action="/housing/cases"] button[type=submit]');
  await pref.waitForURL(/\/housing\/cases\/\d+$/);
  cases.push(pref.url());
}
await pref.goto(`${base}/housing/cases?building=T`);
await shot(pref, "housing-cases.png");

// 3. The questionnaire on the platform survey; answers typed from the returned paper forms.
await pref.goto(campaign);
await pref.click("text=アンケートを作成（対象世帯・空き住戸から）");
await said(pref, "希望住戸アンケートを作成しました", "questionnaire");
await pref.click("text=アンケート（回答の代理入力・未回答者の督促）");
await pref.waitForURL(/\/surveys\/\d+$/);
const survey = pref.url();
await shot(pref, "housing-survey.png");
const recipientLinks = await pref.$$eval("main table a[href*='/responses/']", (as) => as.map((a) => a.href));
check(recipientLinks.length === 3, `three recipients (got ${recipientLinks.length})`);
for (const [i, link] of recipientLinks.entries()) {
  await pref.goto(link);
  if (i === 2) {
    // The third did not return the form: a phone call first, then the answers taken by phone.
    await pref.selectOption("#f-method", "phone");
    await pref.fill("#f-outcome", "不在のため翌日再架電、回答を聴取");
    await pref.click('form[action$="/followups"] button[type=submit]');
    await pref.waitForURL(link);
  }
  await pref.selectOption("select[name=q_class]", "main");
  const ranks = await pref.$$("select[name=q_wishes]");
  // Everyone wants the first free unit first; then each a different second wish.
  await ranks[0].selectOption({ index: 1 });
  if (ranks[1]) await ranks[1].selectOption({ index: 2 + i });
  await pref.fill("input[name=q_size]", ["1", "2", "3"][i]);
  await pref.click("text=回答を保存");
  await pref.waitForLoadState();
  if (i === 2) await shot(pref, "housing-survey-answer.png");
}
await pref.goto(survey);
check((await pref.textContent("main")).includes("回答済"), "answers recorded");

// 4. Classification from the answers, then the lottery with the number announced at the venue.
await pref.goto(campaign);
await pref.click("text=回答により分類する（未分類の世帯）");
await said(pref, "3世帯を分類しました", "classified");
await pref.fill("#l-n", "第2期 第1回 住戸抽選会");
await pref.fill("#l-d", "2027-06-15");
await pref.fill("#l-s", "3817");
await pref.click('form[action$="/lotteries"] button[type=submit]');
await pref.waitForURL(/\/housing\/lotteries\/\d+$/);
const lottery = pref.url();
await said(pref, "抽選計画", "lottery plan");
check((await pref.$$("tr.clash")).length >= 1, "the plan shows the clash on the first unit");
await shot(pref, "housing-lottery.png");
await pref.goto(`${lottery}?report=plan`);
await pref.emulateMedia({ media: "print" });
await shot(pref, "housing-lottery-plan-print.png");
await pref.emulateMedia({ media: "screen" });
await pref.goto(lottery);
await pref.click("text=抽選結果を確定し、移転先を決める（県）");
await said(pref, "抽選結果を確定し", "lottery confirmed");
const winner = await pref.getAttribute("main tr[data-winner]", "data-winner");
await shot(pref, "housing-lottery-confirmed.png");

// 5. The winner's move: forms, contract, payments, keys, move, vacating, remainder.
const caseUrl = `${base}/housing/cases/${winner}`;
await pref.goto(caseUrl);
const stepNow = async (action, date, extra) => {
  const form = `form[data-action="${action}"]`;
  await pref.fill(`${form} input[name=on]`, date);
  if (extra) await extra(form);
  await pref.click(`${form} button[type=submit]`);
  await pref.waitForLoadState();
};
await stepNow("issue_forms", "2027-06-20");
await said(pref, "書類の配布", "forms issued");
const issued = await pref.$$eval("main tr[data-issue]", (rows) => rows.map((r) => r.dataset.issue));
check(issued.length === 8, `eight forms issued (got ${issued.length})`);
// Keys are refused while forms are missing.
check(!(await pref.$('form[data-action="hand_keys"]')), "no key handover offered before the forms are in");
for (const no of issued) {
  await pref.fill("main input[name=issue_no]", no);
  await pref.fill("main input[name=received_on]", "2027-06-28");
  await pref.selectOption("main select[name=method]", "in_person");
  await pref.fill("main input[name=guarantors]", "1");
  await pref.click("text=受領を記録");
  await pref.waitForLoadState();
}
await said(pref, "書類受領完了", "forms complete");
await shot(pref, "housing-case-forms.png");
await pref.click("text=個人情報を入力・更新（空欄は変更なし）");
await pref.fill("#p-n", "諫早 太郎（仮名）");
await pref.fill("#p-b", "十八親和銀行 諫早支店 普通 1234567");
await pref.click("text=暗号化して保存");
await said(pref, "個人情報を保存しました", "personal data saved");
await stepNow("sign_contract", "2027-07-01");
await stepNow("pay_first", "2027-07-05");
await said(pref, "1回目（動産移転相当額の半分）", "first payment");
await stepNow("hand_keys", "2027-09-28");
await stepNow("record_move", "2027-10-02");
await stepNow("confirm_vacated", "2027-10-10", async (form) => {
  await pref.check(`${form} input[name=nothing_left]`);
  await pref.check(`${form} input[name=keys_returned]`);
});
await said(pref, "退去確認済み", "vacating confirmed");
await stepNow("pay_remainder", "2027-10-15");
await stepNow("close", "2027-10-16");
await said(pref, "完了", "case closed");
await shot(pref, "housing-case-closed.png");
// Reading the personal fields is a deliberate, recorded act.
await pref.click("text=個人情報を表示（記録されます）");
await said(pref, "諫早 太郎（仮名）", "personal data shown");
await shot(pref, "housing-case-personal.png");

// The contractor sees the case but not the bank account.
const pfi = await as("pfi-staff");
await pfi.goto(caseUrl);
await pfi.click("text=個人情報を表示（記録されます）");
const pfiMain = await pfi.textContent("main");
check(pfiMain.includes("諫早 太郎（仮名）") && !pfiMain.includes("1234567") && pfiMain.includes("登録済み（県のみ表示）"), "the contractor sees no bank account");
await shot(pfi, "housing-case-contractor.png");

// 6. The month's report to the prefecture, printed.
await pref.goto(`${base}/housing/reports/monthly?month=2027-10`);
check((await pref.textContent("main")).includes("月"), "monthly report");
await pref.emulateMedia({ media: "print" });
await shot(pref, "housing-monthly-print.png");
await pref.emulateMedia({ media: "screen" });
await pref.goto(`${base}/housing/reports/danchi-chosho`);
await said(pref, "団地別調書", "statement");
await shot(pref, "housing-chosho.png");

}
try {
  await run();
} catch (e) {
  failures.push(`stopped: ${e.message.split("\n")[0]}`);
  if (pref) {
    const err = await pref.$(".alert.error");
    if (err) failures.push(`page said: ${(await err.textContent()).trim()}`);
    await shot(pref, "housing-failure.png");
  }
}
await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`housing flow: ok, screenshots in ${out}`);
