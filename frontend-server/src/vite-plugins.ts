import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin, PluginOption, UserConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { sharedModules } from './federation-shared.ts';

/**
 * The client build's settings, one for the shell and every fragment: ES2022, and the federation runtime's
 * modules (`@module-federation/runtime`'s dist: its init, helpers and utils) in one chunk, `mf-runtime`,
 * where the bundler would make three: 2.7 kB in a fragment, which uses the shell's runtime-core; 68 kB in
 * the shell, runtime-core included, as before. Every file a page loads costs the browser's main thread a
 * few ms of its own, whatever its size (about 4.5 ms each in Chromium 156 here, 40 files against one), and
 * a phone several times that: this saves two per app. A fragment's own page keeps its runtime-core in a
 * chunk apart (see `provideFederationRuntime`). Returns the `build` section of a Vite config.
 */
export function clientBuild(): NonNullable<UserConfig['build']> {
  // A new object each call: the federation plugin adds its own chunk groups to the one it is given.
  return {
    target: 'es2022',
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'mf-runtime', test: /@module-federation[\\/]runtime[\\/]dist[\\/]/ }] } },
    },
  };
}

/**
 * CSS modules' class names for the app named `app` (`mfe_catalog`) whose sources are under `root`: a function
 * for Vite's `css.modules.generateScopedName` giving `<app>_<class>_<hash>`, the hash 5 characters (base64url
 * of SHA-256) of the file's path relative to `root` and the class. Unlike the pattern form, whose hash depends
 * on the directory a build runs in, this gives a file's class the same name in every build that compiles it:
 * the app's own, its server render, and the yardstick (all apps in one build), so HTML rendered by one matches
 * the styles and the hydration of another. The app's name keeps two fragments' classes from colliding.
 */
export function scopedClassName(app: string, root: string): (className: string, filename: string) => string {
  return (className, filename) => {
    const file = path.relative(root, filename.split('?')[0]!).replaceAll(path.sep, '/');
    const hash = createHash('sha256').update(`${file}\0${className}`).digest('base64url').slice(0, 5);
    return `${app}_${className}_${hash}`;
  };
}

/**
 * Writes `<file>.br` and `<file>.gz` beside every text file of the build (JS, CSS, HTML, JSON, SVG),
 * at the highest settings since it happens once per build: the server sends them as they are
 * (`@fastify/static` `preCompressed`), with `Content-Encoding` and `Vary: Accept-Encoding`.
 * Kept even where one comes out larger (a few tiny chunks): every text response is then encoded,
 * which is what the e2e test and Lighthouse check, at a cost of a few bytes.
 */
export function precompress(): Plugin {
  return compression({
    include: /\.(js|mjs|css|html|json|svg|txt)$/,
    threshold: 0,
    skipIfLargerOrEqual: false,
    algorithms: [defineAlgorithm('brotliCompress', {}), defineAlgorithm('gzip', { level: 9 })],
    logLevel: 'silent',
  });
}

interface ManifestExpose {
  name: string;
  path: string;
  assets: { js: { sync: string[]; async: string[] }; css: { sync: string[]; async: string[] } };
}

/**
 * Lists each exposed module's own entry chunk among its `assets.js.sync` in `mf-manifest.json`.
 * `@module-federation/vite` lists the chunks an expose imports but not the small chunk the remote
 * entry imports first, so a host preloading from the manifest would still find that one a round
 * trip late. `exposes` is the federation config's (`'./CatalogPage': './src/app/expose/catalog-page.tsx'`).
 */
export function exposeEntriesInManifest(exposes: Record<string, string>): Plugin {
  return {
    name: 'shop:expose-entries-in-manifest',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const manifest = bundle['mf-manifest.json'];
      if (!manifest || manifest.type !== 'asset') return;
      const parsed = JSON.parse(String(manifest.source)) as { exposes?: ManifestExpose[] };
      for (const expose of parsed.exposes ?? []) {
        const source = exposes[expose.path];
        if (!source) continue;
        const suffix = source.replace(/^\.\//, '/');
        const entry = Object.values(bundle).find(
          (chunk) => chunk.type === 'chunk' && chunk.facadeModuleId?.split('?')[0]?.endsWith(suffix),
        );
        if (entry && !expose.assets.js.sync.includes(entry.fileName)) expose.assets.js.sync.unshift(entry.fileName);
      }
      manifest.source = JSON.stringify(parsed);
    },
  };
}

/**
 * Adds a `<link rel="modulepreload" crossorigin>` to `index.html` for every JavaScript chunk its entry
 * script reaches through static and dynamic imports that the page does not preload yet, so the browser
 * fetches them all while it parses the page instead of finding each one a round trip after the chunk
 * that imports it; a chunk whose file name another reached chunk's code spells out (an import by
 * string, as the federation runtime does) counts as imported. For an app whose dynamic imports all run on its first screen (the shell: its
 * bootstrap, the shared-module loaders, the shared modules it provides as a federation host);
 * an app with lazy routes would fetch those early too. `exclude` names chunk files to leave alone.
 */
