import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Translate } from '../../core/i18n/index.ts';
import { notifyEach } from '../../core/notifications.ts';
import type { Can } from '../../core/permissions.ts';
import { isUuid } from '../../core/tokens.ts';
import { listLevels, listPlaces, settingsOf } from './lists.ts';
import {
  type Area,
  candidateGraph,
  matchingSettings,
  optimalAssignment,
  type Peer,
  pairPoints,
  prepareMatching,
  type Reason,
  type Suggestions,
  scorePair,
  toSuggestions,
  type WaitingRequest,
  type WeeklySlot,
} from './matching/index.ts';
import { linkUpNews } from './notifications.ts';
import { openLinkUpCount, type Profile, profileById, slotsOf } from './peers.ts';
import { creditSession, type SessionCredit } from './time-credits.ts';
import { auditSubject, openStages, type Stage, subject } from './words.ts';

/** Requests for support, the matching engine's input from the database, link-ups and their sessions. */

export interface SupportRequest {
  id: string;
  personId: string;
  householdId: string | null;
  words: string;
  tags: string[];
  language: string | null;
  languageMust: boolean;
  area: string;
  slots: WeeklySlot[];
  supportWanted: string;
  status: 'waiting' | 'linked' | 'closed';
  introducedBy: string | null;
  consentWording: string | null;
  howToReach: string;
  seenByTeamAt: Date | null;
  createdAt: Date;
}

const requestColumns = sql`id, person_id as "personId", household_id as "householdId", words, tags, language,
  language_must as "languageMust", area, slots, support_wanted as "supportWanted", status,
  introduced_by as "introducedBy", consent_wording as "consentWording", how_to_reach as "howToReach",
  seen_by_team_at as "seenByTeamAt", created_at as "createdAt"`;

export type RequestInput = Pick<
  SupportRequest,
  | 'personId'
  | 'householdId'
  | 'words'
  | 'tags'
  | 'language'
  | 'languageMust'
  | 'area'
  | 'slots'
  | 'supportWanted'
> & { introducedBy?: string | null; consentWording?: string | null; howToReach?: string; at?: Date };

export async function createRequest(scope: Scope, input: RequestInput): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into peer_request (organisation_id, person_id, household_id, words, tags, language,
        language_must, area, slots, support_wanted, introduced_by, consent_wording, how_to_reach, created_at)
      values (${scope.organisationId}, ${input.personId}, ${input.householdId}, ${input.words},
        ${JSON.stringify(input.tags)}::jsonb, ${input.language}, ${input.languageMust}, ${input.area},
        ${JSON.stringify(input.slots)}::jsonb, ${input.supportWanted}, ${input.introducedBy ?? null},
        ${input.consentWording ?? null}, ${input.howToReach ?? ''}, ${(input.at ?? new Date()).toISOString()})
      returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: input.introducedBy ? auditSubject.introduction : auditSubject.request,
    subjectId: row!.id,
    subjectPersonId: input.personId,
    detail: {
      fields: [
        'words',
        'tags',
        'language',
        'area',
        'slots',
        'supportWanted',
        ...(input.introducedBy ? ['consent'] : []),
      ],
    },
  });
  return row!.id;
}

export async function requestById(scope: Scope, requestId: string): Promise<SupportRequest | null> {
  if (!isUuid(requestId)) return null;
  const [row] = await rowsOf<SupportRequest>(
    scope.tx.execute(sql`select ${requestColumns} from peer_request where organisation_id = ${scope.organisationId}
      and id = ${requestId}`),
  );
  return row ?? null;
}

export async function requestsOf(scope: Scope, personId: string): Promise<SupportRequest[]> {
  return rowsOf<SupportRequest>(
    scope.tx.execute(sql`select ${requestColumns} from peer_request where organisation_id = ${scope.organisationId}
      and person_id = ${personId} order by created_at desc`),
  );
}

export interface WaitingSummary {
  id: string;
  personId: string;
  calledName: string;
  words: string;
  introducedBy: string | null;
  seenByTeamAt: Date | null;
  createdAt: Date;
}

