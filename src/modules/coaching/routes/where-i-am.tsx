import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  requiredText,
  Select,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { JourneyChart } from '../journey-chart.tsx';
import { addScale, rateScales, scalesOf } from '../scales.ts';
import { auditSubject, w } from '../words.ts';
import { type C, ownRecordThroughTeam, prefixes, recordPage, recordSubject, when, whose } from './shared.tsx';

const zeroToTen = Array.from({ length: 11 }, (_, value) => String(value));

const scaleSchema = z.object({
  name: requiredText(120),
  lowWords: optionalText(120),
  highWords: optionalText(120),
  firstValue: z.enum(['', ...zeroToTen], { error: 'coaching.errors.zeroToTen' }).default(''),
});

/** Where I am now: the person's own scales, rated whenever they like, drawn as a journey over time. */
export function whereIAmRoutes(app: Hono<AppEnv>) {
  const show = async (c: C, form?: { name: string; values: FormValues; errors: FieldErrors }) => {
    const t = c.get('t');
    const found = await inOrganisation(c, async (scope) => {
      const who = await whose(c, scope);
      if (!who) return null;
      const scales = await scalesOf(scope, who.personId);
      await audit(scope, { action: 'read', subjectType: auditSubject.scale, subjectPersonId: who.personId });
      return { who, scales };
    });
    if (!found) return renderProblem(c, 404);
    const { who, scales } = found;
    const errors = form?.errors ?? {};
    const rated = scales.filter((scale) => scale.ratings.length > 0);
    const dates = [
      ...new Set(rated.flatMap((scale) => scale.ratings.map((r) => r.ratedAt.toISOString()))),
    ].sort();
    return recordPage(
      c,
      who,
      {
        title: t(w(who.self ? 'whereIAm.titleMine' : 'whereIAm.titleTheirs'), { name: who.calledName }),
        current: 'whereIAm',
        errors,
      },
      <>
        <p class="govuk-body">
          {who.self ? t(w('whereIAm.intro')) : t(w('whereIAm.introTheirs'), { name: who.calledName })}
        </p>
        {scales.length > 0 ? (
          <form method="post" action={`${who.base}/where-i-am/ratings`} novalidate>
            <CsrfField c={c} />
            <h2 class="govuk-heading-m">
              {who.self
                ? t(w('whereIAm.todayHeading'))
                : t(w('whereIAm.todayHeadingTheirs'), { name: who.calledName })}
            </h2>
            {scales.map((scale) => {
              const latest = scale.ratings[scale.ratings.length - 1];
              return (
                <Select
                  name={`scale-${scale.id}`}
                  label={scale.name}
                  hint={t(w('whereIAm.ends'), { low: scale.lowWords || '0', high: scale.highWords || '10' })}
                  values={form?.name === 'rating' ? form.values : { [`scale-${scale.id}`]: '' }}
                  errors={errors}
                  t={t}
                  options={[
                    {
                      value: '',
                      label: latest
                        ? t(w('whereIAm.lastTime'), { value: latest.value })
                        : t(w('whereIAm.notNow')),
                    },
                    ...zeroToTen.map((value) => ({ value, label: value })),
                  ]}
                />
              );
            })}
            <Button>{t(w('whereIAm.save'))}</Button>
          </form>
        ) : (
          <p class="govuk-body">{t(w(who.self ? 'whereIAm.emptyMine' : 'whereIAm.emptyTheirs'))}</p>
        )}
        {rated.length > 0 ? (
          <>
            <h2 class="govuk-heading-m">{t(w('whereIAm.journeyHeading'))}</h2>
            <JourneyChart
              title={t(w('whereIAm.chartTitle'))}
              description={t(w('whereIAm.chartDescription'))}
              lines={rated.map((scale) => ({
                name: scale.name,
                points: scale.ratings.map((rating) => ({ at: rating.ratedAt, value: rating.value })),
              }))}
              min={0}
              max={10}
              ticks={[0, 5, 10]}
              language={c.get('language')}
            />
            <DataTable
              caption={t(w('whereIAm.tableCaption'))}
              columns={[
                { label: t(w('whereIAm.when')) },
                ...rated.map((scale) => ({ label: scale.name, numeric: true })),
              ]}
              rows={dates.map((iso) => [
                when(c, new Date(iso)),
                ...rated.map((scale) => {
                  const rating = scale.ratings.find((r) => r.ratedAt.toISOString() === iso);
                  return rating ? String(rating.value) : '—';
                }),
              ])}
            />
          </>
        ) : null}
        <h2 class="govuk-heading-m">{t(w('whereIAm.newHeading'))}</h2>
        <form method="post" action={`${who.base}/where-i-am/scales`} novalidate>
          <CsrfField c={c} />
          <TextInput
            name="name"
            label={who.self ? t(w('whereIAm.name')) : t(w('whereIAm.nameTheirs'), { name: who.calledName })}
            hint={t(w('whereIAm.nameHint'))}
            values={form?.name === 'scale' ? form.values : {}}
            errors={errors}
            t={t}
          />
          <TextInput
            name="lowWords"
            label={t(w('whereIAm.lowWords'))}
            hint={t(w('whereIAm.lowHint'))}
            values={form?.name === 'scale' ? form.values : {}}
            errors={errors}
            t={t}
          />
          <TextInput
            name="highWords"
            label={t(w('whereIAm.highWords'))}
            hint={t(w('whereIAm.highHint'))}
            values={form?.name === 'scale' ? form.values : {}}
            errors={errors}
            t={t}
          />
          <Select
            name="firstValue"
            label={t(w(who.self ? 'whereIAm.firstValue' : 'whereIAm.firstValueTheirs'))}
            values={form?.name === 'scale' ? form.values : {}}
            errors={errors}
            t={t}
            options={[
              { value: '', label: t(w('whereIAm.notNow')) },
              ...zeroToTen.map((value) => ({ value, label: value })),
            ]}
          />
          <Button secondary>{t(w('whereIAm.add'))}</Button>
        </form>
      </>,
    );
  };

  for (const prefix of prefixes) {
    app.get(`${prefix}/where-i-am`, (c) =>
      ownRecordThroughTeam(c) ? c.redirect('/me/where-i-am', 303) : show(c),
    );

    app.post(`${prefix}/where-i-am/scales`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(scaleSchema, values, c.get('t'));
      if (!parsed.ok) return show(c, { name: 'scale', values, errors: parsed.errors });
      const done = await inOrganisation(c, async (scope) => {
        const who = await whose(c, scope);
        if (!who || !c.get('can')('update', recordSubject, { personId: who.personId })) return null;
        const { firstValue, ...scale } = parsed.data;
        await addScale(scope, {
          personId: who.personId,
          ...scale,
          firstValue: firstValue === '' ? null : Number(firstValue),
        });
        return who;
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.base}/where-i-am?done=scaleAdded`, 303);
    });

    app.post(`${prefix}/where-i-am/ratings`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const t = c.get('t');
      const values = await formValues(c);
      const ratings = new Map<string, number>();
      const errors: FieldErrors = {};
      for (const [name, value] of Object.entries(values)) {
        if (!name.startsWith('scale-') || value === '') continue;
        if (!zeroToTen.includes(value.trim())) errors[name] = t(w('errors.zeroToTen'));
        else ratings.set(name.slice('scale-'.length), Number(value));
      }
      if (Object.keys(errors).length) return show(c, { name: 'rating', values, errors });
      if (ratings.size === 0)
        return show(c, {
          name: 'rating',
          values,
          errors: {
            [Object.keys(values).find((name) => name.startsWith('scale-')) ?? 'form']: t(w('errors.rateOne')),
          },
        });
      const done = await inOrganisation(c, async (scope) => {
        const who = await whose(c, scope);
        if (!who || !c.get('can')('update', recordSubject, { personId: who.personId })) return null;
        return { who, count: await rateScales(scope, who.personId, ratings) };
      });
      if (!done || done.count === 0) return renderProblem(c, 404);
      return c.redirect(`${done.who.base}/where-i-am?done=rated`, 303);
    });
  }
}
