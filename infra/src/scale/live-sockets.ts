/**
 * How many live sockets one bff-web instance holds: its `live_sockets` gauge (namespace `/`) read from
 * `GET /metrics` on 127.0.0.1:`port` within 2 s. Returns 0 when the gauge is absent, null when the
 * instance does not answer (e.g. it was killed). Never throws.
 */
export async function liveSocketsOn(port: number): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    const line = text.split('\n').find((l) => l.startsWith('live_sockets{') && l.includes('namespace="/"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  } catch {
    return null;
  }
}
