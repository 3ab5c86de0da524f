// The demo page. It is a client of the edge-lru package like any other: it imports the
// browser entry from ./vendor/edge-lru/ (copied there by www/build.mjs), calls the public
// API, and redraws the cache from `cache.entries()` after every action. Nothing here
// models the cache; the package is the source of truth for order, size and counters.
//
// Test hooks: `window.demo` (the live cache and a few helpers) and `data-key` on every
// entry drawn, in the order drawn. `<html data-ready="true">` once the page is running.

import { HitChart } from './chart.js';
import { MAX_USERS, Simulation, listingFor } from './sim.js';

const $ = (selector) => document.querySelector(selector);

const ui = {
  loadError: $('#load-error'),
  stage: $('#stage'),
  list: $('#cache-list'),
  empty: $('#empty'),
  capacity: $('#capacity'),
  capacityOut: $('#capacity-out'),
  budgetOn: $('#budget-on'),
  budget: $('#budget'),
  budgetOut: $('#budget-out'),
  countOut: $('#count-out'),
  countBar: $('#count-bar'),
  bytesMeter: $('#bytes-meter'),
  bytesOut: $('#bytes-out'),
  bytesBar: $('#bytes-bar'),
  wasmMemory: $('#wasm-memory'),
  form: $('#hand-form'),
  key: $('#key'),
  value: $('#value'),
  formMsg: $('#form-msg'),
  pop: $('#pop'),
  clear: $('#clear'),
  simUsers: $('#sim-users'),
  simUsersOut: $('#sim-users-out'),
  simSkew: $('#sim-skew'),
  simSkewOut: $('#sim-skew-out'),
  simSpeed: $('#sim-speed'),
  simSpeedOut: $('#sim-speed-out'),
  simSeed: $('#sim-seed'),
  simRun: $('#sim-run'),
  simStep: $('#sim-step'),
  simReset: $('#sim-reset'),
  simStatus: $('#sim-status'),
  population: $('#population'),
  stats: {
    hits: $('#stat-hits'),
    misses: $('#stat-misses'),
    evictions: $('#stat-evictions'),
    ratio: $('#stat-ratio'),
    sets: $('#stat-sets'),
    deletes: $('#stat-deletes'),
  },
  chart: $('#chart'),
  log: $('#log'),
  logClear: $('#log-clear'),
};

