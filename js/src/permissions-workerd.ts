// Entry of `edge-lru/permissions` for Cloudflare Workers (see permissions-index.ts and workerd.ts).

export * from './workerd.js';
export * from './permissions-exports.js';
