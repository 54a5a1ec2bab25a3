// Browser journeys through ozodi in Debian's Chromium, driven by playwright-core (never a
// downloaded browser). Started by crates/ozodi/tests/browser.rs, which prepares a sealed instance
// with the demo accounts and passes everything in the environment:
//
//   OZODI_E2E_URL         the server (sealed at start)
//   OZODI_E2E_PASSPHRASE  the instance passphrase
//   OZODI_E2E_PASSWORD    every account's password (lawyer, lawyer.other, admin)
//   OZODI_E2E_RESULTS     where screenshots and reports go
//   OZODI_E2E_CHROMIUM    the browser (default /usr/bin/chromium)
//   OZODI_E2E_SITE        the public site's own listener (optional: without it, no site journey)
//
// Each journey runs in ru, tg and en, with JavaScript on and off: unseal; log in; create a case
// with an event, an act, a victim and an uploaded file; find it by a Tajik and a Russian word form;
// reveal the victim's name with a purpose; switch language on the same page; log out. A lawyer who
// is not on the team gets "not found" for the case. Every page visited is checked with axe-core
// (JavaScript runs only), weighed (HTML and CSS on first visit, compressed) and checked for requests
// to other hosts. Afterwards the main pages are timed under emulated slow links.
//
// Then the intake journey, in the same three languages with and without JavaScript: an anonymous
// web report (no cookie may be set) with its receipt; the operator logs an urgent call on the
// Sughd line (a refused form keeps what was typed); the lawyer serving the line sees the alert
// (with JavaScript, the banner of an open page updates without a reload when another alert
// arrives), acknowledges it by opening a case from the contact, and answers the web report; the
// sender reads the answer with the receipt.
//
// Then the monitoring journey: a place of detention, an unannounced visit taken to "conducted",
// an allegation's text refused without the person's authorisation and then counted, a finding;
// the analyst assesses a UN recommendation, opens the matrix and the shadow-report tables, and
// filters the statistics.
//
// Then the public site, as a reader without JavaScript sees it: the Russian home, library and a
// publication, and the Tajik home, each on a first visit (HTML, stylesheet and anything else it
// loads) under 50 KB, from its own host only; axe-core (which needs script: the site has none)
// checks the same pages in a second browser context and must find no violation at all.
//
// Exit status 0 when everything held; failures are listed on standard error.

import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BASE = process.env.OZODI_E2E_URL;
const PASSPHRASE = process.env.OZODI_E2E_PASSPHRASE;
const PASSWORD = process.env.OZODI_E2E_PASSWORD;
const RESULTS = process.env.OZODI_E2E_RESULTS ?? join(here, 'results');
const CHROMIUM = process.env.OZODI_E2E_CHROMIUM ?? '/usr/bin/chromium';
const MAX_PAGE_BYTES = 60 * 1024;
const SITE = process.env.OZODI_E2E_SITE;
const MAX_SITE_PAGE_BYTES = 50 * 1024;
const AXE = readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const host = new URL(BASE).host;

const failures = [];
const weights = [];
const axeCounts = { pages: 0, minor: 0, moderate: 0, serious: 0, critical: 0 };
let cssBytes = 0;
const fail = (msg) => { failures.push(msg); console.error(`FAIL: ${msg}`); };

// Invented people only; a different sound each time so no duplicate suggestion interrupts.
const VICTIMS = {
  'ru-js': 'Бахтовар Озмунзода', 'ru-nojs': 'Ситора Намунаева', 'tg-js': 'Фирдавс Санҷишов',
  'tg-nojs': 'Малика Озмоишова', 'en-js': 'Dilshod Testov', 'en-nojs': 'Zarina Sampleva',
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// A page that records what it loads: its own host only, sizes per navigation.
async function watchedPage(context, name) {
  const page = await context.newPage();
  page.stats = { name, requests: [] };
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol !== 'data:' && url.host !== host) fail(`${name}: request to another host: ${req.url()}`);
  });
  page.on('requestfinished', async (req) => {
    try {
      const sizes = await req.sizes();
      const resp = await req.response();
      page.stats.requests.push({
        url: req.url(), type: req.resourceType(),
        bytes: sizes.responseBodySize + sizes.responseHeadersSize,
        encoding: resp ? (await resp.allHeaders())['content-encoding'] ?? '' : '',
      });
    } catch { /* the page went on */ }
  });
  return page;
}

