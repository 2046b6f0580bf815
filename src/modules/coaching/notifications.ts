import type { NotificationKind } from '../../core/notifications.ts';

/** What coaching tells people of: on the page by default, so nobody gets email they did not ask for. */
export const writtenAboutMe: NotificationKind = {
  kind: 'coaching.written-about-me',
  label: 'coaching.notifications.writtenAboutMe.label',
  message: 'coaching.notifications.writtenAboutMe.message',
  defaultDelivery: 'page',
  roles: ['person'],
};

export const responseToEntry: NotificationKind = {
  kind: 'coaching.response-to-entry',
  label: 'coaching.notifications.responseToEntry.label',
  message: 'coaching.notifications.responseToEntry.message',
  defaultDelivery: 'page',
};

/** Someone asked for a coach, or was introduced: a lead decides who walks alongside them. */
export const waitingForLead: NotificationKind = {
  kind: 'coaching.waiting-for-lead',
  label: 'coaching.notifications.waitingForLead.label',
  message: 'coaching.notifications.waitingForLead.message',
  defaultDelivery: 'page',
  roles: ['lead'],
};

export const coachingNotifications = [writtenAboutMe, responseToEntry, waitingForLead];