export function preloadEveryImport(exclude: (fileName: string) => boolean = () => false): Plugin {
  let base = '/';
  return {
    name: 'shop:preload-every-import',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      if (!page || page.type !== 'asset') return;
      let html = String(page.source);
      // Chunks, and scripts emitted as assets (the federation plugin's bootstrap, which the page loads).
      const scripts = new Map(
        Object.values(bundle).flatMap((item) =>
          item.type === 'chunk'
            ? [[item.fileName, { code: item.code, imports: [...item.imports, ...item.dynamicImports] }] as const]
            : item.fileName.endsWith('.js')
              ? [[item.fileName, { code: String(item.source), imports: [] as string[] }] as const]
              : [],
        ),
      );
      const href = (fileName: string) => `${base}${fileName}`;
      const queue = [...scripts.keys()].filter((file) => html.includes(`"${href(file)}"`));
      const reached = new Set<string>();
      while (queue.length > 0) {
        const file = queue.pop()!;
        const script = scripts.get(file);
        if (!script || reached.has(file)) continue;
        reached.add(file);
        queue.push(...script.imports);
        // The federation plugin's bootstrap and shared-module map import by string (`import("./x-Hash.js")`),
        // which the bundler does not list: a script whose hashed name the code spells out is reached too.
        for (const other of scripts.keys()) if (!reached.has(other) && script.code.includes(other.slice(other.lastIndexOf('/') + 1))) queue.push(other);
      }
      // A shared module built tree-shaken (`treeShaking` in its share config) has two providers: the
      // container of the exports the page uses and the whole package, loaded only by a consumer needing more.
      const treeShaken = [...scripts.keys()].flatMap((file) => /__tree_shaking__(\w+)-/.exec(file)?.[1] ?? []);
      const fullFallback = (file: string) => treeShaken.some((key) => file.includes(`__prebuild__${key}__prebuild__`));
      const tags = [...reached]
        .filter((file) => !exclude(file) && !fullFallback(file) && !html.includes(`"${href(file)}"`))
        .sort()
        .map((file) => `<link rel="modulepreload" crossorigin href="${href(file)}">`);
      if (tags.length === 0) return;
      html = html.includes('</head>') ? html.replace('</head>', `${tags.join('')}</head>`) : `${tags.join('')}${html}`;
      page.source = html;
    },
  };
}

const federationRuntimeId = 'virtual:shop-federation-runtime';

/**
 * The ES module file of `@module-federation/runtime-core` as installed for the app at `root` (a directory).
 * Found through Node's resolution rather than the bundler's: a remote built with `experiments.externalRuntime`
 * has the bundler answer that package's name with the plugin's stand-in, which reads the very global this provides.
 * Throws if the package is not installed.
 */
function runtimeCoreModule(root: string): string {
  const cjs = createRequire(path.join(root, 'package.json')).resolve('@module-federation/runtime-core');
  const marker = `${path.sep}@module-federation${path.sep}runtime-core${path.sep}`;
  const dir = cjs.slice(0, cjs.lastIndexOf(marker) + marker.length);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    exports: { '.': { import: { default: string } } };
  };
  return path.join(dir, pkg.exports['.'].import.default);
}

/**
 * For a remote built with `experiments: { externalRuntime: true }` (its federation code reads the runtime,
 * `@module-federation/runtime-core`, from `globalThis._FEDERATION_RUNTIME_CORE`, which the host publishes
 * with `provideExternalRuntime`): gives the remote's own page, `index.html`, where no host runs, a script that
 * publishes the runtime on that global as the host's does (`runtimeCore.Global._FEDERATION_RUNTIME_CORE`,
 * unless already set). It is its own entry chunk with its own copy of runtime-core, put before every other
 * script of the page: module scripts run in document order, so it has run before the federation plugin's
 * bootstrap starts the remote's host init. A host loading the remote's `remoteEntry.js` never loads it.
 * The dev server's page gets it too. Goes after `federation(...)` in `plugins`.
 */
export function provideFederationRuntime(): Plugin {
  let base = '/';
  let root = process.cwd();
  let ref: string | undefined;
  let build = true;
  return {
    name: 'shop:provide-federation-runtime',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
      root = config.root;
      build = config.command === 'build';
    },
    buildStart() {
      if (build) ref = this.emitFile({ type: 'chunk', id: federationRuntimeId, name: 'federation-runtime' });
    },
    // The dev server: the same module, served by its id, first in the page's head (the federation plugin
    // rewrites the page's own scripts in an earlier, 'pre', pass and leaves this one alone).
    transformIndexHtml() {
      if (build) return undefined;
      return [{ tag: 'script', attrs: { type: 'module', src: `/@id/__x00__${federationRuntimeId}` }, injectTo: 'head-prepend' }];
    },
    resolveId(id) {
      return id === federationRuntimeId ? `\0${federationRuntimeId}` : undefined;
    },
    load(id) {
      if (id !== `\0${federationRuntimeId}`) return undefined;
      return [
        `import * as runtimeCore from ${JSON.stringify(runtimeCoreModule(root))};`,
        'runtimeCore.Global._FEDERATION_RUNTIME_CORE ??= runtimeCore;',
      ].join('\n');
    },
    // After the federation plugin's own pass over index.html, which makes every module script there wait for
    // its host init (its `add-entry` plugin, enforced 'post' too, comes first in `plugins`), and before Vite's
    // post-build plugins, where `precompress()` compresses the page (a hook ordered 'post' would come after that).
    generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      if (!page || page.type !== 'asset' || !ref) return;
      const html = String(page.source);
      const first = html.search(/<script\b/i);
      if (first === -1) throw new Error('provideFederationRuntime: index.html has no script to go before');
      const tag = `<script type="module" crossorigin src="${base}${this.getFileName(ref)}"></script>\n    `;
      page.source = html.slice(0, first) + tag + html.slice(first);
    },
  };
}

