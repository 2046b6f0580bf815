import type { NotificationKind } from '../../core/notifications.ts';

/** A request to spend from the budget was agreed, not agreed, or a lead asked a question about it. */
export const requestNews: NotificationKind = {
  kind: 'personal-budget.request-news',
  label: 'personal-budget.notifications.requestNews.label',
  message: 'personal-budget.notifications.requestNews.message',
  defaultDelivery: 'page',
};

export const personalBudgetNotifications = [requestNews];