/// After a navigation: weigh it, run axe (with JavaScript), screenshot it.
async function checkPage(page, journey, step, js) {
  await page.waitForLoadState('load');
  const url = page.url();
  const path = new URL(url).pathname;
  const loaded = page.stats.requests.splice(0);
  const doc = loaded.filter((r) => r.type === 'document' || r.type === 'stylesheet');
  for (const css of doc.filter((r) => r.type === 'stylesheet')) cssBytes = Math.max(cssBytes, css.bytes);
  // On a first visit the stylesheet comes too: count it with every page, whether or not this
  // browser had it cached already.
  const bytes = doc.filter((r) => r.type === 'document').reduce((n, r) => n + r.bytes, 0) + cssBytes;
  weights.push({ journey, step, path, bytes });
  if (bytes > MAX_PAGE_BYTES) fail(`${journey} ${step}: ${path} transferred ${bytes} bytes (> ${MAX_PAGE_BYTES})`);
  for (const r of doc) {
    if (r.bytes > 1500 && !['gzip', 'br'].includes(r.encoding)) fail(`${journey} ${step}: ${r.url} not compressed`);
  }
  const lang = await page.getAttribute('html', 'lang');
  const wanted = journey.split('-')[0];
  if (lang !== wanted) fail(`${journey} ${step}: html lang is ${lang}, expected ${wanted}`);
  if (js) {
    // Through the DevTools protocol: the page's Content-Security-Policy (rightly) allows no
    // injected script tag.
    await page.evaluate(AXE);
    const result = await page.evaluate(async () => await globalThis.axe.run(document, {
      resultTypes: ['violations'],
    }));
    axeCounts.pages += 1;
    for (const v of result.violations) {
      axeCounts[v.impact] = (axeCounts[v.impact] ?? 0) + 1;
      if (v.impact === 'serious' || v.impact === 'critical') {
        fail(`${journey} ${step}: axe ${v.impact} ${v.id} on ${path}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
      }
    }
  }
  const dir = join(RESULTS, journey);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${step}.png`), fullPage: true });
}

async function submit(page, formSelector) {
  await Promise.all([
    page.waitForNavigation(),
    page.locator(`${formSelector} button[type=submit]`).first().click(),
  ]);
}

async function expectStatus(page, response, status, what) {
  if (!response || response.status() !== status) fail(`${what}: status ${response?.status()} (expected ${status}) at ${page.url()}`);
}

async function logIn(page, username) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await submit(page, 'main form');
}

async function logOut(page) {
  await Promise.all([page.waitForNavigation(), page.locator('form.logout button[type=submit]').click()]);
}

/// Seals the instance as the administrator, so the next journey starts with the unseal page.
async function seal(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, 'admin');
  await page.goto(`${BASE}/admin/seal`);
  await submit(page, 'main form');
  await context.close();
}

async function journey(browser, lang, js) {
  const name = `${lang}-${js ? 'js' : 'nojs'}`;
  const victim = VICTIMS[name];
  const title = `Journey ${name} ${Date.now() % 100000}`;
  const context = await browser.newContext({
    javaScriptEnabled: js,
    locale: lang === 'tg' ? 'tg-TJ' : lang,
    extraHTTPHeaders: { 'Accept-Language': lang === 'tg' ? 'tg-TJ,tg' : lang },
    viewport: { width: 390, height: 844 },
  });
  const page = await watchedPage(context, name);
  let n = 0;
  const step = (label) => `${String(++n).padStart(2, '0')}-${label}`;

  // Unseal.
  await page.goto(`${BASE}/`);
  if (!page.url().endsWith('/unseal')) fail(`${name}: a sealed instance did not show the unseal page (${page.url()})`);
  await checkPage(page, name, step('unseal'), js);
  await page.fill('input[name=passphrase]', PASSPHRASE);
  await submit(page, 'main form');

  // Log in.
  await page.goto(`${BASE}/login`);
  await checkPage(page, name, step('login'), js);
  await page.fill('input[name=username]', 'lawyer');
  await page.fill('input[name=password]', PASSWORD);
  await submit(page, 'main form');
  if (!page.url().endsWith('/dashboard')) fail(`${name}: login did not reach the dashboard (${page.url()})`);
  // The account remembers the language chosen last (by an earlier journey): choose this one.
  if ((await page.getAttribute('html', 'lang')) !== lang) {
    await Promise.all([page.waitForNavigation(), page.locator(`form.langs button[value=${lang}]`).click()]);
  }
  await checkPage(page, name, step('dashboard'), js);

  // A case.
  await page.goto(`${BASE}/cases/new`);
  await checkPage(page, name, step('case-form'), js);
  await page.fill('input[name=title]', title);
  await page.fill('textarea[name=summary]', 'Ӯро дар шӯъбаи милиса бо шиканҷаҳо азоб доданд. Задержанного били дубинкой.');
  await submit(page, 'main form');
  const casePath = new URL(page.url()).pathname;
  if (!/^\/cases\/[0-9a-f-]{36}$/.test(casePath)) fail(`${name}: creating the case did not lead to its page (${casePath})`);
  await checkPage(page, name, step('case'), js);

  // The victim.
  await page.goto(`${BASE}${casePath}/persons/new`);
  await checkPage(page, name, step('person-form'), js);
  await page.fill('input[name=name]', victim);
  await page.selectOption('select[name=sex]', '01');
  await page.fill('input[name=birth_year]', '1993');
  await submit(page, 'main form');
  await checkPage(page, name, step('person-saved'), js);

  // An event, then an act of it with the victim.
  await page.goto(`${BASE}${casePath}/events/new`);
  await checkPage(page, name, step('event-form'), js);
  await page.fill('input[name=title]', 'Задержание / Боздошт / Arrest');
  await page.fill('input[name="initial_date.y"]', '2026');
  await submit(page, 'main form');
  await checkPage(page, name, step('event'), js);
  await Promise.all([page.waitForNavigation(), page.locator('main a[href*="/acts/new?event="]').first().click()]);
  await checkPage(page, name, step('act-form'), js);
  const victimOption = await page.locator('select[name=victim] option:not([value=""])').first().getAttribute('value');
  await page.selectOption('select[name=victim]', victimOption);
  await page.selectOption('select[name=act_type]', '02011111');
  await submit(page, 'main form');
  if (!/\/acts\/[0-9a-f-]{36}/.test(page.url())) fail(`${name}: the act was not saved (${page.url()})`);
  await checkPage(page, name, step('act'), js);

  // A file.
  await page.goto(`${BASE}${casePath}/evidence/new`);
  await checkPage(page, name, step('evidence-form'), js);
  await page.fill('input[name=title]', 'Справка / Маълумотнома / Certificate');
  await page.setInputFiles('input[type=file]', { name: 'certificate.pdf', mimeType: 'application/pdf', buffer: PDF });
  await submit(page, 'main form');
  if (!/\/evidence\/[0-9a-f-]{36}/.test(page.url())) fail(`${name}: the upload was not saved (${page.url()})`);
  await checkPage(page, name, step('evidence'), js);

  // Found again by other word forms: Tajik "шиканҷа" (text: шиканҷаҳо), Russian "дубинки" (дубинкой).
  for (const [label, q] of [['search-tg', 'шиканҷа'], ['search-ru', 'дубинки']]) {
    await page.goto(`${BASE}/search`);
    await page.fill('input[name=q]', q);
    await submit(page, 'main form');
    const html = await page.content();
    if (!html.includes(title)) fail(`${name}: searching "${q}" did not find the case`);
    await checkPage(page, name, step(label), js);
  }

  // The victim's name, with a purpose.
  await page.goto(`${BASE}${casePath}`);
  await Promise.all([page.waitForNavigation(), page.locator('main a[href$="/reveal"]').first().click()]);
  await checkPage(page, name, step('reveal-form'), js);
  await page.fill('input[name=purpose]', 'Preparing the complaint to the prosecutor');
  await submit(page, 'main form');
  if (!(await page.content()).includes(victim)) fail(`${name}: the revealed page does not show the victim's name`);
  await checkPage(page, name, step('revealed'), js);

  // The language switch keeps the user on the same page.
  await page.goto(`${BASE}${casePath}`);
  const other = lang === 'tg' ? 'ru' : 'tg';
  await Promise.all([page.waitForNavigation(), page.locator(`form.langs button[value=${other}]`).click()]);
  if (new URL(page.url()).pathname !== casePath) fail(`${name}: the language switch left the page (${page.url()})`);
  if ((await page.getAttribute('html', 'lang')) !== other) fail(`${name}: the language switch did not switch`);
  await Promise.all([page.waitForNavigation(), page.locator(`form.langs button[value=${lang}]`).click()]);
  page.stats.requests.splice(0);

  // Log out.
  await logOut(page);
  if (!page.url().endsWith('/login') && !page.url().endsWith('/')) fail(`${name}: logout went to ${page.url()}`);
  await checkPage(page, name, step('logged-out'), js);
  const after = await page.goto(`${BASE}${casePath}`);
  if (!page.url().endsWith('/login')) fail(`${name}: after logout the case page did not ask for a login (${after?.status()})`);

  // A lawyer who is not on the team: the case does not exist for them.
  await logIn(page, 'lawyer.other');
  const refused = await page.goto(`${BASE}${casePath}`);
  await expectStatus(page, refused, 404, `${name}: a lawyer off the team`);
  if ((await page.content()).includes(title)) fail(`${name}: the case title leaked to a lawyer off the team`);
  await checkPage(page, name, step('off-team-404'), js);
  await logOut(page);
  await context.close();
  return casePath;
}

