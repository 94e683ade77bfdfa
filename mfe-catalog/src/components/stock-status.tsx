import type { WebStock } from '@shop/contracts/api/web';
import { stockLabel } from '../lib/stock-label.ts';
import styles from './stock-status.module.css';

export function StockStatus({ stock }: { stock: WebStock | null }) {
  const status = stock?.status ?? 'unknown';
  return (
    <p className={`${styles.stock} ${styles[status] ?? ''}`} data-testid="stock" data-status={status}>
      {stockLabel(stock)}
    </p>
  );
}
