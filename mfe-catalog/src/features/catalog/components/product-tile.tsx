import { memo } from 'react';
import { Link } from 'react-router';
import type { WebProduct } from '@shop/contracts/api/web';
import { Price } from '../../../components/price.tsx';
import { StockStatus } from '../../../components/stock-status.tsx';
import { AddToCartSlot } from '../../../components/add-to-cart-slot.tsx';
import styles from './product-tile.module.css';

export function productPath(sku: string): string {
  return `/products/${encodeURIComponent(sku)}`;
}

/**
 * The id of a tile's heading, from its sku (unique on a page): the same wherever the tile is rendered,
 * so the fragment's server HTML equals the browser's render of it (React's useId differs between a
 * server render and a browser's fresh one). Characters an id list cannot hold become `_`.
 */
export function tileHeadingId(sku: string): string {
  return `product-${sku.replace(/[^A-Za-z0-9_-]/g, '_')}-name`;
}

/**
 * One product. `first` marks the page's first tile, whose image is the likeliest largest paint: it is
 * loaded at once and first (the shell's server preloads it too); the others wait until they scroll near.
 * Memoized: the page re-renders when its fetch starts or ends (aria-busy), a tile only when its product does.
 */
export const ProductTile = memo(function ProductTile({ product, first = false }: { product: WebProduct; first?: boolean }) {
  const headingId = tileHeadingId(product.sku);
  return (
    <article className={styles.tile} aria-labelledby={headingId} data-sku={product.sku}>
      <Link to={productPath(product.sku)} className={styles.imageLink} tabIndex={-1} aria-hidden="true">
        <img
          className={styles.image}
          src={product.image}
          alt=""
          loading={first ? 'eager' : 'lazy'}
          fetchPriority={first ? 'high' : 'auto'}
          width={240}
          height={240}
        />
      </Link>
      <h2 id={headingId} className={styles.name}>
        <Link to={productPath(product.sku)}>{product.name}</Link>
      </h2>
      <div className={styles.meta}>
        <Price price={product.price} />
        <StockStatus stock={product.stock} />
      </div>
      <AddToCartSlot sku={product.sku} name={product.name} stock={product.stock} />
    </article>
  );
});