async function chooseLanguage(page, lang) {
  if ((await page.getAttribute('html', 'lang')) !== lang) {
    await Promise.all([page.waitForNavigation(), page.locator(`form.langs button[value=${lang}]`).click()]);
  }
}

function newContext(browser, lang, js) {
  return browser.newContext({
    javaScriptEnabled: js,
    locale: lang === 'tg' ? 'tg-TJ' : lang,
    extraHTTPHeaders: { 'Accept-Language': lang === 'tg' ? 'tg-TJ,tg' : lang },
    viewport: { width: 390, height: 844 },
  });
}

const REPORTS = {
  ru: 'Соседа задержали ночью и избили в отделе.', tg: 'Ҳамсояро шаб боздошт карда, дар шӯъба заданд.',
  en: 'My neighbour was detained at night and beaten at the station.',
};

async function intakeJourney(browser, lang, js) {
  const name = `${lang}-${js ? 'js' : 'nojs'}-intake`;
  let n = 0;
  const step = (label) => `${String(++n).padStart(2, '0')}-${label}`;
  const stamp = `${name} ${Date.now() % 100000}`;

  // The anonymous report: no cookie, a receipt.
  const anonymous = await newContext(browser, lang, js);
  const reporter = await watchedPage(anonymous, name);
  await reporter.goto(`${BASE}/report?lang=${lang}`);
  await checkPage(reporter, name, step('report-form'), js);
  await reporter.selectOption('select[name=place]', 'region:SUG');
  await reporter.fill('textarea[name=summary]', `${REPORTS[lang]} ${stamp}`);
  await reporter.check('input[name=at_risk]');
  await reporter.setInputFiles('input[name=files]', { name: 'statement.pdf', mimeType: 'application/pdf', buffer: PDF });
  await submit(reporter, 'main form');
  await checkPage(reporter, name, step('report-receipt'), js);
  const codes = await reporter.locator('dl.secret code').allTextContents();
  if (codes.length !== 2) fail(`${name}: the receipt page shows ${codes.length} codes`);
  if ((await anonymous.cookies()).length > 0) fail(`${name}: the report pages set a cookie: ${JSON.stringify(await anonymous.cookies())}`);

  // The operator logs an urgent call; a refused form keeps what was typed.
  const staff = await newContext(browser, lang, js);
  const operator = await watchedPage(staff, name);
  await logIn(operator, 'operator');
  await chooseLanguage(operator, lang);
  await operator.goto(`${BASE}/contacts/new`);
  await checkPage(operator, name, step('contact-form'), js);
  await operator.selectOption('select[name=line]', 'SUG');
  await operator.check('input[name=caller][value=relative]');
  await operator.selectOption('select[name=region]', 'SUG');
  await operator.fill('textarea[name=summary]', `Брат под стражей в Худжанде. ${stamp}`);
  await operator.fill('input[name=name]', 'Вымышленная Сестра');
  await operator.check('input[name=in_custody]');
  await submit(operator, 'main form');
  if ((await operator.inputValue('input[name=name]')) !== 'Вымышленная Сестра') fail(`${name}: the refused form lost the name`);
  if (!(await operator.isChecked('input[name=in_custody]'))) fail(`${name}: the refused form lost the urgency`);
  await checkPage(operator, name, step('contact-form-refused'), js);
  await operator.check('input[name=consent_record]');
  await submit(operator, 'main form');
  const contactPath = new URL(operator.url()).pathname;
  if (!/^\/contacts\/[0-9a-f-]{36}$/.test(contactPath)) fail(`${name}: logging the contact did not lead to it (${contactPath})`);
  await checkPage(operator, name, step('contact'), js);
  await logOut(operator);

  // The lawyer serving the line sees the alert.
  const lawyer = await watchedPage(staff, name);
  await logIn(lawyer, 'lawyer');
  await chooseLanguage(lawyer, lang);
  const banner = lawyer.locator('#alert-banner');
  if (!(await banner.isVisible())) fail(`${name}: no alert banner for the lawyer`);
  const before = await banner.textContent();
  await checkPage(lawyer, name, step('lawyer-dashboard'), js);
  if (js) {
    // Another urgent call arrives while the page stays open: the banner changes without a reload.
    const other = await browser.newContext();
    const op = await other.newPage();
    await logIn(op, 'operator');
    await op.goto(`${BASE}/contacts/new`);
    await op.selectOption('select[name=line]', 'SUG');
    await op.check('input[name=caller][value=anonymous]');
    await op.fill('textarea[name=summary]', `Ещё один задержанный. ${stamp}`);
    await op.check('input[name=at_risk]');
    await submit(op, 'main form');
    await other.close();
    try {
      await lawyer.waitForFunction((old) => document.querySelector('#alert-banner').textContent !== old, before, { timeout: 30000 });
    } catch {
      fail(`${name}: the alert banner did not update without a reload`);
    }
    lawyer.stats.requests.splice(0);
  }

  // The lawyer opens the contact and a case from it (which acknowledges the alert).
  await lawyer.goto(`${BASE}${contactPath}`);
  await checkPage(lawyer, name, step('lawyer-contact'), js);
  await lawyer.fill('input[name=title]', `Case from ${stamp}`);
  await submit(lawyer, 'form[action$="/triage"]:has(input[value=open])');
  if (!/^\/cases\/[0-9a-f-]{36}$/.test(new URL(lawyer.url()).pathname)) fail(`${name}: triage did not open a case (${lawyer.url()})`);
  await checkPage(lawyer, name, step('case-from-contact'), js);

  // The web report in the queue: the lawyer answers.
  await lawyer.goto(`${BASE}/lines/SUG`);
  await checkPage(lawyer, name, step('queue'), js);
  const row = lawyer.locator('tr', { hasText: stamp }).filter({ hasText: REPORTS[lang].slice(0, 20) }).locator('a[href^="/contacts/"]');
  if ((await row.count()) === 0) fail(`${name}: the web report is not in the Sughd queue`);
  else {
    await Promise.all([lawyer.waitForNavigation(), row.first().click()]);
    const original = lawyer.locator('a[href$="/files/1/original"]');
    if ((await original.count()) !== 1) fail(`${name}: the report's file is not on its page`);
    await lawyer.fill('textarea[name=body]', `A lawyer will call you. ${stamp}`);
    await submit(lawyer, 'form[action$="/messages"]');
    await checkPage(lawyer, name, step('report-answered'), js);
  }
  await logOut(lawyer);
  await staff.close();

  // The sender comes back with the receipt and reads the answer.
  await reporter.goto(`${BASE}/report/follow-up?lang=${lang}`);
  await reporter.fill('input[name=code]', codes[0] ?? '');
  await reporter.fill('input[name=secret]', codes[1] ?? '');
  await submit(reporter, 'main form');
  if (!(await reporter.content()).includes(`A lawyer will call you. ${stamp}`)) fail(`${name}: the sender does not see the answer`);
  await checkPage(reporter, name, step('report-status'), js);
  if ((await anonymous.cookies()).length > 0) fail(`${name}: the follow-up set a cookie`);
  await anonymous.close();
}

