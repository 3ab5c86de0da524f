// The command line, as an operator runs it: each command in its own process against the
// store a running gateway uses, and what the running gateway makes of the change.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { gatewayCommand, startServer } from './server.ts';
import { STORES } from './helpers.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], storeUrl: string, dataDir: string): Promise<Run> {
  const command = gatewayCommand();
  return new Promise((resolve) => {
    execFile(
      command[0]!,
      [...command.slice(1), ...args, '--store', storeUrl, '--data-dir', dataDir],
      {
        cwd: new URL('..', import.meta.url).pathname,
        env: { ...process.env, GATEWAY_SCRYPT_N: '1024', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

for (const kind of STORES) {
  test(`${kind}: users, rules and sessions from the command line reach a running gateway`, async () => {
    const s = await startServer(kind, ['--credential-ttl', '300', '--quiet']);
    const run = (...args: string[]) => cli(args, s.storeUrl, s.dataDir);
    try {
      const added = await run('user', 'add', 'dave', '--password', 'dave-secret-1');
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /added dave/);
      assert.notEqual(
        (await run('user', 'add', 'dave', '--password', 'x')).code,
        0,
        'a taken name is refused',
      );
      assert.match((await run('user', 'list')).stdout, /^dave$/m);
      assert.equal((await run('grant', 'dave', '/public', 'list,read')).code, 0);
      assert.match((await run('rules', 'dave')).stdout, /\/public/);

      const login = await fetch(`${s.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'dave', password: 'dave-secret-1' }),
      });
      assert.equal(login.status, 200);
      const { token } = (await login.json()) as { token: string };
      const list = (bearer = token) =>
        fetch(`${s.url}/files/public/`, { headers: { authorization: `Bearer ${bearer}` } }).then(
          async (r) => {
            await r.body?.cancel();
            return r.status;
          },
        );
      /** The status once the gateway's poll of the revocations (every --credential-ttl) has run. */
      const settled = async (bearer = token) => {
        let status = 200;
        for (let i = 0; i < 40 && status === 200; i++) {
          await new Promise((r) => setTimeout(r, 100));
          status = await list(bearer);
        }
        return status;
      };
      assert.equal(await list(), 200);

      // Revoked in another process: refused at the gateway's next poll.
      const logout = await run('user', 'logout', 'dave');
      assert.equal(logout.code, 0, logout.stderr);
      assert.match(logout.stdout, /revoked the sessions of dave/);
      assert.equal(await settled(), 401, 'the revoked session is refused');
      const again = await fetch(`${s.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'dave', password: 'dave-secret-1' }),
      });
      const fresh = ((await again.json()) as { token: string }).token;
      assert.equal(await list(fresh), 200);

      const unknown = await run('user', 'logout', 'nobody');
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.stderr, /no user "nobody"/);
      assert.equal((await run('revoke', 'dave', '/public')).code, 0);
      assert.doesNotMatch((await run('rules', 'dave')).stdout, /\/public/);
      assert.equal((await run('user', 'remove', 'dave')).code, 0);
      assert.doesNotMatch((await run('user', 'list')).stdout, /^dave$/m);
      assert.equal(await settled(fresh), 401, "a removed user's session is refused");
    } finally {
      await s.stop();
    }
  });
}
