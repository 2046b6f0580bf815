import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { todayInUk } from '../../../core/dates.ts';
import type { Team } from '../../../core/teams.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
  Radios,
  requiredText,
  TextArea,
} from '../../../core/web/forms.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { XmrChart } from '../chart.tsx';
import { type BoardCount, onBoard, smallestShownOnBoard, trendOf, wardFigures } from '../figures.ts';
import { forceTypes } from '../force.ts';
import {
  addMutualHelp,
  knowEachOther,
  mutualHelpKinds,
  mutualHelpNotes,
  setKnowEachOther,
  shownMessages,
} from '../safewards.ts';
import { roundTo } from '../spc.ts';
import { type C, page, Words, w, wardHere, wardLabel } from './shared.tsx';

const mutualHelpSchema = z.object({
  kind: z.enum(mutualHelpKinds, { error: 'safer-wards.errors.mutualKindRequired' }),
  words: requiredText(1000),
});
const knowSchema = z.object({ words: z.string().trim().max(1000, 'errors.tooLong').default('') });

/** The board people on the ward read: no names, small numbers said as "fewer than 8", the trend in words. */
export async function boardPage(c: C, scope: Scope, ward: Team, back: { href: string; label: string }) {
  const t = c.get('t');
  const figures = await wardFigures(scope, ward.id, { months: 12 });
  const messages = await shownMessages(scope, ward.id, 10);
  const staff = await knowEachOther(scope, ward.id);
  const say = (count: BoardCount) =>
    count === 'fewer' ? t(w('board.fewer'), { limit: smallestShownOnBoard }) : String(count);
  // The last whole month, and the trend without the month under way: a few days say little.
  const whole = figures.months.slice(0, -1);
  const thisMonth = whole[whole.length - 1]!;
  const trend = trendOf(whole.map((m) => m.rate));
  const helped = thisMonth.kinds['asked-for-help'];
  const calmer =
    thisMonth.kinds['talked-through'] + thisMonth.kinds['plan-helped'] + thisMonth.kinds['talk-down'];
  return { figures, messages, staff, say, thisMonth, trend, helped, calmer, back, t };
}

export function BoardBody(props: Awaited<ReturnType<typeof boardPage>> & { c: C }) {
  const { t, say, thisMonth, figures, messages, staff } = props;
  return (
    <>
      <p class="govuk-body-l">{t(w(`board.trend.${props.trend}`))}</p>
      <ul class="govuk-list govuk-list--spaced">
        <li>{t(w('board.helped'), { count: say(onBoard(props.helped)) })}</li>
        <li>{t(w('board.calmer'), { count: say(onBoard(props.calmer)) })}</li>
        <li>{t(w('board.force'), { count: say(onBoard(thisMonth.uses)) })}</li>
        <li>
          {figures.daysSinceForce === null
            ? t(w('board.noForce'))
            : figures.daysSinceForce === 0
              ? t(w('board.forceToday'))
              : t(w('board.daysSince'), { days: String(figures.daysSinceForce) })}
        </li>
      </ul>
      <h2 class="govuk-heading-m">{t(w('board.messages'))}</h2>
      {messages.length === 0 ? <p class="govuk-body">{t(w('board.noMessages'))}</p> : null}
      {messages.map((m) => (
        <blockquote class="govuk-inset-text">
          <Words text={m.words} />
        </blockquote>
      ))}
      <h2 class="govuk-heading-m">{t(w('knowEachOther.title'))}</h2>
      {staff.length === 0 ? <p class="govuk-body">{t(w('knowEachOther.none'))}</p> : null}
      {staff.map((s) => (
        <div>
          <h3 class="govuk-heading-s govuk-!-margin-bottom-1">{s.calledName}</h3>
          <Words text={s.words} />
        </div>
      ))}
      <p class="govuk-body">
        <a class="govuk-link" href={props.back.href}>
          {props.back.label}
        </a>
      </p>
    </>
  );
}

