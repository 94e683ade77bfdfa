import {
  lazy,
  startTransition,
  Suspense,
  useContext,
  useEffect,
  useState,
  type ComponentType,
  type LazyExoticComponent,
  type ReactNode,
} from 'react';
import type { FragmentId } from '../../../config/fragments.ts';
import { isReportedLoadFailure, postFragmentReport, reportLoadFailure } from '../api/post-fragment-report.ts';
import { FIRST_SCREEN_ATTRIBUTE, FirstScreensContext } from '../utils/first-screen.ts';
import { loadFragment } from '../utils/load-fragment.ts';
import { FragmentErrorBoundary } from './fragment-error-boundary.tsx';
import styles from './fragment-slot.module.css';

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
 * The server renders a slot as its first screen (the fragment server's HTML, see first-screen.ts) or as
 * `loading`, and so does the browser's first render, which hydrates it; the fragment itself renders
 * only after that; a first screen stays on screen until the fragment's module has loaded and takes
 * its place.
 */
export function FragmentSlot<P extends object>({ id, props, loading, fallback, resetKey }: Props<P>) {
  const firstScreens = useContext(FirstScreensContext);
  const [firstScreen] = useState(() => firstScreens(id));
  const [started, setStarted] = useState(false);
  const [, setAttempt] = useState(0);
  useEffect(() => {
    // A transition keeps the first screen up while the module loads; a slot with none shows its
    // loading state as the fallback, urgently, so its wait never holds another slot's transition.
    if (firstScreen === undefined) setStarted(true);
    else startTransition(() => setStarted(true));
  }, [firstScreen]);
  const reset = () => {
    // A lazy component remembers its failure; a retry needs a fresh one, over a fresh /remotes.json.
    lazyFragment(id, true);
    setAttempt((n) => n + 1);
  };
  const Fragment = lazyFragment(id);
  const before =
    firstScreen === undefined ? (
      loading
    ) : (
      <div className={styles.firstScreen} {...{ [FIRST_SCREEN_ATTRIBUTE]: id }} dangerouslySetInnerHTML={{ __html: firstScreen }} />
    );
  return (
    <FragmentErrorBoundary fragment={id} resetKey={resetKey} onReset={reset} onError={reportRenderError(id)} fallback={fallback}>
      <Suspense fallback={loading}>
        {started ? (
          <>
            <Fragment {...props} />
            <MountedReport id={id} />
          </>
        ) : (
          before
        )}
      </Suspense>
    </FragmentErrorBoundary>
  );
}
