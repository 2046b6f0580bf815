import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { namesOf, namesToTellApartOf, sortByName } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  Checkboxes,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  Radios,
  requiredText,
  Select,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable, LinkList, Notice, renderPage } from '../../../core/web/layout.tsx';
import { allowed, inOrganisation } from '../../../core/web/middleware.ts';
import { listBanks } from '../../time-bank/ledger.ts';
import {
  addMember,
  createHousehold,
  householdOf,
  listHouseholds,
  setProfileHousehold,
} from '../households.ts';
import {
  acceptPair,
  alternativesFor,
  listLinkUps,
  markSeen,
  proposedLinkUps,
  rejectPair,
  requestById,
  unseenIntroductions,
  waitingRequests,
} from '../link-ups.ts';
import {
  addPlace,
  addTag,
  listLevels,
  listModules,
  listPlaces,
  listTags,
  nameIn,
  saveSettings,
  settingsOf,
} from '../lists.ts';
import { defaultWeights, type Weights } from '../matching/index.ts';
import { confirmLevel, listProfiles, profileById, recordTrainingSession, trainingOf } from '../peers.ts';
import { setTimeCreditBank, timeCreditBankOf } from '../time-credits.ts';
import { stages, subject, w } from '../words.ts';
import { type C, day, explain, hoursText, noticeFor, TeamCrumb } from './shared.tsx';

const weightKeys = Object.keys(defaultWeights) as (keyof Weights)[];

const settingsSchema = z.object({
  ...Object.fromEntries(
    weightKeys.map((key) => [
      key,
      z
        .string()
        .trim()
        .regex(/^\d{1,3}$/, 'peer-support.errors.weight')
        .transform(Number)
        .refine((n) => n <= 100, 'peer-support.errors.weight'),
    ]),
  ),
  reviewEveryWeeks: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'peer-support.errors.reviewWeeks')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 52, 'peer-support.errors.reviewWeeks'),
});

const timeCreditsSchema = z.object({
  timeCreditBank: z
    .string({ error: 'peer-support.errors.timeCreditBank' })
    .trim()
    .min(1, 'peer-support.errors.timeCreditBank'),
});
const tagSchema = z.object({ tagName: requiredText(80), tagNameCy: optionalText(80) });
const householdSchema = z.object({ householdName: requiredText(100) });
const coordinate = (limit: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}(\.\d{1,7})?$/, 'peer-support.errors.coordinate')
    .transform(Number)
    .refine((n) => Math.abs(n) <= limit, 'peer-support.errors.coordinate');
const placeSchema = z.object({ placeName: requiredText(80), lat: coordinate(90), lon: coordinate(180) });
const memberSchema = z.object({ memberName: requiredText(100), isChild: z.string().default('') });

