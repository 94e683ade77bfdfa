import { startTransition, StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { registerRemotesOnce } from '../features/fragments/utils/load-fragment.ts';
import { inlinedSession, sessionQueryKey, sessionQueryOptions } from '../features/session/api/get-session.ts';
import { queryClient } from './providers.tsx';
import './global.css';

// The session comes first, and fragments render once it is known: they call the API and open the
// live socket straight away, and the socket's cart and user rooms come from the session cookie. Asked
// in parallel, a first visit could start two sessions, and the socket join the wrong one.
// Usually the shell's server has asked already (with the page's cookie, which it set if new) and
// inlined the answer: no round trip at all. Else it is asked here while the fragments' files download
// (the page preloads them); if bff-web is down or slow, fragments render anyway (without retries, and
// after at most SESSION_WAIT_MS).
const SESSION_WAIT_MS = 3000;
const inlined = inlinedSession();
if (inlined) queryClient.setQueryData(sessionQueryKey, inlined);
const sessionSettled = inlined
  ? Promise.resolve()
  : Promise.race([
      queryClient.prefetchQuery({ ...sessionQueryOptions(), retry: false }),
      new Promise((resolve) => setTimeout(resolve, SESSION_WAIT_MS)),
    ]);

// Register the remotes (inlined in the page, else /remotes.json) while React renders the layout; a failure surfaces in the slots.
registerRemotesOnce(sessionSettled).catch(() => {});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const app = (
  <StrictMode>
    <App />
  </StrictMode>
);
// The shell's server rendered the page (server-render.tsx) unless its render was unavailable. Its HTML is
// already on screen, so hydrating it is not urgent: as a transition React hydrates in slices of a few ms
// and the page keeps answering input meanwhile, instead of one task of tens of ms (on a phone, hundreds).
if (root.firstElementChild) startTransition(() => void hydrateRoot(root, app));
else createRoot(root).render(app);