/**
 * The Vite config of an app's server-render build: `entry` (a module exporting its server render) as one
 * Node ES module in `dist-ssr/`, with the app's framework `plugins` (`react()`, no federation) and the
 * client build's `css` settings, so the server's HTML carries the class names of the client's CSS. The
 * workspaces' own packages (`@shop/*`, TypeScript sources Node cannot load) are bundled; npm packages stay
 * imports from node_modules, unless `SSR_SELF_CONTAINED=1` (as `npm run release` builds): then they are
 * bundled too (about 2 MB), so a release's bundle loads wherever its folder is kept and renders with the
 * packages it was built with. Its own `outDir`, whatever `--outDir` the client's build is given: the
 * server-render build runs first in `npm run build`, and extra arguments reach the second, the client's.
 */
export function serverRenderConfig({ entry, css, plugins }: { entry: string; css: UserConfig['css']; plugins: PluginOption[] }): UserConfig {
  return {
    plugins,
    css: { modules: css?.modules },
    ssr: { noExternal: process.env.SSR_SELF_CONTAINED === '1' ? true : [/^@shop\//] },
    build: { ssr: entry, outDir: 'dist-ssr', emptyOutDir: true, target: 'node20' },
  };
}

/**
 * The names `code` (JavaScript or TypeScript source) takes from package `pkg` by static import or re-export,
 * `import type` and inline `type` names left out; `*` for a namespace import and `default` for a default
 * import; and `*` for a dynamic `import('pkg')`, which may reach any name.
 */
export function namesImportedFrom(code: string, pkg: string): string[] {
  const quoted = `['"]${pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`;
  const names: string[] = [];
  for (const [, typeOnly, clause = ''] of code.matchAll(new RegExp(`\\b(?:import|export)\\s+(type\\s+)?((?:(?!\\b(?:import|export)\\b)[^;'"])*?)\\s*from\\s*${quoted}`, 'g'))) {
    if (typeOnly) continue;
    const braced = /\{([^}]*)\}/.exec(clause)?.[1];
    if (braced !== undefined) {
      for (const item of braced.split(',').map((part) => part.trim()).filter(Boolean)) {
        if (!item.startsWith('type ')) names.push(item.split(/\s+as\s+/)[0]!);
      }
    }
    const outside = clause.replace(/\{[^}]*\}/, '').replace(/,/g, ' ').trim();
    if (outside.includes('*')) names.push('*');
    else if (outside) names.push('default');
  }
  if (new RegExp(`\\bimport\\s*\\(\\s*${quoted}\\s*\\)`).test(code)) names.push('*');
  return names;
}

/**
 * Fails the build of an app that imports, from a shared module built tree-shaken, a name its
 * `treeShaking.usedExports` in `shared` (default: `sharedModules`) does not list. The federation runtime would
 * otherwise hand that app a second copy of the module on a page where the shell provides the smaller one: a
 * second router, whose context the shell's routes never fill. Goes before `federation(...)` in `plugins`.
 */
export function guardTreeShakenShared(shared: typeof sharedModules = sharedModules): Plugin {
  const lists = Object.entries(shared).flatMap(([pkg, config]) => {
    const usedExports = typeof config === 'object' && 'treeShaking' in config ? config.treeShaking?.usedExports : undefined;
    return usedExports ? [[pkg, new Set(usedExports)] as const] : [];
  });
  return {
    name: 'shop:guard-tree-shaken-shared',
    enforce: 'pre',
    // The federated build only: tests and the server render (its own build) take what they like from the package.
    apply: (_config, { command, isSsrBuild }) => command === 'build' && !isSsrBuild,
    transform(code, id) {
      const file = id.split('?')[0]!;
      // The app's own modules only: packages, and the federation plugin's virtual modules (which take the whole package), are not the app's imports.
      if (!path.isAbsolute(file) || file.includes('/node_modules/') || !/\.[cm]?[jt]sx?$/.test(file)) return;
      for (const [pkg, listed] of lists) {
        const missing = namesImportedFrom(code, pkg).filter((name) => !listed.has(name));
        if (missing.length > 0) {
          this.error(
            `${file} imports ${missing.map((name) => `'${name}'`).join(', ')} from '${pkg}', which the shared modules ` +
              `(frontend-server/src/federation-shared.ts) do not list in its treeShaking.usedExports: add the name there (the shell ` +
              `must be deployed with it before a fragment needing it) or use a listed one.`,
          );
        }
      }
    },
  };
}
