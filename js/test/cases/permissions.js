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
    eq(cache.allowsCached('alice', '/pub/a', 'read'), true, 'still consistent');
    await rejects(cache.allows('alice', '/pub', 'fly'), (e) => eq(e.code, 'ERR_PERM_OP'));
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
  }],
];
