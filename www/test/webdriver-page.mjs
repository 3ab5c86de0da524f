// The page the end-to-end test drives, over W3C WebDriver (selenium-webdriver) in any
// engine of js/scripts/browsers.mjs that can emulate the media features the test needs:
// the subset of calls the test makes, each done as a user would (real clicks and key
// presses) or read from the page's DOM.
//
// Media features (prefers-color-scheme, prefers-reduced-motion) are the browser's own:
// Chromium through its DevTools protocol (Emulation.setEmulatedMedia), Firefox through its
// preferences (layout.css.prefers-color-scheme.content-override, ui.prefersReducedMotion)
// set in its privileged context. WebKitWebDriver offers neither, so WebKit is not one of
// E2E_ENGINES.

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../../js/scripts/browsers.mjs';

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../../js/package.json'));
const { Key, until, By } = require('selenium-webdriver');

/** The engines that run the end-to-end test. */
export const E2E_ENGINES = Object.freeze(['chromium', 'firefox']);

const KEYS = { ArrowLeft: Key.ARROW_LEFT, ArrowRight: Key.ARROW_RIGHT, Home: Key.HOME, End: Key.END, Enter: Key.ENTER, Tab: Key.TAB };
const POLL_MS = 25;

/** `fn` (a function the page runs) called with the element(s) and `arg`: the script text for executeScript. */
const call = (fn) => `return (${fn}).apply(null, arguments);`;

/**
 * Starts `engine` with a `viewport`-sized page and resolves with `{ page, version, close }`.
 *
 * @param {string} engine one of E2E_ENGINES
 * @param {{ width: number, height: number }} viewport
 */
