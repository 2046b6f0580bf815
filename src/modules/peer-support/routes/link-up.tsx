import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { calendarDay } from '../../../core/dates.ts';
import { checkWording, type WordingSuggestion } from '../../../core/language-guard/index.ts';
import { namesOf } from '../../../core/people.ts';
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
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { KeepWordingButton, needsWordingPause } from '../../../core/web/language-guard.tsx';
import { DataTable, Notice, renderPage } from '../../../core/web/layout.tsx';
import { inOrganisation, signedIn } from '../../../core/web/middleware.ts';
import { householdOf } from '../households.ts';
import {
  addNote,
  agree,
  canMove,
  hideNote,
  type LinkUp,
  linkUpById,
  logSession,
  moveLinkUp,
  notesOf,
  requestById,
  sessionsOf,
  sideOf,
  stageHistory,
} from '../link-ups.ts';
import { listLevels, listTags } from '../lists.ts';
import { creditsOfLinkUp } from '../time-credits.ts';
import { auditSubject, hideReasons, type Stage, subject, supportKinds, w } from '../words.ts';
import { allOf, type C, day, explain, hoursText, noticeFor, today } from './shared.tsx';

const agreeSchema = z.object({
  agreedWords: optionalText(2000),
  meeting: optionalText(300),
});

const sessionSchema = z.object({
  // The service has no link-ups from before this century; a session older than that is a slip.
  happenedOn: calendarDay({ required: true, past: true, earliest: '2000-01-01' }),
  hours: z.string().trim().default('0'),
  minutes: z.string().trim().default('0'),
  whatWeDid: requiredText(1000),
  howItFelt: optionalText(500),
});

/** Hours and minutes as typed: whole numbers, more than nothing and at most 12 hours in one session. */
export function sessionMinutes(hours: string, minutes: string): number | null {
  if (!/^\d{1,3}$/.test(hours || '0') || !/^\d{1,3}$/.test(minutes || '0')) return null;
  const total = Number(hours || '0') * 60 + Number(minutes || '0');
  return total >= 1 && total <= 720 && Number(minutes || '0') < 60 ? total : null;
}

const moveSchema = z.object({
  to: z.enum(['active', 'reviewed', 'paused', 'ended'], { error: 'peer-support.errors.stage' }),
  words: optionalText(1000),
  endedKind: z.enum(['celebration', 'reason']).optional(),
});

const noteSchema = z.object({ note: requiredText(2000) });
const hideSchema = z.object({
  reason: z.enum(hideReasons, { error: 'peer-support.errors.hideReason' }),
  hideWords: requiredText(500),
});

type Side = 'peer' | 'seeker' | 'team';

/** Who is looking at a link-up: its peer, the person supported, or the coach team (who may also act for the person). */
async function viewerOf(
  c: C,
  scope: Scope,
  linkUpId: string,
): Promise<{ linkUp: LinkUp; side: Side } | null> {
  const user = c.get('user')!;
  const can = c.get('can');
  const linkUp = await linkUpById(scope, linkUpId);
  if (!linkUp) return null;
  const side = sideOf(linkUp, user.personId, can);
  if (side) return { linkUp, side };
  if (can('manage', subject.team)) return { linkUp, side: 'team' };
  return null;
}

/**
 * One link-up, for both sides and the coach team: the suggestion's reasons, the agreement, sessions
 * (either side logs them; hours feed the peer's total), coach notes, and the stage.
 */
