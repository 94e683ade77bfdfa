/**
 * `tsx infra/src/deploy/build-parts.ts [part…]`: builds parts as `npm start` would — each front end with
 * Vite (shell and fragments) and each server bundled by esbuild into `.cache/build/<part>/server.js` — for
 * the image build (the root Dockerfile). No names: every part. Exits 2 naming the parts for an unknown one.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parts, repoRoot } from '../parts.ts';
import { buildServer } from '../launcher/build-servers.ts';

const names = process.argv.slice(2);
const unknown = names.filter((n) => !parts.some((p) => p.name === n));
if (unknown.length > 0) {
  process.stderr.write(`unknown part ${unknown.join(', ')}; parts: ${parts.map((p) => p.name).join(', ')}\n`);
  process.exit(2);
}
for (const part of parts.filter((p) => names.length === 0 || names.includes(p.name))) {
  if (part.built) execFileSync('npm', ['run', 'build', '--silent'], { cwd: path.join(repoRoot, part.dir), stdio: 'inherit' });
  await buildServer(part);
}
