import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Resident memory of the processes behind a part, read from Linux's /proc. */
export interface PartMemory {
  pid: number;
  /** RSS of the server process alone, in bytes. */
  rss: number;
  /** RSS of the processes it started (tsx's esbuild service, …), in bytes. */
  childrenRss: number;
  children: string[];
}

/** The pid listening on `port` (TCP, any address), from `ss`; undefined when none is found or ss is missing. */
export function listenerPid(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const rssOf = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
};

function processes(): { pid: number; ppid: number; name: string }[] {
  const all: { pid: number; ppid: number; name: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      all.push({ pid: Number(entry), ppid, name });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

/** The memory of the process listening on `port` and of its descendants; undefined when nothing listens there. */
export function partMemory(port: number): PartMemory | undefined {
  const pid = listenerPid(port);
  if (pid === undefined) return undefined;
  const all = processes();
  const descendants: { pid: number; name: string }[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of all) if (p.ppid === parent) { descendants.push(p); queue.push(p.pid); }
  }
  let childrenRss = 0;
  for (const d of descendants) {
    try { childrenRss += rssOf(d.pid); } catch { /* gone */ }
  }
  return { pid, rss: rssOf(pid), childrenRss, children: descendants.map((d) => d.name) };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