export async function openPage(engine, viewport) {
  if (!E2E_ENGINES.includes(engine)) throw new RangeError(`the end-to-end test runs in ${E2E_ENGINES.join(' and ')}, not ${engine}`);
  const browser = await launch(engine, viewport);
  const { driver } = browser;
  const media = { colorScheme: null, reducedMotion: null };

  const run = (fn, ...args) => driver.executeScript(call(fn), ...args);
  const find = async (selector) => {
    const [element] = await driver.findElements(By.css(selector));
    if (!element) throw new Error(`no element matches ${selector}`);
    return element;
  };

  /** Waits until `fn(arg)` run in the page is truthy. */
  async function waitForFunction(fn, arg, { timeout = 30_000 } = {}) {
    const until = Date.now() + timeout;
    for (;;) {
      if (await run(fn, arg)) return;
      if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${String(fn).slice(0, 120)}`);
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
  }

  async function setMedia() {
    if (engine === 'chromium') {
      await driver.sendDevToolsCommand('Emulation.setEmulatedMedia', {
        features: [
          { name: 'prefers-color-scheme', value: media.colorScheme ?? '' },
          { name: 'prefers-reduced-motion', value: media.reducedMotion ?? '' },
        ],
      });
      return;
    }
    // Firefox: 0 dark, 1 light; cleared, the system's (light here).
    await setFirefoxPrefs({
      'layout.css.prefers-color-scheme.content-override': media.colorScheme === null ? null : media.colorScheme === 'dark' ? 0 : 1,
      'ui.prefersReducedMotion': media.reducedMotion === null ? null : media.reducedMotion === 'reduce' ? 1 : 0,
    });
  }

  /** Sets Firefox preferences (null clears one) from its privileged context. */
  async function setFirefoxPrefs(prefs) {
    await driver.setContext('chrome');
    try {
      await driver.executeScript(
        `for (const [name, value] of Object.entries(arguments[0])) {
           if (value === null) Services.prefs.clearUserPref(name);
           else if (typeof value === 'number') Services.prefs.setIntPref(name, value);
           else Services.prefs.setStringPref(name, value);
         }`,
        prefs,
      );
    } finally {
      await driver.setContext('content');
    }
  }

  async function setViewportSize({ width, height }) {
    if (engine === 'chromium') {
      // What a viewport is to Chromium's own tools: the device metrics of the page.
      await driver.sendDevToolsCommand('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    } else {
      // Firefox keeps a window at least 500 CSS px wide, so narrower viewports fail here.
      // Window rect units per CSS pixel, and the frame around the viewport, from the window itself.
      for (let attempt = 0; attempt < 4; attempt++) {
        const [w, h, outerW, outerH] = await run(() => [innerWidth, innerHeight, outerWidth, outerHeight]);
        if (w === width && h === height) break;
        const rect = await driver.manage().window().getRect();
        await driver.manage().window().setRect({
          width: Math.round((width + outerW - w) * (rect.width / outerW)),
          height: Math.round((height + outerH - h) * (rect.height / outerH)),
        });
      }
    }
    const got = await run(() => [innerWidth, innerHeight]);
    if (got[0] !== width || got[1] !== height) throw new Error(`viewport ${got.join('×')}, wanted ${width}×${height}`);
  }

  async function screenshot({ path, fullPage = false }) {
    let png;
    if (!fullPage) png = await driver.takeScreenshot();
    else if (engine === 'firefox') png = await driver.takeFullPageScreenshot();
    else {
      const shot = await driver.sendAndGetDevToolsCommand('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
      png = shot.data;
    }
    writeFileSync(path, Buffer.from(png, 'base64'));
  }

  const press = (key) => {
    if (!KEYS[key]) throw new RangeError(`no key ${key}`);
    return driver.actions().sendKeys(KEYS[key]).perform();
  };

  const page = {
    driver,
    async goto(url) {
      await driver.get(url);
    },
    waitForSelector: (selector, { timeout = 30_000 } = {}) => driver.wait(until.elementLocated(By.css(selector)), timeout),
    evaluate: (fn, arg) => run(fn, arg),
    $$eval: (selector, fn, arg) => run(`(s, a) => (${fn})([...document.querySelectorAll(s)], a)`, selector, arg),
    async $eval(selector, fn, arg) {
      await find(selector);
      return run(`(s, a) => (${fn})(document.querySelector(s), a)`, selector, arg);
    },
    title: () => driver.getTitle(),
    inputValue: (selector) => page.$eval(selector, (el) => el.value),
    textContent: (selector) => page.$eval(selector, (el) => el.textContent),
    getAttribute: (selector, name) => page.$eval(selector, (el, n) => el.getAttribute(n), name),
    isVisible: async (selector) => (await find(selector)).isDisplayed(),
    async click(selector) {
      await (await find(selector)).click();
    },
    /** Sets a field's value as typing would: the value, then an input event. */
    fill: (selector, value) =>
      page.$eval(
        selector,
        (el, v) => {
          el.focus();
          el.value = v;
          el.dispatchEvent(new Event('input', { bubbles: true }));
        },
        value,
      ),
    async check(selector) {
      const box = await find(selector);
      if (!(await box.isSelected())) await box.click();
    },
    async uncheck(selector) {
      const box = await find(selector);
      if (await box.isSelected()) await box.click();
    },
    focus: (selector) => page.$eval(selector, (el) => el.focus()),
    dispatchEvent: (selector, type) => page.$eval(selector, (el, t) => el.dispatchEvent(new Event(t, { bubbles: true })), type),
    locator(selector) {
      return {
        focus: () => page.focus(selector),
        inputValue: () => page.inputValue(selector),
        first: () => ({ evaluate: (fn) => page.$eval(selector, fn) }),
        async screenshot({ path }) {
          writeFileSync(path, Buffer.from(await (await find(selector)).takeScreenshot(), 'base64'));
        },
      };
    },
    keyboard: { press },
    mouse: { move: (x, y) => driver.actions().move({ x, y, origin: 'viewport' }).perform() },
    waitForFunction,
    waitForTimeout: (ms) => new Promise((done) => setTimeout(done, ms)),
    async emulateMedia(options) {
      for (const name of ['colorScheme', 'reducedMotion']) if (name in options) media[name] = options[name];
      await setMedia();
    },
    setViewportSize,
    screenshot,
  };
  await setViewportSize(viewport);
  return { page, version: browser.version, close: browser.close };
}
