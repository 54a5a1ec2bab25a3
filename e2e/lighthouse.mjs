// Lighthouse scores for public pages, in Debian's Chromium (never a downloaded browser).
//
//   node e2e/lighthouse.mjs URL [URL …]
//
// Runs Lighthouse's default mobile configuration (Moto G Power screen, simulated slow 4G and 4x CPU
// slowdown: what a "Lighthouse score" means) for the categories performance and accessibility, one
// URL after another in one headless Chromium. Prints one JSON line per URL on standard output:
//
//   {"url":…,"performance":NN,"accessibility":NN,"failed":[{"id":…,"title":…}],"bytes":N}
//
// where failed lists the accessibility audits scoring below 1 and bytes is the total transfer size
// (Lighthouse's total-byte-weight: the page's requests, with Chromium's /favicon.ico the first time
// a host is visited). A line for a page that could not be measured has null scores and an "error".
// Exit status: 0 when every score is at least LIGHTHOUSE_MIN (default 95); 1 when one is below (the
// shortfalls are listed on standard error); 2 on an error (no URL, the browser would not start, or
// Lighthouse could not load a page: an unreachable URL never passes).
//
// Environment: CHROME_PATH (default /usr/bin/chromium), LIGHTHOUSE_MIN (default 95).
//
// Nothing leaves for another host: chrome-launcher's default flags switch off Chromium's own
// background traffic (updates, sync, translation, safe browsing…), and the browser's resolver
// refuses every host name but those of the given URLs, so a page's request to another host fails
// instead of going out. Lighthouse itself fetches nothing (error reporting is off in the Node API).

import lighthouse from 'lighthouse';
import { launch } from 'chrome-launcher';

const urls = process.argv.slice(2);
const MIN = Number(process.env.LIGHTHOUSE_MIN ?? 95);
if (urls.length === 0 || !Number.isFinite(MIN)) {
  console.error('usage: [LIGHTHOUSE_MIN=95] [CHROME_PATH=/usr/bin/chromium] node e2e/lighthouse.mjs URL [URL …]');
  process.exit(2);
}

let hosts;
try {
  hosts = [...new Set(urls.map((u) => new URL(u).hostname))];
} catch (e) {
  console.error(`lighthouse: ${e.message}`);
  process.exit(2);
}

const chrome = await launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    // Only the given hosts resolve (rules name an IPv6 literal without its brackets).
    `--host-resolver-rules=MAP * ~NOTFOUND, ${hosts.map((h) => `EXCLUDE ${h.replace(/^\[(.*)\]$/, '$1')}`).join(', ')}`,
  ],
  logLevel: 'silent',
}).catch((e) => {
  console.error(`lighthouse: could not start the browser: ${e.message}`);
  process.exit(2);
});

let errors = 0;
const below = [];
try {
  for (const url of urls) {
    // No config: Lighthouse's defaults (mobile, simulated throttling), narrowed to two categories.
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
    }).catch((e) => ({ error: e }));
    const lhr = result?.lhr;
    // A page that did not load still yields a report, with a runtimeError and null scores.
    const problem = result?.error?.message ?? lhr?.runtimeError?.message ??
      (lhr ? null : 'no report');
    const score = (c) => (lhr?.categories[c]?.score == null ? null : Math.round(lhr.categories[c].score * 100));
    const line = {
      url,
      performance: score('performance'),
      accessibility: score('accessibility'),
      failed: lhr ? lhr.categories.accessibility.auditRefs
        .map((r) => lhr.audits[r.id])
        .filter((a) => a.score !== null && a.score < 1)
        .map((a) => ({ id: a.id, title: a.title })) : [],
      bytes: lhr?.audits['total-byte-weight']?.numericValue ?? null,
    };
    if (problem || line.performance === null || line.accessibility === null) {
      line.error = problem ?? 'a category has no score';
      errors++;
      console.error(`ERROR: ${url}: ${line.error}`);
    } else {
      for (const c of ['performance', 'accessibility']) {
        if (line[c] < MIN) below.push(`${url}: ${c} ${line[c]} < ${MIN}`);
      }
    }
    for (const w of lhr?.runWarnings ?? []) console.error(`WARNING: ${url}: ${w}`);
    console.log(JSON.stringify(line));
  }
} catch (e) {
  errors++;
  console.error(`ERROR: ${e.stack ?? e}`);
} finally {
  chrome.kill();
}

for (const b of below) console.error(`BELOW: ${b}`);
process.exitCode = errors ? 2 : below.length ? 1 : 0;
