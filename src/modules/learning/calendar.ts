import { icalendar } from '../../core/icalendar.ts';
import type { Series, Space } from './spaces.ts';

/** A reflective space's UID, the same in its download and in a person's calendar feed. */
export const spaceUid = (space: Pick<Space, 'id'>, host: string) => `${space.id}@${host}`;

/** A series (or one date of it) as an iCalendar file to download, through the core's one writer. */
export function calendar(
  series: Series,
  spaces: Space[],
  options: { host: string; description: string; now?: Date },
): string {
  return icalendar({
    productId: '-//Alongside//Reflective spaces//EN',
    name: series.name,
    stamp: options.now ?? new Date(),
    events: spaces.map((space) => ({
      uid: spaceUid(space, options.host),
      start: { at: space.startsAt },
      end: new Date(space.startsAt.getTime() + series.minutes * 60_000),
      summary: series.name,
      location: series.place || undefined,
      description: options.description,
    })),
  });
}
