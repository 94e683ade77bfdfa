import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { repoRoot, type Part } from '../parts.ts';

/**
 * The servers' build: one ES module per part, bundled by esbuild from its TypeScript entry, so that
 * `npm start` runs plain `node` (no tsx loader, no esbuild service process beside each server).
 *
 * Bundled rather than emitted by tsc: the workspaces export their TypeScript sources (`./src/*.ts`),
 * which Node 20 cannot load, and the tsconfigs emit declarations only. The bundle inlines the project's
 * own workspaces (`@shop/*`) and leaves every npm package external, loaded from node_modules as usual.
 */

const BUILD_DIR = path.join(repoRoot, '.cache', 'build');
const ROOT_MODULES = path.join(repoRoot, 'node_modules') + path.sep;
const BUILTINS = new Set(builtinModules);

/** Where a part's built server is: `.cache/build/<part>/server.js` (git-ignored). */
export const builtEntry = (part: Pick<Part, 'name'>) => path.join(BUILD_DIR, part.name, 'server.js');
const inputsFile = (part: Pick<Part, 'name'>) => path.join(BUILD_DIR, part.name, 'inputs.json');

/**
 * Every module keeps its own `import.meta.url` (the source file's), so paths made from it (migrations,
 * a fragment's `dist/`) point where they did under tsx.
 */
const sourceLocation: Plugin = {
  name: 'source-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/**
 * npm packages stay external. A package hoisted to the root node_modules is imported by name, as in the
 * source; one a workspace keeps in its own node_modules (another version) by its resolved path, since the
 * bundle no longer sits in that workspace.
 */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('@shop/')) return undefined;
      if (args.path.startsWith('node:') || BUILTINS.has(args.path)) return { path: args.path, external: true };
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (resolved.errors.length > 0 || resolved.path.startsWith(ROOT_MODULES)) return { path: args.path, external: true };
      return { path: resolved.path, external: true };
    });
  },
};

/** Builds `part`'s server into `builtEntry(part)` and records its inputs for `serverNeedsBuild`. Throws on a build error. */
export async function buildServer(part: Pick<Part, 'name' | 'dir' | 'entry'>): Promise<void> {
  const outdir = path.dirname(builtEntry(part));
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { server: path.join(repoRoot, part.dir, part.entry) },
    outdir,
    bundle: true,
    // What an entry loads with `await import()` stays a chunk of its own, loaded then: a server starts
    // tracing first and only then imports its app, whose packages (pg, ioredis, fastify) the tracing hook
    // must see being imported. One file would import every package before its first line ran.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Source maps for reading a stack trace by hand; not applied at run time (that makes every Error costly).
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceLocation, externalPackages],
    absWorkingDir: repoRoot,
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(repoRoot, input));
  writeFileSync(inputsFile(part), JSON.stringify(inputs));
}

/** Whether `part` has no built server, or one of the files it was built from changed (or went) since. */
export function serverNeedsBuild(part: Pick<Part, 'name'>): boolean {
  const outfile = builtEntry(part);
  if (!existsSync(outfile) || !existsSync(inputsFile(part))) return true;
  const builtAt = statSync(outfile).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile(part), 'utf8')) as string[];
  return inputs.some((input) => !existsSync(input) || statSync(input).mtimeMs > builtAt);
}