/// Legal work on the journey's case: a complaint through its first steps, a refused step (no
/// ground) that keeps what was chosen, a hearing on the case's calendar, the lawyer's calendar, a
/// feed link read without cookies, and the case file for court.
async function legalJourney(browser, lang, js, casePath) {
  const name = `${lang}-${js ? 'js' : 'nojs'}-legal`;
  let n = 0;
  const step = (label) => `${String(++n).padStart(2, '0')}-${label}`;
  const context = await newContext(browser, lang, js);
  const page = await watchedPage(context, name);
  await logIn(page, 'lawyer');
  await chooseLanguage(page, lang);
  await page.goto(`${BASE}${casePath}/proceedings/new`);
  await checkPage(page, name, step('proceeding-form'), js);
  await page.selectOption('select[name=proceeding_kind]', 'COMPLAINT');
  await page.fill('input[name=title]', `Complaint ${name}`);
  await submit(page, 'main form.record-form');
  const proceedingPath = new URL(page.url()).pathname;
  if (!/\/proceedings\/[0-9a-f-]{36}$/.test(proceedingPath)) fail(`${name}: the proceeding was not created (${page.url()})`);
  await checkPage(page, name, step('proceeding'), js);
  for (const to of ['FILED', 'PRE_INVESTIGATION_CHECK']) {
    await page.selectOption('select[name=to]', to);
    await submit(page, 'form[action$="/steps"]');
  }
  // A refusal without its ground: refused, with the choice kept and the reason shown.
  await page.selectOption('select[name=to]', 'REFUSED');
  const [refused] = await Promise.all([
    page.waitForNavigation(),
    page.locator('form[action$="/steps"] button[type=submit]').click(),
  ]);
  await expectStatus(page, refused, 422, `${name}: a refusal without a ground`);
  if ((await page.locator('#step-error').count()) !== 1) fail(`${name}: the refused step shows no message`);
  if ((await page.inputValue('select[name=to]')) !== 'REFUSED') fail(`${name}: the refused step lost the chosen stage`);
  await checkPage(page, name, step('step-refused'), js);
  await page.selectOption('select[name=ground]', 'SELF_INFLICTED');
  await submit(page, 'form[action$="/steps"]');
  if ((await page.locator('ol.steps li').count()) !== 4) fail(`${name}: the history does not show four steps`);
  await checkPage(page, name, step('refused-recorded'), js);

  // A hearing next week on the case's calendar, then on the lawyer's.
  const day = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  await page.goto(`${BASE}${casePath}/calendar`);
  await checkPage(page, name, step('case-calendar'), js);
  await page.selectOption('select[name=kind]', 'hearing');
  await page.fill('input[name=day]', day);
  await page.fill('input[name=time]', '10:30');
  await page.fill('input[name=title]', `Hearing ${name}`);
  await submit(page, 'form[action$="/calendar"]');
  if (!(await page.content()).includes(`Hearing ${name}`)) fail(`${name}: the hearing is not on the case's calendar`);
  await page.goto(`${BASE}/calendar`);
  if (!(await page.content()).includes(`Hearing ${name}`)) fail(`${name}: the hearing is not on the lawyer's calendar`);
  await checkPage(page, name, step('my-calendar'), js);

  // The feed link, read as a calendar application would: no cookie, no names or titles.
  await page.goto(`${BASE}/calendar/feed`);
  await submit(page, 'form[action="/calendar/feed"]');
  await checkPage(page, name, step('feed'), js);
  const link = await page.inputValue('#feed-link');
  const reader = await browser.newContext();
  const feed = await reader.request.get(link);
  const body = await feed.text();
  if (feed.status() !== 200 || !body.startsWith('BEGIN:VCALENDAR')) fail(`${name}: the feed did not answer a calendar (${feed.status()})`);
  if (body.includes(`Hearing ${name}`) || body.includes('Complaint')) fail(`${name}: the feed carries a title`);
  if ('set-cookie' in feed.headers()) fail(`${name}: the feed set a cookie`);
  await reader.close();
  await submit(page, 'form[action="/calendar/feed/revoke"]');

  // The case file for court: no section chosen is refused with the recipient kept; then the
  // printable file with the evidence hashes and the footer naming the recipient.
  await page.goto(`${BASE}${casePath}/court-file`);
  await checkPage(page, name, step('court-form'), js);
  for (const box of await page.locator('input[name=section]').all()) await box.uncheck();
  const recipient = `Court ${name}, case 1-234/2026`;
  await page.fill('#court-recipient', recipient);
  const [noSection] = await Promise.all([
    page.waitForNavigation(),
    page.locator('form[action$="/court-file"] button[type=submit]').click(),
  ]);
  await expectStatus(page, noSection, 422, `${name}: a court file without sections`);
  if ((await page.locator('#court-error').count()) !== 1) fail(`${name}: the refused court file shows no message`);
  if ((await page.inputValue('#court-recipient')) !== recipient) fail(`${name}: the refused court file lost the recipient`);
  await page.check('input[value=case]');
  await page.check('input[value=evidence]');
  await submit(page, 'form[action$="/court-file"]');
  if ((await page.locator('.court-file code.hash').count()) < 1) fail(`${name}: the court file lists no evidence hash`);
  if (!(await page.locator('.print-footer').innerText()).includes(recipient)) fail(`${name}: the court file's footer lacks the recipient`);
  await checkPage(page, name, step('court-file'), js);
  await logOut(page);
  await context.close();
}

