import { sql } from 'drizzle-orm';
import { audit } from '../audit.ts';
import { rowsOf, type Scope } from '../database/tenancy.ts';
import type { Language } from '../i18n/index.ts';
import { isUuid } from '../tokens.ts';
import builtIn from './phrases.json' with { type: 'json' };

/**
 * The language guard: when staff write about a person, labels such as "the homeless" or "refused to
 * engage" get a gentle suggestion of person-first words. It only suggests; nothing is ever refused.
 */

/** One label found in what someone wrote: `phrase` is the words as they typed them. */
export interface WordingSuggestion {
  phrase: string;
  suggestion: string;
}

/** A label to notice, in one language, with the words to suggest instead. */
export interface GuardPhrase {
  language: Language;
  /** The forms of the label to notice ("addict", "addicts"); matched as whole words, any case. */
  phrases: readonly string[];
  suggestion: string;
  /** Following words that make it the name of a thing, not a person ("the homeless shelter"). */
  unlessFollowedBy?: readonly string[];
  /** Words before it that do the same ("diod alcoholig", an alcoholic drink). */
  unlessPrecededBy?: readonly string[];
}

interface BuiltInSide {
  phrases: string[];
  suggestion: string;
  unlessFollowedBy?: string[];
  unlessPrecededBy?: string[];
}
export interface BuiltInEntry {
  id: string;
  en: BuiltInSide;
  cy: BuiltInSide;
}

/** The built-in list, straight from phrases.json. */
export const builtInEntries: readonly BuiltInEntry[] = (builtIn as { entries: BuiltInEntry[] }).entries;

/** What the browser script gets: one compiled label, ready for `new RegExp(pattern, 'giu')`. */
export interface CompiledLabel {
  /** Each label is reported once; the same key means the same label. */
  key: string;
  language: Language;
  /** The organisation's own words come first, so they can override a built-in suggestion. */
  own: boolean;
  pattern: string;
  suggestion: string;
}

