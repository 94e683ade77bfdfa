import { lazy, Suspense, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { FragmentId } from '../../../config/fragments.ts';
import { loadFragment } from '../utils/load-fragment.ts';
import { FragmentErrorBoundary } from './fragment-error-boundary.tsx';

// Props are typed at each slot's call site; the loader only knows it got a component.
type AnyComponent = ComponentType<object>;

// One lazy component per fragment, so re-rendering a slot never re-imports it.
const lazyFragments = new Map<FragmentId, LazyExoticComponent<AnyComponent>>();

function lazyFragment(id: FragmentId, fresh = false): LazyExoticComponent<AnyComponent> {
  let component = lazyFragments.get(id);
  if (!component || fresh) {
    component = lazy(async () => ({ default: await loadFragment(id, { fresh }) }));
    lazyFragments.set(id, component);
  }
  return component;
}

interface Props<P extends object> {
  id: FragmentId;
  props?: P;
  loading: ReactNode;
  fallback: (retry: () => void) => ReactNode;
  resetKey?: unknown;
}

/**
 * A place in the page a fragment fills: its own loading state and its own error boundary. A load that
 * fails or overruns its budget shows `fallback`; its retry loads the fragment afresh.
 */
export function FragmentSlot<P extends object>({ id, props, loading, fallback, resetKey }: Props<P>) {
  const [, setAttempt] = useState(0);
  const Fragment = lazyFragment(id);
  const reset = () => {
    // A lazy component remembers its failure; a retry needs a fresh one, over a fresh /remotes.json.
    lazyFragment(id, true);
    setAttempt((n) => n + 1);
  };
  return (
    <FragmentErrorBoundary fragment={id} resetKey={resetKey} onReset={reset} fallback={fallback}>
      <Suspense fallback={loading}>
        <Fragment {...props} />
      </Suspense>
    </FragmentErrorBoundary>
  );
}
