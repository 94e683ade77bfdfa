import { Link } from 'react-router';
import type { WebCartLine } from '@shop/contracts/api/web';
import { displayText } from '@shop/contracts/format-price';
import { errorMessage } from '../../../lib/error-message.ts';
import { useSetCartLine } from '../api/set-cart-line.ts';
import hidden from '../../../components/visually-hidden.module.css';
import styles from './cart-page.module.css';

const productPath = (sku: string) => `/products/${encodeURIComponent(sku)}`;

/** One line: its quantity can go up and down (a refusal, such as too few in stock, shows in the line). */
export function CartLineRow({ line }: { line: WebCartLine }) {
  const setLine = useSetCartLine();
  const busy = setLine.isPending;
  const change = (quantity: number) => {
    if (!busy) setLine.mutate({ sku: line.sku, quantity });
  };
  return (
    <tr data-sku={line.sku} aria-busy={busy}>
      <th scope="row" className={styles.product}>
        <Link to={productPath(line.sku)}>{line.name}</Link>
      </th>
      <td className={styles.money}>{displayText(line.unitPrice)}</td>
      <td>
        <div className={styles.quantity}>
          <button
            type="button"
            className={styles.step}
            aria-label={`One less ${line.name}`}
            aria-disabled={busy || line.quantity <= 1}
            onClick={() => line.quantity > 1 && change(line.quantity - 1)}
          >
            −
          </button>
          <span className={styles.count} aria-label={`Quantity of ${line.name}`}>
            {line.quantity}
          </span>
          <button
            type="button"
            className={styles.step}
            aria-label={`One more ${line.name}`}
            aria-disabled={busy}
            onClick={() => change(line.quantity + 1)}
          >
            +
          </button>
        </div>
        {setLine.isError ? (
          <p className={styles.lineError} role="alert">
            {errorMessage(setLine.error)}
          </p>
        ) : null}
      </td>
      <td className={styles.money}>{displayText(line.lineTotal)}</td>
      <td>
        <button type="button" className={styles.remove} aria-disabled={busy} onClick={() => change(0)}>
          Remove<span className={hidden.hidden}> {line.name}</span>
        </button>
      </td>
    </tr>
  );
}
