// The FTP gateway simulation: a seeded population of users whose activity follows a
// Zipf distribution, and the "store" the gateway loads a user's directory listing from
// on a cache miss. Deterministic: the same seed, user count and skew give the same
// sequence of users. Nothing here touches the cache; app.js does that.

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to derive a stable per-user number from a name. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const NAMES = [
  'ana', 'ben', 'cleo', 'dev', 'eli', 'fay', 'gus', 'hana', 'ivo', 'jin', 'kai', 'lea',
  'max', 'nia', 'omar', 'pia', 'quin', 'ravi', 'sam', 'tara', 'uma', 'vik', 'wen', 'xia',
  'yara', 'zoe', 'abe', 'bo', 'cy', 'dot', 'ezra', 'fenn', 'gia', 'hal', 'ida', 'jude',
  'kit', 'liv', 'mo', 'ned', 'ola', 'pax', 'rue', 'sol', 'ted', 'ugo', 'vera', 'wes',
];

export const MAX_USERS = NAMES.length;

const FILES = [
  'notes.txt', 'cv.pdf', 'photos/', 'todo.md', 'backup.tgz', 'site/', 'logo.png', 'data.csv',
  'invoice.pdf', 'music/', 'draft.doc', 'keys.asc', 'report.pdf', 'www/', 'log.txt', 'app.js',
];

/**
 * The "store" behind the gateway: the listing of a user's home directory, as the text an
 * FTP LIST would return (names separated by spaces). The same user always gets the same
 * listing; sizes vary between users, which matters when the cache has a byte budget.
 */
export function listingFor(user) {
  const rng = mulberry32(hash(user));
  const count = 1 + Math.floor(rng() * 6);
  const picked = new Set();
  while (picked.size < count) picked.add(FILES[Math.floor(rng() * FILES.length)]);
  return [...picked].join(' ');
}

/** A seeded population of users ranked by activity, sampled with Zipf weights 1/rank^skew. */
export class Simulation {
  #rng;
  #ranked = [];
  #cdf = [];
  users = 0;
  skew = 1;
  seed = 0;
  steps = 0;
  /** user -> times chosen since the last reset */
  visits = new Map();

  constructor({ seed, users, skew }) {
    this.users = users;
    this.skew = skew;
    this.reset(seed);
  }

  /** Starts over: a fresh PRNG and a fresh assignment of activity ranks to names. */
  reset(seed = this.seed) {
    this.seed = seed >>> 0;
    this.#rng = mulberry32(this.seed);
    const shuffle = mulberry32(this.seed ^ 0x5bd1e995);
    const names = [...NAMES];
    for (let i = names.length - 1; i > 0; i--) {
      const j = Math.floor(shuffle() * (i + 1));
      [names[i], names[j]] = [names[j], names[i]];
    }
    this.#ranked = names;
    this.steps = 0;
    this.visits = new Map();
    this.#rebuild();
  }

  setUsers(users) {
    this.users = Math.max(1, Math.min(MAX_USERS, users));
    this.#rebuild();
  }

  setSkew(skew) {
    this.skew = skew;
    this.#rebuild();
  }

  /** The active users, busiest (rank 1) first. */
  population() {
    return this.#ranked.slice(0, this.users);
  }

  /** The activity rank of `user` (1 = busiest), or 0 when not in the active population. */
  rankOf(user) {
    const index = this.#ranked.indexOf(user);
    return index >= 0 && index < this.users ? index + 1 : 0;
  }

  /** The probability that the next step picks the user of `rank`. */
  share(rank) {
    const total = this.#cdf[this.#cdf.length - 1];
    return (this.#cdf[rank - 1] - (rank > 1 ? this.#cdf[rank - 2] : 0)) / total;
  }

  /** Picks the next active user. */
  next() {
    const total = this.#cdf[this.#cdf.length - 1];
    const target = this.#rng() * total;
    let lo = 0;
    let hi = this.#cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#cdf[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    const user = this.#ranked[lo];
    this.steps++;
    this.visits.set(user, (this.visits.get(user) ?? 0) + 1);
    return user;
  }

  #rebuild() {
    let sum = 0;
    this.#cdf = [];
    for (let rank = 1; rank <= this.users; rank++) {
      sum += 1 / rank ** this.skew;
      this.#cdf.push(sum);
    }
  }
}
