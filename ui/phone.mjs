// The field staff's phone (390 × 844): the contractor's work-order list shows a work order above
// the fold, the menu button opens the navigation without JavaScript, and the work-order page, its
// photo upload and the patrol pages are usable at that width. Screenshots of each (viewport only:
// what the user sees first).
// Usage: node ui/phone.mjs http://127.0.0.1:PORT OUTDIR
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
const H = 844;

for (const js of [true, false]) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: H }, locale: "ja-JP", javaScriptEnabled: js, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  watchCsp(page, failures);
  await page.goto(`${base}/login`);
  await page.fill("#login", "jv-staff");
  await page.fill("#password", "tabane-demo-2026");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
  const tag = js ? "" : "-nojs";

  await page.goto(`${base}/infra/work-orders`);
  const first = await page.$("table a[href^='/infra/work-orders/']");
  const box = first && (await first.boundingBox());
  check(box && box.y + box.height <= H, `work-order list${tag}: the first work order is not above the fold (${JSON.stringify(box)})`);
  check(!(await page.isVisible("nav.main-nav")), `work-order list${tag}: the navigation should be folded behind the menu`);
  await page.screenshot({ path: join(out, `phone-work-orders${tag}.png`) });
  // The menu button opens the navigation (a checkbox and its label: no script needed).
  await page.click("label.menu-button");
  check(await page.isVisible("nav.main-nav a[href='/infra']"), `menu${tag}: the navigation does not open`);
  check(await page.isVisible("nav.subnav a[href='/infra/patrols']"), `menu${tag}: the module's tabs do not open`);
  await page.screenshot({ path: join(out, `phone-menu${tag}.png`) });

  if (!first) continue;
  const href = await first.getAttribute("href");
  await page.goto(`${base}${href}`);
  const h1 = await (await page.$("h1"))?.boundingBox();
  check(h1 && h1.y < H / 3, `work order${tag}: its title is not near the top`);
  await page.screenshot({ path: join(out, `phone-work-order${tag}.png`) });
  const upload = await page.$("input[type=file]");
  if (upload) {
    await upload.scrollIntoViewIfNeeded();
    const b = await upload.boundingBox();
    check(b && b.width <= 390, `photo upload${tag}: wider than the screen`);
    await page.screenshot({ path: join(out, `phone-photo-upload${tag}.png`) });
  }
  for (const [path, name] of [["/infra/patrols", "patrols"], ["/infra/patrol-diary", "patrol-diary"]]) {
    const r = await page.goto(`${base}${path}`);
    check(r.ok(), `${path}${tag}: ${r.status()}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 420, `${path}${tag}: the page is ${width}px wide on a 390px screen`);
    await page.screenshot({ path: join(out, `phone-${name}${tag}.png`) });
  }
  await ctx.close();
}

await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`phone: ok, screenshots in ${out}`);
