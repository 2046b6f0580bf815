import type { CalendarEvent, CalendarViewer, CalendarWindow } from '../../core/calendar-feeds.ts';
import type { Scope } from '../../core/database/tenancy.ts';
import { listLinkUps, sessionDays, sideOf } from './link-ups.ts';
import { subject } from './words.ts';

const dayOf = (value: Date) => value.toISOString().slice(0, 10);

/**
 * A person's link-ups in their calendar: the days their sessions happened and the next review, for
 * the peer and for the person supported alike (the link-up page's own test of who takes part). The
 * coach team sees every link-up signed in, but these are not their appointments, so they are left
 * out. Titles and descriptions name nobody, and nothing written in a session is carried.
 */
export async function peerCalendar(
  scope: Scope,
  viewer: CalendarViewer,
  window: CalendarWindow,
): Promise<CalendarEvent[]> {
  if (!viewer.can('read', subject.linkUp, { personId: viewer.personId })) return [];
  const mine = (await listLinkUps(scope, { personId: viewer.personId })).filter(
    (linkUp) => sideOf(linkUp, viewer.personId, viewer.can) !== null,
  );
  const from = dayOf(window.from);
  const to = dayOf(window.to);
  const sessions = await sessionDays(
    scope,
    mine.map((linkUp) => linkUp.id),
    { from, to, limit: window.limit },
  );
  const reviews = mine.filter(
    (linkUp) =>
      linkUp.nextReviewOn &&
      linkUp.stage !== 'ended' &&
      linkUp.nextReviewOn >= from &&
      linkUp.nextReviewOn <= to,
  );
  return [
    ...sessions.map((session) => ({
      uid: `peer-session-${session.id}`,
      start: { day: session.happenedOn },
      title: 'calendar.meeting',
      description: 'calendar.meetingDescription',
      path: `/peer/link-ups/${session.linkUpId}`,
    })),
    ...reviews.map((linkUp) => ({
      uid: `peer-review-${linkUp.id}`,
      start: { day: linkUp.nextReviewOn! },
      title: 'calendar.review',
      description: 'calendar.reviewDescription',
      path: `/peer/link-ups/${linkUp.id}`,
    })),
  ];
}
