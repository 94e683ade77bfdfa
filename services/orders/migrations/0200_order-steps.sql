-- Up Migration
-- A compensation recorded on the timeline after the order settled, by the event that did it; its
-- status column repeats the order's status, which the step leaves as it was.
ALTER TABLE order_history ADD COLUMN step text CHECK (step IN ('payment.voided'));

-- Down Migration
ALTER TABLE order_history DROP COLUMN step;
