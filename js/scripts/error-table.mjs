// Writes the table of error codes, made from ERRORS in src/errors.ts, between the
// `<!-- error-codes:start -->` and `<!-- error-codes:end -->` markers of js/README.md.
//
//   node js/scripts/error-table.mjs           update the README (or print the table when no
//                                             README has the markers)
//   node js/scripts/error-table.mjs --check   exit 1 when a README's table differs

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const js = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- error-codes:start -->';
const END = '<!-- error-codes:end -->';
const check = process.argv.includes('--check');

// The table is read from the source itself (types stripped), so no build is needed.
const source = transformSync(readFileSync(join(js, 'src/errors.ts'), 'utf8'), { loader: 'ts', format: 'esm' })
  .code;
const { ERRORS } = await import(
  `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`
);

const escape = (text) => text.replaceAll('|', '\\|');
const table = [
  '| code | thrown as | meaning |',
  '| --- | --- | --- |',
  ...Object.entries(ERRORS).map(
    ([code, { thrownAs, meaning }]) =>
      `| \`${code}\` | ${thrownAs.map((name) => `\`${name}\``).join(', ')} | ${escape(meaning)} |`,
  ),
].join('\n');

const readmes = [join(js, 'README.md')].filter((file) =>
  existsSync(file) && readFileSync(file, 'utf8').includes(START)
);
if (readmes.length === 0) {
  console.log(table);
  console.error(
    `no README with ${START} ... ${END}: the table is printed above, nothing was written`,
  );
  process.exit(0);
}
let stale = false;
for (const file of readmes) {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START) + START.length;
  const end = text.indexOf(END, start);
  if (end === -1) throw new Error(`${file}: ${START} without ${END}`);
  const updated = `${text.slice(0, start)}\n${table}\n${text.slice(end)}`;
  if (updated === text) continue;
  if (check) {
    console.error(
      `${file}: the error code table differs from src/errors.ts; run node js/scripts/error-table.mjs`,
    );
    stale = true;
  } else {
    writeFileSync(file, updated);
    console.error(`${file}: error code table updated`);
  }
}
process.exit(stale ? 1 : 0);
