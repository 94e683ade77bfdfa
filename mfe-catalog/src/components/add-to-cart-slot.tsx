import { Component, lazy, Suspense, type ComponentType, type ErrorInfo, type LazyExoticComponent, type ReactNode } from 'react';
import type { WebStock } from '@shop/contracts/api/web';
import { config } from '../config/app.ts';
import { useInBrowser } from '../hooks/use-in-browser.ts';
import { isSoldOut, SOLD_OUT_REASON } from '../lib/stock-label.ts';
import { loadRemoteComponent } from '../lib/federation.ts';
import styles from './add-to-cart-slot.module.css';

/** What `mfe_cart/AddToCart` takes. */
interface AddToCartProps {
  sku: string;
  name: string;
  /** Why it cannot be added now; the button is then disabled and shows it. */
  unavailable?: string;
}

// One lazy component for every tile; after a failure the next mount (a new page) tries again.
let AddToCart: LazyExoticComponent<ComponentType<AddToCartProps>> | undefined;
function lazyAddToCart() {
  AddToCart ??= lazy(async () => ({ default: await loadRemoteComponent<AddToCartProps>(config.addToCartModule) }));
  return AddToCart;
}

class CartFragmentBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    AddToCart = undefined;
    console.warn(`${config.addToCartModule} is unavailable; products are shown without it`, error, info.componentStack);
  }

  override render() {
    // Without the cart fragment the product is still worth showing: no button, nothing else lost.
    return this.state.failed ? null : this.props.children;
  }
}

// The button is another fragment, loaded through the page's federation runtime: a server render has
// no such runtime (and must not start a load), so its slot stays empty, as in the browser's first
// render until the button has loaded.
/** The checkout team's "Add to cart" inside this team's tile, loaded at run time; absent if it cannot load. */
export function AddToCartSlot({ sku, name, stock }: Omit<AddToCartProps, 'unavailable'> & { stock: WebStock | null }) {
  const inBrowser = useInBrowser();
  if (!inBrowser) return <div className={styles.slot} />;
  const Button = lazyAddToCart();
  const unavailable = isSoldOut(stock) ? SOLD_OUT_REASON : undefined;
  return (
    <div className={styles.slot}>
      <CartFragmentBoundary>
        <Suspense fallback={null}>
          <Button sku={sku} name={name} unavailable={unavailable} />
        </Suspense>
      </CartFragmentBoundary>
    </div>
  );
}
