// Content-Security-Policy violations are failures: every page must work under the policy the
// server sends (no inline scripts or handlers, images only from here and the tile host).
// Chromium reports a violation on the console; pages also get a `securitypolicyviolation` event.
export function watchCsp(page, failures) {
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) failures.push(`CSP violation on ${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => {
    if (/Content Security Policy|unsafe-eval|unsafe-inline/i.test(String(e))) failures.push(`CSP error on ${page.url()}: ${e}`);
  });
}