// Curly and modifier apostrophes are typed by phones and word processors; they all mean the same.
const apostrophes = /[\u2018\u2019\u02bc\u2032`]/g;
// Words in a phrase may be written with spaces or hyphens between them: "wheelchair-bound".
// The two Unicode hyphens go in as themselves, which keeps the patterns the browser downloads short.
const between = `[-\\s${String.fromCharCode(0x2010, 0x2011)}]+`;
const wordCharacter = /[\p{L}\p{N}]/u;

/** The same text the matcher sees: composed accents (ŵ as one letter) and plain apostrophes. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(apostrophes, "'");
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function phraseBody(phrase: string): string {
  return normaliseText(phrase)
    .trim()
    .split(/[\s\-\u2010\u2011]+/)
    .filter(Boolean)
    .map(escapeForPattern)
    .join(between);
}

/**
 * The forms of one label as a regular expression source. Whole words only: a letter, digit, hyphen or
 * apostrophe just before, or a letter or digit just after, means it is part of a longer word
 * ("addiction", "non-alcoholic"); an apostrophe just after is fine ("addict's"). A form that starts
 * with an apostrophe (Welsh "'r digartref", as in "i'r digartref") needs no boundary before it. Forms
 * are grouped by the boundaries they need, so the list the browser downloads stays small.
 */
function formsPattern(forms: string[]): string {
  const groups = new Map<string, string[]>();
  for (const form of forms) {
    const start = wordCharacter.test(form[0] ?? '') ? "(?<![\\p{L}\\p{N}'\\-])" : '';
    const end = wordCharacter.test(form.at(-1) ?? '') ? '(?![\\p{L}\\p{N}]|-\\p{L})' : '';
    const key = `${start} ${end}`;
    groups.set(key, [...(groups.get(key) ?? []), phraseBody(form)]);
  }
  return [...groups]
    .map(([key, bodies]) => {
      const [start, end] = key.split(' ');
      return `${start}(?:${bodies.join('|')})${end}`;
    })
    .join('|');
}

function compile(key: string, own: boolean, guard: GuardPhrase): CompiledLabel | null {
  const forms = [
    ...new Set(guard.phrases.map((p) => normaliseText(p).trim()).filter((p) => wordCharacter.test(p))),
  ]
    // Longest first, so "drug addicts" is preferred to "addict" where both start.
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return null;
  const words = (list: readonly string[] | undefined) =>
    (list ?? []).map(phraseBody).filter(Boolean).join('|');
  const after = words(guard.unlessFollowedBy);
  const before = words(guard.unlessPrecededBy);
  const pattern = [
    before ? `(?<!(?<![\\p{L}\\p{N}])(?:${before})[-\\s]*)` : '',
    `(?:${formsPattern(forms)})`,
    after ? `(?!${between}(?:${after})(?![\\p{L}\\p{N}]))` : '',
  ].join('');
  return { key, language: guard.language, own, pattern, suggestion: guard.suggestion.trim() };
}

/**
 * A built-in entry's exceptions apply whichever language's form matched: people mix languages, and
 * some forms are in both lists ("DNA"), so "DNA test" and "prawf DNA" are both left alone.
 */
function builtInPhrases(): { key: string; guard: GuardPhrase }[] {
  return builtInEntries.flatMap((entry) => {
    const both = (field: 'unlessFollowedBy' | 'unlessPrecededBy') => [
      ...(entry.en[field] ?? []),
      ...(entry.cy[field] ?? []),
    ];
    return (['en', 'cy'] as const).map((language) => ({
      key: `${entry.id}:${language}`,
      guard: {
        language,
        phrases: entry[language].phrases,
        suggestion: entry[language].suggestion,
        unlessFollowedBy: both('unlessFollowedBy'),
        unlessPrecededBy: both('unlessPrecededBy'),
      },
    }));
  });
}

let builtInCompiled: CompiledLabel[] | null = null;

/** Every label to look for: the organisation's own first (they may override ours), then the built-in list. */
export function compileLabels(extra: readonly GuardPhrase[] = []): CompiledLabel[] {
  builtInCompiled ??= builtInPhrases()
    .map(({ key, guard }) => compile(key, false, guard))
    .filter((label): label is CompiledLabel => label !== null);
  const own = extra
    .map((guard, index) => compile(`own:${index}`, true, guard))
    .filter((label): label is CompiledLabel => label !== null);
  return [...own, ...builtInCompiled];
}

const regexCache = new Map<string, RegExp>();
function regexFor(pattern: string): RegExp {
  let found = regexCache.get(pattern);
  if (!found) {
    found = new RegExp(pattern, 'giu');
    if (regexCache.size > 2000) regexCache.clear();
    regexCache.set(pattern, found);
  }
  return found;
}

/**
 * The labels in `text`, each once, in the order they first appear. Both languages' lists are checked
 * (people mix languages); a suggestion comes in the language of the list that matched. Where labels
 * overlap, the organisation's own words win; otherwise the earliest, then the longest, then the one in
 * the writer's language.
 * `public/language-guard.js` does the same in the browser, from `compileLabels` output.
 */
export function findLabelsWith(labels: readonly CompiledLabel[], text: string, language: Language) {
  // Apostrophes are swapped one character for one, so a match's place in `normal` is its place in
  // `composed`, which is what the writer typed (with accents composed, which looks the same).
  const composed = text.normalize('NFC');
  const normal = composed.replace(apostrophes, "'");
  const rank = (label: CompiledLabel) => (label.own ? 0 : label.language === language ? 1 : 2);
  const found: { start: number; end: number; rank: number; label: CompiledLabel }[] = [];
  for (const label of labels) {
    const regex = regexFor(label.pattern);
    regex.lastIndex = 0;
    for (let match = regex.exec(normal); match; match = regex.exec(normal)) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      found.push({ start: match.index, end: match.index + match[0].length, rank: rank(label), label });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
  // The organisation's own words are placed first, then ours wherever they do not overlap them.
  const placed: typeof found = [];
  for (const own of [true, false]) {
    for (const match of found) {
      if (match.label.own !== own) continue;
      if (placed.some((other) => match.start < other.end && other.start < match.end)) continue;
      placed.push(match);
    }
  }
  placed.sort((a, b) => a.start - b.start);
  const seen = new Set<string>();
  const suggestions: WordingSuggestion[] = [];
  for (const match of placed) {
    if (seen.has(match.label.key)) continue;
    seen.add(match.label.key);
    suggestions.push({ phrase: composed.slice(match.start, match.end), suggestion: match.label.suggestion });
  }
  return suggestions;
}

/** The labels in `text` from the built-in list and any `extra` phrases (see `findLabelsWith`). */
export function findLabels(text: string, language: Language, extra?: GuardPhrase[]): WordingSuggestion[] {
  return findLabelsWith(compileLabels(extra), text, language);
}

/** An organisation's own phrase, added on the wording suggestions page. */
export interface OrganisationPhrase {
  id: string;
  language: Language;
  phrase: string;
  suggestion: string;
  createdBy: string | null;
  createdAt: Date;
}

export const phraseLimits = { phrase: 100, suggestion: 300 } as const;

export async function listOrganisationPhrases(scope: Scope): Promise<OrganisationPhrase[]> {
  const rows = await rowsOf<OrganisationPhrase>(
    scope.tx.execute(sql`select id, language, phrase, suggestion, created_by as "createdBy",
        created_at as "createdAt"
      from language_guard_phrase order by language, lower(phrase), id`),
  );
  // A raw query may hand back the time as text, depending on the driver.
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

/** The organisation's phrases as the matcher takes them. */
export function asGuardPhrases(phrases: readonly OrganisationPhrase[]): GuardPhrase[] {
  return phrases.map((row) => ({
    language: row.language,
    phrases: [row.phrase],
    suggestion: row.suggestion,
  }));
}

/** Two ways of writing the same phrase ("Service-User", "service  user", curly apostrophes) are one. */
export function phraseKey(phrase: string): string {
  return normaliseText(phrase)
    .trim()
    .toLocaleLowerCase()
    .split(/[\s\-\u2010\u2011]+/)
    .filter(Boolean)
    .join(' ');
}

export type AddPhraseResult = { ok: true; id: string } | { ok: false; reason: 'duplicate' };

/**
 * Adds one of the organisation's own phrases. The phrase is kept in one spelling (spaces between words,
 * plain apostrophes) so a duplicate is found however it was typed; the database's unique index backs
 * this up when two people add the same words at once.
 */
export async function addOrganisationPhrase(
  scope: Scope,
  input: { language: Language; phrase: string; suggestion: string },
): Promise<AddPhraseResult> {
  const phrase = normaliseText(input.phrase).trim().split(/\s+/).join(' ');
  const existing = await listOrganisationPhrases(scope);
  const key = phraseKey(phrase);
  if (existing.some((row) => row.language === input.language && phraseKey(row.phrase) === key)) {
    return { ok: false, reason: 'duplicate' };
  }
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into language_guard_phrase (organisation_id, language, phrase, suggestion, created_by)
      values (${scope.organisationId}, ${input.language}, ${phrase}, ${input.suggestion.trim()}, ${scope.actorPersonId})
      on conflict (organisation_id, language, lower(phrase)) do nothing
      returning id`),
  );
  if (!row) return { ok: false, reason: 'duplicate' };
  await audit(scope, {
    action: 'create',
    subjectType: 'language-guard-phrase',
    subjectId: row.id,
    detail: { fields: ['language', 'phrase', 'suggestion'] },
  });
  return { ok: true, id: row.id };
}

/** Removes one of the organisation's phrases; false when there is no such phrase here. */
export async function removeOrganisationPhrase(scope: Scope, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const removed = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`delete from language_guard_phrase where id = ${id} returning id`),
  );
  if (removed.length === 0) return false;
  await audit(scope, { action: 'delete', subjectType: 'language-guard-phrase', subjectId: id });
  return true;
}

/**
 * For each named field, the labels found in it (fields with none are left out), using the built-in
 * list and this organisation's own phrases.
 */
export async function checkWording(
  scope: Scope,
  language: Language,
  texts: Record<string, string>,
): Promise<Record<string, WordingSuggestion[]>> {
  const labels = compileLabels(asGuardPhrases(await listOrganisationPhrases(scope)));
  const result: Record<string, WordingSuggestion[]> = {};
  for (const [field, text] of Object.entries(texts)) {
    if (!text) continue;
    const found = findLabelsWith(labels, text, language);
    if (found.length > 0) result[field] = found;
  }
  return result;
}