export function dashboardRoutes(app: Hono<AppEnv>) {
  // The ward's own figures for the staff who make them: derived, charted, with the helpful end beside force.
  app.get('/wards/:wardId/dashboard', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      return place ? { place, figures: await wardFigures(scope, place.ward.id, { months: 24 }) } : null;
    });
    if (!data) return renderProblem(c, 404);
    const { place, figures } = data;
    const number = new Intl.NumberFormat(language === 'cy' ? 'cy-GB' : 'en-GB', { maximumFractionDigits: 1 });
    const monthName = (month: string) =>
      new Intl.DateTimeFormat(language === 'cy' ? 'cy-GB' : 'en-GB', {
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(`${month}-15T12:00:00Z`));
    const labelled = {
      ...figures.spc,
      points: figures.spc.points.map((p) => ({ ...p, label: monthName(p.label) })),
    };
    const kinds = figures.totals.kinds;
    return page(
      c,
      {
        title: t(w('dashboard.title')),
        caption: wardLabel(c, place),
        back: { href: `/wards/${place.ward.id}`, label: t(w('back.ward')) },
      },
      <>
        <div class="alongside-figures">
          <p class="govuk-body-l">
            {figures.daysSinceForce === null
              ? t(w('dashboard.noForce'))
              : figures.daysSinceForce === 0
                ? t(w('dashboard.forceToday'))
                : t(w('dashboard.daysSince'), { days: String(figures.daysSinceForce) })}
          </p>
          <ul class="govuk-list">
            <li>{t(w('dashboard.helped'), { count: String(kinds['asked-for-help']) })}</li>
            <li>
              {t(w('dashboard.deEscalated'), {
                count: String(kinds['talked-through'] + kinds['plan-helped'] + kinds['talk-down']),
              })}
            </li>
            <li>{t(w('dashboard.prn'), { count: String(kinds['prn-by-choice']) })}</li>
            <li>
              {t(w('dashboard.uses'), {
                count: String(figures.totals.uses),
                prone: String(figures.totals.prone),
              })}
            </li>
          </ul>
        </div>
        <h2 class="govuk-heading-m">{t(w('dashboard.rateTitle'))}</h2>
        <p class="govuk-body">{t(w('dashboard.rateIntro'))}</p>
        <p class="govuk-body">{t(w('dashboard.censusNote'))}</p>
        <XmrChart result={labelled} title={t(w('dashboard.rateChart'))} t={t} language={language} id="rate" />
        <DataTable
          caption={t(w('dashboard.monthsCaption'))}
          columns={[
            { label: t(w('dashboard.month')) },
            { label: t(w('dashboard.bedDays')), numeric: true },
            { label: t(w('dashboard.usesColumn')), numeric: true },
            { label: t(w('dashboard.rate')), numeric: true },
            { label: t(w('dashboard.prone')), numeric: true },
          ]}
          rows={figures.months.map((m, index) => [
            index === figures.months.length - 1
              ? t(w('dashboard.soFar'), { month: monthName(m.month) })
              : monthName(m.month),
            number.format(m.bedDays),
            number.format(m.uses),
            m.rate === null ? '—' : number.format(roundTo(m.rate, 1)),
            number.format(m.prone),
          ])}
        />
        <DataTable
          caption={t(w('dashboard.typesCaption'))}
          columns={[{ label: t(w('dashboard.type')) }, { label: t(w('dashboard.times')), numeric: true }]}
          rows={forceTypes.map((type) => [
            t(w(`force.types.${type}`)),
            number.format(figures.totals.types[type]),
          ])}
        />
      </>,
    );
  });

  app.get('/wards/:wardId/board', async (c) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      return place
        ? {
            place,
            board: await boardPage(c, scope, place.ward, {
              href: `/wards/${place.ward.id}`,
              label: t(w('back.ward')),
            }),
          }
        : null;
    });
    if (!data) return renderProblem(c, 404);
    return page(
      c,
      { title: t(w('board.title')), caption: wardLabel(c, data.place) },
      <BoardBody {...data.board} c={c} />,
    );
  });

  // The mutual help meeting: thanks, news, suggestions, requests and offers, a ward day at a time.
  const mutualPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      const notes = await mutualHelpNotes(scope, place.ward.id, { days: 7 });
      return { place, notes };
    });
    if (!data) return renderProblem(c, 404);
    const base = `/wards/${data.place.ward.id}`;
    const days = [...new Set(data.notes.map((n) => n.day))];
    return page(
      c,
      {
        title: t(w('mutualHelp.title')),
        caption: wardLabel(c, data.place),
        errors,
        back: { href: base, label: t(w('back.ward')) },
      },
      <>
        <p class="govuk-body">{t(w('mutualHelp.intro'))}</p>
        <form method="post" action={`${base}/mutual-help`} novalidate>
          <CsrfField c={c} />
          <Radios
            name="kind"
            legend={t(w('mutualHelp.kind'))}
            options={mutualHelpKinds.map((kind) => ({
              value: kind,
              label: t(w(`mutualHelp.kinds.${kind}`)),
            }))}
            values={values}
            errors={errors}
            t={t}
          />
          <TextArea name="words" label={t(w('mutualHelp.words'))} values={values} errors={errors} t={t} />
          <Button>{t(w('mutualHelp.save'))}</Button>
        </form>
        {days.map((day) => (
          <>
            <h2 class="govuk-heading-m">{formatDate(day, c.get('language'))}</h2>
            <ul class="govuk-list">
              {data.notes
                .filter((n) => n.day === day)
                .map((n) => (
                  <li>
                    <strong>{t(w(`mutualHelp.kinds.${n.kind}`))}:</strong> {n.words}
                  </li>
                ))}
            </ul>
          </>
        ))}
      </>,
    );
  };
  app.get('/wards/:wardId/mutual-help', (c) => mutualPage(c));
  app.post('/wards/:wardId/mutual-help', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(mutualHelpSchema, values, c.get('t'));
    if (!parsed.ok) return mutualPage(c, values, parsed.errors);
    const wardId = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      await addMutualHelp(scope, place.ward.id, todayInUk(), parsed.data.kind, parsed.data.words);
      return place.ward.id;
    });
    if (!wardId) return renderProblem(c, 404);
    return c.redirect(`/wards/${wardId}/mutual-help?done=noted`, 303);
  });

  // Know each other: a few lines staff write about themselves, for the people on the ward to read.
  const knowPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const me = c.get('user')!.personId;
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      return place ? { place, lines: await knowEachOther(scope, place.ward.id) } : null;
    });
    if (!data) return renderProblem(c, 404);
    const base = `/wards/${data.place.ward.id}`;
    const mine = data.lines.find((l) => l.personId === me);
    return page(
      c,
      {
        title: t(w('knowEachOther.title')),
        caption: wardLabel(c, data.place),
        errors,
        back: { href: base, label: t(w('back.ward')) },
      },
      <>
        <p class="govuk-body">{t(w('knowEachOther.intro'))}</p>
        <form method="post" action={`${base}/know-each-other`} novalidate>
          <CsrfField c={c} />
          <TextArea
            name="words"
            label={t(w('knowEachOther.yours'))}
            hint={t(w('knowEachOther.hint'))}
            values={values ?? { words: mine?.words ?? '' }}
            errors={errors}
            t={t}
          />
          <Button>{t(w('knowEachOther.save'))}</Button>
        </form>
        {data.lines.map((line) => (
          <div>
            <h2 class="govuk-heading-s govuk-!-margin-bottom-1">{line.calledName}</h2>
            <Words text={line.words} />
          </div>
        ))}
      </>,
    );
  };
  app.get('/wards/:wardId/know-each-other', (c) => knowPage(c));
  app.post('/wards/:wardId/know-each-other', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(knowSchema, values, c.get('t'));
    if (!parsed.ok) return knowPage(c, values, parsed.errors);
    const wardId = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      await setKnowEachOther(scope, place.ward.id, parsed.data.words);
      return place.ward.id;
    });
    if (!wardId) return renderProblem(c, 404);
    return c.redirect(`/wards/${wardId}/know-each-other?done=noted`, 303);
  });
}
