import { Link } from 'react-router';
import { useProduct } from '../api/get-product.ts';
import { useLiveProducts } from '../../../hooks/use-live-products.ts';
import { isNotFound } from '../../../lib/api-client.ts';
import { DegradedNotice } from '../../../components/degraded-notice.tsx';
import { Price } from '../../../components/price.tsx';
import { StockStatus } from '../../../components/stock-status.tsx';
import { AddToCartSlot } from '../../../components/add-to-cart-slot.tsx';
import { Loading, LoadError } from '../../../components/query-states.tsx';
import styles from './product-page.module.css';

export function ProductPage({ sku }: { sku: string }) {
  const detail = useProduct(sku);
  const live = useLiveProducts(detail.data ? [detail.data.product.sku] : [], () => void detail.refetch());

  if (detail.isPending) return <Loading label="Loading product…" />;
  if (detail.isError) {
    if (isNotFound(detail.error)) {
      return (
        <section className={styles.missing}>
          <h1>Product not found</h1>
          <p>There is no product with the number {sku}.</p>
          <Link to="/">Back to all products</Link>
        </section>
      );
    }
    return <LoadError title="The product could not be loaded." error={detail.error} onRetry={() => void detail.refetch()} />;
  }

  const product = live(detail.data.product);
  return (
    <section className={styles.page} aria-labelledby="product-heading" data-sku={product.sku}>
      <nav className={styles.crumbs}>
        <Link to="/">All products</Link> › <Link to={`/?category=${encodeURIComponent(product.category)}`}>{product.category}</Link>
      </nav>
      <DegradedNotice degraded={detail.data.degraded} />
      <div className={styles.layout}>
        <img className={styles.image} src={product.image} alt={product.name} width={480} height={480} fetchPriority="high" />
        <div className={styles.info}>
          <h1 id="product-heading" className={styles.name}>
            {product.name}
          </h1>
          <p className={styles.sku}>Item {product.sku}</p>
          <Price price={product.price} large />
          <div aria-live="polite">
            <StockStatus stock={product.stock} />
          </div>
          <AddToCartSlot sku={product.sku} name={product.name} stock={product.stock} />
          <p className={styles.description}>{product.description}</p>
        </div>
      </div>
    </section>
  );
}
