// The gateway's `serve` with each full directory listing read from disk once and then kept:
// LocalFileTree.list lists a directory with one lstat per entry (64 at a time), which makes a
// large listing cost far more than its permission check and hides the permission path the
// load benchmark measures. Names-only listings (`names`) still read the directory every time.
// The benchmark's tree does not change under /pub while it runs. Everything else (stats of
// retrieved files, reads, uploads) goes to disk as usual.
//
//   node bench/listing-memo.ts serve [options]      (the options of src/main.ts)

import { type Entry, LocalFileTree } from '../src/files.ts';
import { main } from '../src/main.ts';

const list = LocalFileTree.prototype.list;
const listings = new Map<string, Promise<Entry[]>>();
LocalFileTree.prototype.list = function (this: LocalFileTree, vpath: string): Promise<Entry[]> {
  let entries = listings.get(vpath);
  if (entries === undefined) {
    entries = list.call(this, vpath);
    listings.set(vpath, entries);
    entries.catch(() => listings.delete(vpath));
  }
  return entries;
};

const code = await main(process.argv.slice(2), process.env);
if (code >= 0) process.exit(code);
