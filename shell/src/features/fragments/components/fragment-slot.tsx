import { lazy, startTransition, Suspense, useContext, useEffect, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { FragmentId } from '../../../config/fragments.ts';
import { isReportedLoadFailure, postFragmentReport, reportLoadFailure } from '../api/post-fragment-report.ts';
import { FIRST_SCREEN_ATTRIBUTE, FirstScreensContext } from '../utils/first-screen.ts';
import { loadFragment } from '../utils/load-fragment.ts';
import { FragmentErrorBoundary } from './fragment-error-boundary.tsx';

// Props are typed at each slot's call site; the loader only knows it got a component.
type AnyComponent = ComponentType<object>;

// One lazy component per fragment, so re-rendering a slot never re-imports it.
const lazyFragments = new Map<FragmentId, LazyExoticComponent<AnyComponent>>();

function lazyFragment(id: FragmentId, fresh = false): LazyExoticComponent<AnyComponent> {
  let component = lazyFragments.get(id);
  if (!component || fresh) {
    component = lazy(async () => ({
      default: await loadFragment<object>(id, { fresh }).catch((error: unknown) => {
        throw reportLoadFailure(id, error);
      }),
    }));
    lazyFragments.set(id, component);
  }
  return component;
}

/** Renders nothing; its effect runs once the slot's content has committed, i.e. the fragment rendered. */
function MountedReport({ id }: { id: FragmentId }) {
  useEffect(() => postFragmentReport(id, 'mounted'), [id]);
  return null;
}

/** A caught error that is not a load failure (reported where the load failed) is the fragment's render error. */
const reportRenderError = (id: FragmentId) => (error: Error) => {
  if (!isReportedLoadFailure(error)) postFragmentReport(id, 'render-error', error);
};

interface Props<P extends object> {
  id: FragmentId;
  props?: P;
  loading: ReactNode;
  fallback: (retry: () => void) => ReactNode;
  resetKey?: unknown;
}

/**
 * A place in the page a fragment fills: its own loading state and its own error boundary. A load that
 * fails or overruns its budget shows `fallback`; its retry loads the fragment afresh. How the fragment
 * fared (mounted, failed to load, threw) is reported to bff-web with its version, once per page load.
 *
 * A slot whose first screen the server put in the page (the fragment server's HTML, see first-screen.ts)
 * renders its fragment at once: while the module loads, React keeps that HTML on screen (a Suspense
 * boundary still to hydrate), then the fragment hydrates it, the same DOM. Any other slot renders
 * `loading` first, as the server did, so the page hydrates; its fragment renders after that.
 */
export function FragmentSlot<P extends object>({ id, props, loading, fallback, resetKey }: Props<P>) {
  const firstScreens = useContext(FirstScreensContext);
  const hasFirstScreen = firstScreens.has(id);
  const [started, setStarted] = useState(hasFirstScreen);
  const [, setAttempt] = useState(0);
  // A transition: the slot's fragment then renders in slices of a few ms, not as one long task.
  useEffect(() => startTransition(() => setStarted(true)), []);
  const reset = () => {
    // A lazy component remembers its failure; a retry needs a fresh one, over a fresh /remotes.json.
    lazyFragment(id, true);
    setAttempt((n) => n + 1);
  };
  // On the server, the fragment's place: its server's HTML goes there (server-render.tsx).
  const Fragment = firstScreens.server ? () => <template {...{ [FIRST_SCREEN_ATTRIBUTE]: id }} /> : lazyFragment(id);
  return (
    <FragmentErrorBoundary fragment={id} resetKey={resetKey} onReset={reset} onError={reportRenderError(id)} fallback={fallback}>
      {started ? (
        <Suspense fallback={loading}>
          <Fragment {...props} />
          <MountedReport id={id} />
        </Suspense>
      ) : (
        // No boundary yet: one showing this as content would hide it, not drop it, for its fallback.
        loading
      )}
    </FragmentErrorBoundary>
  );
}
