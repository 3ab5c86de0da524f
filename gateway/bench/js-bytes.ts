// Measures the JS heap bytes of the lru-cache backend's rule sets (CompiledRules) and
// compares them with the estimate its byte budget uses (CompiledRules.bytes).
// Run: node --expose-gc gateway/bench/js-bytes.ts [rule sets] [rules per set]

import { CompiledRules } from '../src/permissions.ts';

const sets = Number(process.argv[2] ?? 20_000);
const perSet = Number(process.argv[3] ?? 12);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function rulesOf(i: number) {
  return Array.from({ length: perSet }, (_, k) => ({
    path: `/home/user${i}/project-${k}/shared`,
    allow: k % 3 === 0 ? [] : ['list', 'read'] as ('list' | 'read')[],
  }));
}

gc();
gc();
const before = process.memoryUsage().heapUsed;
// The inputs become garbage; only the compiled sets (and their key strings) stay.
const held = Array.from({ length: sets }, (_, i) => new CompiledRules(rulesOf(i)));
(globalThis as { held?: unknown }).held = held;
gc();
gc();
const after = process.memoryUsage().heapUsed;
const estimate = held.reduce((sum, r) => sum + r.bytes, 0);
const measured = after - before;
console.log(JSON.stringify({
  sets,
  rulesPerSet: perSet,
  measuredBytesPerSet: Math.round(measured / sets),
  estimatedBytesPerSet: Math.round(estimate / sets),
  ratio: +(estimate / measured).toFixed(2),
}));
