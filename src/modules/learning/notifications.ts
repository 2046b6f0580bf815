import { withOrganisation } from '../../core/database/tenancy.ts';
import { addToDay, startOfUkDay, todayInUk } from '../../core/dates.ts';
import type { JobKind } from '../../core/jobs.ts';
import { type NotificationKind, notifyEach } from '../../core/notifications.ts';
import { everyoneWithRole, staffOf } from '../../core/teams.ts';
import { teamRoles } from './shared.tsx';
import { spacesStarting } from './spaces.ts';

/** Someone answered a challenge you raised with your name (an anonymous one has nobody to tell). */
export const challengeAnswered: NotificationKind = {
  kind: 'learning.challenge-answered',
  label: 'learning.notifications.challengeAnswered.label',
  message: 'learning.notifications.challengeAnswered.message',
  defaultDelivery: 'page',
};

/** A reflective space of your team (or of everyone) is tomorrow. */
export const spaceTomorrow: NotificationKind = {
  kind: 'learning.space-tomorrow',
  label: 'learning.notifications.spaceTomorrow.label',
  message: 'learning.notifications.spaceTomorrow.message',
  defaultDelivery: 'page',
  roles: teamRoles,
};

export const learningNotifications = [challengeAnswered, spaceTomorrow];

/**
 * Each morning, the staff a space is for hear that it is tomorrow: its team's staff, or everyone's
 * for a space of the whole organisation. All in one transaction: a failed run told nobody, and the
 * schedule makes one run a day.
 */
export const remindSpacesTomorrow: JobKind = {
  kind: 'learning.spaces-tomorrow',
  label: 'learning.jobs.spacesTomorrow',
  schedule: { dailyAt: '09:00' },
  async run(context) {
    if (!context.organisationId) throw new Error('A reminder belongs to an organisation.');
    const today = context.slot ?? todayInUk(context.now);
    const from = startOfUkDay(addToDay(today, { days: 1 }));
    const to = startOfUkDay(addToDay(today, { days: 2 }));
    await withOrganisation(context.database, { organisationId: context.organisationId }, async (scope) => {
      for (const { space, series } of await spacesStarting(scope, { from, to })) {
        const staff = series.teamId
          ? (await staffOf(scope, series.teamId)).map((member) => member.personId)
          : await everyoneWithRole(scope, teamRoles);
        await notifyEach(scope, staff, spaceTomorrow, `/learning/spaces/${series.id}/${space.id}`, {
          name: series.name,
        });
      }
    });
  },
};
