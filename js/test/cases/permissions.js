// Behaviour of PermissionCache, run in every host. Each case gets the host's
// LRUCache and the whole module (for PermissionCache).

import { eq, ok, rejects, throws } from './assert.js';

const RULES = {
  alice: [
    { path: '/', allow: ['list'] },
    { path: '/home/alice', allow: ['list', 'read', 'write', 'delete', 'mkdir', 'rename'] },
    { path: '/home/alice/private', allow: [] },
    { path: '/pub', allow: ['list', 'read'] },
  ],
  bob: [{ path: '/home/bob', allow: ['list', 'read'] }],
};

/** @param {Record<string, any>} [rules] */
function store(rules = RULES) {
  const calls = [];
  const load = async (user) => {
    calls.push(user);
    await null;
    if (!(user in rules)) throw new Error(`no such user ${user}`);
    return rules[user];
  };
  return { calls, load };
}

export const permissions = [
  ['permissions: longest whole-segment match decides', async (_, { PermissionCache }) => {
    const { load } = store();
    const cache = new PermissionCache({ maxUsers: 10, load });
    await cache.login('alice');
    const can = (path, op) => cache.allowsCached('alice', path, op);
    eq(can('/home/alice/notes.txt', 'write'), true);
    eq(can('/home/alice/private/key', 'read'), false, 'deny subtree');
    eq(can('/home/alice/private', 'list'), false);
    eq(can('/home/alicea', 'read'), false, '/home/alice does not match /home/alicea');
    eq(can('/home/al', 'read'), false);
    eq(can('/home', 'list'), true, 'root rule');
    eq(can('/pub/x/y', 'read'), true);
    eq(can('/pub/x/y', 'write'), false);
    eq(can('//home//alice/./docs/', 'write'), true, 'normalized');
    eq(cache.allowsCached('bob', '/home/bob', 'read'), undefined, 'bob is not cached');
    eq(await cache.allows('bob', '/home/bob/a', 'read'), true);
    eq(await cache.allows('bob', '/', 'list'), false, 'no rule: nothing allowed');
  }],

  ['permissions: hasRulesBelow says whether any rule lies strictly below a path', async (_, { PermissionCache }) => {
    const { calls, load } = store();
    const cache = new PermissionCache({ maxUsers: 10, load });
    await cache.login('alice');
    await cache.login('bob');
    cache.resetStats();
    const below = (path) => cache.hasRulesBelowCached('alice', path);
    eq(below('/home'), true);
    eq(below('/home/alice'), true, 'the deny rule on /home/alice/private counts');
    eq(below('/home/alice/private'), false, 'a rule on the path itself is not below it');
    eq(below('/home/alice/private/x'), false);
    eq(below('/home/al'), false, 'whole segments: /home/al is not above /home/alice');
    eq(below('/home/alicea'), false);
    eq(below('/pu'), false);
    eq(below('/pub'), false);
    eq(below('/'), true, 'the root: every rule but the one on / is below it');
    eq(below('//home//alice/./'), true, 'normalized');
    eq(below('/etc'), false, 'no node at all');
    eq(cache.stats.hits, 11);
    eq([...cache.users()], ['alice', 'bob'], 'a check marks the user as recently used');
    eq(cache.hasRulesBelowCached('bob', '/home'), true);
    eq([...cache.users()], ['bob', 'alice']);
    eq(cache.hasRulesBelowCached('carol', '/home'), undefined, 'carol is not cached');
    eq(await cache.hasRulesBelow('bob', '/home/bob'), false);
    eq(cache.stats.misses, 1);
    const loading = new PermissionCache({ maxUsers: 10, load });
    eq(await loading.hasRulesBelow('alice', '/home'), true, 'loads on a miss');
    eq(await loading.hasRulesBelow('alice', '/home/alice/private'), false);
    const { hits, misses, loads } = loading.stats;
    eq([hits, misses, loads], [1, 1, 1]);
    eq(calls, ['alice', 'bob', 'alice']);
    await rejects(loading.hasRulesBelow('nobody', '/'), (e) => ok(/no such user/.test(e.message)));
    eq(loading.has('nobody'), false);
  }],

  ['permissions: bad paths, operations and users are refused', async (_, { PermissionCache }) => {
    const cache = new PermissionCache({ maxUsers: 10, load: store().load });
    await cache.login('alice');
    for (const path of ['relative/x', '', '/a/../etc', '/a\0b', '/a\\b']) {
      throws(() => cache.allowsCached('alice', path, 'read'), TypeError, 'ERR_PERM_PATH');
    }
    throws(() => cache.allowsCached('alice', 7, 'read'), TypeError, 'ERR_PERM_PATH');
    throws(() => cache.allowsCached('alice', '/pub', 'chmod'), TypeError, 'ERR_PERM_OP');
    throws(() => cache.allowsCached(42, '/pub', 'read'), TypeError, 'ERR_PERM_USER');
    throws(() => cache.filterCached('alice', '/pub', 'a,b', 'read'), TypeError, 'ERR_PERM_NAMES');
    for (const path of ['relative/x', '', '/a/../etc', '/a\0b', '/a\\b', '/d/\uD800x', 7]) {
      throws(() => cache.hasRulesBelowCached('alice', path), TypeError, 'ERR_PERM_PATH');
    }
    throws(() => cache.hasRulesBelowCached(42, '/pub'), TypeError, 'ERR_PERM_USER');
    await rejects(cache.hasRulesBelow(42, '/pub'), (e) => eq(e.code, 'ERR_PERM_USER'));
    eq(cache.allowsCached('alice', '/pub/a', 'read'), true, 'still consistent');
    await rejects(cache.allows('alice', '/pub', 'fly'), (e) => eq(e.code, 'ERR_PERM_OP'));
    const load = store().load;
    throws(() => new PermissionCache(), TypeError, 'ERR_PERM_OPTION');
    throws(() => new PermissionCache({ maxUsers: 1 }), TypeError, 'ERR_PERM_OPTION');
    throws(() => new PermissionCache({ maxUsers: '5', load }), TypeError, 'ERR_PERM_OPTION');
    throws(() => new PermissionCache({ maxUsers: 1, maxBytes: '5', load }), TypeError, 'ERR_PERM_OPTION');
    throws(() => new PermissionCache({ maxUsers: 1, load, onEvict: 'log' }), TypeError, 'ERR_PERM_OPTION');
    for (const maxUsers of [0, 1.5, 2 ** 32 - 1]) {
      throws(() => new PermissionCache({ maxUsers, load }), RangeError, 'ERR_PERM_MAX_USERS');
    }
    throws(() => new PermissionCache({ maxUsers: 1, maxBytes: -1, load }), RangeError, 'ERR_PERM_MAX_BYTES');
  }],

  ['permissions: a refused call changes nothing, whether or not the user is cached', async (_, { PermissionCache }) => {
    const { calls, load } = store({ ...RULES, carol: [{ path: '/home/carol', allow: ['read'] }] });
    const cache = new PermissionCache({ maxUsers: 10, load });
    await cache.login('alice');
    await cache.login('bob');
    cache.resetStats();
    const before = () => {
      eq([...cache.users()], ['bob', 'alice'], 'alice was not marked as recently used');
      const { hits, misses, loads } = cache.stats;
      eq([hits, misses, loads], [0, 0, 0], 'nothing was counted or loaded');
    };
    for (const user of ['alice', 'carol']) {
      for (const path of ['relative/x', '/a/../etc', '/a\\b']) {
        throws(() => cache.allowsCached(user, path, 'read'), TypeError, 'ERR_PERM_PATH');
        throws(() => cache.filterCached(user, path, ['a'], 'read'), TypeError, 'ERR_PERM_PATH');
        await rejects(cache.allows(user, path, 'read'), (e) => eq(e.code, 'ERR_PERM_PATH'));
        await rejects(cache.filter(user, path, ['a'], 'read'), (e) => eq(e.code, 'ERR_PERM_PATH'));
        throws(() => cache.hasRulesBelowCached(user, path), TypeError, 'ERR_PERM_PATH');
        await rejects(cache.hasRulesBelow(user, path), (e) => eq(e.code, 'ERR_PERM_PATH'));
        before();
      }
      throws(() => cache.allowsCached(user, '/pub', 'chmod'), TypeError, 'ERR_PERM_OP');
      throws(() => cache.filterCached(user, '/pub', ['a'], 'chmod'), TypeError, 'ERR_PERM_OP');
      throws(() => cache.filterCached(user, '/pub', 'a,b', 'read'), TypeError, 'ERR_PERM_NAMES');
      await rejects(cache.allows(user, '/pub', 'chmod'), (e) => eq(e.code, 'ERR_PERM_OP'));
      await rejects(cache.filter(user, '/pub', [1], 'read'), (e) => eq(e.code, 'ERR_PERM_NAMES'));
      before();
    }
    eq(calls, ['alice', 'bob'], 'no load for a refused call');
    eq(cache.has('carol'), false);
    // The same calls with good arguments count and load as usual.
    eq(cache.allowsCached('carol', '/pub', 'read'), undefined);
    eq(await cache.allows('carol', '/pub', 'read'), false);
    eq(cache.allowsCached('alice', '/pub', 'read'), true);
    const { hits, misses, loads } = cache.stats;
    eq([hits, misses, loads], [1, 2, 1]);
    eq([...cache.users()], ['alice', 'carol', 'bob']);
  }],

  ['permissions: a check after a load uses that user\'s rules, even when another load evicts them', async (_, { PermissionCache }) => {
    const waiting = {};
    const cache = new PermissionCache({ maxUsers: 1, load: (user) => new Promise((resolve) => { waiting[user] = resolve; }) });
    const mallory = cache.allows('mallory', '/secret/x', 'read');
    const admin = cache.allows('admin', '/secret/x', 'read');
    const names = cache.filter('mallory', '/secret', ['x'], 'read');
    await null;
    waiting.mallory([]);
    await null; // admin's rules arrive one microtask later and evict mallory's
    waiting.admin([{ path: '/', allow: ['read'] }]);
    eq(await admin, true);
    eq(await mallory, false, 'mallory was checked against her own rules');
    const listing = names.then((v) => v);
    await null;
    await null;
    if (waiting.mallory) waiting.mallory([]);
    eq(await listing, []);
  }],

  ['permissions: logout, clear and free during a load; logins that race', async (_, { PermissionCache }) => {
    const pending = [];
    let rules = [{ path: '/home', allow: ['read', 'write'] }];
    const cache = new PermissionCache({
      maxUsers: 4,
      load: () => new Promise((resolve, reject) => pending.push({ resolve, reject, rules })),
    });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await null;
    };
    // A logout while a login loads: the login stores nothing.
    const login = cache.login('alice');
    cache.logout('alice');
    pending.shift().resolve(rules);
    await login;
    eq(cache.has('alice'), false, 'logout won');
    // A check waiting for a load that a logout cancels loads again, with the new rules.
    const check = cache.allows('bob', '/home/f', 'write');
    rules = [{ path: '/home', allow: ['read'] }];
    cache.logout('bob');
    const stale = pending.shift();
    stale.resolve(stale.rules);
    await settle();
    eq(pending.length, 1, 'loaded again');
    pending.shift().resolve(rules);
    eq(await check, false, 'the revoked rules were not used');
    // clear cancels too.
    const cleared = cache.login('carol');
    cache.clear();
    pending.shift().resolve(rules);
    await cleared;
    eq(cache.has('carol'), false);
    // Two logins: the older settles as the newer does.
    const older = cache.login('dan');
    const newer = cache.login('dan');
    pending[1].reject(new Error('db down'));
    pending[0].resolve(rules);
    pending.length = 0;
    await rejects(newer, (e) => eq(e.message, 'db down'));
    await rejects(older, (e) => eq(e.message, 'db down'));
    eq(cache.has('dan'), false);
    // free while loading: every waiter rejects.
    const waiters = [cache.login('erin'), cache.allows('erin', '/home', 'read'), cache.filter('erin', '/home', ['a'], 'read')];
    cache.free();
    pending.shift().resolve(rules);
    for (const waiter of waiters) await rejects(waiter, (e) => eq(e.code, 'ERR_LRU_FREED'));
  }],

  ['permissions: an onEvict that throws is reported after the change, and every user is told', async (_, { PermissionCache }) => {
    const told = [];
    const cache = new PermissionCache({
      maxUsers: 2,
      load: async () => [{ path: '/', allow: ['read'] }],
      onEvict: (user, reason) => {
        told.push(`${user}:${reason}`);
        throw new Error(`onEvict ${user}`);
      },
    });
    await cache.login('u1');
    await cache.login('u2');
    await rejects(cache.login('u3'), (e) => eq(e.message, 'onEvict u1'));
    eq(cache.has('u3'), true, 'u3 was stored');
    eq(cache.stats.loadFailures, 0, 'not a failed load');
    throws(() => cache.clear(), Error);
    eq(told, ['u1:evict', 'u3:clear', 'u2:clear']);
    eq(cache.size, 0);
  }],

  ['permissions: a wasm call that grows memory, or fails after growing it, leaves other caches intact', async (LRUCache, { PermissionCache, wasmMemorySize }) => {
    const lru = new LRUCache({ max: 3 });
    lru.set('a', 1).set('b', 2).set('c', 3);
    const perms = new PermissionCache({ maxUsers: 2, load: async () => [{ path: '/', allow: ['read'] }, { path: '/' + 'y'.repeat(6 << 20) + '/..', allow: [] }] });
    const before = wasmMemorySize();
    lru.get('a'); // recorded in the ring, not yet replayed
    eq(perms.allowsCached('nobody', '/' + 'x'.repeat(6 << 20), 'read'), undefined);
    lru.get('b');
    throws(() => perms.allowsCached('nobody', '/' + 'x'.repeat(12 << 20) + '/..', 'read'), TypeError, 'ERR_PERM_PATH');
    await rejects(perms.login('eve'), (e) => eq(e.code, 'ERR_PERM_RULES'));
    ok(wasmMemorySize() > before, 'memory grew');
    lru.set('d', 4);
    eq([...lru.keys()], ['d', 'b', 'a'], 'c, the least recently used, was evicted');
    lru.free();
    perms.free();
  }],

  ['permissions: filter decides a listing in one call', async (_, { PermissionCache }) => {
    const cache = new PermissionCache({ maxUsers: 10, load: store().load });
    const names = ['notes.txt', 'private', 'photos', '.', '..', '', 'a/b', 'a\\b', 'ünï', 'private2'];
    eq(await cache.filter('alice', '/home/alice', names, 'read'), ['notes.txt', 'photos', 'ünï', 'private2']);
    eq(cache.filterCached('alice', '/home', ['alice', 'bob'], 'read'), ['alice']);
    eq(cache.filterCached('alice', '/home', ['alice', 'bob'], 'list'), ['alice', 'bob']);
    eq(cache.filterCached('alice', '/home/alice/private', ['x'], 'list'), []);
    eq(cache.filterCached('nobody', '/', ['x'], 'list'), undefined);
    for (const name of names) {
      const expected = cache.filterCached('alice', '/home/alice', [name], 'write').length === 1;
      const valid = name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
      eq(expected, valid && cache.allowsCached('alice', `/home/alice/${name}`, 'write'), `name ${name}`);
    }
    throws(() => cache.filterCached('alice', 'home', ['x'], 'list'), TypeError, 'ERR_PERM_PATH');
  }],

  ['permissions: listings with few or many exceptions, duplicates and bad names', async (_, { PermissionCache }) => {
    const many = Array.from({ length: 12 }, (_, i) => `x${i}`);
    const rules = {
      dana: [
        { path: '/few', allow: ['list', 'read'] },
        { path: '/few/no1', allow: ['list'] },
        { path: '/few/no2', allow: [] },
        { path: '/many', allow: ['list', 'read'] },
        ...many.map((name) => ({ path: `/many/${name}`, allow: ['list'] })),
        { path: '/closed', allow: [] },
        { path: '/closed/yes1', allow: ['read'] },
        { path: '/closed/yes2', allow: ['list', 'read'] },
        { path: '/closedmany', allow: [] },
        ...many.map((name) => ({ path: `/closedmany/${name}`, allow: ['read'] })),
      ],
    };
    const cache = new PermissionCache({ maxUsers: 10, load: store(rules).load });
    await cache.login('dana');
    const valid = (name) => name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
    // The reference: one check per name, no listing involved.
    const expected = (dir, names, op) => names.filter((n) => valid(n) && cache.allowsCached('dana', `${dir}/${n}`, op));
    const check = (dir, names, op, message) => {
      const got = cache.filterCached('dana', dir, names, op);
      eq(got, expected(dir, names, op), `${dir} ${op} ${message}: ${JSON.stringify(names)}`);
      return got;
    };

    const plain = ['a', 'b', 'c', 'd'];
    eq(check('/few', ['no1', ...plain, 'no2'], 'read', 'first and last'), plain);
    eq(check('/few', ['no2', 'a', 'no1', 'no1', 'b', 'no2', 'a', 'no2'], 'read', 'duplicates'), ['a', 'b', 'a']);
    eq(check('/few', ['no1', ...plain, 'no2'], 'list', 'no1 listable'), ['no1', ...plain]);
    eq(check('/few', ['no1', 'no2', 'no1'], 'read', 'only exceptions'), []);
    eq(check('/few', [], 'read', 'empty'), []);
    eq(check('/few', ['a', '..', 'no1', 'a/b', 'b', 'no2', '', 'c\0', 'c'], 'read', 'bad names among'), ['a', 'b', 'c']);
    eq(check('/few', Array.from({ length: 20 }, (_, i) => (i % 2 ? 'no2' : `f${i}`)), 'read', '10 duplicates').length, 10);
    eq(check('/few', Array(20).fill('no1').concat('z'), 'read', '20 duplicates'), ['z']);
    eq(check('/closed', ['yes2', ...plain, 'yes1'], 'read', 'first and last'), ['yes2', 'yes1']);
    eq(check('/closed', ['yes1', 'a', 'yes2', 'yes1', 'b', 'yes2'], 'read', 'duplicates'), ['yes1', 'yes2', 'yes1', 'yes2']);
    eq(check('/closed', ['yes1', 'a', 'yes2', 'yes1', 'b', 'yes2'], 'list', 'yes2 listable'), ['yes2', 'yes2']);
    eq(check('/closed', Array(20).fill('yes1').concat('z'), 'read', '20 duplicates'), Array(20).fill('yes1'));
    eq(check('/closed', ['.', 'yes1', 'a\\b', 'yes2', '/'], 'read', 'bad names among'), ['yes1', 'yes2']);
    eq(check('/many', [...many, ...plain, ...many], 'read', 'many'), plain);
    eq(check('/many', ['x11', 'a', 'x0', '..', 'b', 'x5'], 'read', 'many, bad names among'), ['a', 'b']);
    eq(check('/closedmany', ['a', ...many, 'b', 'x3'], 'read', 'many'), [...many, 'x3']);

    // Random listings drawn from exceptions, other names and bad names, with repeats.
    const pool = ['no1', 'no2', 'yes1', 'yes2', ...many, 'a', 'b', 'file.txt', 'ünï', '', '.', '..', 'a/b', 'a\\b', 'a\0b'];
    let seed = 12345;
    const random = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const names = Array.from({ length: random(40) }, () => pool[random(round % 2 ? pool.length - 6 : pool.length)]);
      for (const dir of ['/few', '/many', '/closed', '/closedmany', '/'])
        for (const op of ['read', 'list']) check(dir, names, op, `round ${round}`);
    }
  }],

  ['permissions: a listing with a non-string entry is refused and changes nothing', async (_, { PermissionCache }) => {
    const cache = new PermissionCache({ maxUsers: 10, load: store().load });
    await cache.login('alice');
    await cache.login('bob');
    let converted = false;
    const sneaky = { toString: () => ((converted = true), 'x') };
    for (const names of [[7], ['a', null, 'b'], ['a', 'private', sneaky], ['a', 'private', , 'b'], ['private', '..', 1n]]) {
      throws(() => cache.filterCached('alice', '/home/alice', names, 'read'), TypeError, 'ERR_PERM_NAMES');
      eq([...cache.users()], ['bob', 'alice'], 'alice was not marked as recently used');
    }
    ok(!converted, 'entries are not converted to strings');
    eq(cache.filterCached('alice', '/home/alice', ['a', 'private'], 'read'), ['a']);
    eq([...cache.users()], ['alice', 'bob']);
  }],

  ['permissions: a filtered listing is a new plain array', async (_, { PermissionCache }) => {
    const cache = new PermissionCache({ maxUsers: 10, load: store().load });
    await cache.login('alice');
    class Names extends Array {}
    for (const names of [['a', 'private', 'b'], Names.from(['a', 'private', 'b'])]) {
      const got = cache.filterCached('alice', '/home/alice', names, 'read');
      eq(got, ['a', 'b']);
      ok(Object.getPrototypeOf(got) === Array.prototype, 'a plain array');
      got.push('c');
      eq(names.length, 3, 'the listing is untouched');
    }
    const names = ['a', 'b'];
    const got = cache.filterCached('alice', '/home/alice', names, 'read');
    ok(got !== names, 'a copy when nothing is taken out');
    eq(got, names);
    // /pub has no rule below it: the whole listing is visible, still as a plain array.
    for (const listing of [Names.from(['a', 'b']), Names.from(['a', '..', 'b'])]) {
      const all = cache.filterCached('alice', '/pub', listing, 'read');
      eq(all, ['a', 'b']);
      ok(Object.getPrototypeOf(all) === Array.prototype, 'a plain array from a directory with no rules below it');
    }
  }],

  ['permissions: 100 concurrent checks for an uncached user make one load', async (_, { PermissionCache }) => {
    const { calls, load } = store();
    const cache = new PermissionCache({ maxUsers: 10, load });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => cache.allows('alice', `/home/alice/f${i}`, 'read')),
    );
    ok(results.every((r) => r === true));
    eq(calls, ['alice']);
    eq(cache.stats.loads, 1);
    await cache.login('alice');
    eq(calls, ['alice', 'alice'], 'login always reloads');
  }],

  ['permissions: login reloads changed rules', async (_, { PermissionCache }) => {
    const rules = { carol: [{ path: '/data', allow: ['read'] }] };
    const cache = new PermissionCache({ maxUsers: 10, load: store(rules).load });
    await cache.login('carol');
    eq(cache.allowsCached('carol', '/data/x', 'write'), false);
    rules.carol = [{ path: '/data', allow: ['read', 'write'] }];
    eq(cache.allowsCached('carol', '/data/x', 'write'), false, 'stale until the next login');
    await cache.login('carol');
    eq(cache.allowsCached('carol', '/data/x', 'write'), true);
    eq(cache.size, 1);
  }],

  ['permissions: least recently used users are evicted by count and bytes', async (_, { PermissionCache }) => {
    const rules = {};
    for (let i = 0; i < 20; i++) rules[`u${i}`] = [{ path: `/home/u${i}`, allow: ['read'] }];
    const evicted = [];
    const cache = new PermissionCache({ maxUsers: 3, load: store(rules).load, onEvict: (u, r) => evicted.push([u, r]) });
    for (const u of ['u0', 'u1', 'u2']) await cache.login(u);
    cache.allowsCached('u0', '/home/u0', 'read');
    await cache.login('u3');
    eq([...cache.users()], ['u3', 'u0', 'u2']);
    eq(evicted, [['u1', 'evict']]);
    eq(cache.logout('u2'), true);
    eq(cache.logout('u2'), false);
    eq(evicted.at(-1), ['u2', 'logout']);

    const one = cache.bytesOf('u0');
    ok(one > 0);
    const budget = new PermissionCache({ maxUsers: 100, maxBytes: one * 2, load: store(rules).load });
    for (const u of ['u0', 'u1', 'u2']) await budget.login(u);
    eq(budget.size, 2);
    ok(budget.bytes <= one * 2);
    eq([...budget.users()], ['u2', 'u1']);
    eq(budget.stats.evictions, 1);
  }],

  ['permissions: a set larger than maxBytes is refused, others unaffected', async (_, { PermissionCache }) => {
    const big = Array.from({ length: 200 }, (_, i) => ({ path: `/very/long/path/number/${i}`, allow: ['read'] }));
    const rules = { big, bob: RULES.bob };
    const cache = new PermissionCache({ maxUsers: 10, maxBytes: 512, load: store(rules).load });
    await cache.login('bob');
    await rejects(cache.login('big'), (e) => {
      ok(e instanceof RangeError);
      eq(e.code, 'ERR_PERM_TOO_LARGE');
    });
    ok(!cache.has('big'));
    eq(cache.allowsCached('bob', '/home/bob', 'read'), true);
    eq(cache.stats.loadFailures, 1);
  }],

  ['permissions: garbage from load is a clear error; nothing is cached', async (_, { PermissionCache }) => {
    const bad = {
      notArray: 'rw /home',
      badRule: [null],
      badOp: [{ path: '/a', allow: ['fly'] }],
      badPath: [{ path: 'a', allow: ['read'] }],
      dotdot: [{ path: '/a/../b', allow: ['read'] }],
      duplicate: [{ path: '/a', allow: ['read'] }, { path: '/a/', allow: [] }],
      ok: [{ path: '/a', allow: ['read'] }],
    };
    const cache = new PermissionCache({ maxUsers: 10, load: store(bad).load });
    await cache.login('ok');
    for (const user of ['notArray', 'badRule', 'badOp', 'badPath', 'dotdot', 'duplicate']) {
      await rejects(cache.login(user), (e) => {
        ok(e instanceof TypeError, `${user}: ${e}`);
        eq(e.code, 'ERR_PERM_RULES', user);
      });
      ok(!cache.has(user));
    }
    await rejects(cache.allows('ghost', '/', 'list'), (e) => ok(/no such user/.test(e.message)));
    eq(cache.size, 1);
    eq(cache.allowsCached('ok', '/a/b', 'read'), true);
    throws(() => new PermissionCache({ maxUsers: 0, load: () => [] }), RangeError, 'ERR_PERM_MAX_USERS');
    throws(() => new PermissionCache({ maxUsers: 1 }), TypeError, 'ERR_PERM_OPTION');
  }],

  ['permissions: a login that fails drops the rules it was to replace', async (_, { PermissionCache }) => {
    const root = [{ path: '/', allow: ['read', 'write', 'delete'] }];
    /** @type {any} */
    let next = root;
    const evicted = [];
    const cache = new PermissionCache({
      maxUsers: 10,
      maxBytes: 4096,
      load: async (user) => {
        if (user === 'bob') return RULES.bob;
        if (next instanceof Error) throw next;
        return next;
      },
      onEvict: (user, reason) => evicted.push([user, reason]),
    });
    await cache.login('bob');
    /** @type {Array<[string, any, (e: any) => void]>} */
    const revocations = [
      ['the store fails', new Error('store is down'), (e) => eq(e.message, 'store is down')],
      ['the rules are refused', [{ path: '/', allow: [] }, { path: '/', allow: [] }], (e) => eq(e.code, 'ERR_PERM_RULES')],
      ['the rules are too large', Array.from({ length: 300 }, (_, i) => ({ path: `/d/${i}`, allow: [] })), (e) => eq(e.code, 'ERR_PERM_TOO_LARGE')],
    ];
    for (const [what, rules, check] of revocations) {
      next = root;
      await cache.login('admin');
      eq(cache.allowsCached('admin', '/etc/passwd', 'write'), true, what);
      evicted.length = 0;
      cache.resetStats();
      next = rules;
      await rejects(cache.login('admin'), check);
      eq(cache.has('admin'), false, `${what}: the old rules are not left in force`);
      eq(cache.allowsCached('admin', '/etc/passwd', 'write'), undefined, what);
      eq(evicted, [['admin', 'failed']], what);
      eq(cache.stats.loadFailures, 1, what);
      eq(cache.allowsCached('bob', '/home/bob/a', 'read'), true, `${what}: other users are untouched`);
    }
    // A user who was not cached: nothing to drop, no callback.
    evicted.length = 0;
    next = new Error('store is down');
    await rejects(cache.allows('carol', '/', 'read'), (e) => eq(e.message, 'store is down'));
    eq(evicted, []);
    // An onEvict that throws as well: both errors are reported.
    const failing = new PermissionCache({
      maxUsers: 10,
      load: async () => (next instanceof Error ? Promise.reject(next) : next),
      onEvict: () => {
        throw new Error('callback');
      },
    });
    next = root;
    await failing.login('admin');
    next = new Error('store is down');
    await rejects(failing.login('admin'), (e) => {
      ok(e instanceof AggregateError, `${e}`);
      eq(e.errors.map((x) => x.message), ['store is down', 'callback']);
    });
    eq(failing.has('admin'), false);
  }],

  ['permissions: paths and names that are not well-formed UTF-16, and names that begin with U+FEFF', async (_, { PermissionCache }) => {
    const rules = {
      alice: [
        { path: '/d', allow: ['list', 'read'] },
        { path: '/d/\uFEFFsecret', allow: [] },
        { path: '/d/\u{1F600}hidden', allow: [] },
        { path: '/closed', allow: [] },
        { path: '/closed/\uFEFFpub', allow: ['read'] },
      ],
      lone: [{ path: '/d/\uD800x', allow: [] }],
    };
    const cache = new PermissionCache({ maxUsers: 10, load: store(rules).load });
    await cache.login('alice');
    // A listing agrees with a check of each name.
    const names = ['\uFEFFsecret', 'secret', '\uFEFFpub', 'pub', '\u{1F600}hidden', '\u{1F600}', 'x'];
    for (const dir of ['/d', '/closed']) {
      const one = names.filter((name) => cache.allowsCached('alice', `${dir}/${name}`, 'read'));
      eq(cache.filterCached('alice', dir, names, 'read'), one, dir);
    }
    eq(cache.filterCached('alice', '/d', names, 'read'), ['secret', '\uFEFFpub', 'pub', '\u{1F600}', 'x']);
    eq(cache.filterCached('alice', '/closed', names, 'read'), ['\uFEFFpub']);
    // A lone surrogate cannot be matched as itself: refused in paths, never allowed in names.
    for (const path of ['/d/\uD800secret', '/d/\uDC00', '/d/a\uDBFF']) {
      throws(() => cache.allowsCached('alice', path, 'read'), TypeError, 'ERR_PERM_PATH');
      throws(() => cache.filterCached('alice', path, ['a'], 'read'), TypeError, 'ERR_PERM_PATH');
      await rejects(cache.allows('nobody', path, 'read'), (e) => eq(e.code, 'ERR_PERM_PATH'));
    }
    eq(cache.filterCached('alice', '/d', ['a', '\uD800secret', 'b\uDFFF', 'c'], 'read'), ['a', 'c']);
    // Two ill-formed names that would join into a well-formed pair.
    eq(cache.filterCached('alice', '/d', ['a\uD83D', '\uDE00b', 'c'], 'read'), ['c']);
    eq(cache.filterCached('alice', '/d', ['\uD83D', '\uDE00'], 'read'), []);
    await rejects(cache.login('lone'), (e) => {
      ok(e instanceof TypeError);
      eq(e.code, 'ERR_PERM_RULES');
    });
    eq(cache.has('lone'), false);
  }],

  ['permissions: free and clear', async (_, { PermissionCache }) => {
    const evicted = [];
    const cache = new PermissionCache({ maxUsers: 10, load: store().load, onEvict: (u, r) => evicted.push(`${u}:${r}`) });
    await cache.login('alice');
    await cache.login('bob');
    cache.clear();
    eq(cache.size, 0);
    eq(evicted.sort(), ['alice:clear', 'bob:clear']);
    cache.free();
    throws(() => cache.size, TypeError, 'ERR_LRU_FREED');
    throws(() => cache.allowsCached('alice', '/', 'list'), TypeError, 'ERR_LRU_FREED');
    throws(() => cache.hasRulesBelowCached('alice', '/'), TypeError, 'ERR_LRU_FREED');
    await rejects(cache.hasRulesBelow('alice', '/'), (e) => eq(e.code, 'ERR_LRU_FREED'));
    throws(() => cache.resetStats(), TypeError, 'ERR_LRU_FREED');
  }],

  ['permissions: random rules, checks and listings agree with a reference matcher', async (_, { PermissionCache }) => {
    // Segments with the characters most likely to be mangled on the way into wasm.
    const SEGMENTS = ['a', 'b', 'al', 'alice', '\uFEFFa', 'a\uFEFF', '\u{1F600}', 'e\u0301', '\u00E9', '%2F', '\uFF0F', ' ', '...', 'a b', 'A'];
    const OPS = ['list', 'read', 'write', 'delete', 'mkdir', 'rename'];
    let state = 12345;
    const next = (n) => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const pathOf = (depth) => '/' + Array.from({ length: depth }, () => SEGMENTS[next(SEGMENTS.length)]).join('/');
    /** The longest rule matching `path` by whole segments, or none: what the model says. */
    const reference = (rules, path, op) => {
      let best = -1;
      let allowed = false;
      for (const { path: rule, allow } of rules) {
        const segments = rule === '/' ? 0 : rule.split('/').length - 1;
        const matches = rule === '/' || path === rule || path.startsWith(rule + '/');
        if (matches && segments > best) {
          best = segments;
          allowed = allow.includes(op);
        }
      }
      return allowed;
    };
    /** Whether a rule's path has `path`'s segments as a proper prefix. */
    const referenceBelow = (rules, path) =>
      rules.some(({ path: rule }) => rule !== path && (path === '/' ? rule !== '/' : rule.startsWith(path + '/')));
    for (let round = 0; round < 40; round++) {
      const byPath = new Map();
      for (let i = 0, n = 1 + next(12); i < n; i++) {
        const path = next(8) === 0 ? '/' : pathOf(1 + next(3));
        byPath.set(path, OPS.filter(() => next(2) === 0));
      }
      const rules = [...byPath].map(([path, allow]) => ({ path, allow }));
      const cache = new PermissionCache({ maxUsers: 2, load: async () => rules });
      await cache.login('u');
      for (let check = 0; check < 30; check++) {
        const dir = next(6) === 0 ? '/' : pathOf(1 + next(2));
        const op = OPS[next(OPS.length)];
        const names = Array.from({ length: next(12) }, () => SEGMENTS[next(SEGMENTS.length)]);
        const child = (name) => (dir === '/' ? '/' : dir + '/') + name;
        for (const name of names) {
          eq(cache.allowsCached('u', child(name), op), reference(rules, child(name), op), `${JSON.stringify(child(name))} ${op} with ${JSON.stringify(rules)}`);
        }
        const visible = names.filter((name) => reference(rules, child(name), op));
        eq(cache.filterCached('u', dir, names, op), visible, `listing of ${JSON.stringify(dir)} ${op} with ${JSON.stringify(rules)}`);
        eq(cache.hasRulesBelowCached('u', dir), referenceBelow(rules, dir), `rules below ${JSON.stringify(dir)} with ${JSON.stringify(rules)}`);
      }
      cache.free();
    }
  }],
];
