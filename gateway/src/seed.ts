// The demo: a few users with different rules and a tree of some thousands of files.
// Idempotent: users that exist keep their passwords; files are written once.

import type { Operation } from 'edge-lru/permissions';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashPassword, type ScryptParams } from './passwords.ts';
import type { Store } from './store/types.ts';

const ALL: Operation[] = ['list', 'read', 'write', 'delete', 'mkdir', 'rename'];

export interface DemoUser {
  name: string;
  password: string;
  admin: boolean;
  about: string;
  rules: { path: string; allow: Operation[] }[];
}

export const DEMO_USERS: DemoUser[] = [
  {
    name: 'alice',
    password: 'alice-demo',
    admin: false,
    about: 'everything in /home/alice, reads /public, writes /shared (not /shared/readonly)',
    rules: [
      { path: '/', allow: ['list'] },
      { path: '/home/alice', allow: ALL },
      { path: '/home/bob', allow: [] },
      { path: '/home/carol', allow: [] },
      { path: '/private', allow: [] },
      { path: '/public', allow: ['list', 'read'] },
      { path: '/shared', allow: ALL },
      { path: '/shared/readonly', allow: ['list', 'read'] },
    ],
  },
  {
    name: 'bob',
    password: 'bob-demo',
    admin: false,
    about: 'everything in /home/bob, reads /public and /shared',
    rules: [
      { path: '/', allow: ['list'] },
      { path: '/home/alice', allow: [] },
      { path: '/home/bob', allow: ALL },
      { path: '/home/carol', allow: [] },
      { path: '/private', allow: [] },
      { path: '/public', allow: ['list', 'read'] },
      { path: '/shared', allow: ['list', 'read'] },
    ],
  },
  {
    name: 'carol',
    password: 'carol-demo',
    admin: false,
    about: 'reads /public only',
    rules: [{ path: '/public', allow: ['list', 'read'] }],
  },
  {
    name: 'admin',
    password: 'admin-demo',
    admin: true,
    about: 'everything, and the live cache view',
    rules: [{ path: '/', allow: ALL }],
  },
];

export async function seedUsers(store: Store, users: DemoUser[], params: ScryptParams): Promise<number> {
  let added = 0;
  for (const user of users) {
    if (await store.getUser(user.name)) continue;
    await store.addUser({
      name: user.name,
      passwordHash: await hashPassword(user.password, params),
      admin: user.admin,
    });
    for (const rule of user.rules) await store.grant({ user: user.name, ...rule });
    added++;
  }
  return added;
}

/** Writes the demo tree under `root` unless it was written before; returns the count of files written. */
export async function seedTree(
  root: string,
  options: { sections?: number; filesPerSection?: number } = {},
): Promise<
  number
> {
  const marker = join(root, '.gateway-demo-seeded');
  if (existsSync(marker)) return 0;
  const sections = options.sections ?? 30;
  const perSection = options.filesPerSection ?? 100;
  let count = 0;
  const put = async (path: string, text: string) => {
    const full = join(root, path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, text);
    count++;
  };
  await put('public/README.txt', 'Public documents: everyone with an account may read them.\n');
  for (let s = 0; s < sections; s++) {
    const section = `public/docs/section-${String(s).padStart(2, '0')}`;
    const writes: Promise<void>[] = [];
    for (let f = 0; f < perSection; f++) {
      const name = `doc-${String(s * perSection + f).padStart(5, '0')}.txt`;
      writes.push(
        put(`${section}/${name}`, `Document ${s * perSection + f} of section ${s}.\n`.repeat(1 + (f % 7))),
      );
    }
    await Promise.all(writes);
  }
  for (const user of ['alice', 'bob', 'carol']) {
    await put(`home/${user}/notes.txt`, `${user}'s notes.\n`);
    await put(`home/${user}/todo.md`, `# ${user}'s list\n\n- water the plants\n`);
    for (let i = 0; i < 20; i++) {
      await put(`home/${user}/photos/img-${String(i).padStart(3, '0')}.txt`, `photo ${i}\n`);
    }
  }
  await put('home/alice/projects/gateway/plan.txt', 'Serve FTP users over HTTP.\n');
  await put('shared/welcome.txt', 'Shared space: alice may write here, bob may read.\n');
  await put('shared/readonly/policy.txt', 'Nobody but the admin changes this file.\n');
  await put('private/salaries.csv', 'name,salary\nalice,1\nbob,2\n');
  await writeFile(marker, new Date().toISOString() + '\n');
  return count;
}
