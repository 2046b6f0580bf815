import type { NotificationKind } from '../../core/notifications.ts';

/** A member proposed an exchange with you: it counts once you confirm it. */
export const waitingForYou: NotificationKind = {
  kind: 'time-bank.waiting-for-you',
  label: 'time-bank.notifications.waitingForYou.label',
  message: 'time-bank.notifications.waitingForYou.message',
  defaultDelivery: 'page',
};

export const timeBankNotifications = [waitingForYou];
