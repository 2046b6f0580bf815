import type { NotificationKind } from '../../core/notifications.ts';

/** A link-up suggested, agreed by both sides, or ended: the peer and the person hear of it. */
export const linkUpNews: NotificationKind = {
  kind: 'peer-support.link-up',
  label: 'peer-support.notifications.linkUp.label',
  message: 'peer-support.notifications.linkUp.message',
  defaultDelivery: 'page',
};

/** A partner introduced someone: the leads decide who might walk alongside them. */
export const introductionWaiting: NotificationKind = {
  kind: 'peer-support.introduction-waiting',
  label: 'peer-support.notifications.introductionWaiting.label',
  message: 'peer-support.notifications.introductionWaiting.message',
  defaultDelivery: 'page',
  roles: ['lead'],
};

export const peerSupportNotifications = [linkUpNews, introductionWaiting];