const LOG_LIMIT = 80;
const MOTION_MS = 420;
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
const utf8 = new TextEncoder();
const bytesOf = (value, key) => utf8.encode(String(key)).length + utf8.encode(String(value)).length;
const percent = (ratio) => `${Math.round(ratio * 100)}%`;
const plural = (n, word, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const entriesText = (n) => plural(n, 'entry', 'entries');
/** Cuts long text for one-line messages: a value can be 200 characters without a space. */
const clip = (text, max = 32) => {
  const chars = Array.from(String(text));
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
};

let pkg;
try {
  pkg = await import('./vendor/edge-lru/browser.mjs');
} catch (error) {
  ui.loadError.hidden = false;
  ui.loadError.textContent =
    `Could not load the edge-lru package from ./vendor/edge-lru/ (${error.message}). ` +
    'Build it with `node js/scripts/build.mjs` and `node www/build.mjs`, then reload.';
  throw error;
}
const { LRUCache, wasmMemorySize } = pkg;

// ---------------------------------------------------------------------------------------
// The cache. onEvict collects what left during the current action; the action reports it.

/** Entries that left the cache during the current action: {key, value, reason}. */
let departures = [];
let cache = createCache();
/**
 * Where each entry came from, recorded when it was set: {rank} for a login in the
 * simulation (its activity rank then), {} by hand. Labels come from here, not from the
 * current population, which the Users slider changes. Pruned in render().
 */
const origins = new Map();

function createCache() {
  const options = {
    max: Number(ui.capacity.value),
    onEvict: (value, key, reason) => departures.push({ key: String(key), value, reason }),
  };
  if (ui.budgetOn.checked) {
    options.maxSize = Number(ui.budget.value);
    options.sizeOf = bytesOf;
  }
  return new LRUCache(options);
}

/** Runs a synchronous cache operation; returns its result or error and what it evicted. */
function act(operation) {
  departures = [];
  let result;
  let error = null;
  try {
    result = operation();
  } catch (caught) {
    error = caught;
  }
  const left = departures;
  departures = [];
  return { result, error, left };
}

// ---------------------------------------------------------------------------------------
// Drawing the cache, with FLIP animations: measure, redraw from the cache, then animate
// each entry from where it was. Leaving entries get a ghost that falls away.

const chart = new HitChart(ui.chart);
const sim = new Simulation({
  seed: Number(ui.simSeed.value),
  users: Number(ui.simUsers.value),
  skew: Number(ui.simSkew.value),
});
let running = false;
let timer = 0;
/** How often each user was in the cache after a simulation step (read from cache.keys()). */
const presence = { steps: 0, counts: new Map() };

function motionMs() {
  if (!running) return MOTION_MS;
  const interval = 1000 / Number(ui.simSpeed.value);
  const ms = Math.min(MOTION_MS, interval * 0.8);
  return ms < 90 ? 0 : ms;
}

function entryNode(key) {
  const li = document.createElement('li');
  li.className = 'entry';
  li.dataset.key = key;
  li.innerHTML =
    '<span class="entry-pos"></span><span class="entry-key"></span><span class="entry-value"></span>' +
    '<span class="entry-meta"><span class="entry-rank"></span><span class="entry-bytes"></span>' +
    '<span class="entry-tag"></span></span>';
  const keyEl = li.querySelector('.entry-key');
  keyEl.textContent = key;
  keyEl.title = key; // long keys are cut off with an ellipsis
  return li;
}

function fillEntry(li, key, value, index, count, highlight) {
  const rank = origins.get(key)?.rank ?? 0;
  const text = String(value);
  li.querySelector('.entry-pos').textContent = `${index + 1}`;
  const valueEl = li.querySelector('.entry-value');
  valueEl.textContent = text === '' ? '(empty)' : rank && text === listingFor(key) ? plural(text.split(' ').length, 'file') : text;
  valueEl.title = text;
  const rankEl = li.querySelector('.entry-rank');
  rankEl.textContent = rank ? `rank ${rank}` : '';
  rankEl.hidden = !rank;
  li.dataset.rank = rank ? String(rank) : '';
  li.dataset.origin = rank ? 'sim' : 'hand';
  const bytesEl = li.querySelector('.entry-bytes');
  bytesEl.hidden = !cache.maxSize;
  bytesEl.textContent = cache.maxSize ? `${bytesOf(value, key)} B` : '';
  li.classList.toggle('mru', index === 0 && count > 1);
  li.classList.toggle('lru', index === count - 1 && count > 1);
  li.classList.toggle('just-hit', highlight === 'hit');
  li.classList.toggle('just-set', highlight === 'set');
  li.classList.toggle('just-arrived', highlight === 'new');
  li.style.setProperty('--age', count > 1 ? (index / (count - 1)).toFixed(3) : '0');
  const tag = li.querySelector('.entry-tag');
  tag.textContent = highlight === 'hit' ? 'hit' : highlight === 'new' ? 'new' : highlight === 'set' ? 'updated' : index === count - 1 && count > 1 ? 'next out' : '';
  tag.hidden = tag.textContent === '';
}

const REASON_LABEL = { evict: 'evicted', resize: 'resized out', delete: 'deleted', clear: 'cleared', expire: 'expired', refused: 'too big' };

/**
 * Redraws the cache from `cache.entries()`. `touched` is the key the action used and
 * `how` what happened to it ('hit', 'set', 'new'); `left` are the departures to animate.
 */
function render({ touched = null, how = null, left = [] } = {}) {
  const entries = Array.from(cache.entries(), ([key, value]) => [String(key), value]);
  const present = new Set(entries.map(([key]) => key));
  for (const key of origins.keys()) if (!present.has(key)) origins.delete(key);
  const ms = motionMs();
  const reduce = reducedMotion.matches;

  // First: where everything is now (mid-animation positions included).
  const stageBox = ui.stage.getBoundingClientRect();
  const nodes = new Map();
  const before = new Map();
  for (const li of ui.list.querySelectorAll('li[data-key]')) {
    nodes.set(li.dataset.key, li);
    before.set(li.dataset.key, li.getBoundingClientRect());
  }
  for (const li of nodes.values()) for (const animation of li.getAnimations()) animation.cancel();

  // Ghosts for entries that left, at their old place.
  const reasons = new Map(left.filter((d) => d.reason !== 'set').map((d) => [d.key, d.reason]));
  for (const [key, li] of nodes) {
    if (present.has(key)) continue;
    li.remove();
    nodes.delete(key);
    const reason = reasons.get(key);
    if (!reason || ms === 0) continue;
    const box = before.get(key);
    const ghost = li.cloneNode(true);
    ghost.removeAttribute('data-key');
    ghost.dataset.ghostKey = key;
    ghost.className = 'entry ghost';
    ghost.setAttribute('aria-hidden', 'true');
    const tag = ghost.querySelector('.entry-tag');
    tag.hidden = false;
    tag.textContent = REASON_LABEL[reason] ?? reason;
    Object.assign(ghost.style, {
      left: `${box.left - stageBox.left}px`,
      top: `${box.top - stageBox.top}px`,
      width: `${box.width}px`,
      height: `${box.height}px`,
    });
    ui.stage.appendChild(ghost);
    const frames = reduce
      ? [{ opacity: 1 }, { opacity: 1, offset: 0.5 }, { opacity: 0 }]
      : [
          { opacity: 1, transform: 'none' },
          { opacity: 1, transform: 'translateY(4px)', offset: 0.35 },
          { opacity: 0, transform: 'translateY(36px) rotate(-4deg) scale(0.92)' },
        ];
    ghost.animate(frames, { duration: ms * 2, easing: 'ease-in' }).finished.then(
      () => ghost.remove(),
      () => ghost.remove(),
    );
  }

  // Redraw in the cache's order, reusing nodes by key.
  const fresh = new Set();
  entries.forEach(([key, value], index) => {
    let li = nodes.get(key);
    if (!li) {
      li = entryNode(key);
      fresh.add(key);
    }
    const highlight = key === touched ? how : fresh.has(key) ? 'new' : null;
    fillEntry(li, key, value, index, entries.length, highlight);
    ui.list.appendChild(li);
  });
  // The room left, so shrinking and filling are visible: a free slot per entry the
  // capacity still allows or, with a byte budget, one tile with the bytes left (with both
  // limits, whichever runs out first evicts; no tile at all when either has).
  for (const slot of ui.list.querySelectorAll('li.slot')) slot.remove();
  const free = Math.max(0, cache.max - cache.size);
  const freeBytes = cache.maxSize ? Math.max(0, cache.maxSize - cache.totalSize) : 0;
  const slots = cache.maxSize ? (free > 0 && freeBytes > 0 ? 1 : 0) : free;
  for (let i = 0; i < slots; i++) {
    const slot = document.createElement('li');
    slot.className = 'slot';
    slot.setAttribute('aria-hidden', 'true');
    if (cache.maxSize) {
      slot.classList.add('room');
      slot.dataset.freeBytes = String(freeBytes);
      slot.innerHTML = `<strong>${freeBytes} B</strong><span>free of ${cache.maxSize} B</span><span>${plural(free, 'slot')} left</span>`;
    } else {
      slot.textContent = 'free';
    }
    ui.list.appendChild(slot);
  }
  ui.empty.hidden = entries.length > 0;

  // Last, invert and play: each surviving entry slides from its old place; new ones drop in.
  if (ms > 0) {
    for (const [key, li] of nodes) {
      const old = before.get(key);
      const now = li.getBoundingClientRect();
      const dx = old.left - now.left;
      const dy = old.top - now.top;
      if (Math.abs(dx) < 0.5 && Math.abs(dy) < 0.5) continue;
      if (reduce) continue;
      li.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'none' }], {
        duration: ms,
        easing: 'cubic-bezier(0.2, 0.7, 0.2, 1)',
      });
    }
    for (const key of fresh) {
      const li = ui.list.querySelector(`li[data-key="${CSS.escape(key)}"]`);
      li.animate(
        reduce
          ? [{ opacity: 0 }, { opacity: 1 }]
          : [
              { opacity: 0, transform: 'translateY(-18px) scale(0.9)' },
              { opacity: 1, transform: 'none' },
            ],
        { duration: ms, easing: 'cubic-bezier(0.2, 0.7, 0.2, 1)' },
      );
    }
  }

  renderMeters();
  renderStats();
  renderPopulation(present);
}

