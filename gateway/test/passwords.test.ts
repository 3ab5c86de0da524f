// Password hashing: production (OWASP) parameters once, cheap ones elsewhere; tokens.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, OWASP_SCRYPT, verifyPassword } from '../src/passwords.ts';
import { TokenSigner } from '../src/tokens.ts';
import { parsePath } from '../src/paths.ts';

test('scrypt with the OWASP parameters (N=2^17, r=8, p=1) stores them with the hash', async () => {
  const hash = await hashPassword('correct horse', OWASP_SCRYPT);
  assert.match(hash, /^scrypt\$131072\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse', hash), true);
  assert.equal(await verifyPassword('wrong horse', hash), false);
  assert.equal(await verifyPassword('x', 'scrypt$1$1$1$AA$AA'), false);
});

test('tokens: signed, expiring, refused when tampered', () => {
  const signer = new TokenSigner(Buffer.alloc(32, 7), 60, () => 1_700_000_000_123);
  const { token } = signer.sign('alice', true);
  assert.deepEqual(signer.verify(token), {
    user: 'alice',
    admin: true,
    exp: 1_700_000_060,
    iat: 1_700_000_000_123,
  });
  // Every other last character is refused, those that differ only in the unused bits too.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (const c of alphabet.replace(token.slice(-1), '')) {
    assert.equal(signer.verify(token.slice(0, -1) + c), undefined, c);
  }
  // Stray characters, which base64url decoding skips.
  assert.equal(signer.verify(`${token}=`), undefined);
  assert.equal(signer.verify(`${token.slice(0, -10)}!${token.slice(-10)}`), undefined);
  assert.equal(new TokenSigner(Buffer.alloc(32, 8), 60).verify(token), undefined);
  assert.throws(() => new TokenSigner(Buffer.alloc(8), 60), /32 bytes/);
});

test('paths are decoded once and checked segment by segment', () => {
  assert.deepEqual(parsePath('/a/b%20c/'), { path: '/a/b c', trailingSlash: true });
  assert.equal(parsePath('/%252e%252e').path, '/%2e%2e');
  for (const bad of ['/..', '/%2e%2e', '/a%2fb', '/a%5cb', '/a%00', '/%c0%ae', '/%zz', '/a\\b']) {
    assert.throws(() => parsePath(bad), { name: 'Error' }, bad);
  }
});
