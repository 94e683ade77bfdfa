import { config } from '../../../config/app.ts';
import { parseRemotes, type RemotesFile } from '../utils/parse-remotes.ts';

/**
 * Fetched once per page load, outside React: the fragment loader needs it before any slot renders,
 * and it never changes during a page's life. Hence no react-query here.
 */
export async function getRemotes(signal?: AbortSignal): Promise<RemotesFile> {
  const response = await fetch(config.remotesUrl, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) throw new Error(`${config.remotesUrl} answered ${response.status}`);
  return parseRemotes(await response.json());
}
