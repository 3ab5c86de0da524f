// A small inline-SVG line chart of the hit ratio over time: the ratio since the cache
// was created (solid) and over the last WINDOW lookups (dashed). No library.

const NS = 'http://www.w3.org/2000/svg';
const W = 320;
const H = 132;
const PAD = { left: 34, right: 8, top: 10, bottom: 22 };
const CAPACITY = 120; // samples shown; older ones scroll off to the left
export const WINDOW = 20;

function node(name, attrs, parent) {
  const el = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  parent?.appendChild(el);
  return el;
}

export class HitChart {
  #svg;
  #total;
  #recent;
  #dot;
  #xLabel;
  /** {lookup, total, recent} per lookup, oldest first */
  #samples = [];
  /** 1 for a hit, 0 for a miss, for the last WINDOW lookups */
  #outcomes = [];
  #hits = 0;
  #misses = 0;

  constructor(svg) {
    this.#svg = svg;
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const plotW = W - PAD.left - PAD.right;
    for (const ratio of [0, 0.25, 0.5, 0.75, 1]) {
      const y = this.#y(ratio);
      node('line', { x1: PAD.left, x2: PAD.left + plotW, y1: y, y2: y, class: ratio % 0.5 === 0 ? 'grid major' : 'grid' }, svg);
      if (ratio % 0.5 === 0) {
        node('text', { x: PAD.left - 6, y: y + 3.5, 'text-anchor': 'end', class: 'axis-label' }, svg).textContent =
          `${ratio * 100}%`;
      }
    }
    this.#xLabel = node('text', { x: PAD.left + plotW, y: H - 6, 'text-anchor': 'end', class: 'axis-label' }, svg);
    node('text', { x: PAD.left, y: H - 6, class: 'axis-label' }, svg).textContent = 'lookups →';
    this.#recent = node('polyline', { class: 'line recent', fill: 'none' }, svg);
    this.#total = node('polyline', { class: 'line total', fill: 'none' }, svg);
    this.#dot = node('circle', { r: 3, class: 'dot', visibility: 'hidden' }, svg);
    this.#draw();
  }

  /** The number of samples plotted (one per lookup, up to CAPACITY). */
  get points() {
    return this.#samples.length;
  }

  /** The hit ratio over the last WINDOW lookups, or null before any. */
  get recent() {
    return this.#outcomes.length === 0 ? null : this.#outcomes.reduce((a, b) => a + b, 0) / this.#outcomes.length;
  }

  /**
   * Records lookups from the cache's own counters: `hits` and `misses` are the totals
   * from `cache.stats`; every lookup since the last call becomes one sample. (The page
   * calls this after every action, so there is rarely more than one.)
   */
  update(hits, misses) {
    if (hits < this.#hits || misses < this.#misses) this.reset(); // a new cache
    const outcomes = [
      ...Array(misses - this.#misses).fill(0),
      ...Array(hits - this.#hits).fill(1),
    ];
    if (outcomes.length === 0) return;
    let seenHits = this.#hits;
    let lookups = this.#hits + this.#misses;
    for (const hit of outcomes) {
      seenHits += hit;
      lookups += 1;
      this.#outcomes.push(hit);
      if (this.#outcomes.length > WINDOW) this.#outcomes.shift();
      this.#samples.push({ lookup: lookups, total: seenHits / lookups, recent: this.recent });
      if (this.#samples.length > CAPACITY) this.#samples.shift();
    }
    this.#hits = hits;
    this.#misses = misses;
    this.#draw();
  }

  reset() {
    this.#samples = [];
    this.#outcomes = [];
    this.#hits = 0;
    this.#misses = 0;
    this.#draw();
  }

  #x(index) {
    return PAD.left + (index * (W - PAD.left - PAD.right)) / (CAPACITY - 1);
  }

  #y(ratio) {
    return PAD.top + (1 - ratio) * (H - PAD.top - PAD.bottom);
  }

  #draw() {
    const points = (key) => this.#samples.map((s, i) => `${this.#x(i).toFixed(1)},${this.#y(s[key]).toFixed(1)}`).join(' ');
    this.#total.setAttribute('points', points('total'));
    this.#recent.setAttribute('points', points('recent'));
    const last = this.#samples[this.#samples.length - 1];
    if (last) {
      this.#dot.setAttribute('cx', this.#x(this.#samples.length - 1).toFixed(1));
      this.#dot.setAttribute('cy', this.#y(last.total).toFixed(1));
      this.#dot.setAttribute('visibility', 'visible');
      this.#xLabel.textContent = `#${last.lookup}`;
    } else {
      this.#dot.setAttribute('visibility', 'hidden');
      this.#xLabel.textContent = '';
    }
    const label = last
      ? `Hit ratio over time: ${Math.round(last.total * 100)}% over all ${last.lookup} lookups, ` +
        `${Math.round(last.recent * 100)}% over the last ${Math.min(WINDOW, last.lookup)}.`
      : 'Hit ratio over time: no lookups yet.';
    this.#svg.setAttribute('aria-label', label);
  }
}
