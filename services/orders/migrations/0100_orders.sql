-- Up Migration
CREATE TABLE orders (
  id                uuid        PRIMARY KEY,
  customer_id       text        NOT NULL,
  -- A retry of the same checkout (same customer, same key) finds this order instead of placing another.
  idempotency_key   text        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('placed', 'reserved', 'paid', 'confirmed', 'rejected', 'cancelled')),
  reason            text,
  -- The order as placed: [{sku, name, quantity, unitPrice: {amount, currency}, lineTotal: {…}}]; never changes.
  lines             jsonb       NOT NULL,
  total_amount      integer     NOT NULL CHECK (total_amount >= 0),
  currency          text        NOT NULL,
  shipping_address  jsonb       NOT NULL,
  payment_method_id uuid        NOT NULL,
  -- Bumped on every status change and carried by order.status.changed, so views drop stale updates.
  version           integer     NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- When the current step has waited too long (the sweeper moves the order on); null once the order is final.
  deadline_at       timestamptz,
  UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC, id DESC);
CREATE INDEX orders_overdue ON orders (deadline_at) WHERE deadline_at IS NOT NULL;

-- Every status an order has had, for the order page's timeline.
CREATE TABLE order_history (
  order_id uuid        NOT NULL REFERENCES orders (id),
  version  integer     NOT NULL,
  status   text        NOT NULL,
  reason   text,
  at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, version)
);

-- Down Migration
DROP TABLE order_history;
DROP TABLE orders;
