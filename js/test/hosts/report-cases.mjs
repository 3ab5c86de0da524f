// Turns the case results a host sent back (run-cases.js: `{ name, ok, ms, error }`) into
// node:test tests, one each, so that node:test counts them. A runner that could not
// get results at all reports that as one failing test.

import { test } from 'node:test';

/**
 * @param {string} host
 * @param {() => Promise<{ name: string, ok: boolean, error?: string }[]>} collect
 */
export async function reportCases(host, collect) {
  let results;
  try {
    results = await collect();
  } catch (error) {
    test(`${host}: run the cases`, () => {
      throw error;
    });
    return;
  }
  if (!results.length) {
    test(`${host}: cases ran`, () => {
      throw new Error(`${host} sent back no results`);
    });
  }
  for (const r of results) {
    test(`${host}: ${r.name}`, () => {
      if (!r.ok) throw new Error(r.error ?? 'failed');
    });
  }
}
