import type { Order } from '@shop/contracts/api/orders';
import { formatPrice } from '@shop/contracts/format-price';
import styles from './order-page.module.css';

export function OrderLines({ lines, total }: Pick<Order, 'lines' | 'total'>) {
  return (
    <table className={styles.lines}>
      <caption className={styles.caption}>Items</caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col" className={styles.number}>
            Quantity
          </th>
          <th scope="col" className={styles.number}>
            Unit price
          </th>
          <th scope="col" className={styles.number}>
            Line total
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.sku}>
            <th scope="row">{line.name}</th>
            <td className={styles.number}>{line.quantity}</td>
            <td className={styles.number}>{formatPrice(line.unitPrice)}</td>
            <td className={styles.number}>{formatPrice(line.lineTotal)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3} className={styles.number}>
            Total
          </th>
          <td className={`${styles.number} ${styles.total}`}>{formatPrice(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
