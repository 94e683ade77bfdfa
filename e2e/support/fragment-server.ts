import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Stops, rebuilds and starts one fragment's server the way its team would deploy it, alone. */

export const MFE_CATALOG_DIR = fileURLToPath(new URL('../../mfe-catalog', import.meta.url));

/** Stops whatever serves the port (the fragment server `npm start` launched) and waits until it is gone. */
export async function stopServerOn(port: number): Promise<void> {
  try {
    execFileSync('fuser', ['-k', '-TERM', `${port}/tcp`], { stdio: 'ignore' });
  } catch {
    return; // nothing listened
  }
  for (let i = 0; i < 100; i++) {
    if (!(await answers(`http://localhost:${port}/health`))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server on port ${port} did not stop`);
}

export async function buildFragment(dir: string, outDir: string, release: string): Promise<void> {
  await promisify(execFile)('npx', ['vite', 'build', '--configLoader', 'runner', '--outDir', outDir, '--emptyOutDir'], {
    cwd: dir,
    env: { ...process.env, VITE_RELEASE: release },
  });
}

export async function startFragmentServer(dir: string, port: number, distDir?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...(distDir ? { DIST_DIR: distDir } : {}) },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    if (await answers(`http://localhost:${port}/ready`)) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`the fragment server in ${dir} did not become ready on port ${port}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}