function renderMeters() {
  const size = cache.size;
  const max = cache.max;
  ui.countOut.textContent = `${size} / ${max}`;
  ui.countBar.style.width = `${Math.min(100, (size / max) * 100)}%`;
  ui.bytesMeter.hidden = !cache.maxSize;
  if (cache.maxSize) {
    ui.bytesOut.textContent = `${cache.totalSize} / ${cache.maxSize} B`;
    ui.bytesBar.style.width = `${Math.min(100, (cache.totalSize / cache.maxSize) * 100)}%`;
  }
  ui.wasmMemory.textContent = `${(wasmMemorySize() / 1024).toFixed(0)} KiB`;
}

function renderStats() {
  const stats = cache.stats;
  ui.stats.hits.textContent = stats.hits;
  ui.stats.misses.textContent = stats.misses;
  ui.stats.evictions.textContent = stats.evictions;
  ui.stats.sets.textContent = stats.sets;
  ui.stats.deletes.textContent = stats.deletes;
  ui.stats.ratio.textContent = stats.hits + stats.misses === 0 ? '–' : percent(stats.hitRate);
  chart.update(stats.hits, stats.misses);
}

function renderPopulation(present) {
  const users = sim.population();
  const items = ui.population.children;
  while (items.length > users.length) items[items.length - 1].remove();
  users.forEach((user, index) => {
    let li = items[index];
    if (!li) {
      li = document.createElement('li');
      li.innerHTML = '<span class="user-rank"></span><span class="user-name"></span><span class="sr-only"></span>';
      ui.population.appendChild(li);
    }
    const cached = present.has(user);
    li.className = cached ? 'user cached' : 'user';
    li.dataset.user = user;
    li.querySelector('.user-rank').textContent = index + 1;
    li.querySelector('.user-name').textContent = user;
    const visits = sim.visits.get(user) ?? 0;
    const share = presence.steps ? (presence.counts.get(user) ?? 0) / presence.steps : 0;
    li.style.setProperty('--presence', share.toFixed(3));
    li.dataset.presence = share.toFixed(3);
    li.querySelector('.sr-only').textContent =
      `, ${cached ? 'in the cache' : 'not cached'}, ${plural(visits, 'login')}, cached after ${percent(share)} of steps`;
    li.title =
      `${user}: activity rank ${index + 1}, ${percent(sim.share(index + 1))} of logins. ` +
      `${plural(visits, 'login')} so far; in the cache after ${percent(share)} of steps.`;
  });
}

