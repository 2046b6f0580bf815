import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { listPeople } from '../../../core/people.ts';
import { teamMatesOf } from '../../../core/teams.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDateTime } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
  Radios,
  Select,
  TextArea,
} from '../../../core/web/forms.tsx';
import { DataTable, Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  askForConversation,
  findMyCheckIn,
  markConversationDone,
  myCheckIns,
  positions,
  recordCheckIn,
  removeMyCheckIn,
  teamMonths,
} from '../check-ins.ts';
import {
  type C,
  formatMonth,
  mayLead,
  mayTakePart,
  page,
  smallestGroup,
  teamRoles,
  Words,
  w,
} from '../shared.tsx';

const checkInSchema = z.object({
  position: z.enum(['1', '2', '3', '4', '5'], { error: 'learning.wellbeing.errors.position' }),
  privateWords: z.string().trim().max(2000, 'errors.tooLong').default(''),
  talkTo: z.string().default(''),
});

/** Wellbeing check-ins: each person's own, team figures only for five or more, asking for a conversation. */
export function checkInRoutes(app: Hono<AppEnv>) {
  const teamOnly = async (c: C, next: () => Promise<void>) => {
    const can = c.get('can');
    if (!mayTakePart(can) && !mayLead(can)) return renderProblem(c, 403);
    await next();
  };
  app.use('/learning/wellbeing', teamOnly);
  app.use('/learning/wellbeing/*', teamOnly);

  const wellbeingPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const user = c.get('user')!;
    const { months, people } = await inOrganisation(c, async (scope) => {
      // "The team" is the people of the teams this person is in; someone in none sees the organisation.
      const mates = await teamMatesOf(scope, user.personId);
      const team = mates.length > 0 ? new Set(mates) : null;
      return {
        months: await teamMonths(scope, 6, new Date(), team ? [...team] : null),
        people: (await listPeople(scope, { limit: 500 })).filter(
          (one) =>
            one.id !== user.personId &&
            (team ? team.has(one.id) : true) &&
            one.roles.some((role) => (teamRoles as readonly string[]).includes(role)),
        ),
      };
    });
    return page(
      c,
      { title: t(w('wellbeing.title')), errors, back: { href: '/learning', label: t(w('home.title')) } },
      <>
        <p class="govuk-body">{t(w('wellbeing.intro'))}</p>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <form method="post" action="/learning/wellbeing" novalidate>
              <CsrfField c={c} />
              <Radios
                name="position"
                legend={t(w('wellbeing.where'))}
                hint={t(w('wellbeing.whereHint'))}
                options={[...positions].reverse().map((one) => ({
                  value: String(one),
                  label: `${t(w(`wellbeing.position.${one}.name`))}: ${t(w(`wellbeing.position.${one}.words`))}`,
                }))}
                values={values}
                errors={errors}
                t={t}
              />
              <TextArea
                name="privateWords"
                label={t(w('wellbeing.privateWords'))}
                hint={t(w('wellbeing.privateWordsHint'))}
                values={values}
                errors={errors}
                t={t}
              />
              <Select
                name="talkTo"
                label={t(w('wellbeing.talkTo'))}
                hint={t(w('wellbeing.talkToHint'))}
                options={[
                  { value: '', label: t(w('wellbeing.noConversation')) },
                  ...people.map((one) => ({ value: one.id, label: one.calledName })),
                ]}
                values={values}
                errors={errors}
                t={t}
              />
              <Button>{t(w('wellbeing.save'))}</Button>
            </form>
            <p class="govuk-body">
              <a class="govuk-link" href="/learning/wellbeing/mine">
                {t(w('wellbeing.mine'))}
              </a>
            </p>
          </div>
        </div>
        <h2 class="govuk-heading-m">{t(w('wellbeing.teamHeading'))}</h2>
        <p class="govuk-body">{t(w('wellbeing.teamIntro'), { count: smallestGroup })}</p>
        <DataTable
          caption={t(w('wellbeing.teamCaption'))}
          columns={[
            { label: t(w('wellbeing.month')) },
            { label: t(w('wellbeing.people')), numeric: true },
            { label: t(w('wellbeing.average')) },
          ]}
          rows={months.map((month) => [
            formatMonth(month.month, language),
            month.people === null ? t(w('wellbeing.fewer'), { count: smallestGroup }) : String(month.people),
            month.average === null
              ? t(w('wellbeing.tooFew'))
              : t(w('wellbeing.averageWords'), {
                  average: month.average.toLocaleString(language === 'cy' ? 'cy-GB' : 'en-GB'),
                  nearest: t(w(`wellbeing.position.${Math.round(month.average)}.name`)),
                }),
          ])}
        />
      </>,
    );
  };

  app.get('/learning/wellbeing', (c) => wellbeingPage(c));
  app.post('/learning/wellbeing', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(checkInSchema, values, t);
    if (!parsed.ok) return wellbeingPage(c, values, parsed.errors);
    const user = c.get('user')!;
    const saved = await inOrganisation(c, async (scope) => {
      let talkTo: string | null = null;
      if (parsed.data.talkTo) {
        const chosen = (await listPeople(scope, { limit: 500 })).find(
          (one) =>
            one.id === parsed.data.talkTo &&
            one.id !== user.personId &&
            one.roles.some((role) => (teamRoles as readonly string[]).includes(role)),
        );
        if (!chosen) return false;
        talkTo = chosen.id;
      }
      await recordCheckIn(scope, user.personId, {
        position: Number(parsed.data.position),
        privateWords: parsed.data.privateWords,
      });
      if (talkTo) await askForConversation(scope, user.personId, talkTo);
      return true;
    });
    if (!saved) return wellbeingPage(c, values, { talkTo: t(w('wellbeing.errors.talkTo')) });
    return c.redirect(`/learning/wellbeing/mine?done=${parsed.data.talkTo ? 'asked' : 'checkedIn'}`, 303);
  });

  app.get('/learning/wellbeing/mine', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const user = c.get('user')!;
    const mine = await inOrganisation(c, (scope) => myCheckIns(scope, user.personId));
    return page(
      c,
      {
        title: t(w('wellbeing.mineTitle')),
        back: { href: '/learning/wellbeing', label: t(w('wellbeing.title')) },
      },
      <>
        <p class="govuk-body">{t(w('wellbeing.mineIntro'))}</p>
        {mine.length === 0 ? (
          <p class="govuk-body">{t(w('wellbeing.noneYet'))}</p>
        ) : (
          <DataTable
            caption={t(w('wellbeing.mineCaption'))}
            columns={[
              { label: t(w('wellbeing.when')) },
              { label: t(w('wellbeing.place')) },
              { label: t(w('wellbeing.privateWords')) },
            ]}
            rows={mine.map((one) => [
              <a class="govuk-link" href={`/learning/wellbeing/${one.id}`}>
                {formatDateTime(one.checkedInAt, language)}
              </a>,
              t(w(`wellbeing.position.${one.position}.name`)),
              one.privateWords || '—',
            ])}
          />
        )}
      </>,
    );
  });

  // One check-in: its own author only. Anyone else, leads and admins included, is told it does not exist.
  app.get('/learning/wellbeing/:checkInId', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const one = await inOrganisation(c, (scope) =>
      findMyCheckIn(scope, user.personId, c.req.param('checkInId')),
    );
    if (!one) return renderProblem(c, 404);
    return page(
      c,
      {
        title: t(w('wellbeing.oneTitle')),
        narrow: true,
        back: { href: '/learning/wellbeing/mine', label: t(w('wellbeing.mineTitle')) },
      },
      <>
        <Summary
          rows={[
            [t(w('wellbeing.when')), formatDateTime(one.checkedInAt, c.get('language'))],
            [
              t(w('wellbeing.place')),
              `${t(w(`wellbeing.position.${one.position}.name`))}: ${t(w(`wellbeing.position.${one.position}.words`))}`,
            ],
            [t(w('wellbeing.privateWords')), <Words text={one.privateWords || '—'} />],
          ]}
        />
        <form method="post" action={`/learning/wellbeing/${one.id}/remove`}>
          <CsrfField c={c} />
          <Button secondary>{t(w('wellbeing.remove'))}</Button>
        </form>
      </>,
    );
  });

  app.post('/learning/wellbeing/:checkInId/remove', async (c) => {
    const user = c.get('user')!;
    const removed = await inOrganisation(c, (scope) =>
      removeMyCheckIn(scope, user.personId, c.req.param('checkInId')),
    );
    if (!removed) return renderProblem(c, 404);
    return c.redirect('/learning/wellbeing/mine?done=removed', 303);
  });

  // Someone asked the signed-in person for a conversation; only they can mark it done.
  app.post('/learning/conversations/:requestId/done', async (c) => {
    const user = c.get('user')!;
    const done = await inOrganisation(c, (scope) =>
      markConversationDone(scope, user.personId, c.req.param('requestId')),
    );
    if (!done) return renderProblem(c, 404);
    return c.redirect('/learning?done=noted', 303);
  });
}
