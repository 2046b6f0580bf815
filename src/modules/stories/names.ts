import type { Scope } from '../../core/database/tenancy.ts';
import { findOrganisation, findPerson, namesOf } from '../../core/people.ts';
import { staffOf, teamMatesOf, teamsOfPerson } from '../../core/teams.ts';

/**
 * Names and places the core knows about the author, to suggest changing in an anonymised version:
 * their own names (called and full, and each part of the full name), who helped them write, the staff
 * of the teams they are with (or work in), those teams' names and the organisation's. Only suggestions:
 * the author decides what to change, and a name nobody told us of is theirs to spot.
 */
export async function namesToSuggest(
  scope: Scope,
  authorId: string,
  helperId: string | null,
): Promise<string[]> {
  const found = new Set<string>();
  const add = (name: string | null | undefined) => {
    const trimmed = name?.trim();
    if (!trimmed) return;
    found.add(trimmed);
    for (const part of trimmed.split(/\s+/)) if (part.length >= 2) found.add(part);
  };
  const author = await findPerson(scope, authorId);
  add(author?.calledName);
  add(author?.fullName);
  const people = new Set<string>(helperId ? [helperId] : []);
  for (const place of await teamsOfPerson(scope, authorId)) {
    if (place.until) continue;
    add(place.team.name);
    add(place.team.nameCy);
    for (const staff of await staffOf(scope, place.team.id)) people.add(staff.personId);
  }
  for (const mate of await teamMatesOf(scope, authorId)) people.add(mate);
  people.delete(authorId);
  for (const name of (await namesOf(scope, [...people])).values()) add(name);
  const organisation = await findOrganisation(scope);
  add(organisation?.name);
  add(organisation?.nameCy);
  // Short joining words from a place's name ("of", "yr") would mark half the story.
  return [...found].filter((name) => name.length >= 3 || /^\p{Lu}/u.test(name));
}

export type Piece = string | { mark: string };

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text cut into plain pieces and the names found in it (whole words, any case), in order. */
export function highlight(text: string, names: readonly string[]): Piece[] {
  const usable = [...new Set(names)].filter((name) => name.length > 0).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return [text];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${usable.map(literally).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) pieces.push(text.slice(last, match.index));
    pieces.push({ mark: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

/** How many names were found. */
export const marksIn = (pieces: readonly Piece[]) =>
  pieces.filter((piece) => typeof piece !== 'string').length;