// ---------------------------------------------------------------------------------------
// The event log: newest first, each line tagged with what happened. What an action caused
// (evictions) goes right below the action's own line, in the order it happened.

function log(kind, html, data = {}, after = null) {
  const item = document.createElement('p');
  item.className = `log-item log-${kind}`;
  item.dataset.kind = kind;
  for (const [name, value] of Object.entries(data)) item.dataset[name] = value;
  const tag = document.createElement('span');
  tag.className = 'log-tag';
  tag.textContent = kind;
  const text = document.createElement('span');
  text.className = 'log-text';
  text.innerHTML = html;
  item.append(tag, ' ', text);
  if (after?.isConnected) {
    item.classList.add('log-sub');
    after.after(item);
  } else {
    ui.log.prepend(item);
  }
  while (ui.log.childElementCount > LOG_LIMIT) ui.log.lastElementChild.remove();
  return item;
}

const esc = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const k = (key) => `<code>${esc(key)}</code>`;

/**
 * Logs what left the cache during an action, below the action's line `anchor` if given.
 * `whys` overrides the explanation for a reason. 'refused' is this page's own: an entry
 * that could not move to a new cache because it is bigger than the whole budget.
 */
function logDepartures(left, context = '', anchor = null, whys = {}) {
  for (const { key, value, reason } of left) {
    if (reason === 'set') continue; // a replaced value, logged with the set itself
    const why =
      whys[reason] ??
      {
        evict: `it was the least recently used${context ? `, making room for ${k(context)}` : ''}`,
        resize: `the capacity shrank to ${cache.max}`,
        delete: 'deleted on request',
        clear: 'the cache was cleared',
        expire: 'it expired',
        refused: `at ${bytesOf(value, key)} B it is bigger than the whole ${cache.maxSize} B budget, so it could not move`,
      }[reason];
    const kind = reason === 'delete' || reason === 'clear' ? 'removed' : reason === 'refused' ? 'refused' : 'evicted';
    const code = reason === 'refused' ? 'ERR_LRU_ENTRY_SIZE' : `reason: ${reason}`;
    const line = log(kind, `${k(key)} left: ${why} <span class="reason">(${code})</span>`, { subject: key, reason }, anchor);
    if (anchor) anchor = line;
  }
}

