// Session tokens: `base64url(payload).base64url(HMAC-SHA256(key, payload))`. Signed with
// the server key, so every worker and every host that has the key accepts them without
// a shared session store.

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Session {
  user: string;
  admin: boolean;
  /** Expiry, in seconds since the epoch. */
  exp: number;
  /**
   * Issue time, in ms since the epoch: a session issued until its user's record last changed
   * (password, admin flag, `user logout`) is refused.
   */
  iat: number;
}

export class TokenSigner {
  #key: Buffer;
  readonly ttlSeconds: number;
  readonly now: () => number;

  constructor(key: Buffer, ttlSeconds: number, now: () => number = Date.now) {
    if (key.length < 32) {
      throw Object.assign(new RangeError('the session key must have at least 32 bytes'), {
        code: 'ERR_GATEWAY_KEY',
      });
    }
    this.#key = key;
    this.ttlSeconds = ttlSeconds;
    this.now = now;
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.#key).update(payload).digest();
  }

  sign(user: string, admin: boolean): { token: string; session: Session } {
    const iat = this.now();
    const session = { user, admin, exp: Math.floor(iat / 1000) + this.ttlSeconds, iat };
    const payload = Buffer.from(JSON.stringify({ u: user, a: admin ? 1 : 0, e: session.exp, i: iat }))
      .toString(
        'base64url',
      );
    return { token: `${payload}.${this.#mac(payload).toString('base64url')}`, session };
  }

  /** The session a token carries, or undefined when it is forged, tampered with, malformed or expired. */
  verify(token: string): Session | undefined {
    if (token.length > 4096) return undefined;
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
    const payload = token.slice(0, dot);
    // The signature's text is compared, not its decoded bytes: base64url decoding skips
    // stray characters and ignores the last character's spare bits, so other spellings of
    // the same bytes would pass.
    const mac = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.#mac(payload).toString('base64url'));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof body !== 'object' || body === null) return undefined;
    const { u, a, e, i } = body as Record<string, unknown>;
    if (
      typeof u !== 'string' || typeof e !== 'number' || !Number.isSafeInteger(e) || e * 1000 <= this.now() ||
      typeof i !== 'number' || !Number.isSafeInteger(i)
    ) {
      return undefined;
    }
    return { user: u, admin: a === 1, exp: e, iat: i };
  }

  /** A keyed hash of user and password: the credential cache's key, never the password itself. */
  credentialKey(user: string, password: string): string {
    return createHmac('sha256', this.#key).update('basic\0').update(user).update('\0').update(password)
      .digest(
        'base64url',
      );
  }
}