/// A medico-legal evaluation on the journey's case: the lawyer puts the doctor on the team; the
/// doctor writes the report, marks a finding by clicking the body diagram (a link: works without
/// JavaScript), signs, and prints it; the PDF comes back as a PDF. Then the trainings page, and
/// a rehabilitation referral with a refused stage and a session.
/// Unfolds the form section holding `selector` (optional sections start folded): a native
/// <details>, so this works without JavaScript too.
async function unfold(page, selector) {
  if (!(await page.locator(selector).isVisible())) {
    await page.locator(`details:has(${selector}) > summary`).click();
  }
}

async function medicalJourney(browser, lang, js, casePath) {
  const name = `${lang}-${js ? 'js' : 'nojs'}-medical`;
  let n = 0;
  const step = (label) => `${String(++n).padStart(2, '0')}-${label}`;
  const context = await newContext(browser, lang, js);
  const page = await watchedPage(context, name);
  await logIn(page, 'lawyer');
  await page.goto(`${BASE}${casePath}`);
  if ((await page.locator('form[action$="/team"] input[name=username]').count()) === 1) {
    await page.fill('form[action$="/team"] input[name=username]', 'doctor');
    await submit(page, 'form[action$="/team"]');
  }
  await logOut(page);
  await logIn(page, 'doctor');
  await chooseLanguage(page, lang);
  await page.goto(`${BASE}${casePath}/evaluations/new`);
  await checkPage(page, name, step('evaluation-form'), js);
  const subject = await page.locator('select[name=subject] option').nth(1).getAttribute('value');
  await page.selectOption('select[name=subject]', subject ?? '');
  await unfold(page, 'textarea[name=allegations]');
  await page.fill('textarea[name=allegations]', `Allegations ${name}: ӯро заданд.`);
  await submit(page, 'main form.record-form');
  const evaluationPath = new URL(page.url()).pathname;
  if (!/\/evaluations\/[0-9a-f-]{36}$/.test(evaluationPath)) fail(`${name}: the evaluation was not created (${page.url()})`);
  await checkPage(page, name, step('evaluation'), js);
  // A finding by clicking the left sole on the drawing.
  await Promise.all([page.waitForNavigation(), page.locator('a[href*="body_region=B-SOLE-L"]').first().click()]);
  if ((await page.inputValue('select[name=body_region]')) !== 'B-SOLE-L') fail(`${name}: the diagram did not choose the region`);
  await checkPage(page, name, step('finding-form'), js);
  await page.selectOption('select[name=lesion_type]', 'BRUISE');
  await submit(page, 'main form.record-form');
  if ((await page.locator('.body-diagram .mark').count()) !== 1) fail(`${name}: the finding is not marked on the drawing`);
  for (const to of ['SCHEDULED', 'EXAMINED', 'DRAFTING']) {
    await page.selectOption('select[name=to]', to);
    await submit(page, 'form[action$="/steps"]');
  }
  await page.goto(`${BASE}${evaluationPath}/edit`);
  await unfold(page, 'select[name=informed_consent]');
  await page.selectOption('select[name=informed_consent]', 'yes');
  await unfold(page, 'select[name=overall_consistency]');
  await page.selectOption('select[name=overall_consistency]', 'HC');
  await submit(page, 'main form.record-form');
  await page.selectOption('select[name=to]', 'SIGNED');
  await submit(page, 'form[action$="/steps"]');
  if ((await page.locator('code.hash').count()) !== 1) fail(`${name}: the signed report shows no hash`);
  await checkPage(page, name, step('signed'), js);
  await page.goto(`${BASE}${evaluationPath}/print`);
  await checkPage(page, name, step('print'), js);
  const pdf = await context.request.get(`${BASE}${evaluationPath}/pdf`);
  if (pdf.status() !== 200 || pdf.headers()['content-type'] !== 'application/pdf') fail(`${name}: no PDF (${pdf.status()})`);
  await page.goto(`${BASE}/trainings`);
  await checkPage(page, name, step('trainings'), js);

  // Rehabilitation: the doctor on the team refers the victim; an assessment before its
  // instrument is recorded is refused with a message; a session is recorded; then the figures.
  await page.goto(`${BASE}${casePath}/rehabilitation/new`);
  await checkPage(page, name, step('referral-form'), js);
  const client = await page.locator('select[name=client] option').nth(1).getAttribute('value');
  await page.selectOption('select[name=client]', client ?? '');
  await page.selectOption('select[name=client_relation]', 'VICTIM');
  await submit(page, 'main form.record-form');
  const episodePath = new URL(page.url()).pathname;
  if (!/\/rehabilitation\/[0-9a-f-]{36}$/.test(episodePath)) fail(`${name}: the referral was not recorded (${page.url()})`);
  await page.selectOption('select[name=to]', 'ASSESSED');
  const [early] = await Promise.all([
    page.waitForNavigation(),
    page.locator('form[action$="/steps"] button[type=submit]').click(),
  ]);
  await expectStatus(page, early, 422, `${name}: an assessment without its instrument`);
  if ((await page.locator('#rehab-error').count()) !== 1) fail(`${name}: the refused stage shows no message`);
  await checkPage(page, name, step('episode-refused'), js);
  await page.goto(`${BASE}${episodePath}/sessions/new`);
  await checkPage(page, name, step('session-form'), js);
  await page.fill('textarea[name=notes]', `Session ${name}: хоб беҳтар шуд.`);
  await submit(page, 'main form.record-form');
  if (!(await page.content()).includes(`Session ${name}`)) fail(`${name}: the session's notes are not shown to the clinician`);
  await checkPage(page, name, step('episode'), js);
  await page.goto(`${BASE}/rehabilitation`);
  await checkPage(page, name, step('rehabilitation'), js);
  await logOut(page);
  await context.close();
}