/** Everyone waiting, longest first, for the coach team (who was listed is audited). */
export async function waitingRequests(scope: Scope): Promise<WaitingSummary[]> {
  const rows = await rowsOf<WaitingSummary>(
    scope.tx.execute(sql`select r.id, r.person_id as "personId", p.called_name as "calledName", r.words,
        r.introduced_by as "introducedBy", r.seen_by_team_at as "seenByTeamAt", r.created_at as "createdAt"
      from peer_request r join person p on p.id = r.person_id
      where r.organisation_id = ${scope.organisationId} and r.status = 'waiting'
      order by r.created_at, r.id`),
  );
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.request,
    detail: { people: rows.map((row) => row.personId) },
  });
  return rows;
}

/** New partner introductions nobody in the team has opened yet: the in-app notice. */
export async function unseenIntroductions(scope: Scope): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(*)::int as n from peer_request where organisation_id = ${scope.organisationId}
      and introduced_by is not null and seen_by_team_at is null and status = 'waiting'`),
  );
  return row!.n;
}

export async function markSeen(scope: Scope, request: SupportRequest) {
  if (request.seenByTeamAt) return;
  await scope.tx.execute(sql`update peer_request set seen_by_team_at = now() where id = ${request.id}`);
}

function areaOf(places: Map<string, Area>, area: string): Area | undefined {
  return places.get(area.trim().toLowerCase());
}

function toPeer(profile: Profile, open: number, places: Map<string, Area>): Peer {
  return {
    id: profile.id,
    sharedExperience: profile.tags,
    languages: profile.languages,
    area: areaOf(places, profile.area),
    freeSlots: slotsOf(profile.availability),
    level: profile.levelKey ?? '',
    supportOffered: profile.supports,
    capacity: profile.capacity,
    currentLinkUps: open,
  };
}

function toWaiting(request: SupportRequest, places: Map<string, Area>): WaitingRequest {
  return {
    id: request.id,
    sharedExperienceWanted: request.tags,
    language: request.language ? { code: request.language, must: request.languageMust } : undefined,
    area: areaOf(places, request.area),
    freeSlots: request.slots,
    supportWanted: request.supportWanted,
    waitingSince: new Date(request.createdAt),
  };
}

/**
 * The engine's whole input from the database: everyone waiting, every peer with a level (trained) and
 * room, rejected pairs, and the organisation's weights and levels.
 */
export async function matchingInput(scope: Scope, now = new Date()) {
  const places = new Map((await listPlaces(scope)).map((place) => [place.name.toLowerCase(), place]));
  const requests = await rowsOf<SupportRequest>(
    scope.tx.execute(sql`select ${requestColumns} from peer_request where organisation_id = ${scope.organisationId}
      and status = 'waiting' order by created_at, id`),
  );
  const profiles = await rowsOf<Profile & { open: number }>(
    scope.tx.execute(sql`select id, person_id as "personId", household_id as "householdId", words, tags, languages,
        area, availability, capacity, supports, level_key as "levelKey", created_at as "createdAt",
        (select count(*)::int from peer_link_up l where l.profile_id = p.id
          and l.stage in ('suggested', 'introduced', 'active', 'reviewed', 'paused')) as open
      from peer_profile p where organisation_id = ${scope.organisationId} and level_key is not null
      order by created_at, id`),
  );
  const rejected = await rowsOf<{ requestId: string; peerId: string }>(
    scope.tx.execute(sql`select request_id as "requestId", profile_id as "peerId" from peer_rejected_pair
      where organisation_id = ${scope.organisationId}`),
  );
  const { weights } = await settingsOf(scope);
  const levels = await listLevels(scope);
  const settings = matchingSettings({
    weights,
    levelSuits: Object.fromEntries(
      levels.map((level) => [level.key, level.suits.includes('everything') ? 'everything' : level.suits]),
    ),
  });
  return {
    requests,
    waiting: requests.map((request) => toWaiting(request, places)),
    peers: profiles.map((profile) => toPeer(profile, profile.open, places)),
    profiles,
    input: { settings, rejected, now },
  };
}

/**
 * The proposed set of link-ups across everyone waiting (read-only: nothing is saved until accepted),
 * with the engine's candidate graph kept so a coach's swap can offer each request's next-best peers.
 */
export async function proposedLinkUps(scope: Scope, now = new Date()) {
  const loaded = await matchingInput(scope, now);
  const model = prepareMatching(loaded.waiting, loaded.peers, loaded.input);
  const graph = candidateGraph(model);
  const suggestions: Suggestions = toSuggestions(model, graph, optimalAssignment(graph));
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.matching,
    detail: { people: loaded.requests.map((request) => request.personId), count: suggestions.linkUps.length },
  });
  return { ...loaded, suggestions, model, graph };
}

/** Other peers who could take this request, best first (the engine's own candidates), for a swap. */
export function alternativesFor(
  proposed: Awaited<ReturnType<typeof proposedLinkUps>>,
  requestId: string,
  limit = 5,
): { peerId: string; score: number; reasons: Reason[] }[] {
  const { model, graph } = proposed;
  const r = model.requests.findIndex((request) => request.id === requestId);
  if (r < 0) return [];
  const found: { peerId: string; score: number; reasons: Reason[] }[] = [];
  for (let e = graph.start[r]!; e < graph.start[r + 1]! && found.length < limit; e++) {
    const p = graph.edgePeer[e]!;
    const reasons: Reason[] = [];
    const points = pairPoints(model, r, p, reasons);
    if (points > 0) found.push({ peerId: model.peers[p]!.id, score: points / 100, reasons });
  }
  return found;
}

export type AcceptResult = { ok: true; linkUpId: string } | { ok: false; reason: 'gone' | 'notAllowed' };

/**
 * A coach accepts a pair (the suggested one or a swap): checked again against the hard constraints and
 * the peer's room now, inside the transaction, with the request row locked so it is linked once.
 */
export async function acceptPair(
  scope: Scope,
  requestId: string,
  profileId: string,
  now = new Date(),
): Promise<AcceptResult> {
  if (!isUuid(requestId) || !isUuid(profileId)) return { ok: false, reason: 'gone' };
  const [locked] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select id from peer_request where organisation_id = ${scope.organisationId}
      and id = ${requestId} and status = 'waiting' for no key update`),
  );
  const profile = locked ? await profileById(scope, profileId) : null;
  if (!locked || !profile) return { ok: false, reason: 'gone' };
  await scope.tx.execute(sql`select id from peer_profile where id = ${profile.id} for no key update`);
  const loaded = await matchingInput(scope, now);
  const request = loaded.waiting.find((r) => r.id === requestId);
  const peer = loaded.peers.find((p) => p.id === profileId);
  if (!request || !peer) return { ok: false, reason: 'notAllowed' };
  const result = scorePair(request, peer, loaded.input);
  if (!result.allowed) return { ok: false, reason: 'notAllowed' };
  const { reviewEveryWeeks } = await settingsOf(scope);
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into peer_link_up (organisation_id, request_id, profile_id, score, reasons,
        review_every_weeks, accepted_by, created_at)
      values (${scope.organisationId}, ${requestId}, ${profileId}, ${result.score}, ${JSON.stringify(result.reasons)}::jsonb,
        ${reviewEveryWeeks}, ${scope.actorPersonId}, ${now.toISOString()}) returning id`),
  );
  await scope.tx.execute(sql`update peer_request set status = 'linked', seen_by_team_at = coalesce(seen_by_team_at, now())
    where id = ${requestId}`);
  await recordStage(scope, row!.id, 'suggested', '', now);
  const owner = loaded.requests.find((r) => r.id === requestId)!;
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.linkUp,
    subjectId: row!.id,
    subjectPersonId: owner.personId,
    detail: { fields: ['request', 'peer'], peerPerson: profile.personId },
  });
  await tellBothSides(scope, row!.id, [profile.personId, owner.personId], 'suggested');
  return { ok: true, linkUpId: row!.id };
}

export async function rejectPair(scope: Scope, requestId: string, profileId: string): Promise<boolean> {
  const request = await requestById(scope, requestId);
  const profile = request ? await profileById(scope, profileId) : null;
  if (!request || !profile) return false;
  await scope.tx.execute(sql`insert into peer_rejected_pair (organisation_id, request_id, profile_id, rejected_by)
    values (${scope.organisationId}, ${requestId}, ${profileId}, ${scope.actorPersonId}) on conflict do nothing`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.matching,
    subjectId: requestId,
    subjectPersonId: request.personId,
    detail: { fields: ['rejectedPair'] },
  });
  return true;
}

export interface LinkUp {
  id: string;
  requestId: string;
  profileId: string;
  peerPersonId: string;
  seekerPersonId: string;
  peerHouseholdId: string | null;
  seekerHouseholdId: string | null;
  stage: Stage;
  score: number;
  reasons: Reason[];
  supports: string[];
  agreedWords: string;
  meeting: string;
  peerAgreedAt: Date | null;
  seekerAgreedAt: Date | null;
  seekerAgreementRecordedBy: string | null;
  reviewEveryWeeks: number;
  nextReviewOn: string | null;
  endedKind: 'celebration' | 'reason' | null;
  endedWords: string | null;
  createdAt: Date;
  activeAt: Date | null;
}

const linkUpColumns = sql`l.id, l.request_id as "requestId", l.profile_id as "profileId",
  p.person_id as "peerPersonId", r.person_id as "seekerPersonId", p.household_id as "peerHouseholdId",
  r.household_id as "seekerHouseholdId", l.stage, l.score::float as score, l.reasons, l.supports,
  l.agreed_words as "agreedWords", l.meeting, l.peer_agreed_at as "peerAgreedAt",
  l.seeker_agreed_at as "seekerAgreedAt", l.seeker_agreement_recorded_by as "seekerAgreementRecordedBy",
  l.review_every_weeks as "reviewEveryWeeks", to_char(l.next_review_on, 'YYYY-MM-DD') as "nextReviewOn",
  l.ended_kind as "endedKind", l.ended_words as "endedWords", l.created_at as "createdAt", l.active_at as "activeAt"`;

export async function linkUpById(scope: Scope, linkUpId: string): Promise<LinkUp | null> {
  if (!isUuid(linkUpId)) return null;
  const [row] = await rowsOf<LinkUp>(
    scope.tx.execute(sql`select ${linkUpColumns} from peer_link_up l join peer_profile p on p.id = l.profile_id
      join peer_request r on r.id = l.request_id
      where l.organisation_id = ${scope.organisationId} and l.id = ${linkUpId}`),
  );
  return row ?? null;
}

/**
 * Which side of a link-up a person is on when they may take part in it: its peer, the person
 * supported, or neither. The link-up page and the calendar feed both ask this, so they agree.
 */
export function sideOf(
  linkUp: Pick<LinkUp, 'peerPersonId' | 'seekerPersonId'>,
  personId: string,
  can: Can,
): 'peer' | 'seeker' | null {
  if (!can('read', subject.linkUp, { personId })) return null;
  if (linkUp.peerPersonId === personId) return 'peer';
  if (linkUp.seekerPersonId === personId) return 'seeker';
  return null;
}

/** The days sessions of these link-ups happened on, between two days: days and ids, nothing said in them. */
export async function sessionDays(
  scope: Scope,
  linkUpIds: string[],
  window: { from: string; to: string; limit: number },
): Promise<{ id: string; linkUpId: string; happenedOn: string }[]> {
  if (linkUpIds.length === 0) return [];
  return rowsOf(
    scope.tx.execute(sql`select id, link_up_id as "linkUpId", to_char(happened_on, 'YYYY-MM-DD') as "happenedOn"
      from peer_session where link_up_id in (${sql.join(
        linkUpIds.map((linkUpId) => sql`${linkUpId}::uuid`),
        sql`, `,
      )}) and happened_on between ${window.from}::date and ${window.to}::date
      order by happened_on, id limit ${window.limit}`),
  );
}

export interface LinkUpSummary {
  id: string;
  stage: Stage;
  peerName: string;
  seekerName: string;
  peerPersonId: string;
  seekerPersonId: string;
  nextReviewOn: string | null;
  createdAt: Date;
}

/** Link-ups the person takes part in (as peer or as the person supported), or all for the board. */
export async function listLinkUps(
  scope: Scope,
  options: { personId?: string } = {},
): Promise<LinkUpSummary[]> {
  const rows = await rowsOf<LinkUpSummary>(
    scope.tx.execute(sql`select l.id, l.stage, pp.called_name as "peerName", sp.called_name as "seekerName",
        p.person_id as "peerPersonId", r.person_id as "seekerPersonId",
        to_char(l.next_review_on, 'YYYY-MM-DD') as "nextReviewOn", l.created_at as "createdAt"
      from peer_link_up l join peer_profile p on p.id = l.profile_id join peer_request r on r.id = l.request_id
      join person pp on pp.id = p.person_id join person sp on sp.id = r.person_id
      where l.organisation_id = ${scope.organisationId}
        ${options.personId ? sql`and (p.person_id = ${options.personId} or r.person_id = ${options.personId})` : sql``}
      order by l.created_at desc, l.id`),
  );
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.linkUp,
    detail: { people: [...new Set(rows.flatMap((row) => [row.peerPersonId, row.seekerPersonId]))] },
  });
  return rows;
}

async function recordStage(scope: Scope, linkUpId: string, stage: Stage, words: string, at = new Date()) {
  await scope.tx.execute(sql`insert into peer_link_up_change (organisation_id, link_up_id, stage, words, changed_by, changed_at)
    values (${scope.organisationId}, ${linkUpId}, ${stage}, ${words}, ${scope.actorPersonId}, ${at.toISOString()})`);
}

export async function stageHistory(scope: Scope, linkUp: LinkUp) {
  return rowsOf<{ stage: Stage; words: string; changedBy: string | null; changedAt: Date }>(
    scope.tx.execute(sql`select stage, words, changed_by as "changedBy", changed_at as "changedAt"
      from peer_link_up_change where link_up_id = ${linkUp.id} order by changed_at, id`),
  );
}

function addDays(day: Date, n: number): string {
  return new Date(day.getTime() + n * 86_400_000).toISOString().slice(0, 10);
}

export type AgreeResult = { ok: true; introduced: boolean } | { ok: false; reason: 'already' | 'stage' };

/**
 * One side agrees. The first to agree writes the agreement (kinds of support, their words, when and how
 * they will meet); the other agrees to it as it stands. When both have agreed the pair is introduced.
 * Agreeing twice changes nothing. The row is locked so two sides agreeing at once are both kept.
 */
export async function agree(
  scope: Scope,
  linkUpId: string,
  side: 'peer' | 'seeker',
  agreement: { supports: string[]; words: string; meeting: string },
  at = new Date(),
): Promise<AgreeResult> {
  await scope.tx.execute(sql`select id from peer_link_up where id = ${linkUpId} for no key update`);
  const linkUp = await linkUpById(scope, linkUpId);
  if (!linkUp) return { ok: false, reason: 'stage' };
  if ((side === 'peer' ? linkUp.peerAgreedAt : linkUp.seekerAgreedAt) !== null)
    return { ok: false, reason: 'already' };
  if (linkUp.stage !== 'suggested') return { ok: false, reason: 'stage' };
  const first = !linkUp.peerAgreedAt && !linkUp.seekerAgreedAt;
  const both = !first;
  const recordedBy =
    side === 'seeker' && scope.actorPersonId !== linkUp.seekerPersonId ? scope.actorPersonId : null;
  await scope.tx.execute(sql`update peer_link_up set
      ${side === 'peer' ? sql`peer_agreed_at` : sql`seeker_agreed_at`} = ${at.toISOString()},
      ${first ? sql`supports = ${JSON.stringify(agreement.supports)}::jsonb, agreed_words = ${agreement.words}, meeting = ${agreement.meeting},` : sql``}
      ${side === 'seeker' ? sql`seeker_agreement_recorded_by = ${recordedBy},` : sql``}
      stage = ${both ? 'introduced' : 'suggested'}
    where id = ${linkUp.id}`);
  if (both) await recordStage(scope, linkUp.id, 'introduced', '', at);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.linkUp,
    subjectId: linkUp.id,
    subjectPersonId: linkUp.seekerPersonId,
    detail: { fields: first ? ['agreed', 'supports', 'words', 'meeting'] : ['agreed'], side },
  });
  if (both) await tellBothSides(scope, linkUp.id, [linkUp.peerPersonId, linkUp.seekerPersonId], 'accepted');
  return { ok: true, introduced: both };
}

/** Both sides of a link-up hear where it has got to (whoever moved it is not told of their own act). */
function tellBothSides(
  scope: Scope,
  linkUpId: string,
  people: string[],
  news: 'suggested' | 'accepted' | 'ended',
) {
  return notifyEach(scope, people, linkUpNews, `/peer/link-ups/${linkUpId}`, { context: news });
}

const allowedMoves: Record<Stage, readonly Stage[]> = {
  suggested: ['ended'],
  introduced: ['active', 'paused', 'ended'],
  active: ['reviewed', 'paused', 'ended'],
  reviewed: ['reviewed', 'paused', 'ended'],
  paused: ['active', 'ended'],
  ended: [],
};

export function canMove(from: Stage, to: Stage): boolean {
  return allowedMoves[from].includes(to);
}

/**
 * Moving a link-up on: active (they have started), reviewed (the next review is set from the
 * organisation's rhythm), paused, ended (with a short celebration or a kind reason).
 */
export async function moveLinkUp(
  scope: Scope,
  linkUp: LinkUp,
  to: Stage,
  words: string,
  options: { endedKind?: 'celebration' | 'reason'; at?: Date } = {},
): Promise<boolean> {
  if (!canMove(linkUp.stage, to)) return false;
  const at = options.at ?? new Date();
  const nextReview =
    to === 'active' || to === 'reviewed' ? addDays(at, linkUp.reviewEveryWeeks * 7) : linkUp.nextReviewOn;
  await scope.tx.execute(sql`update peer_link_up set stage = ${to}, next_review_on = ${nextReview},
      active_at = coalesce(active_at, case when ${to} = 'active' then ${at.toISOString()}::timestamptz end),
      ended_at = case when ${to} = 'ended' then ${at.toISOString()}::timestamptz else ended_at end,
      ended_kind = ${to === 'ended' ? (options.endedKind ?? 'reason') : null},
      ended_words = ${to === 'ended' ? words : null}
    where id = ${linkUp.id} and stage = ${linkUp.stage}`);
  await recordStage(scope, linkUp.id, to, words, at);
  if (to === 'ended') {
    // The request is closed with the link-up; coming back needs no re-referral, just a new request.
    await scope.tx.execute(sql`update peer_request set status = 'closed' where id = ${linkUp.requestId}`);
    await tellBothSides(scope, linkUp.id, [linkUp.peerPersonId, linkUp.seekerPersonId], 'ended');
  }
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.linkUp,
    subjectId: linkUp.id,
    subjectPersonId: linkUp.seekerPersonId,
    detail: { fields: words ? ['stage', 'words'] : ['stage'], stage: to },
  });
  return true;
}

export interface PeerSession {
  id: string;
  happenedOn: string;
  minutes: number;
  whatWeDid: string;
  howItFelt: string;
  loggedBy: string | null;
}

export async function sessionsOf(scope: Scope, linkUp: LinkUp): Promise<PeerSession[]> {
  return rowsOf<PeerSession>(
    scope.tx.execute(sql`select id, to_char(happened_on, 'YYYY-MM-DD') as "happenedOn", minutes,
        what_we_did as "whatWeDid", how_it_felt as "howItFelt", logged_by as "loggedBy"
      from peer_session where link_up_id = ${linkUp.id} order by happened_on desc, created_at desc`),
  );
}

/**
 * A session logged by either side; the first one moves an introduced link-up to active. When the
 * organisation gives time credits, the peer's hours are credited in the same transaction (time-credits.ts).
 */
export async function logSession(
  scope: Scope,
  linkUp: LinkUp,
  session: { happenedOn: string; minutes: number; whatWeDid: string; howItFelt: string },
  options: { t?: Translate } = {},
): Promise<{ sessionId: string; credit: SessionCredit } | false> {
  if (!['introduced', 'active', 'reviewed'].includes(linkUp.stage)) return false;
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into peer_session (organisation_id, link_up_id, happened_on, minutes, what_we_did,
        how_it_felt, logged_by)
      values (${scope.organisationId}, ${linkUp.id}, ${session.happenedOn}, ${session.minutes}, ${session.whatWeDid},
        ${session.howItFelt}, ${scope.actorPersonId})
      returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.session,
    subjectId: linkUp.id,
    subjectPersonId: linkUp.seekerPersonId,
    detail: {
      fields: session.howItFelt
        ? ['happenedOn', 'minutes', 'whatWeDid', 'howItFelt']
        : ['happenedOn', 'minutes', 'whatWeDid'],
    },
  });
  if (linkUp.stage === 'introduced') await moveLinkUp(scope, linkUp, 'active', '');
  const credit = await creditSession(
    scope,
    linkUp,
    { id: row!.id, minutes: session.minutes, happenedOn: session.happenedOn },
    options.t,
  );
  return { sessionId: row!.id, credit };
}

export interface CoachNote {
  id: string;
  words: string;
  writtenBy: string | null;
  writtenAt: Date;
  hiddenReason: string | null;
  hiddenWords: string | null;
}

/** Coach notes on a link-up; both sides see them unless one was hidden with a reason. */
export async function notesOf(
  scope: Scope,
  linkUp: LinkUp,
  options: { team: boolean },
): Promise<CoachNote[]> {
  return rowsOf<CoachNote>(
    scope.tx.execute(sql`select id, words, written_by as "writtenBy", written_at as "writtenAt",
        hidden_reason as "hiddenReason", hidden_words as "hiddenWords"
      from peer_coach_note where link_up_id = ${linkUp.id} ${options.team ? sql`` : sql`and hidden_reason is null`}
      order by written_at desc, id`),
  );
}

export async function addNote(scope: Scope, linkUp: LinkUp, words: string) {
  await scope.tx.execute(sql`insert into peer_coach_note (organisation_id, link_up_id, words, written_by)
    values (${scope.organisationId}, ${linkUp.id}, ${words}, ${scope.actorPersonId})`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.note,
    subjectId: linkUp.id,
    subjectPersonId: linkUp.seekerPersonId,
    detail: { fields: ['words'] },
  });
}

/** Hiding a note from both sides: rare, with a reason from the list and words, and audited. */
export async function hideNote(
  scope: Scope,
  linkUp: LinkUp,
  noteId: string,
  reason: string,
  words: string,
): Promise<boolean> {
  if (!isUuid(noteId)) return false;
  const rows = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update peer_coach_note set hidden_reason = ${reason}, hidden_words = ${words},
        hidden_by = ${scope.actorPersonId}, hidden_at = now()
      where id = ${noteId} and link_up_id = ${linkUp.id} and hidden_reason is null returning id`),
  );
  if (!rows.length) return false;
  await audit(scope, {
    action: 'hide',
    subjectType: auditSubject.note,
    subjectId: linkUp.id,
    subjectPersonId: linkUp.seekerPersonId,
    detail: { fields: ['hiddenReason', 'hiddenWords'], reason },
  });
  return true;
}

export async function peerOpenCount(scope: Scope, profileId: string) {
  return openLinkUpCount(scope, profileId);
}

export { openStages };
