import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './layout.tsx';
import { ShellProviders } from './providers.tsx';
import { FragmentRoute, fragmentRoutes, NotFoundRoute } from './routes.tsx';

/** The shop's routes under its layout; each route's content is a fragment slot. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        {fragmentRoutes.map((route) => {
          // Keyed per route: moving between two pages mounts a new slot, as separate components did.
          const element = <FragmentRoute key={route.path} route={route} />;
          return route.path === '' ? (
            <Route key={route.path} index element={element} />
          ) : (
            <Route key={route.path} path={route.path} element={element} />
          );
        })}
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}

/** The shell in the browser: the same routes the server renders (server-render.tsx), on the browser's history. */
export function App() {
  return (
    <ShellProviders>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </ShellProviders>
  );
}
