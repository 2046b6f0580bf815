import type { Hono } from 'hono';
import { z } from 'zod';
import { invitationToPassOn } from '../../../core/accounts.ts';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { namesOf } from '../../../core/people.ts';
import { teamName, teamsOfPerson } from '../../../core/teams.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  Radios,
  TextArea,
} from '../../../core/web/forms.tsx';
import { LinkList } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { currentAboutMe } from '../about-me.ts';
import { goalsOf } from '../goals.ts';
import { scalesOf } from '../scales.ts';
import {
  changeSupport,
  coachHistory,
  introductionsOf,
  setCoach,
  startSupporting,
  supportHistory,
} from '../support.ts';
import { auditSubject, w } from '../words.ts';
import {
  type C,
  day,
  ownRecordThroughTeam,
  prefixes,
  recordPage,
  recordSubject,
  whose,
  writtenBy,
} from './shared.tsx';

const supportSchema = z.object({
  status: z.enum(['active', 'paused', 'ended'], { error: 'coaching.errors.chooseSupport' }),
  words: optionalText(1000),
});

/** The first page of someone's record, and the support they chose: start, pause, end, come back. */
export function overviewRoutes(app: Hono<AppEnv>) {
  const show = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const found = await inOrganisation(c, async (scope) => {
      const who = await whose(c, scope);
      if (!who) return null;
      const aboutMe = await currentAboutMe(scope, who.personId);
      const goals = await goalsOf(scope, who.personId);
      const scales = await scalesOf(scope, who.personId);
      const history = who.support ? await supportHistory(scope, who.support) : [];
      const coaches = who.support ? await coachHistory(scope, who.support) : [];
      const teams = who.team
        ? (await teamsOfPerson(scope, who.personId)).filter((place) => !place.until)
        : [];
      const introductions = who.team ? await introductionsOf(scope, who.personId) : [];
      const names = await namesOf(
        scope,
        [
          who.support?.coachId,
          ...history.map((change) => change.changedBy),
          ...coaches.flatMap((change) => [change.coachId, change.previousCoachId]),
        ].filter((id): id is string => !!id),
      );
      await audit(scope, { action: 'read', subjectType: auditSubject.record, subjectPersonId: who.personId });
      const toPassOn = who.team
        ? await invitationToPassOn(scope, who.personId, c.get('user')!.personId)
        : null;
      return { who, aboutMe, goals, scales, history, names, introductions, toPassOn, coaches, teams };
    });
    if (!found) return renderProblem(c, 404);
    const { who, aboutMe, goals, scales, history, names, introductions, toPassOn, coaches, teams } = found;
    // Who walked alongside before: each coach that was replaced, until when.
    const before = coaches
      .filter((change) => change.previousCoachId)
      .map((change) => ({ name: names.get(change.previousCoachId!) ?? '', until: change.changedAt }))
      .reverse();
    const callMe = aboutMe.get('please-call-me')?.words;
    const working = goals.filter((goal) => goal.status === 'working-on');
    const status = who.support?.status ?? null;
    return recordPage(
      c,
      who,
      { title: who.self ? t(w('overview.titleMine')) : who.calledName, current: 'overview', errors },
      <>
        {callMe ? <p class="govuk-body-l alongside-words">{callMe}</p> : null}
        {toPassOn ? (
          <div class="govuk-inset-text">
            <p class="govuk-body">{t(w('overview.passOn'), { name: who.calledName })}</p>
            <p class="govuk-body alongside-pre">
              <code>{toPassOn}</code>
            </p>
          </div>
        ) : null}
        {introductions.map((introduction) => (
          <div class="govuk-inset-text">
            <h2 class="govuk-heading-s">
              {t(w('overview.asked'), { date: day(c, introduction.createdAt) })}
            </h2>
            <p class="govuk-body">
              {t(w('overview.howToReach'))} <span class="alongside-words">{introduction.howToReach}</span>
            </p>
            {introduction.words ? <p class="govuk-body alongside-words">{introduction.words}</p> : null}
            <p class="govuk-body-s">{t(w('overview.consent'), { wording: introduction.consentWording })}</p>
          </div>
        ))}
        {who.team && status === 'asked' ? (
          <form method="post" action={`${who.base}/support`}>
            <CsrfField c={c} />
            <input type="hidden" name="status" value="active" />
            <p class="govuk-body">{t(w('support.waiting'), { name: who.calledName })}</p>
            <Button>{t(w('support.takeOn'), { name: who.calledName })}</Button>
          </form>
        ) : null}
        {who.support?.coachId ? (
          <p class="govuk-body">
            {t(w(who.self ? 'overview.walkingAlongside' : 'overview.walkingAlongsideThem'), {
              name: names.get(who.support.coachId) ?? '',
              date: day(c, who.support.coachSince ?? who.support.startedAt),
            })}
          </p>
        ) : who.self && who.support ? (
          <p class="govuk-body">{t(w('overview.nobodyYet'))}</p>
        ) : null}
        {before.length > 0 ? (
          <>
            <h2 class="govuk-heading-s govuk-!-margin-bottom-1">{t(w('overview.before'))}</h2>
            <ul class="govuk-list">
              {before.map((one) => (
                <li>{t(w('overview.beforeItem'), { name: one.name, date: day(c, one.until) })}</li>
              ))}
            </ul>
          </>
        ) : null}
        {teams.length > 0 ? (
          <p class="govuk-body">
            {t(w('overview.teams'), {
              teams: teams.map((place) => teamName(place.team, c.get('language'))).join(', '),
            })}
          </p>
        ) : null}
        {who.team ? (
          <p class="govuk-body">
            <a class="govuk-button" href={`/coaching/conversation?person=${who.personId}`}>
              {t(w('coach.record'))}
            </a>
          </p>
        ) : null}
        <h2 class="govuk-heading-m">{t(w(who.self ? 'overview.goalsMine' : 'overview.goalsTheirs'))}</h2>
        {working.length ? (
          <ul class="govuk-list govuk-list--bullet">
            {working.map((goal) => (
              <li>
                <a class="govuk-link" href={`${who.base}/goals/${goal.id}`}>
                  {goal.words}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p class="govuk-body">{t(w('overview.noGoals'))}</p>
        )}
        {scales.length ? (
          <>
            <h2 class="govuk-heading-m">{t(w(who.self ? 'overview.scales' : 'overview.scalesTheirs'))}</h2>
            <ul class="govuk-list">
              {scales.map((scale) => {
                const latest = scale.ratings[scale.ratings.length - 1];
                return (
                  <li>
                    {scale.name}:{' '}
                    {latest
                      ? t(w('overview.scaleValue'), { value: latest.value, date: day(c, latest.ratedAt) })
                      : '—'}
                  </li>
                );
              })}
            </ul>
          </>
        ) : null}
        <LinkList
          links={[
            { href: `${who.base}/about-me`, label: t(w(`tabs.${who.self ? 'mine' : 'theirs'}.aboutMe`)) },
            { href: `${who.base}/goals`, label: t(w(`tabs.${who.self ? 'mine' : 'theirs'}.goals`)) },
            { href: `${who.base}/where-i-am`, label: t(w(`tabs.${who.self ? 'mine' : 'theirs'}.whereIAm`)) },
            {
              href: `${who.base}/everything`,
              label: t(w(`tabs.${who.self ? 'mine' : 'theirs'}.everything`)),
            },
          ]}
        />
        <h2 class="govuk-heading-m" id="support">
          {t(w(who.self ? 'support.headingMine' : 'support.headingTheirs'))}
        </h2>
        <p class="govuk-body">
          {status ? t(w(`support.now.${status}`), { name: who.calledName }) : t(w('support.none'))}
        </p>
        {history.length ? (
          <ul class="govuk-list alongside-history">
            {history.map((change) => (
              <li>
                <span class="govuk-body-s">
                  {day(c, change.changedAt)}: {t(w(`support.changes.${change.status}`))} (
                  {writtenBy(
                    c,
                    who,
                    change.changedBy ?? (change.status === 'asked' ? who.personId : null),
                    names,
                  )}
                  )
                </span>
                {change.words ? <p class="govuk-body alongside-words">{change.words}</p> : null}
              </li>
            ))}
          </ul>
        ) : null}
        <form method="post" action={`${who.base}/support`} novalidate>
          <CsrfField c={c} />
          <Radios
            name="status"
            legend={t(w(who.self ? 'support.legendMine' : 'support.legendTheirs'), { name: who.calledName })}
            hint={t(w('support.hint'))}
            values={values ?? { status: status === 'asked' || !status ? '' : status }}
            errors={errors}
            t={t}
            options={(['active', 'paused', 'ended'] as const).map((value) => ({
              value,
              label: t(w(`support.choices.${value}`)),
            }))}
          />
          <TextArea
            name="words"
            label={t(w(who.self ? 'support.wordsMine' : 'support.wordsTheirs'), { name: who.calledName })}
            values={values ?? {}}
            errors={errors}
            t={t}
            rows={2}
          />
          <Button secondary>{t(w('support.save'))}</Button>
        </form>
      </>,
    );
  };

  for (const prefix of prefixes) {
    app.get(prefix, (c) => (ownRecordThroughTeam(c) ? c.redirect('/me', 303) : show(c)));

    app.post(`${prefix}/support`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(supportSchema, values, c.get('t'));
      if (!parsed.ok) return show(c, values, parsed.errors);
      const done = await inOrganisation(c, async (scope) => {
        const who = await whose(c, scope);
        if (!who || !c.get('can')('update', recordSubject, { personId: who.personId })) return null;
        if (who.support) {
          if (who.support.status !== parsed.data.status || parsed.data.words)
            await changeSupport(scope, who.support, parsed.data.status, parsed.data.words);
          // A coach who starts supporting someone waiting for a coach becomes their coach.
          if (who.team && !who.support.coachId && parsed.data.status === 'active')
            await setCoach(scope, who.support, c.get('user')!.personId);
        } else {
          // Someone asking for support from their own space: the coach team sees them as waiting.
          await startSupporting(scope, {
            personId: who.personId,
            coachId: null,
            status: parsed.data.status === 'active' ? 'asked' : parsed.data.status,
            words: parsed.data.words,
          });
        }
        return who;
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.base}?done=supportChanged#support`, 303);
    });
  }
}