function describeError(error) {
  if (error?.code === 'ERR_LRU_ENTRY_SIZE') {
    return `it is bigger than the whole ${cache.maxSize} B budget, so the cache refused it <span class="reason">(${error.code})</span>`;
  }
  return `${esc(error?.message ?? error)}${error?.code ? ` <span class="reason">(${error.code})</span>` : ''}`;
}

// ---------------------------------------------------------------------------------------
// Manual operations.

/**
 * The line under the form, for the eye. It is not a live region: every manual action also
 * writes the event log, which is, so a screen reader hears each action once.
 */
function say(message, tone = '') {
  ui.formMsg.textContent = message;
  ui.formMsg.className = `form-msg ${tone}`;
}

function manualSet(key, value) {
  const existed = cache.has(key); // has() neither counts nor touches recency
  const { error, left } = act(() => cache.set(key, value));
  if (error) {
    log('refused', `set ${k(key)}: ${describeError(error)}`, { subject: key });
    say(`Not stored: ${error.message}`, 'bad');
    render({ left });
    return;
  }
  origins.set(key, {});
  const size = cache.maxSize ? ` (${bytesOf(value, key)} B)` : '';
  const line = log(existed ? 'update' : 'insert', existed ? `set ${k(key)}: new value${size}, moved to the front` : `set ${k(key)}: a new entry at the front${size}`, {
    subject: key,
  });
  logDepartures(left, key, line);
  const evicted = left.filter((d) => d.reason === 'evict').map((d) => d.key);
  say(
    `Set ${clip(key)}${existed ? ' (updated)' : ''}.` + (evicted.length ? ` Evicted ${evicted.map((e) => clip(e)).join(', ')}.` : ''),
    evicted.length ? 'warn' : 'good',
  );
  render({ touched: key, how: existed ? 'set' : 'new', left });
}

function manualGet(key) {
  const { result, error, left } = act(() => cache.get(key));
  if (error) {
    log('refused', `get ${k(key)}: ${describeError(error)}`, { subject: key });
    return say(error.message, 'bad');
  }
  // get returns undefined on a miss; every value stored here is a string.
  if (result === undefined) {
    log('miss', `get ${k(key)}: not in the cache`, { subject: key });
    say(`Miss: ${clip(key)} is not in the cache.`, 'warn');
  } else {
    log('hit', `get ${k(key)} = “${esc(result)}”: moved to the front`, { subject: key });
    say(`Hit: ${clip(key)} = “${clip(result)}”, now the most recently used.`, 'good');
  }
  logDepartures(left);
  render({ touched: key, how: result === undefined ? null : 'hit', left });
}

function manualDelete(key) {
  const { result, left } = act(() => cache.delete(key));
  if (!result) {
    log('info', `delete ${k(key)}: it was not in the cache`, { subject: key });
    say(`${clip(key)} was not in the cache.`, 'warn');
  } else {
    say(`Deleted ${clip(key)}.`, 'good');
  }
  logDepartures(left);
  render({ left });
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const op = event.submitter?.value ?? 'set';
  const key = ui.key.value.trim();
  if (key === '') {
    log('refused', `${op}: no key given; type one first`);
    say('Type a key first.', 'bad');
    ui.key.focus();
    return;
  }
  if (op === 'set') manualSet(key, ui.value.value);
  else if (op === 'get') manualGet(key);
  else manualDelete(key);
  // After Enter in a field, select the key so the next one can be typed straight away.
  if (document.activeElement === ui.key || document.activeElement === ui.value) {
    ui.key.focus();
    ui.key.select();
  }
});

ui.pop.addEventListener('click', () => {
  const { result, left } = act(() => cache.pop());
  if (!result) {
    log('info', 'pop: nothing to remove, the cache is empty');
    say('Nothing to pop: the cache is empty.', 'warn');
  } else {
    log('removed', `pop: removed ${k(result[0])}, the least recently used <span class="reason">(reason: delete)</span>`, {
      subject: result[0],
      reason: 'delete',
    });
    say(`Popped ${clip(result[0])}, the least recently used entry.`, 'good');
  }
  render({ left });
});

