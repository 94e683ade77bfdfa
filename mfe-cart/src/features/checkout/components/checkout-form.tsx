import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { paths } from '../../../config/app.ts';
import { ApiRequestError, isSignInRequired } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { hasMessages, missingFields, splitFieldMessages } from '../../../lib/form-errors.ts';
import { sessionQueryKey } from '../../../lib/session.ts';
import { TextField } from '../../../components/text-field.tsx';
import { SelectField } from '../../../components/select-field.tsx';
import { usePlaceOrder } from '../api/place-order.ts';
import {
  checkoutFields,
  countries,
  emptyCheckout,
  idempotencyKeyAfter,
  requiredCheckoutFields,
  toCheckoutBody,
  type CheckoutField,
  type CheckoutValues,
} from '../utils/checkout-form.ts';
import styles from './checkout-page.module.css';

type Messages = Partial<Record<CheckoutField, string>>;

const newKey = () => crypto.randomUUID();

/** Shipping address and card. Each field shows its own message, from this form or from the server's FormError. */
export function CheckoutForm() {
  const [values, setValues] = useState<CheckoutValues>(emptyCheckout);
  const [missing, setMissing] = useState<Messages>({});
  // Fields changed since the server judged them: its old message no longer applies.
  const [edited, setEdited] = useState<ReadonlySet<CheckoutField>>(new Set());
  const idempotencyKey = useRef<string>(newKey());
  const place = usePlaceOrder();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const failure = place.error;
  const server =
    failure instanceof ApiRequestError ? splitFieldMessages(failure.fields, checkoutFields) : { byField: {} as Messages, other: [] };
  const messageFor = (field: CheckoutField) => missing[field] ?? (edited.has(field) ? undefined : server.byField[field]);

  const field = (name: CheckoutField) => ({
    name,
    value: values[name],
    error: messageFor(name),
    onChange: (value: string) => {
      setValues((current) => ({ ...current, [name]: value }));
      setMissing(({ [name]: _gone, ...rest }) => rest as Messages);
      setEdited((current) => new Set(current).add(name));
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (place.isPending) return;
    const empty = missingFields(values, requiredCheckoutFields);
    setMissing(empty);
    if (hasMessages(empty)) return;
    setEdited(new Set());
    place.mutate(
      { body: toCheckoutBody(values), idempotencyKey: idempotencyKey.current },
      {
        onSuccess: ({ orderId }) => navigate(paths.order(orderId)),
        onError: (error) => {
          idempotencyKey.current = idempotencyKeyAfter(idempotencyKey.current, error, newKey);
          // Signed out meanwhile (another tab, or the session expired): the page asks to sign in again.
          if (isSignInRequired(error)) void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
        },
      },
    );
  }

  const fieldErrors = hasMessages(missing) || hasMessages(server.byField);
  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-labelledby="checkout-form-heading">
      <h2 id="checkout-form-heading" className={styles.hiddenHeading}>
        Shipping and payment
      </h2>
      {place.isError || hasMessages(missing) ? (
        <div className={styles.alert} role="alert">
          {failure instanceof ApiRequestError && failure.code === 'WEB_CART_EMPTY' ? (
            <p>
              Your cart is empty. <Link to={paths.catalog}>Find something to order</Link>.
            </p>
          ) : fieldErrors ? (
            <p>Please check the fields marked below.</p>
          ) : (
            <p>{errorMessage(failure)}</p>
          )}
          {server.other.length > 0 ? (
            <ul>
              {server.other.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>Shipping address</legend>
        <TextField label="Full name" autoComplete="name" {...field('shippingAddress/name')} />
        <TextField label="Address" autoComplete="address-line1" {...field('shippingAddress/line1')} />
        <div className={styles.row}>
          <TextField label="Postal code" autoComplete="postal-code" {...field('shippingAddress/postalCode')} />
          <TextField label="City" autoComplete="address-level2" {...field('shippingAddress/city')} />
        </div>
        <SelectField label="Country" options={countries} {...field('shippingAddress/country')} />
      </fieldset>

      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>Card</legend>
        <TextField label="Card number" autoComplete="cc-number" inputMode="numeric" {...field('payment/cardNumber')} />
        <div className={styles.row}>
          <TextField label="Expiry" autoComplete="cc-exp" hint="MM/YY" {...field('payment/expiry')} />
          <TextField label="Security code" autoComplete="cc-csc" inputMode="numeric" {...field('payment/cvc')} />
        </div>
      </fieldset>

      <button type="submit" className={styles.submit} aria-disabled={place.isPending}>
        Place order
      </button>
      {place.isPending ? (
        <p className={styles.pending} role="status">
          Placing your order…
        </p>
      ) : null}
    </form>
  );
}