/// Time to a loaded page under emulated slow links, first visit (empty cache).
/// The monitoring of a place of detention and the UN follow-up: the monitor registers a place,
/// records an unannounced visit, takes it to "conducted", has an allegation refused for carrying
/// what was said without the person's authorisation, then counts it, and adds a finding; the
/// analyst opens the UN recommendations, assesses one, and reads the matrix and the shadow-report
/// tables.
async function monitoringJourney(browser, lang, js) {
  const name = `${lang}-${js ? 'js' : 'nojs'}-monitoring`;
  let n = 0;
  const step = (label) => `${String(++n).padStart(2, '0')}-${label}`;
  const context = await newContext(browser, lang, js);
  const page = await watchedPage(context, name);
  await logIn(page, 'monitor');
  await chooseLanguage(page, lang);
  await page.goto(`${BASE}/facilities/new`);
  await page.fill('input[name=name]', `SIZO ${name}`);
  await page.selectOption('select[name=facility_type]', 'TJ.FAC.SIZO');
  await page.selectOption('select[name=region]', 'SUG');
  await submit(page, 'main form.record-form');
  const facility = new URL(page.url()).pathname.split('/').pop();
  await page.goto(`${BASE}/monitoring`);
  await checkPage(page, name, step('monitoring'), js);
  await page.goto(`${BASE}/visits/new`);
  await checkPage(page, name, step('visit-form'), js);
  await page.selectOption('select[name=facility]', facility);
  await page.fill('input[name="initial_date.y"]', '2026');
  await page.fill('input[name="initial_date.m"]', '11');
  await page.fill('input[name="initial_date.d"]', '20');
  await page.selectOption('select[name=visit_type]', 'REACTIVE');
  await page.selectOption('select[name=notice]', 'UNANNOUNCED');
  await page.selectOption('select[name=mandate]', 'OMBUDSMAN_GROUP');
  await submit(page, 'main form.record-form');
  const visit = new URL(page.url()).pathname;
  if (!/^\/visits\/[0-9a-f-]{36}$/.test(visit)) fail(`${name}: the visit was not created (${page.url()})`);
  await page.selectOption('select[name=to]', 'CONDUCTED');
  await submit(page, 'form[action$="/steps"]');
  await checkPage(page, name, step('visit-conducted'), js);
  // What was said, without the person's authorisation: refused, nothing kept.
  await page.check('input[name=authorised][value=no]');
  await page.fill('#alleg-summary', 'said without authorisation');
  const [refused] = await Promise.all([
    page.waitForNavigation(),
    page.locator('form[action$="/allegations"] button[type=submit]').click(),
  ]);
  await expectStatus(page, refused, 422, `${name}: an allegation's text without authorisation`);
  await checkPage(page, name, step('allegation-refused'), js);
  await page.check('input[name=authorised][value=no]');
  await page.fill('#alleg-summary', '');
  await submit(page, 'form[action$="/allegations"]');
  if (!(await page.locator('#allegations li').count())) fail(`${name}: the allegation was not counted`);
  await page.goto(`${BASE}/visit-findings/new?visit=${visit.split('/').pop()}`);
  await page.selectOption('select[name=area]', 'COND');
  await page.selectOption('select[name=severity]', 'CONCERN');
  await page.fill('textarea[name=description]', `Overcrowded cells ${name}`);
  await submit(page, 'main form.record-form');
  await page.goto(`${BASE}${visit}`);
  if (!(await page.content()).includes(`Overcrowded cells ${name}`)) fail(`${name}: the finding is not on the visit`);
  await checkPage(page, name, step('visit-with-finding'), js);
  await logOut(page);

  await logIn(page, 'analyst');
  await chooseLanguage(page, lang);
  await page.goto(`${BASE}/recommendations`);
  await checkPage(page, name, step('recommendations'), js);
  const first = await page.locator('td a[href^="/recommendations/"]').first().getAttribute('href');
  await page.goto(`${BASE}${first}`);
  await page.selectOption('select[name=assessor]', 'coalition');
  await page.selectOption('select[name=status]', 'INITIAL');
  await page.fill('textarea[name=evidence]', `Assessed in ${name}`);
  await submit(page, 'form[action$="/assessments"]');
  if (!(await page.content()).includes(`Assessed in ${name}`)) fail(`${name}: the assessment is not shown`);
  await checkPage(page, name, step('recommendation'), js);
  await page.goto(`${BASE}/recommendations/matrix`);
  await checkPage(page, name, step('matrix'), js);
  await page.goto(`${BASE}/recommendations/shadow-report`);
  await checkPage(page, name, step('shadow-report'), js);
  // The statistics, filtered by region (a form without script).
  await page.goto(`${BASE}/statistics`);
  await page.selectOption('select[name=region]', 'SUG');
  await submit(page, 'form.filters');
  if (!page.url().includes('region=SUG')) fail(`${name}: the statistics filter was not applied`);
  if ((await page.locator('svg.chart').count()) < 1) fail(`${name}: the statistics draw no chart`);
  await checkPage(page, name, step('statistics'), js);
  // The annual report of a year, chosen in its form, then its PDF.
  await page.goto(`${BASE}/statistics/report`);
  await page.selectOption('select[name=year]', '2025');
  await submit(page, 'form.filters');
  if (!page.url().includes('year=2025')) fail(`${name}: the annual report's year was not applied`);
  if (!(await page.content()).includes('2025')) fail(`${name}: the annual report does not name its year`);
  await checkPage(page, name, step('annual-report'), js);
  const pdf = await page.request.get(`${BASE}/statistics/report/pdf?year=2025`);
  if (pdf.status() !== 200 || !(pdf.headers()['content-type'] || '').startsWith('application/pdf')) {
    fail(`${name}: the annual report's PDF: ${pdf.status()}`);
  }
  await logOut(page);
  await context.close();
}

