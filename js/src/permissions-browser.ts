// Entry of `edge-lru/permissions` for browsers (see permissions-index.ts and browser.ts).

export * from './browser.js';
export * from './permissions-exports.js';
