// The browser flows in Chromium (playwright-core, Debian's chromium): signing in on the
// live page, browsing HTML listings, the live cache view drawing the eviction order as
// other users log in, and managing files from a listing (upload, mkdir, rename, delete).
// Runs on Node (playwright-core drives the browser from Node).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from '../../js/scripts/chromium.mjs';
import { curl, startServer } from './server.ts';

test('chromium: sign in, browse listings, watch the live cache evict, manage files', async () => {
  const s = await startServer('sqlite', ['--max-users', '3']);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  try {
    const errors: string[] = [];
    const admin = await browser.newPage();
    admin.on('pageerror', (e) => errors.push(String(e)));
    // The demo page is served at / with the package it imports.
    await admin.goto(`${s.url}/`);
    assert.match(await admin.title(), /LRU/);
    await admin.click('a[href="live.html"]');
    await admin.waitForURL(/live\.html$/);
    // A wrong password is refused on the page.
    await admin.fill('#user', 'admin');
    await admin.fill('#password', 'wrong');
    await admin.click('button[type=submit]');
    await admin.waitForFunction(() =>
      document.getElementById('login-status')?.textContent?.includes('wrong')
    );
    await admin.fill('#password', 'admin-demo');
    await admin.click('button[type=submit]');
    await admin.waitForSelector('#live:not([hidden])');
    await admin.waitForSelector('#users li[data-user="admin"]');
    // Other users log in with curl: the view shows them newest first, and the eviction.
    for (const user of ['alice', 'bob', 'carol']) {
      assert.equal((await curl(['-u', `${user}:${user}-demo`, `${s.url}/files/public/`])).status, 200);
    }
    await admin.waitForFunction(() =>
      [...document.querySelectorAll('#users li')].map((li) => (li as HTMLElement).dataset.user).join() ===
        'carol,bob,alice'
    );
    await admin.waitForFunction(() =>
      document.getElementById('evictions')?.textContent?.includes('admin (evict)')
    );
    // Listing as alice makes her the most recent.
    assert.equal((await curl(['-u', 'alice:alice-demo', `${s.url}/files/home/alice/`])).status, 200);
    await admin.waitForFunction(() =>
      [...document.querySelectorAll('#users li')].map((li) => (li as HTMLElement).dataset.user).join() ===
        'alice,carol,bob'
    );
    // The admin browses the HTML listing with the session cookie.
    await admin.click('#browse');
    await admin.waitForURL(/\/files\/$/);
    assert.equal(await admin.textContent('#user'), 'admin');
    await admin.click('a[href="/files/home/"]');
    await admin.waitForURL(/\/files\/home\/$/);
    const adminSees = await admin.$$eval('tbody a', (as) => as.map((a) => a.textContent));
    assert.deepEqual(adminSees, ['alice/', 'bob/', 'carol/']);

    // alice, in her own browser context, sees only what her rules allow.
    const context = await browser.newContext();
    const alice = await context.newPage();
    alice.on('pageerror', (e) => errors.push(String(e)));
    await alice.goto(`${s.url}/live.html`);
    await alice.fill('#user', 'alice');
    await alice.fill('#password', 'alice-demo');
    await alice.click('button[type=submit]');
    await alice.waitForSelector('#not-admin:not([hidden])');
    await alice.click('#browse');
    await alice.waitForURL(/\/files\/$/);
    assert.deepEqual(await alice.$$eval('tbody a', (as) => as.map((a) => a.textContent)), [
      'home/',
      'public/',
      'shared/',
    ]);
    await alice.click('a[href="/files/home/"]');
    assert.deepEqual(await alice.$$eval('tbody a', (as) => as.map((a) => a.textContent)), ['alice/']);
    await alice.click('a[href="/files/home/alice/"]');
    const response = await Promise.all([
      alice.waitForResponse((r) => r.url().endsWith('/files/home/alice/notes.txt')),
      alice.click('a[href="/files/home/alice/notes.txt"]'),
    ]).then(([r]) => r);
    assert.equal(response.status(), 200);
    assert.match(await alice.content(), /alice's notes/);
    // Her live view is refused by the server too.
    const refused = await alice.evaluate(async () => (await fetch('/api/admin/cache')).status);
    assert.equal(refused, 403);

    // She manages her files from the listing; each action reloads it.
    await alice.goto(`${s.url}/files/home/alice/`);
    alice.on('dialog', (d) => void d.accept());
    const home = join(s.root, 'home', 'alice');
    const names = () => alice.$$eval('tbody a', (as) => as.map((a) => a.textContent));
    const reloaded = async (action: () => Promise<unknown>) => {
      await Promise.all([alice.waitForEvent('load'), action()]);
    };
    await alice.setInputFiles('#upload input[type=file]', {
      name: 'upload.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('sent from the page\n'),
    });
    await reloaded(() => alice.click('#upload button'));
    assert.ok((await names()).includes('upload.txt'));
    assert.equal(await readFile(join(home, 'upload.txt'), 'utf8'), 'sent from the page\n');
    await alice.fill('#mkdir input', 'made');
    await reloaded(() => alice.click('#mkdir button'));
    assert.ok((await names()).includes('made/'));
    assert.ok(existsSync(join(home, 'made')));
    // Renaming into the new directory moves the file.
    await alice.fill('form.rename[data-name="upload.txt"] input', 'made/moved.txt');
    await reloaded(() => alice.click('form.rename[data-name="upload.txt"] button'));
    assert.ok(!(await names()).includes('upload.txt'));
    assert.ok(!existsSync(join(home, 'upload.txt')));
    assert.equal(await readFile(join(home, 'made', 'moved.txt'), 'utf8'), 'sent from the page\n');
    await reloaded(() => alice.click('button.delete[data-name="notes.txt"]'));
    assert.ok(!(await names()).includes('notes.txt'));
    assert.ok(!existsSync(join(home, 'notes.txt')));
    // A refusal is shown on the page, and the file stays where it was.
    await alice.fill('form.rename[data-name="made"] input', '/public/made');
    await alice.click('form.rename[data-name="made"] button');
    await alice.waitForFunction(() =>
      document.getElementById('status')?.textContent?.includes('not allowed')
    );
    assert.match((await alice.textContent('#status')) ?? '', /^MOVE failed: write is not allowed here/);
    assert.ok(existsSync(join(home, 'made', 'moved.txt')));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await s.stop();
  }
});
