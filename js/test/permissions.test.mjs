import { test } from 'node:test';
import * as lib from 'edge-lru/permissions';
import { permissions } from './cases/permissions.js';

for (const [name, fn] of permissions) test(`esm: ${name}`, () => fn(lib.LRUCache, lib));
