import { Component, type ReactNode } from 'react';

/**
 * Keeps one failing part (a column whose query failed, a thread) from taking
 * the whole board down. `fallback` gets a reset that renders the children again.
 */
interface Props {
  fallback: (reset: () => void) => ReactNode;
  children: ReactNode;
}
interface State {
  failed: boolean;
}

export class ErrorBoundary extends Component<Props, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  componentDidCatch(error: unknown): void {
    console.error(error);
  }

  private readonly reset = () => this.setState({ failed: false });

  render(): ReactNode {
    return this.state.failed ? this.props.fallback(this.reset) : this.props.children;
  }
}
