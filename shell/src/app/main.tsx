import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { registerRemotesOnce } from '../features/fragments/utils/load-fragment.ts';
import { sessionQueryOptions } from '../features/session/api/get-session.ts';
import { queryClient } from './providers.tsx';
import './global.css';

// The session is asked for first, and fragments render once it has answered: they call the API and
// open the live socket straight away, and the socket's cart and user rooms come from the session
// cookie. Asked in parallel, a first visit could start two sessions, and the socket join the wrong one.
// Their files download meanwhile (the page preloads them), so it costs no extra round trip; if
// bff-web is down or slow, fragments render anyway (without retries, and after at most SESSION_WAIT_MS).
const SESSION_WAIT_MS = 3000;
const sessionSettled = Promise.race([
  queryClient.prefetchQuery({ ...sessionQueryOptions(), retry: false }),
  new Promise((resolve) => setTimeout(resolve, SESSION_WAIT_MS)),
]);

// Register the remotes (inlined in the page, else /remotes.json) while React renders the layout; a failure surfaces in the slots.
registerRemotesOnce(sessionSettled).catch(() => {});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
