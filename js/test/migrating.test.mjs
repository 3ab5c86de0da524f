// Runs every ```js example of docs/migrating-from-lru-cache.md, each as a module of its
// own, with 'edge-lru' and 'lru-cache' resolved from this package (the built edge-lru and
// the lru-cache devDependency). The examples assert what they show.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const doc = readFileSync(new URL('../../docs/migrating-from-lru-cache.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
const packages = ['edge-lru', 'lru-cache', 'node:assert/strict'];

test('the migration guide has examples, each importing edge-lru or lru-cache', () => {
  assert.ok(examples.length >= 4, `found ${examples.length} examples`);
  for (const example of examples) assert.match(example, /from '(edge-lru|lru-cache)'/);
});

for (const [i, example] of examples.entries()) {
  const title = example.split('\n')[0].replace(/^\/\/\s*/, '');
  test(`migration guide example ${i + 1}: ${title}`, async () => {
    let source = example;
    for (const name of packages) source = source.replaceAll(`from '${name}'`, `from '${import.meta.resolve(name)}'`);
    assert.doesNotMatch(source, /from '(?!file:|node:)/, 'every import is resolved');
    await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
  });
}
