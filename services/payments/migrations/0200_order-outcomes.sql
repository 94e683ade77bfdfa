-- Up Migration
-- Payments' own view of how each order ended, from orders' events: a charge is refused for an order
-- already cancelled, and an authorization that lands for one is voided.
CREATE TABLE order_outcomes (
  order_id   text        PRIMARY KEY,
  status     text        NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
  at         timestamptz NOT NULL DEFAULT now()
);

-- voided: authorized, then undone at the provider because the order was cancelled.
-- order-cancelled: refused without asking the provider, the order being cancelled already.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('pending', 'authorized', 'declined', 'voided'));
ALTER TABLE payments DROP CONSTRAINT payments_decline_reason_check;
ALTER TABLE payments ADD CONSTRAINT payments_decline_reason_check CHECK (decline_reason IN ('declined', 'timeout', 'order-cancelled'));

-- Down Migration
UPDATE payments SET status = 'authorized' WHERE status = 'voided';
UPDATE payments SET decline_reason = 'declined' WHERE decline_reason = 'order-cancelled';
ALTER TABLE payments DROP CONSTRAINT payments_decline_reason_check;
ALTER TABLE payments ADD CONSTRAINT payments_decline_reason_check CHECK (decline_reason IN ('declined', 'timeout'));
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('pending', 'authorized', 'declined'));
DROP TABLE order_outcomes;
