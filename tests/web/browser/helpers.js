// Shared pieces of the browser tests of tests/web/browser/: find Debian's
// Chromium and playwright-core (exit 77, said loudly, when either is
// missing), plain assertions, waiting for the alert table, and a guard that
// records every dialog, script error and CSP violation a page produces.
'use strict';
const fs = require('fs');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function skip(why) {
  console.log('SKIPPED: ' + why);
  process.exit(77);
}

// playwright-core's chromium, or exit 77 when it or /usr/bin/chromium is missing.
function loadChromium(sourceDir) {
  if (!fs.existsSync(CHROMIUM)) skip(CHROMIUM + ' is missing (apt-get install chromium)');
  try {
    return require(path.join(sourceDir, 'tools/npm/node_modules/playwright-core')).chromium;
  } catch (e) {
    return skip('playwright-core is missing (cd tools/npm && npm install)');
  }
}

async function launch(chromium) {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

function check(condition, message) {
  if (!condition) throw new Error('assertion failed: ' + message);
  console.log('ok - ' + message);
}

// Records dialogs (dismissed), uncaught errors and console errors (CSP
// violations are console errors). Failed resource loads are left out: the
// diagram is a 404 when no threat model was written.
function guard(page) {
  const seen = { dialogs: [], errors: [] };
  page.on('dialog', async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      seen.errors.push(m.text());
    }
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  return seen;
}

// The alert table's rows as {id, priority, rule, container, process}.
async function tableRows(page) {
  return page.$$eval('#alert-rows tr', (trs) => trs.map((tr) => {
    const td = Array.from(tr.children).map((c) => c.textContent);
    return { id: td[0], priority: td[2], rule: td[3], container: td[4], process: td[5] };
  }));
}

// Polls the table until its rows satisfy PREDICATE(rows) (evaluated here,
// not in the page, whose CSP forbids eval); the last rows, or null on timeout.
async function waitForRows(page, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await tableRows(page);
    if (predicate(rows)) return rows;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 250));
  }
}

module.exports = { CHROMIUM, skip, loadChromium, launch, check, guard, tableRows, waitForRows };