ui.clear.addEventListener('click', () => {
  const count = cache.size;
  const { left } = act(() => cache.clear());
  log('removed', `clear: removed ${entriesText(count)} <span class="reason">(reason: clear)</span>`, { reason: 'clear' });
  say('Cleared.', 'good');
  render({ left });
});

// ---------------------------------------------------------------------------------------
// Capacity and byte budget.

ui.capacity.addEventListener('input', () => {
  const max = Number(ui.capacity.value);
  ui.capacityOut.textContent = max;
  if (max === cache.max) return;
  const { error, left } = act(() => {
    cache.max = max;
  });
  if (error) return log('refused', `capacity ${max}: ${describeError(error)}`);
  const line = log('resize', `capacity set to ${max}${left.length ? `, evicting ${entriesText(left.length)} from the back` : ''}`, {
    max: String(max),
  });
  logDepartures(left, '', line);
  render({ left });
});

function recreate(reason) {
  // A budget is fixed when a cache is created, so make a new one and move the entries
  // across, least recently used first, so their order survives. Moving them takes sets,
  // so the counters are reset afterwards. What does not fit leaves, each one named.
  const old = cache;
  const moving = Array.from(old.rentries());
  cache = createCache();
  old.free();
  const left = [];
  for (const [key, value] of moving) {
    const step = act(() => cache.set(key, value));
    if (step.error) left.push({ key: String(key), value, reason: 'refused' });
    left.push(...step.left);
  }
  cache.resetStats();
  const line = log(
    'info',
    `${reason}: a new cache${cache.maxSize ? ` with a ${cache.maxSize} B budget` : ' without a byte budget'}; ` +
      `${entriesText(moving.length - left.length)} moved across${left.length ? `, ${left.length} did not fit` : ''}; its counters start at zero`,
  );
  const whys = cache.maxSize ? { evict: `it was the least recently used, and the ${cache.maxSize} B budget had no room left for it` } : {};
  logDepartures(left, '', line, whys);
  chart.reset();
  render({ left });
}

// The budget slider recreates the cache, so it waits until the slider settles: a drag
// commits on release, arrow keys (each one a change event) after a pause or on blur.
const BUDGET_SETTLE_MS = 700;
let budgetTimer = 0;
let budgetByPointer = false;

function commitBudget() {
  clearTimeout(budgetTimer);
  budgetTimer = 0;
  if (ui.budgetOn.checked && Number(ui.budget.value) !== cache.maxSize) recreate(`Budget ${ui.budget.value} B`);
}

ui.budgetOn.addEventListener('change', () => {
  clearTimeout(budgetTimer);
  ui.budget.disabled = !ui.budgetOn.checked;
  recreate(ui.budgetOn.checked ? 'Byte budget on' : 'Byte budget off');
});
ui.budget.addEventListener('input', () => {
  ui.budgetOut.textContent = `${ui.budget.value} B`;
});
ui.budget.addEventListener('pointerdown', () => {
  budgetByPointer = true;
});
ui.budget.addEventListener('keydown', () => {
  budgetByPointer = false;
});
ui.budget.addEventListener('change', () => {
  clearTimeout(budgetTimer);
  if (budgetByPointer) commitBudget();
  else budgetTimer = setTimeout(commitBudget, BUDGET_SETTLE_MS);
});
ui.budget.addEventListener('blur', () => {
  if (budgetTimer) commitBudget();
});

// ---------------------------------------------------------------------------------------
// The simulation: each step is one user logging in and listing their home directory.

function loadFromStore(user) {
  return listingFor(user);
}

let stepping = null;