/// The public site without JavaScript (see the top of this file). Returns one row a page.
async function siteJourney(browser) {
  const siteHost = new URL(SITE).host;
  const library = `${SITE}/ru/library.html`;
  const probe = await browser.newContext({ javaScriptEnabled: false });
  const listing = await probe.newPage();
  await listing.goto(library);
  // A publication as a reader finds it: the first Russian one the library links to.
  const links = listing.locator('main a[href*="publications/"]');
  const russian = listing.locator('main a[href*="ru/publications/"]');
  const href = await ((await russian.count()) ? russian : links).first().getAttribute('href', { timeout: 5000 })
    .catch(() => null);
  await probe.close();
  if (!href) {
    fail('site: the library links to no publication');
    return [];
  }
  const pages = [['ru-home', `${SITE}/ru/index.html`, 'ru'], ['ru-library', library, 'ru'],
    ['ru-publication', new URL(href, library).href, 'ru'], ['tg-home', `${SITE}/tg/index.html`, 'tg']];
  const rows = [];
  for (const [step, url, lang] of pages) {
    // A new context for each page: a first visit, nothing cached.
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const sizes = [];
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (u.protocol !== 'data:' && u.host !== siteHost) fail(`site ${step}: request to another host: ${req.url()}`);
    });
    page.on('requestfinished', (req) => {
      sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize).catch(() => 0));
    });
    const response = await page.goto(url);
    await expectStatus(page, response, 200, `site ${step}`);
    await page.waitForLoadState('load');
    const bytes = (await Promise.all(sizes)).reduce((n, b) => n + b, 0);
    rows.push({ step, path: new URL(url).pathname, bytes });
    if (bytes > MAX_SITE_PAGE_BYTES) fail(`site ${step}: ${url} transferred ${bytes} bytes (> ${MAX_SITE_PAGE_BYTES})`);
    const htmlLang = await page.getAttribute('html', 'lang');
    if (htmlLang !== lang) fail(`site ${step}: html lang is ${htmlLang}, expected ${lang}`);
    const dir = join(RESULTS, 'site');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${step}.png`), fullPage: true });
    await context.close();
    // axe-core runs only with script (its timers do not fire in a page without).
    const withScript = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const checked = await withScript.newPage();
    await checked.goto(url);
    await checked.evaluate(AXE);
    const result = await checked.evaluate(async () => await globalThis.axe.run(document, {
      resultTypes: ['violations'],
    }));
    for (const v of result.violations) {
      fail(`site ${step}: axe ${v.impact} ${v.id} on ${url}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
    }
    rows.at(-1).violations = result.violations.length;
    await withScript.close();
  }
  return rows;
}