export function linkUpRoutes(app: Hono<AppEnv>) {
  app.use('/peer/link-ups/*', signedIn);

  const page = async (
    c: C,
    options: {
      values?: FormValues;
      chosen?: string[];
      errors?: FieldErrors;
      wording?: Record<string, WordingSuggestion[]>;
    } = {},
  ) => {
    const t = c.get('t');
    const values = options.values ?? {};
    const errors = options.errors ?? {};
    const shown = await inOrganisation(c, async (scope) => {
      const seen = await viewerOf(c, scope, c.req.param('linkUpId')!);
      if (!seen) return null;
      const { linkUp, side } = seen;
      const request = await requestById(scope, linkUp.requestId);
      const sessions = await sessionsOf(scope, linkUp);
      // Time credits are the peer's own business: the peer and the coach team see them, not the person supported.
      const credits =
        side === 'seeker'
          ? null
          : await creditsOfLinkUp(
              scope,
              linkUp,
              sessions.map((session) => session.id),
            );
      const notes = await notesOf(scope, linkUp, { team: side === 'team' });
      const history = side === 'team' ? await stageHistory(scope, linkUp) : [];
      const seekerHousehold = await householdOf(scope, linkUp.seekerHouseholdId);
      const peerHousehold = await householdOf(scope, linkUp.peerHouseholdId);
      const names = await namesOf(scope, [
        linkUp.peerPersonId,
        linkUp.seekerPersonId,
        ...notes.map((note) => note.writtenBy ?? ''),
        ...sessions.map((session) => session.loggedBy ?? ''),
      ]);
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.linkUp,
        subjectId: linkUp.id,
        subjectPersonId: linkUp.seekerPersonId,
      });
      return {
        linkUp,
        side,
        request,
        sessions,
        credits,
        notes,
        history,
        names,
        seekerHousehold,
        peerHousehold,
        lists: { tags: await listTags(scope), levels: await listLevels(scope) },
      };
    });
    if (!shown) return renderProblem(c, 404);
    const { linkUp, side, names, credits } = shown;
    const showCredits = !!credits && (!!credits.bank || credits.bySession.size > 0);
    const base = `/peer/link-ups/${linkUp.id}`;
    const peerName = names.get(linkUp.peerPersonId) ?? '';
    const seekerName = names.get(linkUp.seekerPersonId) ?? '';
    const title = t(w('linkUp.title'), { peer: peerName, seeker: seekerName });
    const minutes = shown.sessions.reduce((sum, session) => sum + session.minutes, 0);
    const mySide: 'peer' | 'seeker' | null = side === 'team' ? null : side;
    const canAgreeFor: ('peer' | 'seeker')[] =
      linkUp.stage !== 'suggested'
        ? []
        : side === 'team'
          ? linkUp.seekerAgreedAt
            ? []
            : ['seeker']
          : (mySide === 'peer' ? linkUp.peerAgreedAt : linkUp.seekerAgreedAt)
            ? []
            : [mySide!];
    const hasAgreement = Boolean(linkUp.peerAgreedAt || linkUp.seekerAgreedAt);
    const hasErrors = Object.keys(errors).length > 0;
    const moves = (['active', 'reviewed', 'paused', 'ended'] as Stage[]).filter((to) =>
      canMove(linkUp.stage, to),
    );
    const household = (h: typeof shown.seekerHousehold) =>
      h
        ? `${h.name}: ${h.members.map((m) => (m.isChild ? `${m.calledName} (${t(w('household.child'))})` : m.calledName)).join(', ')}`
        : null;
    return renderPage(
      c,
      { title, hasErrors, status: hasErrors ? 400 : 200 },
      <>
        {side === 'team' ? (
          <p class="govuk-caption-m">
            <a class="govuk-link" href="/peer-support/board">
              {t(w('board.title'))}
            </a>
          </p>
        ) : (
          <p class="govuk-caption-m">
            <a class="govuk-link" href="/peer">
              {t(w('mine.title'))}
            </a>
          </p>
        )}
        <Notice text={noticeFor(c)} />
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{title}</h1>
        <p class="govuk-body">
          <strong class="govuk-tag" data-stage={linkUp.stage}>
            {t(w(`stages.${linkUp.stage}`))}
          </strong>
        </p>
        <dl class="govuk-summary-list">
          {household(shown.seekerHousehold) ? (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w('linkUp.seekerFamily'))}</dt>
              <dd class="govuk-summary-list__value">{household(shown.seekerHousehold)}</dd>
            </div>
          ) : null}
          {household(shown.peerHousehold) ? (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w('linkUp.peerFamily'))}</dt>
              <dd class="govuk-summary-list__value">{household(shown.peerHousehold)}</dd>
            </div>
          ) : null}
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t(w('linkUp.why'))}</dt>
            <dd class="govuk-summary-list__value">{explain(c, linkUp.reasons, shown.lists) || '—'}</dd>
          </div>
          {shown.request ? (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w('linkUp.inTheirWords'), { name: seekerName })}</dt>
              <dd class="govuk-summary-list__value">{shown.request.words}</dd>
            </div>
          ) : null}
          {side === 'team' && shown.request?.howToReach ? (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w('linkUp.howToReach'))}</dt>
              <dd class="govuk-summary-list__value">{shown.request.howToReach}</dd>
            </div>
          ) : null}
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t(w('linkUp.hours'))}</dt>
            <dd class="govuk-summary-list__value">{hoursText(t, minutes)}</dd>
          </div>
          {linkUp.nextReviewOn && linkUp.stage !== 'ended' ? (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w('linkUp.nextReview'))}</dt>
              <dd class="govuk-summary-list__value">{day(c, linkUp.nextReviewOn)}</dd>
            </div>
          ) : null}
          {linkUp.stage === 'ended' && linkUp.endedWords ? (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w(`linkUp.ended.${linkUp.endedKind ?? 'reason'}`))}</dt>
              <dd class="govuk-summary-list__value">{linkUp.endedWords}</dd>
            </div>
          ) : null}
        </dl>

        <h2 class="govuk-heading-m">{t(w('agreement.title'))}</h2>
        <p class="govuk-body">
          {t(w(linkUp.peerAgreedAt ? 'agreement.peerAgreed' : 'agreement.peerNotYet'), { name: peerName })}
          <br />
          {t(
            w(
              linkUp.seekerAgreedAt
                ? linkUp.seekerAgreementRecordedBy
                  ? 'agreement.seekerAgreedWithCoach'
                  : 'agreement.seekerAgreed'
                : 'agreement.seekerNotYet',
            ),
            { name: seekerName },
          )}
        </p>
        {hasAgreement ? (
          <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w('agreement.supports'))}</dt>
              <dd class="govuk-summary-list__value">
                {linkUp.supports.map((kind) => t(w(`supports.${kind}`))).join(', ') || '—'}
              </dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w('agreement.words'))}</dt>
              <dd class="govuk-summary-list__value">{linkUp.agreedWords || '—'}</dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w('agreement.meeting'))}</dt>
              <dd class="govuk-summary-list__value">{linkUp.meeting || '—'}</dd>
            </div>
          </dl>
        ) : null}
        {canAgreeFor.map((agreeing) => (
          <form method="post" action={`${base}/agree`} novalidate>
            <CsrfField c={c} />
            {side === 'team' ? (
              <p class="govuk-body">{t(w('agreement.forThem'), { name: seekerName })}</p>
            ) : null}
            {hasAgreement ? null : (
              <>
                <Checkboxes
                  name="supports"
                  legend={t(w('agreement.supportsLegend'))}
                  chosen={options.chosen ?? []}
                  errors={errors}
                  t={t}
                  options={supportKinds.map((kind) => ({ value: kind, label: t(w(`supports.${kind}`)) }))}
                />
                <TextArea
                  name="agreedWords"
                  label={t(w('agreement.wordsLabel'))}
                  values={values}
                  errors={errors}
                  t={t}
                />
                <TextInput
                  name="meeting"
                  label={t(w('agreement.meetingLabel'))}
                  hint={t(w('agreement.meetingHint'))}
                  values={values}
                  errors={errors}
                  t={t}
                />
              </>
            )}
            <input type="hidden" name="side" value={agreeing} />
            <Button>
              {t(w(side === 'team' ? 'agreement.agreeFor' : 'agreement.agree'), { name: seekerName })}
            </Button>
          </form>
        ))}

        <h2 class="govuk-heading-m">{t(w('sessions.title'))}</h2>
        {credits?.bank && !credits.peerIsMember ? (
          side === 'peer' ? (
            <div class="govuk-inset-text" data-time-credits="join">
              <p class="govuk-body">{t(w('credits.join'), { bank: credits.bank.name })}</p>
              <p class="govuk-body">
                <a class="govuk-link" href={`/time-bank/${credits.bank.id}`}>
                  {t(w('credits.joinLink'), { bank: credits.bank.name })}
                </a>
              </p>
            </div>
          ) : (
            <p class="govuk-body" data-time-credits="not-a-member">
              {t(w('credits.teamNotMember'), { name: peerName, bank: credits.bank.name })}
            </p>
          )
        ) : null}
        {shown.sessions.length ? (
          <DataTable
            caption={t(w('sessions.caption'))}
            columns={[
              { label: t(w('sessions.date')) },
              { label: t(w('sessions.time')) },
              { label: t(w('sessions.whatWeDid')) },
              { label: t(w('sessions.howItFelt')) },
              ...(showCredits ? [{ label: t(w('credits.column')) }] : []),
            ]}
            rows={shown.sessions.map((session) => {
              const credit = credits?.bySession.get(session.id);
              return [
                day(c, session.happenedOn),
                hoursText(t, session.minutes),
                session.whatWeDid,
                session.howItFelt || '—',
                ...(showCredits
                  ? [
                      !credit
                        ? '—'
                        : credit.status === 'counted'
                          ? t(w('credits.earned'), {
                              time: hoursText(t, credit.minutes),
                              bank: credit.bankName,
                            })
                          : t(w('credits.corrected'), { bank: credit.bankName }),
                    ]
                  : []),
              ];
            })}
          />
        ) : (
          <p class="govuk-body">{t(w('sessions.none'))}</p>
        )}
        {['introduced', 'active', 'reviewed'].includes(linkUp.stage) ? (
          <form method="post" action={`${base}/sessions`} novalidate>
            <CsrfField c={c} />
            <h3 class="govuk-heading-s">{t(w('sessions.log'))}</h3>
            <TextInput
              name="happenedOn"
              type="date"
              label={t(w('sessions.date'))}
              hint={t(w('sessions.dateHint'), { today: today() })}
              values={{ happenedOn: values.happenedOn ?? today() }}
              errors={errors}
              t={t}
              width="10"
            />
            <div class="alongside-actions">
              <TextInput
                name="hours"
                label={t(w('sessions.hours'))}
                values={values}
                errors={errors}
                t={t}
                width="10"
              />
              <TextInput
                name="minutes"
                label={t(w('sessions.minutes'))}
                values={values}
                errors={errors}
                t={t}
                width="10"
              />
            </div>
            <TextArea
              name="whatWeDid"
              label={t(w('sessions.whatWeDid'))}
              values={values}
              errors={errors}
              t={t}
            />
            <TextInput
              name="howItFelt"
              label={t(w('sessions.howItFeltLabel'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Button secondary>{t(w('sessions.save'))}</Button>
          </form>
        ) : null}

        <h2 class="govuk-heading-m">{t(w('notes.title'))}</h2>
        <p class="govuk-body">{t(w(side === 'team' ? 'notes.teamIntro' : 'notes.intro'))}</p>
        {shown.notes.length ? (
          <ul class="govuk-list">
            {shown.notes.map((note) => (
              <li class="alongside-card">
                <p class="govuk-body">{note.words}</p>
                <p class="govuk-body-s">
                  {names.get(note.writtenBy ?? '') ?? ''}, {day(c, note.writtenAt)}
                </p>
                {note.hiddenReason ? (
                  <p class="govuk-body-s">
                    {t(w('notes.hiddenBecause'), {
                      reason: t(w(`hideReasons.${note.hiddenReason}`)),
                      words: note.hiddenWords,
                    })}
                  </p>
                ) : side === 'team' ? (
                  <details
                    class="govuk-details"
                    open={errors[`reason-${note.id}`] || errors[`hideWords-${note.id}`] ? true : undefined}
                  >
                    <summary class="govuk-details__summary">
                      <span class="govuk-details__summary-text">{t(w('notes.hide'))}</span>
                    </summary>
                    <div class="govuk-details__text">
                      <form method="post" action={`${base}/notes/${note.id}/hide`} novalidate>
                        <CsrfField c={c} />
                        <Radios
                          name="reason"
                          id={`reason-${note.id}`}
                          legend={t(w('notes.hideReason'))}
                          errors={errors}
                          t={t}
                          options={hideReasons.map((reason) => ({
                            value: reason,
                            label: t(w(`hideReasons.${reason}`)),
                          }))}
                        />
                        <TextInput
                          name="hideWords"
                          id={`hideWords-${note.id}`}
                          label={t(w('notes.hideWords'))}
                          values={errors[`hideWords-${note.id}`] || errors[`reason-${note.id}`] ? values : {}}
                          errors={errors}
                          t={t}
                        />
                        <Button secondary>{t(w('notes.hideButton'))}</Button>
                      </form>
                    </div>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="govuk-body">{t(w('notes.none'))}</p>
        )}
        {side === 'team' ? (
          <>
            <form method="post" action={`${base}/notes`} novalidate>
              <CsrfField c={c} />
              <TextArea
                name="note"
                label={t(w('notes.add'))}
                hint={t(w('notes.addHint'))}
                values={values}
                errors={errors}
                wording={options.wording ?? {}}
                t={t}
              />
              <Button secondary>{t(w('notes.save'))}</Button>
              {needsWordingPause(values, options.wording ?? {}) ? <KeepWordingButton t={t} /> : null}
            </form>
            <h2 class="govuk-heading-m">{t(w('prompts.title'))}</h2>
            <ul class="govuk-list govuk-list--bullet">
              {['noSessions', 'review', 'ending'].map((key) => (
                <li>{t(w(`prompts.${key}`))}</li>
              ))}
            </ul>
            {moves.length ? (
              <form method="post" action={`${base}/stage`} novalidate>
                <CsrfField c={c} />
                <Select
                  name="to"
                  label={t(w('stage.move'))}
                  values={values}
                  errors={errors}
                  t={t}
                  options={moves.map((to) => ({ value: to, label: t(w(`stage.to.${to}`)) }))}
                />
                <Radios
                  name="endedKind"
                  legend={t(w('stage.endedKind'))}
                  values={values}
                  t={t}
                  options={['celebration', 'reason'].map((kind) => ({
                    value: kind,
                    label: t(w(`stage.endedKinds.${kind}`)),
                  }))}
                />
                <TextArea
                  name="words"
                  label={t(w('stage.words'))}
                  hint={t(w('stage.wordsHint'))}
                  values={values}
                  errors={errors}
                  t={t}
                />
                <Button secondary>{t(w('stage.save'))}</Button>
              </form>
            ) : null}
            {shown.history.length ? (
              <>
                <h2 class="govuk-heading-m">{t(w('stage.history'))}</h2>
                <ul class="govuk-list">
                  {shown.history.map((change) => (
                    <li>
                      {day(c, change.changedAt)}: {t(w(`stages.${change.stage}`))}
                      {change.words ? ` — ${change.words}` : ''}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : null}
      </>,
    );
  };

  app.get('/peer/link-ups/:linkUpId', (c) => page(c));

  app.post('/peer/link-ups/:linkUpId/agree', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const chosen = (await allOf(c, 'supports')).filter((kind) =>
      (supportKinds as readonly string[]).includes(kind),
    );
    const parsed = parseValues(agreeSchema, values, t);
    if (!parsed.ok) return page(c, { values, chosen, errors: parsed.errors });
    const result = await inOrganisation(c, async (scope) => {
      const seen = await viewerOf(c, scope, c.req.param('linkUpId'));
      if (!seen) return null;
      const side = seen.side === 'team' ? 'seeker' : seen.side;
      const first = !seen.linkUp.peerAgreedAt && !seen.linkUp.seekerAgreedAt;
      if (first && chosen.length === 0) return 'noSupports' as const;
      return agree(scope, seen.linkUp.id, side, {
        supports: chosen,
        words: parsed.data.agreedWords,
        meeting: parsed.data.meeting,
      });
    });
    if (result === null) return renderProblem(c, 404);
    if (result === 'noSupports')
      return page(c, { values, chosen, errors: { supports: t(w('errors.supports')) } });
    if (!result.ok)
      return page(c, {
        errors: { form: t(w(result.reason === 'already' ? 'errors.agreedAlready' : 'errors.notNow')) },
      });
    return c.redirect(
      `/peer/link-ups/${c.req.param('linkUpId')}?done=${result.introduced ? 'introduced' : 'agreed'}`,
      303,
    );
  });

  app.post('/peer/link-ups/:linkUpId/sessions', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(sessionSchema, values, t);
    const minutes = sessionMinutes(values.hours ?? '', values.minutes ?? '');
    if (!parsed.ok || minutes === null)
      return page(c, {
        values,
        errors: {
          ...(parsed.ok ? {} : parsed.errors),
          ...(minutes === null ? { hours: t(w('errors.hours')) } : {}),
        },
      });
    const result = await inOrganisation(c, async (scope) => {
      const seen = await viewerOf(c, scope, c.req.param('linkUpId'));
      if (!seen) return null;
      return logSession(scope, seen.linkUp, { ...parsed.data, minutes }, { t });
    });
    if (result === null) return renderProblem(c, 404);
    if (!result) return page(c, { values, errors: { form: t(w('errors.notNow')) } });
    const done = result.credit.kind === 'credited' ? 'sessionCredited' : 'sessionLogged';
    return c.redirect(`/peer/link-ups/${c.req.param('linkUpId')}?done=${done}`, 303);
  });

  const teamOnly = async (c: C, work: (scope: Scope, linkUp: LinkUp) => Promise<string | boolean>) => {
    if (!c.get('can')('manage', subject.team)) return renderProblem(c, 403);
    const result = await inOrganisation(c, async (scope) => {
      const seen = await viewerOf(c, scope, c.req.param('linkUpId')!);
      if (seen?.side !== 'team') return null;
      return work(scope, seen.linkUp);
    });
    return result;
  };

  app.post('/peer/link-ups/:linkUpId/stage', async (c) => {
    const t = c.get('t');
    if (!c.get('can')('manage', subject.team)) return renderProblem(c, 403);
    const values = await formValues(c);
    const parsed = parseValues(moveSchema, values, t);
    if (!parsed.ok) return page(c, { values, errors: parsed.errors });
    if (parsed.data.to === 'ended' && !parsed.data.endedKind)
      return page(c, { values, errors: { endedKind: t(w('errors.endedKind')) } });
    if (parsed.data.to === 'ended' && !parsed.data.words)
      return page(c, { values, errors: { words: t(w('errors.endedWords')) } });
    const result = await teamOnly(c, (scope, linkUp) =>
      moveLinkUp(scope, linkUp, parsed.data.to, parsed.data.words, { endedKind: parsed.data.endedKind }),
    );
    if (result instanceof Response) return result;
    if (result === null) return renderProblem(c, 404);
    if (!result) return page(c, { values, errors: { to: t(w('errors.notNow')) } });
    return c.redirect(`/peer/link-ups/${c.req.param('linkUpId')}?done=moved`, 303);
  });

  app.post('/peer/link-ups/:linkUpId/notes', async (c) => {
    const t = c.get('t');
    if (!c.get('can')('manage', subject.team)) return renderProblem(c, 403);
    const values = await formValues(c);
    const parsed = parseValues(noteSchema, values, t);
    if (!parsed.ok) return page(c, { values, errors: parsed.errors });
    // The language guard: a gentle pause when labels are used about a person, never a refusal.
    const wording = await inOrganisation(c, (scope) =>
      checkWording(scope, c.get('language'), { note: parsed.data.note }),
    );
    if (needsWordingPause(values, wording)) return page(c, { values, wording });
    const result = await teamOnly(c, async (scope, linkUp) => {
      await addNote(scope, linkUp, parsed.data.note);
      return true;
    });
    if (result instanceof Response) return result;
    if (result === null) return renderProblem(c, 404);
    return c.redirect(`/peer/link-ups/${c.req.param('linkUpId')}?done=noteAdded`, 303);
  });

  app.post('/peer/link-ups/:linkUpId/notes/:noteId/hide', async (c) => {
    const t = c.get('t');
    if (!c.get('can')('manage', subject.team)) return renderProblem(c, 403);
    const values = await formValues(c);
    const parsed = parseValues(hideSchema, values, t);
    if (!parsed.ok) {
      const noteId = c.req.param('noteId');
      const errors: FieldErrors = {};
      if (parsed.errors.reason) errors[`reason-${noteId}`] = parsed.errors.reason;
      if (parsed.errors.hideWords) errors[`hideWords-${noteId}`] = parsed.errors.hideWords;
      return page(c, { values, errors });
    }
    const result = await teamOnly(c, (scope, linkUp) =>
      hideNote(scope, linkUp, c.req.param('noteId'), parsed.data.reason, parsed.data.hideWords),
    );
    if (result instanceof Response) return result;
    if (!result) return renderProblem(c, 404);
    return c.redirect(`/peer/link-ups/${c.req.param('linkUpId')}?done=noteHidden`, 303);
  });
}
