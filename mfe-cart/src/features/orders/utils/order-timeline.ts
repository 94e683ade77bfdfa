import type { Order, OrderStatus, OrderStep } from '@shop/contracts/api/orders';
import type { OrderStatusUpdate } from '@shop/contracts/live';

/** The way an order goes when all is well. */
export const happyPath: readonly OrderStatus[] = ['placed', 'reserved', 'paid', 'confirmed'];

export const statusLabels: Record<OrderStatus, string> = {
  placed: 'Placed',
  reserved: 'Reserved',
  paid: 'Paid',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

/** Compensations shown on the timeline after the order settled (they leave its status as it was). */
export const stepLabels: Record<OrderStep, string> = {
  'payment.voided': 'Payment voided',
};

/** One sentence on where the order stands, for the top of the order page. */
export const statusSentences: Record<OrderStatus, string> = {
  placed: 'We have your order and are reserving the items.',
  reserved: 'Your items are reserved. Taking payment…',
  paid: 'Payment accepted. Confirming your order…',
  confirmed: 'Your order is confirmed.',
  rejected: 'Your order could not be placed.',
  cancelled: 'Your order was cancelled.',
};

export const isFailed = (status: OrderStatus): boolean => status === 'rejected' || status === 'cancelled';
export const isFinal = (status: OrderStatus): boolean => status === 'confirmed' || isFailed(status);

export interface TimelineStep {
  status: OrderStatus;
  /** Set on a compensation (e.g. a voided payment); unique per timeline like a status. */
  step?: OrderStep;
  label: string;
  state: 'done' | 'failed' | 'upcoming';
  at?: string;
  reason?: string;
}

type OrderProgress = Pick<Order, 'status' | 'reason' | 'history'>;

/**
 * What happened to the order, in order, then the steps still ahead of it on the happy path.
 * The current status may not be in the history yet (a live update can arrive before the refetch).
 */
export function timeline(order: OrderProgress): TimelineStep[] {
  const steps: TimelineStep[] = [];
  const seen = new Set<OrderStatus>();
  const happened = (status: OrderStatus, at?: string, reason?: string) => {
    if (seen.has(status)) return;
    seen.add(status);
    steps.push({
      status,
      label: statusLabels[status],
      state: isFailed(status) ? 'failed' : 'done',
      ...(at ? { at } : {}),
      ...(reason ? { reason } : {}),
    });
  };
  for (const change of order.history) {
    if (!change.step) {
      happened(change.status, change.at, change.reason);
    } else if (!steps.some((s) => s.step === change.step)) {
      steps.push({ status: change.status, step: change.step, label: stepLabels[change.step], state: 'done', at: change.at, ...(change.reason ? { reason: change.reason } : {}) });
    }
  }
  happened(order.status, undefined, order.reason);
  if (isFailed(order.status)) {
    const failed = steps.find((step) => step.status === order.status && !step.step);
    if (failed && !failed.reason && order.reason) failed.reason = order.reason;
  }
  if (!isFinal(order.status)) {
    const next = happyPath.indexOf(order.status) + 1;
    for (const status of happyPath.slice(next)) {
      if (!seen.has(status)) steps.push({ status, label: statusLabels[status], state: 'upcoming' });
    }
  }
  return steps;
}

/**
 * Lays a live `order:status` over the order shown, if it is about this order and newer; returns the
 * same object otherwise, so callers can tell nothing changed.
 */
export function applyOrderStatus<T extends Pick<Order, 'id' | 'status' | 'reason' | 'history' | 'version'>>(
  order: T,
  update: OrderStatusUpdate,
  now: () => string = () => new Date().toISOString(),
): T {
  if (update.orderId !== order.id || update.version <= order.version) return order;
  const last = order.history.at(-1);
  const history =
    last?.status === update.status
      ? order.history
      : [...order.history, { status: update.status, at: now(), ...(update.reason ? { reason: update.reason } : {}) }];
  return { ...order, status: update.status, reason: update.reason ?? order.reason, version: update.version, history };
}

/** Order ids are UUIDs; shoppers get the first block, as on a receipt. */
export function shortOrderId(orderId: string): string {
  return orderId.slice(0, 8).toUpperCase();
}