async function slowLinks(browser, casePath) {
  const profiles = {
    'Slow 3G': { latency: 400 * 5, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 },
    '2G': { latency: 800, downloadThroughput: (250 * 1000) / 8, uploadThroughput: (50 * 1000) / 8 },
  };
  const pages = [['login', '/login'], ['dashboard', '/dashboard'], ['case', casePath], ['search', '/search']];
  const rows = [];
  for (const [profile, conditions] of Object.entries(profiles)) {
    const context = await browser.newContext({ extraHTTPHeaders: { 'Accept-Language': 'tg' } });
    const page = await context.newPage();
    await logIn(page, 'lawyer');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
    for (const [label, path] of pages) {
      const started = Date.now();
      await page.goto(`${BASE}${path}`, { waitUntil: 'load', timeout: 120000 });
      rows.push({ profile, page: label, ms: Date.now() - started });
    }
    await context.close();
  }
  return rows;
}

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  const browser = await launch();
  let casePath;
  try {
    const langs = ['ru', 'tg', 'en'];
    for (const js of [true, false]) {
      for (const lang of langs) {
        casePath = await journey(browser, lang, js);
        await legalJourney(browser, lang, js, casePath);
        await medicalJourney(browser, lang, js, casePath);
        await intakeJourney(browser, lang, js);
        await monitoringJourney(browser, lang, js);
        await seal(browser);
      }
    }
    // Unseal once more for the timings.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}/unseal`);
    await page.fill('input[name=passphrase]', PASSPHRASE);
    await submit(page, 'main form');
    await context.close();
    const site = SITE ? await siteJourney(browser) : [];
    const timings = await slowLinks(browser, casePath);
    const report = ['| link | page | time to loaded page |', '|---|---|---|',
      ...timings.map((t) => `| ${t.profile} | ${t.page} | ${(t.ms / 1000).toFixed(1)} s |`)].join('\n');
    const heaviest = [...weights].sort((a, b) => b.bytes - a.bytes).slice(0, 5)
      .map((w) => `${w.journey} ${w.step} ${w.path}: ${w.bytes} bytes`).join('\n');
    writeFileSync(join(RESULTS, 'slow-links.md'), `${report}\n`);
    writeFileSync(join(RESULTS, 'weights.json'), JSON.stringify(weights, null, 1));
    console.log(`${weights.length} pages checked in 6 journeys, 6 legal, 6 medical, 6 intake and 6 monitoring journeys; screenshots in ${RESULTS}`);
    console.log(`axe-core ${axeCounts.pages} pages: critical ${axeCounts.critical}, serious ${axeCounts.serious}, moderate ${axeCounts.moderate}, minor ${axeCounts.minor}`);
    console.log(`heaviest pages (HTML + CSS ${cssBytes} bytes, compressed, first visit):\n${heaviest}`);
    console.log(`time to a loaded page on slow links:\n${report}`);
    if (SITE) {
      console.log(`public site: ${site.length} pages checked without JavaScript, axe-core violations ${site.reduce((n, r) => n + r.violations, 0)}:\n${site.map((r) => `${r.step} ${r.path}: ${r.bytes} bytes`).join('\n')}`);
    }
  } finally {
    await browser.close();
  }
  if (failures.length > 0) {
    console.error(`${failures.length} failures`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(2); });
