import type { createModuleFederationConfig } from '@module-federation/vite';

type SharedModules = NonNullable<Parameters<typeof createModuleFederationConfig>[0]['shared']>;

/**
 * The modules the shell and every fragment share at run time, one copy per page: one React, one router
 * context, one query cache and one live socket, whoever loads first (Module Federation `shared`).
 *
 * Router and query are shared tree-shaken (`runtime-infer`): each build ships, instead of the whole package, a
 * container holding only the names listed here (react-router 62.6 -> 14.1 kB gzip, react-query 19.8 -> 10.4 kB),
 * and the page uses the shell's. The plugin warns that a consumer needing a name the container lacks would
 * get a second copy (a second router, whose context the shell's routes never fill); that cannot happen here:
 * guardTreeShakenShared fails the build of an app importing an unlisted name, and a fragment's release is
 * refused unless the served shell shares each module alike with the names it needs (infra's shared-guard).
 * So a new name is added here and the shell deployed before a fragment using it.
 */
export const sharedModules: SharedModules = {
  react: { singleton: true },
  'react-dom': { singleton: true },
  'react-router': {
    singleton: true,
    treeShaking: {
      mode: 'runtime-infer',
      usedExports: ['BrowserRouter', 'Link', 'Navigate', 'Outlet', 'Route', 'Routes', 'useLocation', 'useNavigate', 'useParams', 'useSearchParams'],
    },
  },
  '@tanstack/react-query': {
    singleton: true,
    treeShaking: {
      mode: 'runtime-infer',
      usedExports: ['QueryClient', 'QueryClientProvider', 'keepPreviousData', 'queryOptions', 'useMutation', 'useQuery', 'useQueryClient'],
    },
  },
  '@shop/live-client': { singleton: true },
};
