#!/usr/bin/env node
// The dashboard of `bulwark watch --serve` while the real lab attack runs
// (driven by scripts/test-dashboard-lab.sh, which starts the lab and watch):
// open the page in headless Chromium, run `make -C lab attack`, and make a
// process named HOSTILE read /etc/shadow in the web container; then check in
// the browser that the attack's alerts arrive live, that the filters narrow
// the table, that the drill-down shows the dropped binary, that the hostile
// name is only text (no element, no dialog, no script or CSP error), and
// that /metrics carries watch's live counters. Screenshots: ARTEFACT_DIR.
//
// Usage: lab_attack_test.js URL SOURCE_DIR ARTEFACT_DIR WEB_CONTAINER
// Exit 0 pass, 1 fail, 77 skipped (no chromium or playwright-core).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const h = require('./helpers');

const check = h.check;

const [url, sourceDir, artefacts, web] = process.argv.slice(2);
if (!url || !sourceDir || !artefacts || !web) {
  console.error('usage: lab_attack_test.js URL SOURCE_DIR ARTEFACT_DIR WEB_CONTAINER');
  process.exit(2);
}
const chromium = h.loadChromium(sourceDir);
fs.mkdirSync(artefacts, { recursive: true });

const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_PATH = '/tmp/' + HOSTILE;
const HOSTILE_COMM = HOSTILE.slice(0, 15);  // the kernel keeps 15 bytes of a task's name
const DROP = 'Drop and execute new binary in container';
const READ = 'Read sensitive file';
const DROPPED = '/tmp/.ICE-unix/.kworker';

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => resolve(code));
  });
}

const ofWeb = (rows, rule) => rows.filter((r) => r.rule === rule && r.container === web);

// Steps 1-3: the page is open while the attack and the hostile process run.
async function attackWhileOpen(page) {
  await page.goto(url);
  await page.waitForSelector('#status.live', { timeout: 15000 });  // the stream is open
  check((await h.tableRows(page)).every((r) => r.container !== web),
    `no alert of ${web} before the attack: what follows arrives live`);
  const start = Date.now();
  check(await run('make', ['-C', path.join(sourceDir, 'lab'), 'attack', 'ATTACK_SECONDS=60']) === 0,
    'make -C lab attack ATTACK_SECONDS=60 ran with the dashboard open');
  const script = `cp /bin/cat '${HOSTILE_PATH}' && '${HOSTILE_PATH}' /etc/shadow >/dev/null`;
  check(await run('docker', ['exec', web, 'sh', '-c', script]) === 0,
    `a process named ${HOSTILE} read /etc/shadow in ${web}`);
  const rows = await h.waitForRows(page, (r) => ofWeb(r, DROP).length > 0 &&
    ofWeb(r, READ).some((x) => x.process === HOSTILE_COMM), 60000);
  check(rows !== null, `live rows of "${DROP}" and "${READ}" (the hostile one too) for ${web}` +
    ` (${((Date.now() - start) / 1000).toFixed(1)} s after make attack began)`);
  check(ofWeb(rows, READ).length >= 2, `"${READ}" by the payload and by the hostile process`);
  await page.waitForTimeout(3500);  // the summary refresh draws the chart and tops
  await page.screenshot({ path: path.join(artefacts, 'lab-live.png'), fullPage: true });
  return rows;
}

// The hostile name is text in the table and nothing was made of it.
async function hostileIsText(page) {
  const cells = page.locator('#alert-rows td', { hasText: HOSTILE_COMM });
  check(await cells.count() >= 1, `the hostile name shows as text ("${HOSTILE_COMM}", the comm)`);
  check(await page.locator('img:not(#diagram)').count() === 0, 'no <img> element besides the diagram');
  check(await page.locator('img[src="x"], [onerror]').count() === 0, 'no element made from the name');
}

// Filters narrow the table: priority, rule, then a search for the dropped binary.
async function filterNarrows(page, all) {
  const total = all.length;
  await page.selectOption('#f-priority', 'Critical');
  let rows = await h.waitForRows(page, (r) => r.length > 0 && r.every((x) => x.priority === 'CRITICAL'), 5000);
  check(rows !== null && rows.length < total, `priority Critical: ${rows && rows.length} of ${total} rows`);
  await page.selectOption('#f-priority', '');
  await page.selectOption('#f-rule', DROP);
  rows = await h.waitForRows(page, (r) => r.length > 0 && r.every((x) => x.rule === DROP), 5000);
  check(rows !== null && rows.length < total, `rule "${DROP}": ${rows && rows.length} of ${total} rows`);
  await page.fill('#f-q', DROPPED);
  rows = await h.waitForRows(page, (r) => r.length > 0 &&
    r.every((x) => x.rule === DROP && x.process === '.kworker'), 5000);
  check(rows !== null, `and the search for ${DROPPED}: ${rows && rows.length} row(s) of .kworker`);
  await page.screenshot({ path: path.join(artefacts, 'lab-filtered.png'), fullPage: true });
}

// The drill-down of the dropped binary, then of the hostile process.
async function detailShows(page) {
  await page.locator('#alert-rows tr').first().click();
  let detail = await page.locator('#detail').innerText();
  check(detail.includes(DROP), 'the detail panel opened the drop-and-execute alert');
  check(detail.includes('proc.exepath') && detail.includes(DROPPED), `its process: exe ${DROPPED}`);
  check(detail.includes('container.name') && detail.includes(web), `its container: ${web}`);
  await page.screenshot({ path: path.join(artefacts, 'lab-detail.png'), fullPage: true });

  await page.selectOption('#f-rule', READ);
  await page.fill('#f-q', 'onerror');
  check(await h.waitForRows(page, (r) => r.length >= 1 && r.every((x) => x.process === HOSTILE_COMM),
    5000) !== null, 'the search "onerror" finds the hostile process\'s read');
  await page.locator('#alert-rows tr').first().click();
  detail = await page.locator('#detail').innerText();
  check(detail.includes(HOSTILE_PATH), `its detail shows the whole path ${HOSTILE_PATH} as text`);
  check(await page.locator('#detail img, #detail [onerror]').count() === 0,
    'no element in the detail panel');
  await page.screenshot({ path: path.join(artefacts, 'lab-hostile.png'), fullPage: true });
}

// Step 4: watch's live counters on the same server.
async function metricsLive() {
  const text = await (await fetch(url + 'metrics')).text();
  const value = (re) => { const m = re.exec(text); return m ? Number(m[1]) : NaN; };
  const drops = value(/^bulwark_alerts_total\{[^}]*rule="Drop and execute new binary in container"[^}]*\} (\S+)$/m);
  const seen = value(/^bulwark_events_seen_total (\S+)$/m);
  check(drops > 0, `/metrics: bulwark_alerts_total{rule="${DROP}",...} = ${drops}`);
  check(seen > 0, `/metrics: bulwark_events_seen_total = ${seen}`);
}


async function main() {
  const browser = await h.launch(chromium);
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const seen = h.guard(page);
    const rows = await attackWhileOpen(page);
    await hostileIsText(page);
    await filterNarrows(page, rows);
    await detailShows(page);
    await metricsLive();
    check(seen.dialogs.length === 0, 'no dialog or alert() fired (' + seen.dialogs.join(', ') + ')');
    check(seen.errors.length === 0, 'no script error or CSP violation: ' + seen.errors.join(' | '));
    console.log('PASS (screenshots in ' + artefacts + ')');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error('FAIL: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
