import { Link, useLocation, useParams } from 'react-router';
import { notFoundPage, pages, type PageDefinition } from '../config/pages.ts';
import { useDocumentHead } from '../lib/use-document-head.ts';
import { FragmentSlot } from '../features/fragments/components/fragment-slot.tsx';
import { SlotLoading, SlotUnavailable } from './fragment-fallbacks.tsx';

/** The shop's pages (src/config/pages.ts), in the order the router lists them. */
export const fragmentRoutes = pages;
export type FragmentRouteDefinition = PageDefinition;

/** The content of one fragment route: its slot, given the route's parameter. */
export function FragmentRoute({ route }: { route: FragmentRouteDefinition }) {
  const params = useParams();
  const { key } = useLocation();
  const value = route.param ? (params[route.param] ?? '') : undefined;
  useDocumentHead(route.title, route.description);
  return (
    <FragmentSlot
      id={route.fragment}
      props={route.param ? { [route.param]: value } : undefined}
      resetKey={route.param ? value : key}
      loading={<SlotLoading label={route.loading} />}
      fallback={(retry) => <SlotUnavailable message={route.unavailable} retry={retry} />}
    />
  );
}

export function NotFoundRoute() {
  useDocumentHead(notFoundPage.title, notFoundPage.description);
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">See all products</Link>.
      </p>
    </section>
  );
}
