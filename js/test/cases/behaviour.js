// Behaviour of LRUCache, written once and run in every host: Node (ESM and CJS), Deno,
// workerd and Chromium. Each case gets the host's LRUCache class; the cases live in
// lru/, one file per feature.

import { basics } from './lru/basics.js';
import { keys } from './lru/keys.js';
import { bounds } from './lru/bounds.js';
import { sizes } from './lru/sizes.js';
import { callbacks } from './lru/callbacks.js';
import { ttl } from './lru/ttl.js';
import { iteration } from './lru/iteration.js';
import { dump } from './lru/dump.js';
import { fetch } from './lru/fetch.js';
import { entries } from './lru/entries.js';
import { refresh } from './lru/refresh.js';
import { lifetime } from './lru/lifetime.js';

export const cases = [
  ...basics,
  ...keys,
  ...bounds,
  ...sizes,
  ...callbacks,
  ...ttl,
  ...iteration,
  ...dump,
  ...fetch,
  ...entries,
  ...refresh,
  ...lifetime,
];
