import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { WordingSuggestion } from '../../../core/language-guard/index.ts';
import { namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  TextArea,
} from '../../../core/web/forms.tsx';
import { KeepWordingButton } from '../../../core/web/language-guard.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  type AboutMeHeading,
  aboutMeHeadings,
  aboutMeHistory,
  currentAboutMe,
  writeAboutMe,
} from '../about-me.ts';
import { auditSubject, w } from '../words.ts';
import {
  type C,
  ownRecordThroughTeam,
  prefixes,
  recordPage,
  recordSubject,
  staffWordingPause,
  when,
  whose,
  writtenBy,
} from './shared.tsx';

export const aboutMeMaxLength = 4000;
const aboutMeSchema = z.object(
  Object.fromEntries(aboutMeHeadings.map((heading) => [heading, optionalText(aboutMeMaxLength)])),
);

/** About Me: the person's own words under each heading, every change kept with who and when. */
export function aboutMeRoutes(app: Hono<AppEnv>) {
  const show = async (
    c: C,
    values?: FormValues,
    errors: FieldErrors = {},
    wording?: Record<string, WordingSuggestion[]>,
  ) => {
    const t = c.get('t');
    const found = await inOrganisation(c, async (scope) => {
      const who = await whose(c, scope);
      if (!who) return null;
      const current = await currentAboutMe(scope, who.personId);
      const writers = [...current.values()].flatMap((version) =>
        version.writtenBy ? [version.writtenBy] : [],
      );
      const names = await namesOf(scope, writers);
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.aboutMe,
        subjectPersonId: who.personId,
      });
      return { who, current, names };
    });
    if (!found) return renderProblem(c, 404);
    const { who, current, names } = found;
    const editing = c.req.query('edit') !== undefined || values !== undefined;
    const shown: FormValues =
      values ??
      Object.fromEntries(aboutMeHeadings.map((heading) => [heading, current.get(heading)?.words ?? '']));
    const title = t(w(who.self ? 'aboutMe.titleMine' : 'aboutMe.titleTheirs'), { name: who.calledName });
    if (editing) {
      return recordPage(
        c,
        who,
        { title, current: 'aboutMe', errors },
        <form method="post" action={`${who.base}/about-me`} novalidate>
          <CsrfField c={c} />
          <p class="govuk-body">
            {t(w(who.self ? 'aboutMe.editIntroMine' : 'aboutMe.editIntroTheirs'), { name: who.calledName })}
          </p>
          {aboutMeHeadings.map((heading) => (
            <TextArea
              name={heading}
              label={t(w(`aboutMe.headings.${heading}`))}
              hint={t(w(`aboutMe.hints.${heading}`))}
              values={shown}
              errors={errors}
              t={t}
              rows={3}
              wording={who.team ? (wording ?? {}) : undefined}
            />
          ))}
          <Button>{t(w('aboutMe.save'))}</Button>
          {wording ? <KeepWordingButton t={t} /> : null}
          <p class="govuk-body">
            <a class="govuk-link" href={`${who.base}/about-me`}>
              {t(w('cancel'))}
            </a>
          </p>
        </form>,
      );
    }
    return recordPage(
      c,
      who,
      { title, current: 'aboutMe' },
      <>
        {current.size === 0 ? (
          <p class="govuk-body">
            {t(w(who.self ? 'aboutMe.emptyMine' : 'aboutMe.emptyTheirs'), { name: who.calledName })}
          </p>
        ) : (
          <dl class="govuk-summary-list">
            {aboutMeHeadings
              .filter((heading) => current.has(heading))
              .map((heading) => {
                const version = current.get(heading)!;
                return (
                  <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{t(w(`aboutMe.headings.${heading}`))}</dt>
                    <dd class="govuk-summary-list__value">
                      <p class="govuk-body alongside-words">{version.words}</p>
                      <p class="govuk-body-s alongside-quiet">
                        {t(w('aboutMe.lastWritten'), {
                          who: writtenBy(c, who, version.writtenBy, names, version.withCoach),
                          when: when(c, version.writtenAt),
                        })}
                      </p>
                    </dd>
                  </div>
                );
              })}
          </dl>
        )}
        <p class="govuk-body">
          <a class="govuk-button" href={`${who.base}/about-me?edit`}>
            {t(w(current.size ? 'aboutMe.edit' : 'aboutMe.start'))}
          </a>
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href={`${who.base}/about-me/history`}>
            {t(w('aboutMe.historyLink'))}
          </a>
        </p>
      </>,
    );
  };

  for (const prefix of prefixes) {
    app.get(`${prefix}/about-me`, (c) =>
      ownRecordThroughTeam(c) ? c.redirect('/me/about-me', 303) : show(c),
    );
    app.post(`${prefix}/about-me`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(aboutMeSchema, values, c.get('t'));
      if (!parsed.ok) return show(c, values, parsed.errors);
      const sentWords = Object.fromEntries(
        Object.entries(parsed.data as Record<string, string>).filter(([heading]) => heading in values),
      );
      const wording = await staffWordingPause(c, values, sentWords);
      if (wording) return show(c, values, {}, wording);
      const done = await inOrganisation(c, async (scope) => {
        const who = await whose(c, scope);
        if (!who || !c.get('can')('update', recordSubject, { personId: who.personId })) return null;
        // Only the headings the form sent: a heading left out is left alone, never cleared.
        const sent = Object.fromEntries(
          Object.entries(parsed.data as Record<AboutMeHeading, string>).filter(
            ([heading]) => heading in values,
          ),
        );
        await writeAboutMe(scope, who.personId, sent, !who.self);
        return who;
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.base}/about-me?done=saved`, 303);
    });

    app.get(`${prefix}/about-me/history`, async (c) => {
      if (ownRecordThroughTeam(c)) return c.redirect('/me/about-me/history', 303);
      const t = c.get('t');
      const found = await inOrganisation(c, async (scope) => {
        const who = await whose(c, scope);
        if (!who) return null;
        const history = await aboutMeHistory(scope, who.personId);
        const names = await namesOf(
          scope,
          history.flatMap((version) => (version.writtenBy ? [version.writtenBy] : [])),
        );
        await audit(scope, {
          action: 'read',
          subjectType: auditSubject.aboutMe,
          subjectPersonId: who.personId,
          detail: { history: true },
        });
        return { who, history, names };
      });
      if (!found) return renderProblem(c, 404);
      const { who, history, names } = found;
      return recordPage(
        c,
        who,
        { title: t(w('aboutMe.historyTitle')), current: 'aboutMe' },
        <>
          <p class="govuk-body">{t(w('aboutMe.historyIntro'))}</p>
          {history.length === 0 ? <p class="govuk-body">{t(w('aboutMe.historyEmpty'))}</p> : null}
          <ol class="alongside-history">
            {history.map((version) => (
              <li class="alongside-history__item">
                <h2 class="govuk-heading-s">{t(w(`aboutMe.headings.${version.heading}`))}</h2>
                <p class="govuk-body-s alongside-quiet">
                  {t(w('aboutMe.lastWritten'), {
                    who: writtenBy(c, who, version.writtenBy, names, version.withCoach),
                    when: when(c, version.writtenAt),
                  })}
                </p>
                <p class="govuk-body alongside-words">{version.words || t(w('aboutMe.cleared'))}</p>
              </li>
            ))}
          </ol>
          <p class="govuk-body">
            <a class="govuk-link" href={`${who.base}/about-me`}>
              {t(w('aboutMe.back'))}
            </a>
          </p>
        </>,
      );
    });
  }
}