/** One login: fetch the user's listing through the cache. */
async function step() {
  const user = sim.next();
  const rank = sim.rankOf(user);
  const before = cache.stats;
  departures = [];
  let error = null;
  try {
    await cache.fetch(user, loadFromStore);
  } catch (caught) {
    error = caught;
  }
  const left = departures;
  departures = [];
  const after = cache.stats;
  const hit = after.hits > before.hits;
  if (!hit && !error) origins.set(user, { rank });
  const who = `${k(user)} <span class="reason">(rank ${rank})</span>`;
  const line = error
    ? log('refused', `${who} LIST: ${describeError(error)}`, { subject: user })
    : hit
      ? log('hit', `${who} LIST: served from the cache, moved to the front`, { subject: user, sim: 'true' })
      : log('miss', `${who} LIST: loaded from the store and cached`, { subject: user, sim: 'true' });
  logDepartures(left, user, line);
  presence.steps++;
  for (const key of cache.keys()) presence.counts.set(String(key), (presence.counts.get(String(key)) ?? 0) + 1);
  const evicted = left.filter((d) => d.reason === 'evict').map((d) => d.key);
  ui.simStatus.innerHTML =
    `Step ${sim.steps}: ${k(user)} (rank ${rank}) logged in and listed <code>/home/${esc(user)}</code>: ` +
    (error ? 'refused.' : hit ? '<strong class="good">hit</strong>, answered from memory.' : '<strong class="warn">miss</strong>, loaded from the store.') +
    (evicted.length ? ` Evicted ${evicted.map(k).join(', ')}.` : '');
  render({ touched: user, how: hit ? 'hit' : error ? null : 'new', left });
}

function stepOnce() {
  stepping ??= step().finally(() => {
    stepping = null;
  });
  return stepping;
}

function schedule() {
  clearTimeout(timer);
  if (!running) return;
  timer = setTimeout(async () => {
    await stepOnce();
    schedule();
  }, 1000 / Number(ui.simSpeed.value));
}

function setRunning(on) {
  running = on;
  ui.simRun.textContent = on ? 'Pause' : 'Run';
  ui.simRun.classList.toggle('is-running', on);
  // A fast simulation would flood a screen reader: announce the log only while paused.
  ui.log.setAttribute('aria-live', on ? 'off' : 'polite');
  if (on) {
    ui.simStatus.textContent = 'Running…';
    schedule();
  } else {
    clearTimeout(timer);
  }
}

ui.simRun.addEventListener('click', () => setRunning(!running));
ui.simStep.addEventListener('click', async () => {
  if (running) setRunning(false);
  await stepOnce();
});

function resetSimulation(note) {
  setRunning(false);
  sim.reset(Number(ui.simSeed.value) >>> 0);
  presence.steps = 0;
  presence.counts.clear();
  act(() => cache.clear());
  cache.resetStats();
  chart.reset();
  log('info', `${note}: cache cleared, counters reset, seed ${sim.seed}`);
  ui.simStatus.textContent = 'Paused. Run, or step one login at a time.';
  render();
}

ui.simReset.addEventListener('click', () => resetSimulation('Simulation reset'));
ui.simSeed.addEventListener('change', () => {
  // An empty, negative, fractional or too large seed is put back as it was.
  const text = ui.simSeed.value.trim();
  const seed = Number(text);
  if (text === '' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) ui.simSeed.value = String(sim.seed);
  else resetSimulation('New seed');
});
ui.simUsers.addEventListener('input', () => {
  ui.simUsersOut.textContent = ui.simUsers.value;
  sim.setUsers(Number(ui.simUsers.value));
  render();
});
ui.simSkew.addEventListener('input', () => {
  ui.simSkewOut.textContent = Number(ui.simSkew.value).toFixed(1);
  sim.setSkew(Number(ui.simSkew.value));
  render();
});
ui.simSpeed.addEventListener('input', () => {
  ui.simSpeedOut.textContent = ui.simSpeed.value;
  if (running) schedule();
});

ui.logClear.addEventListener('click', () => ui.log.replaceChildren());

// Ghosts are placed in pixels; a new layout would leave them stranded.
addEventListener('resize', () => {
  for (const ghost of ui.stage.querySelectorAll('.ghost')) ghost.remove();
});

// ---------------------------------------------------------------------------------------
// Start, and the hooks for tests.

ui.simUsers.max = String(MAX_USERS);
ui.capacityOut.textContent = ui.capacity.value;
ui.budgetOut.textContent = `${ui.budget.value} B`;
ui.budget.disabled = !ui.budgetOn.checked;
log('info', `edge-lru loaded (WebAssembly): a cache with room for ${cache.max} entries`);
render();

window.demo = {
  /** The live cache (a new one after the byte budget changes). */
  get cache() {
    return cache;
  },
  LRUCache,
  wasmMemorySize,
  sim,
  presence,
  /** The keys in the order the page shows them, most recently used first. */
  displayedKeys: () => Array.from(ui.list.querySelectorAll('li[data-key]'), (li) => li.dataset.key),
  step: stepOnce,
  get running() {
    return running;
  },
};
document.documentElement.dataset.ready = 'true';