/** The coach team's side: who is waiting, matching across everyone, the board, peers' training and levels. */
export function teamRoutes(app: Hono<AppEnv>) {
  for (const path of ['/peer-support', '/peer-support/*']) app.use(path, allowed('manage', subject.team));

  app.get('/peer-support', async (c) => {
    const t = c.get('t');
    const { waiting, unseen } = await inOrganisation(c, async (scope) => ({
      waiting: await waitingRequests(scope),
      unseen: await unseenIntroductions(scope),
    }));
    return renderPage(
      c,
      { title: t(w('team.title')) },
      <>
        <Notice text={noticeFor(c)} />
        <h1 class="govuk-heading-l">{t(w('team.title'))}</h1>
        {unseen ? (
          <div class="govuk-inset-text" data-unseen={unseen}>
            {t(w('team.unseen'), { count: unseen })}
          </div>
        ) : null}
        <LinkList
          links={[
            {
              href: '/peer-support/matching',
              label: t(w('matching.title')),
              hint: t(w('team.matchingHint')),
            },
            { href: '/peer-support/board', label: t(w('board.title')), hint: t(w('team.boardHint')) },
            { href: '/peer-support/peers', label: t(w('peers.title')), hint: t(w('team.peersHint')) },
            {
              href: '/peer-support/households',
              label: t(w('household.title')),
              hint: t(w('team.householdsHint')),
            },
            { href: '/peer-support/levels', label: t(w('levels.title')), hint: t(w('team.levelsHint')) },
            {
              href: '/peer-support/settings',
              label: t(w('settings.title')),
              hint: t(w('team.settingsHint')),
            },
          ]}
        />
        <h2 class="govuk-heading-m">{t(w('team.waiting'), { count: waiting.length })}</h2>
        {waiting.length ? (
          <ul class="govuk-list">
            {waiting.map((request) => (
              <li>
                <a class="govuk-link" href={`/peer-support/requests/${request.id}`}>
                  <bdi>{request.calledName}</bdi>
                </a>{' '}
                <span class="govuk-body-s">
                  {t(w(request.introducedBy ? 'team.introducedOn' : 'team.askedOn'), {
                    date: day(c, request.createdAt),
                  })}
                </span>{' '}
                {request.introducedBy && !request.seenByTeamAt ? (
                  <strong class="govuk-tag govuk-tag--blue">{t(w('team.new'))}</strong>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="govuk-body">{t(w('team.nobodyWaiting'))}</p>
        )}
      </>,
    );
  });

  app.get('/peer-support/requests/:requestId', async (c) => {
    const t = c.get('t');
    const shown = await inOrganisation(c, async (scope) => {
      const request = await requestById(scope, c.req.param('requestId'));
      if (!request) return null;
      await markSeen(scope, request);
      await audit(scope, {
        action: 'read',
        subjectType: 'peer-support:request',
        subjectId: request.id,
        subjectPersonId: request.personId,
      });
      const names = await namesOf(scope, [request.personId, request.introducedBy ?? '']);
      return {
        request,
        names,
        household: await householdOf(scope, request.householdId),
        tags: await listTags(scope),
      };
    });
    if (!shown) return renderProblem(c, 404);
    const { request, names } = shown;
    const name = names.get(request.personId) ?? '';
    const row = (label: string, value: string) => (
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">{label}</dt>
        <dd class="govuk-summary-list__value">{value}</dd>
      </div>
    );
    return renderPage(
      c,
      { title: name },
      <>
        <TeamCrumb c={c} />
        <h1 class="govuk-heading-l">
          <bdi>{name}</bdi>
        </h1>
        <dl class="govuk-summary-list">
          {row(t(w('request.words')), request.words)}
          {request.howToReach ? row(t(w('request.howToReach')), request.howToReach) : null}
          {shown.household
            ? row(t(w('request.household')), shown.household.members.map((m) => m.calledName).join(', '))
            : null}
          {row(
            t(w('request.language')),
            request.language
              ? t(w(request.languageMust ? 'request.languageMust' : 'request.languagePreferred'), {
                  language: t(w(`languages.${request.language}`)),
                })
              : '—',
          )}
          {row(
            t(w('request.tags')),
            request.tags
              .map((key) =>
                nameIn(
                  c.get('language'),
                  shown.tags.find((tag) => tag.key === key) ?? { key, name: key, nameCy: null },
                ),
              )
              .join(', ') || '—',
          )}
          {row(t(w('request.area')), request.area || '—')}
          {row(t(w('request.support')), t(w(`supports.${request.supportWanted}`)))}
          {request.introducedBy
            ? row(
                t(w('request.introducedBy')),
                `${names.get(request.introducedBy) ?? ''} — ${day(c, request.createdAt)}`,
              )
            : null}
          {request.consentWording ? row(t(w('request.consent')), request.consentWording) : null}
          {row(t(w('request.status')), t(w(`request.statuses.${request.status}`)))}
        </dl>
        <p class="govuk-body">
          <a class="govuk-link" href="/peer-support/matching">
            {t(w('request.toMatching'))}
          </a>
        </p>
      </>,
    );
  });

  const matchingPage = async (c: C, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const shown = await inOrganisation(c, async (scope) => {
      const proposed = await proposedLinkUps(scope);
      const people = [
        ...proposed.requests.map((r) => r.personId),
        ...proposed.profiles.map((p) => p.personId),
      ];
      return {
        proposed,
        names: await namesOf(scope, people),
        lists: { tags: await listTags(scope), levels: await listLevels(scope) },
      };
    });
    const { proposed, names } = shown;
    // The most a pair can score is every weight met in full.
    const bestScore = Object.values(proposed.input.settings.weights).reduce((sum, weight) => sum + weight, 0);
    const requestName = (id: string) =>
      names.get(proposed.requests.find((r) => r.id === id)?.personId ?? '') ?? '';
    const peerName = (id: string) =>
      names.get(proposed.profiles.find((p) => p.id === id)?.personId ?? '') ?? '';
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      { title: t(w('matching.title')), hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <TeamCrumb c={c} />
        <Notice text={noticeFor(c)} />
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('matching.title'))}</h1>
        <p class="govuk-body">{t(w('matching.intro'))}</p>
        <p class="govuk-body">
          {t(w('matching.summary'), {
            count: proposed.suggestions.linkUps.length,
            waiting: proposed.requests.length,
          })}
        </p>
        {proposed.suggestions.linkUps.length === 0 ? <p class="govuk-body">{t(w('matching.none'))}</p> : null}
        <ol class="alongside-card-list">
          {proposed.suggestions.linkUps.map((suggestion) => {
            const others = alternativesFor(proposed, suggestion.requestId).filter(
              (alt) => alt.peerId !== suggestion.peerId,
            );
            return (
              <li class="alongside-card" data-suggestion={suggestion.requestId}>
                <h2 class="govuk-heading-s">
                  {t(w('matching.pair'), {
                    seeker: requestName(suggestion.requestId),
                    peer: peerName(suggestion.peerId),
                  })}
                </h2>
                <p class="govuk-body" data-why>
                  {explain(c, suggestion.reasons, shown.lists)}
                </p>
                <p class="govuk-body-s">
                  {t(w('matching.score'), { score: Math.round(suggestion.score), max: bestScore })}
                </p>
                <div class="alongside-actions">
                  <form method="post" action="/peer-support/matching/accept" class="alongside-inline-form">
                    <CsrfField c={c} />
                    <input type="hidden" name="request" value={suggestion.requestId} />
                    <input type="hidden" name="peer" value={suggestion.peerId} />
                    <button type="submit" class="govuk-button">
                      {t(w('matching.accept'), {
                        seeker: requestName(suggestion.requestId),
                        peer: peerName(suggestion.peerId),
                      })}
                    </button>
                  </form>
                  <form method="post" action="/peer-support/matching/reject" class="alongside-inline-form">
                    <CsrfField c={c} />
                    <input type="hidden" name="request" value={suggestion.requestId} />
                    <input type="hidden" name="peer" value={suggestion.peerId} />
                    <button type="submit" class="govuk-button govuk-button--warning">
                      {t(w('matching.reject'), {
                        seeker: requestName(suggestion.requestId),
                        peer: peerName(suggestion.peerId),
                      })}
                    </button>
                  </form>
                </div>
                {others.length ? (
                  <form method="post" action="/peer-support/matching/accept" novalidate>
                    <CsrfField c={c} />
                    <input type="hidden" name="request" value={suggestion.requestId} />
                    <Select
                      name="peer"
                      id={`swap-${suggestion.requestId}`}
                      label={t(w('matching.swap'), { seeker: requestName(suggestion.requestId) })}
                      t={t}
                      options={others.map((alt) => ({
                        value: alt.peerId,
                        label: `${peerName(alt.peerId)} — ${explain(c, alt.reasons, shown.lists)}`,
                      }))}
                    />
                    <Button secondary>{t(w('matching.swapButton'))}</Button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ol>
        {proposed.suggestions.waiting.length ? (
          <>
            <h2 class="govuk-heading-m">{t(w('matching.stillWaiting'))}</h2>
            <p class="govuk-body">{t(w('matching.stillWaitingHint'))}</p>
            <ul class="govuk-list">
              {proposed.suggestions.waiting.map((id) => (
                <li>
                  <a class="govuk-link" href={`/peer-support/requests/${id}`}>
                    <bdi>{requestName(id)}</bdi>
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </>,
    );
  };
  app.get('/peer-support/matching', (c) => matchingPage(c));
  app.post('/peer-support/matching/accept', async (c) => {
    const values = await formValues(c);
    const result = await inOrganisation(c, (scope) =>
      acceptPair(scope, values.request ?? '', values.peer ?? ''),
    );
    if (!result.ok && result.reason === 'gone') return renderProblem(c, 404);
    if (!result.ok) return matchingPage(c, { form: c.get('t')(w('errors.notAllowed')) });
    return c.redirect(`/peer/link-ups/${result.linkUpId}?done=accepted`, 303);
  });
  app.post('/peer-support/matching/reject', async (c) => {
    const values = await formValues(c);
    const done = await inOrganisation(c, (scope) =>
      rejectPair(scope, values.request ?? '', values.peer ?? ''),
    );
    if (!done) return renderProblem(c, 404);
    return c.redirect('/peer-support/matching?done=rejected', 303);
  });

  app.get('/peer-support/board', async (c) => {
    const t = c.get('t');
    const linkUps = await inOrganisation(c, (scope) => listLinkUps(scope));
    return renderPage(
      c,
      { title: t(w('board.title')) },
      <>
        <TeamCrumb c={c} />
        <h1 class="govuk-heading-l">{t(w('board.title'))}</h1>
        {stages.map((stage) => {
          const here = linkUps.filter((linkUp) => linkUp.stage === stage);
          return (
            <section aria-labelledby={`stage-${stage}`}>
              <h2 class="govuk-heading-m" id={`stage-${stage}`}>
                {t(w(`stages.${stage}`))} ({here.length})
              </h2>
              {here.length ? (
                <ul class="govuk-list">
                  {here.map((linkUp) => (
                    <li>
                      <a class="govuk-link" href={`/peer/link-ups/${linkUp.id}`}>
                        {t(w('board.pair'), { peer: linkUp.peerName, seeker: linkUp.seekerName })}
                      </a>
                      {linkUp.nextReviewOn && stage !== 'ended' && stage !== 'paused' ? (
                        <span class="govuk-body-s">
                          {' '}
                          — {t(w('board.review'), { date: day(c, linkUp.nextReviewOn) })}
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="govuk-body-s">{t(w('board.none'))}</p>
              )}
            </section>
          );
        })}
      </>,
    );
  });

  app.get('/peer-support/peers', async (c) => {
    const t = c.get('t');
    const { peers, levels, names } = await inOrganisation(c, async (scope) => {
      const peers = await listProfiles(scope);
      // Two peers of the same name are told apart, and the list is in the reader's language's order.
      const names = await namesToTellApartOf(
        scope,
        peers.map((peer) => peer.personId),
        t,
      );
      const name = (peer: (typeof peers)[number]) => names.get(peer.personId) ?? peer.calledName;
      return {
        peers: sortByName(peers, name, c.get('language')),
        levels: await listLevels(scope),
        names: name,
      };
    });
    return renderPage(
      c,
      { title: t(w('peers.title')) },
      <>
        <TeamCrumb c={c} />
        <h1 class="govuk-heading-l">{t(w('peers.title'))}</h1>
        <DataTable
          caption={t(w('peers.caption'), { count: peers.length })}
          columns={[
            { label: t(w('peers.name')) },
            { label: t(w('peers.level')) },
            { label: t(w('peers.linkUps')) },
            { label: t(w('peers.hours')), numeric: true },
          ]}
          rows={peers.map((peer) => {
            const level = levels.find((l) => l.key === peer.levelKey);
            return [
              <a class="govuk-link" href={`/peer-support/peers/${peer.id}`}>
                <bdi>{names(peer)}</bdi>
              </a>,
              level ? nameIn(c.get('language'), level) : t(w('mine.noLevel')),
              t(w('peers.holding'), { open: peer.open, capacity: peer.capacity }),
              hoursText(t, peer.minutes),
            ];
          })}
        />
      </>,
    );
  });

  const peerPage = async (c: C, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const shown = await inOrganisation(c, async (scope) => {
      const profile = await profileById(scope, c.req.param('profileId')!);
      if (!profile) return null;
      await audit(scope, {
        action: 'read',
        subjectType: 'peer-support:profile',
        subjectId: profile.id,
        subjectPersonId: profile.personId,
      });
      return {
        profile,
        name: (await namesOf(scope, [profile.personId])).get(profile.personId) ?? '',
        training: await trainingOf(scope, profile),
        modules: await listModules(scope),
        levels: await listLevels(scope),
        tags: await listTags(scope),
        households: await listHouseholds(scope),
      };
    });
    if (!shown) return renderProblem(c, 404);
    const { profile, levels } = shown;
    const current = levels.find((l) => l.key === profile.levelKey);
    const next = levels.find((l) => l.rank === (current ? current.rank + 1 : levels[0]?.rank));
    const base = `/peer-support/peers/${profile.id}`;
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      { title: shown.name, hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <p class="govuk-caption-m">
          <a class="govuk-link" href="/peer-support/peers">
            {t(w('peers.title'))}
          </a>
        </p>
        <Notice text={noticeFor(c)} />
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">
          <bdi>{shown.name}</bdi>
        </h1>
        <dl class="govuk-summary-list">
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t(w('mine.level'))}</dt>
            <dd class="govuk-summary-list__value" data-level>
              {current ? nameIn(language, current) : t(w('mine.noLevel'))}
            </dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t(w('profile.words'))}</dt>
            <dd class="govuk-summary-list__value">{profile.words}</dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t(w('profile.tags'))}</dt>
            <dd class="govuk-summary-list__value">
              {profile.tags
                .map((key) =>
                  nameIn(
                    language,
                    shown.tags.find((tag) => tag.key === key) ?? { key, name: key, nameCy: null },
                  ),
                )
                .join(', ') || '—'}
            </dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t(w('profile.languages'))}</dt>
            <dd class="govuk-summary-list__value">
              {profile.languages.map((code) => t(w(`languages.${code}`))).join(', ') || '—'}
            </dd>
          </div>
        </dl>
        <h2 class="govuk-heading-m">{t(w('mine.training'))}</h2>
        <DataTable
          caption={t(w('mine.trainingCaption'))}
          columns={[
            { label: t(w('mine.module')) },
            { label: t(w('mine.progress')) },
            { label: t(w('peers.record')) },
          ]}
          rows={shown.modules.map((module) => {
            const record = shown.training.find((r) => r.moduleKey === module.key);
            return [
              nameIn(language, module),
              record?.completedAt
                ? t(w('mine.completed'), { date: day(c, record.completedAt) })
                : t(w('mine.attended'), {
                    count: record?.sessionsAttended ?? 0,
                    needed: module.sessionsNeeded,
                  }),
              record?.completedAt ? (
                '—'
              ) : (
                <form method="post" action={`${base}/training`} class="alongside-inline-form">
                  <CsrfField c={c} />
                  <input type="hidden" name="module" value={module.key} />
                  <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                    {t(w('peers.attended'), { module: nameIn(language, module) })}
                  </button>
                </form>
              ),
            ];
          })}
        />
        <form method="post" action={`${base}/household`} novalidate>
          <CsrfField c={c} />
          <Select
            name="household"
            label={t(w('peers.household'))}
            hint={t(w('peers.householdHint'))}
            values={{ household: profile.householdId ?? '' }}
            t={t}
            options={[
              { value: '', label: t(w('peers.noHousehold')) },
              ...shown.households.map((household) => ({ value: household.id, label: household.name })),
            ]}
          />
          <Button secondary>{t(w('peers.saveHousehold'))}</Button>
        </form>
        {next ? (
          <form method="post" action={`${base}/level`} novalidate>
            <CsrfField c={c} />
            <input type="hidden" name="level" value={next.key} />
            <h2 class="govuk-heading-m">{t(w('peers.moveUp'))}</h2>
            <p class="govuk-body">
              {t(w('peers.moveUpHint'), {
                level: nameIn(language, next),
                modules: next.needsTraining
                  .map((key) =>
                    nameIn(
                      language,
                      shown.modules.find((m) => m.key === key) ?? { key, name: key, nameCy: null },
                    ),
                  )
                  .join(', '),
              })}
            </p>
            <Button>{t(w('peers.confirm'), { level: nameIn(language, next) })}</Button>
          </form>
        ) : null}
      </>,
    );
  };
  app.get('/peer-support/peers/:profileId', (c) => peerPage(c));
  app.post('/peer-support/peers/:profileId/training', async (c) => {
    const values = await formValues(c);
    const result = await inOrganisation(c, async (scope) => {
      const profile = await profileById(scope, c.req.param('profileId'));
      if (!profile) return null;
      return recordTrainingSession(scope, profile, values.module ?? '');
    });
    if (result === null) return renderProblem(c, 404);
    if (!result) return peerPage(c, { form: c.get('t')(w('errors.module')) });
    return c.redirect(`/peer-support/peers/${c.req.param('profileId')}?done=trainingRecorded`, 303);
  });
  app.post('/peer-support/peers/:profileId/household', async (c) => {
    const values = await formValues(c);
    const done = await inOrganisation(c, async (scope) => {
      const profile = await profileById(scope, c.req.param('profileId'));
      if (!profile) return false;
      const household = values.household ? await householdOf(scope, values.household) : null;
      if (values.household && !household) return false;
      await setProfileHousehold(scope, profile.id, household?.id ?? null);
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/peer-support/peers/${c.req.param('profileId')}?done=householdSaved`, 303);
  });
  app.post('/peer-support/peers/:profileId/level', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const result = await inOrganisation(c, async (scope) => {
      const profile = await profileById(scope, c.req.param('profileId'));
      if (!profile) return null;
      const change = await confirmLevel(scope, profile, values.level ?? '');
      return { change, modules: await listModules(scope) };
    });
    if (result === null) return renderProblem(c, 404);
    const { change, modules } = result;
    if (!change.ok) {
      const message =
        change.reason === 'training'
          ? t(w('errors.trainingMissing'), {
              modules: change.missing
                .map((key) =>
                  nameIn(
                    c.get('language'),
                    modules.find((m) => m.key === key) ?? { key, name: key, nameCy: null },
                  ),
                )
                .join(', '),
            })
          : t(w('errors.level'));
      return peerPage(c, { form: message });
    }
    return c.redirect(`/peer-support/peers/${c.req.param('profileId')}?done=levelConfirmed`, 303);
  });

  const settingsPage = async (c: C, values: FormValues | null = null, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const { settings, tags, places, banks, creditBank } = await inOrganisation(c, async (scope) => ({
      settings: await settingsOf(scope),
      tags: await listTags(scope),
      places: await listPlaces(scope),
      banks: await listBanks(scope),
      creditBank: await timeCreditBankOf(scope),
    }));
    const creditValues: FormValues =
      values?.timeCreditBank !== undefined ? values : { timeCreditBank: creditBank?.id ?? 'none' };
    const shownValues: FormValues = values ?? {
      ...Object.fromEntries(weightKeys.map((key) => [key, String(settings.weights[key])])),
      reviewEveryWeeks: String(settings.reviewEveryWeeks),
    };
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      { title: t(w('settings.title')), narrow: true, hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <TeamCrumb c={c} />
        <Notice text={noticeFor(c)} />
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('settings.title'))}</h1>
        <form method="post" action="/peer-support/settings" novalidate>
          <CsrfField c={c} />
          <h2 class="govuk-heading-m">{t(w('settings.weights'))}</h2>
          <p class="govuk-body">{t(w('settings.weightsHint'))}</p>
          {weightKeys.map((key) => (
            <TextInput
              name={key}
              label={t(w(`settings.weight.${key}`))}
              values={shownValues}
              errors={errors}
              t={t}
              width="10"
            />
          ))}
          <TextInput
            name="reviewEveryWeeks"
            label={t(w('settings.reviewEveryWeeks'))}
            values={shownValues}
            errors={errors}
            t={t}
            width="10"
          />
          <Button>{t(w('settings.save'))}</Button>
        </form>
        <h2 class="govuk-heading-m">{t(w('settings.tags'))}</h2>
        <ul class="govuk-list govuk-list--bullet">
          {tags.map((tag) => (
            <li>
              {tag.name}
              {tag.nameCy ? ` / ${tag.nameCy}` : ''}
            </li>
          ))}
        </ul>
        <form method="post" action="/peer-support/settings/tags" novalidate>
          <CsrfField c={c} />
          <TextInput
            name="tagName"
            label={t(w('settings.tagName'))}
            hint={t(w('settings.tagNameHint'))}
            values={values ?? {}}
            errors={errors}
            t={t}
          />
          <TextInput
            name="tagNameCy"
            label={t(w('settings.tagNameCy'))}
            values={values ?? {}}
            errors={errors}
            t={t}
          />
          <Button secondary>{t(w('settings.addTag'))}</Button>
        </form>
        <h2 class="govuk-heading-m">{t(w('settings.places'))}</h2>
        <p class="govuk-body">{t(w('settings.placesHint'))}</p>
        {places.length ? (
          <ul class="govuk-list govuk-list--bullet">
            {places.map((place) => (
              <li>{place.name}</li>
            ))}
          </ul>
        ) : null}
        <form method="post" action="/peer-support/settings/places" novalidate>
          <CsrfField c={c} />
          <TextInput
            name="placeName"
            label={t(w('settings.placeName'))}
            values={values ?? {}}
            errors={errors}
            t={t}
            width="20"
          />
          <TextInput
            name="lat"
            label={t(w('settings.lat'))}
            hint={t(w('settings.latHint'))}
            values={values ?? {}}
            errors={errors}
            t={t}
            width="10"
          />
          <TextInput
            name="lon"
            label={t(w('settings.lon'))}
            hint={t(w('settings.lonHint'))}
            values={values ?? {}}
            errors={errors}
            t={t}
            width="10"
          />
          <Button secondary>{t(w('settings.addPlace'))}</Button>
        </form>
        <h2 class="govuk-heading-m">{t(w('settings.timeCredits'))}</h2>
        {banks.length ? (
          <form method="post" action="/peer-support/settings/time-credits" novalidate>
            <CsrfField c={c} />
            <Radios
              name="timeCreditBank"
              legend={t(w('settings.timeCreditBank'))}
              hint={t(w('settings.timeCreditsHint'))}
              options={[
                ...banks.map((bank) => ({ value: bank.id, label: bank.name })),
                { value: 'none', label: t(w('settings.noTimeCredits')) },
              ]}
              values={creditValues}
              errors={errors}
              t={t}
            />
            <Button secondary>{t(w('settings.saveTimeCredits'))}</Button>
          </form>
        ) : (
          <p class="govuk-body">{t(w('settings.noBanks'))}</p>
        )}
      </>,
    );
  };
  app.get('/peer-support/settings', (c) => settingsPage(c));
  app.post('/peer-support/settings', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(settingsSchema, values, c.get('t'));
    if (!parsed.ok) return settingsPage(c, values, parsed.errors);
    const data = parsed.data as unknown as Weights & { reviewEveryWeeks: number };
    await inOrganisation(c, (scope) =>
      saveSettings(scope, {
        weights: Object.fromEntries(weightKeys.map((key) => [key, data[key]])) as unknown as Weights,
        reviewEveryWeeks: data.reviewEveryWeeks,
      }),
    );
    return c.redirect('/peer-support/settings?done=settingsSaved', 303);
  });
  // Time credits for peers: one of the organisation's own banks, or none. Another organisation's bank
  // (or anything else) is refused by the field and nothing changes.
  app.post('/peer-support/settings/time-credits', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(timeCreditsSchema, values, t);
    if (!parsed.ok) return settingsPage(c, values, parsed.errors);
    const chosen = parsed.data.timeCreditBank;
    const saved = await inOrganisation(c, (scope) =>
      setTimeCreditBank(scope, chosen === 'none' ? null : chosen),
    );
    if (!saved) return settingsPage(c, values, { timeCreditBank: t(w('errors.timeCreditBank')) });
    return c.redirect('/peer-support/settings?done=timeCreditsSaved', 303);
  });
  app.post('/peer-support/settings/tags', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(tagSchema, values, t);
    if (!parsed.ok) return settingsPage(c, values, parsed.errors);
    const added = await inOrganisation(c, (scope) =>
      addTag(scope, parsed.data.tagName, parsed.data.tagNameCy || null),
    );
    if (!added) return settingsPage(c, values, { tagName: t(w('errors.tagTaken')) });
    return c.redirect('/peer-support/settings?done=tagAdded', 303);
  });

  app.post('/peer-support/settings/places', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(placeSchema, values, c.get('t'));
    if (!parsed.ok) return settingsPage(c, values, parsed.errors);
    await inOrganisation(c, (scope) =>
      addPlace(scope, { name: parsed.data.placeName, lat: parsed.data.lat, lon: parsed.data.lon }),
    );
    return c.redirect('/peer-support/settings?done=placeAdded', 303);
  });

  const householdsPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const hasErrors = Object.keys(errors).length > 0;
    const householdId = c.req.query('household') ?? values.household ?? '';
    const household = householdId
      ? await inOrganisation(c, (scope) => householdOf(scope, householdId))
      : null;
    return renderPage(
      c,
      { title: t(w('household.title')), narrow: true, hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <TeamCrumb c={c} />
        <Notice text={noticeFor(c)} />
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('household.title'))}</h1>
        <p class="govuk-body">{t(w('household.intro'))}</p>
        {household ? (
          <>
            <h2 class="govuk-heading-m">{household.name}</h2>
            <ul class="govuk-list">
              {household.members.map((member) => (
                <li>
                  <bdi>{member.calledName}</bdi>
                  {member.isChild ? ` (${t(w('household.child'))})` : ''}
                </li>
              ))}
            </ul>
            <form method="post" action="/peer-support/households/members" novalidate>
              <CsrfField c={c} />
              <input type="hidden" name="household" value={household.id} />
              <TextInput
                name="memberName"
                label={t(w('household.memberName'))}
                values={values}
                errors={errors}
                t={t}
              />
              <Checkboxes
                name="isChild"
                legend={t(w('household.childLegend'))}
                chosen={values.isChild === 'yes' ? ['yes'] : []}
                t={t}
                options={[{ value: 'yes', label: t(w('household.isChild')) }]}
              />
              <Button secondary>{t(w('household.addMember'))}</Button>
            </form>
          </>
        ) : (
          <form method="post" action="/peer-support/households" novalidate>
            <CsrfField c={c} />
            <TextInput
              name="householdName"
              label={t(w('household.name'))}
              hint={t(w('household.nameHint'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Button>{t(w('household.create'))}</Button>
          </form>
        )}
      </>,
    );
  };
  app.get('/peer-support/households', (c) => householdsPage(c));
  app.post('/peer-support/households', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(householdSchema, values, c.get('t'));
    if (!parsed.ok) return householdsPage(c, values, parsed.errors);
    const id = await inOrganisation(c, (scope) => createHousehold(scope, parsed.data.householdName));
    return c.redirect(`/peer-support/households?household=${id}&done=householdSaved`, 303);
  });
  app.post('/peer-support/households/members', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(memberSchema, values, c.get('t'));
    if (!parsed.ok) return householdsPage(c, values, parsed.errors);
    const added = await inOrganisation(c, async (scope) => {
      const household = await householdOf(scope, values.household ?? '');
      if (!household) return null;
      await addMember(scope, household.id, {
        calledName: parsed.data.memberName,
        isChild: parsed.data.isChild === 'yes',
      });
      return household.id;
    });
    if (!added) return renderProblem(c, 404);
    return c.redirect(`/peer-support/households?household=${added}&done=householdSaved`, 303);
  });
}
