import { test } from 'node:test';
import { LRUCache } from 'edge-lru';
import { cases } from './cases/behaviour.js';
import { differential } from './cases/differential.js';

for (const [name, fn] of cases) test(`esm: ${name}`, () => fn(LRUCache));
for (const [name, fn] of differential) test(`esm: ${name}`, () => fn(LRUCache));
