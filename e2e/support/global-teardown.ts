import { stopOwnProcesses } from './own-processes.ts';

/** Stops the servers the specs started in place of the launcher's, before the system itself stops. */
export default async function globalTeardown(): Promise<void> {
  await stopOwnProcesses();
}
