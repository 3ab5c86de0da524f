// The "live gateway" view: signs in to the gateway that serves this page and, for an
// admin, draws its permission cache from the server-sent events of
// /api/admin/cache/events: users most recently used first, the next to be evicted last.

const $ = (id) => document.getElementById(id);
let events;

function show(id, visible) {
  $(id).hidden = !visible;
}

function draw(view) {
  $('worker').textContent = `(${view.worker})`;
  const s = view.stats;
  $('stats').textContent =
    `${s.users} users, ${s.bytes} bytes of compiled rules; ${s.hits} hits, ${s.misses} misses, ${s.loads} loads, ${s.evictions} evictions`;
  const max = Math.max(1, ...view.users.map((u) => u.bytes));
  $('users').replaceChildren(
    ...view.users.map((u, i) => {
      const li = document.createElement('li');
      li.dataset.user = u.user;
      li.title = i === view.users.length - 1 ? 'evicted next' : '';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = u.user;
      const bytes = document.createElement('span');
      bytes.className = 'bytes';
      bytes.textContent = `${u.bytes} B`;
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${Math.max(4, Math.round((u.bytes / max) * 100))}%`;
      li.append(name, bytes, bar);
      return li;
    }),
  );
  $('evictions').replaceChildren(
    ...view.evictions.map((e) => {
      const li = document.createElement('li');
      li.textContent = `${new Date(e.time).toLocaleTimeString()} ${e.user} (${e.reason})`;
      return li;
    }),
  );
}

function watch() {
  events?.close();
  events = new EventSource('/api/admin/cache/events');
  events.addEventListener('cache', (event) => draw(JSON.parse(event.data)));
}

async function signedIn(me) {
  $('who').textContent = me.user;
  show('login-section', false);
  show('session', true);
  show('live', me.admin);
  show('not-admin', !me.admin);
  if (me.admin) watch();
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-status').textContent = 'Signing in…';
  const res = await fetch('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: $('user').value, password: $('password').value }),
  });
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) {
    $('login-status').textContent = body.error ?? `HTTP ${res.status}`;
    return;
  }
  $('login-status').textContent = '';
  await signedIn(body);
});

$('logout').addEventListener('click', async () => {
  events?.close();
  await fetch('/api/logout', { method: 'POST' });
  show('session', false);
  show('live', false);
  show('not-admin', false);
  show('login-section', true);
});

// Already signed in (the session cookie)? /api/me answers without a password prompt
// only for a cookie, so ask only when there may be one.
fetch('/api/me', { headers: { 'x-requested-with': 'fetch' } }).then(async (res) => {
  if (res.ok) await signedIn(await res.json());
});
