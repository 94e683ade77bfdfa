import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { registerRemotesOnce } from '../features/fragments/utils/load-fragment.ts';
import './global.css';

// Start fetching /remotes.json while React renders the layout; a failure surfaces in the slots.
registerRemotesOnce().catch(() => {});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
