import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  fragment: string;
  /** When this changes (e.g. on navigation) a failed slot tries again. */
  resetKey?: unknown;
  onReset: () => void;
  /** Called with each error it catches (a load failure or a render error), after logging it. */
  onError?: (error: Error) => void;
  fallback: (retry: () => void) => ReactNode;
  children: ReactNode;
}

interface State {
  failed: boolean;
}

/** Contains one fragment's failure (load or render) to its own slot. */
export class FragmentErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`fragment ${this.props.fragment} failed`, error, info.componentStack);
    this.props.onError?.(error);
  }

  override componentDidUpdate(previous: Props): void {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.retry();
  }

  retry = (): void => {
    this.props.onReset();
    this.setState({ failed: false });
  };

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(this.retry) : this.props.children;
  }
}
