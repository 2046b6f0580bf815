import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { lastWholeMonths } from '../../../core/periods.ts';
import { publishedRule, strictestFewerThan } from '../../../core/small-numbers.ts';
import { isUuid } from '../../../core/tokens.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  parseForm,
  requiredText,
  Select,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable, Notice, renderPage } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { formatPence, parsePence } from '../../personal-budget/money.ts';
import { w } from '../format.ts';
import { costableFigures } from '../report.ts';
import { ruleOf, setFewerThan } from '../settings.ts';
import { addUnitCost, removeUnitCost, unitCostsOf } from '../unit-costs.ts';

type C = Context<AppEnv>;

const thresholdSchema = z.object({
  fewerThan: z.coerce
    .number({ error: 'impact.errors.threshold' })
    .int('impact.errors.threshold')
    .min(publishedRule.fewerThan, 'impact.errors.threshold')
    .max(strictestFewerThan, 'impact.errors.threshold'),
});

const costSchema = z.object({
  name: requiredText(200),
  figure: z.string().min(1, 'impact.errors.figure'),
  pounds: z.string().trim().min(1, 'impact.errors.pounds'),
  source: requiredText(500),
  year: z.coerce
    .number({ error: 'impact.errors.year' })
    .int('impact.errors.year')
    .min(1990, 'impact.errors.year')
    .max(2100, 'impact.errors.year'),
});

async function settingsPage(
  c: C,
  form: {
    values?: FormValues;
    errors?: FieldErrors;
    thresholdValues?: FormValues;
    thresholdErrors?: FieldErrors;
  } = {},
) {
  const t = c.get('t');
  const { rule, costs, figures } = await inOrganisation(c, async (scope) => ({
    rule: await ruleOf(scope),
    costs: await unitCostsOf(scope),
    figures: await costableFigures(c.get('services'), scope, lastWholeMonths(1), t),
  }));
  const errors = { ...form.thresholdErrors, ...form.errors };
  const figureName = new Map(figures.map((figure) => [figure.figure, figure.label]));
  const done = c.req.query('done');
  return renderPage(
    c,
    {
      title: t(w('settings.title')),
      narrow: true,
      hasErrors: Object.keys(errors).length > 0,
      status: Object.keys(errors).length > 0 ? 400 : 200,
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      <Notice
        text={
          done
            ? t(
                w(
                  `settings.done.${done === 'threshold' ? 'threshold' : done === 'removed' ? 'removed' : 'added'}`,
                ),
              )
            : null
        }
      />
      <p class="govuk-body">
        <a class="govuk-link" href="/impact">
          {t(w('back'))}
        </a>
      </p>
      <h1 class="govuk-heading-l">{t(w('settings.title'))}</h1>
      <h2 class="govuk-heading-m">{t(w('settings.thresholdHeading'))}</h2>
      <p class="govuk-body">{t(w('settings.thresholdBody'), { limit: publishedRule.fewerThan })}</p>
      <form method="post" action="/impact/settings/threshold" novalidate>
        <CsrfField c={c} />
        <TextInput
          name="fewerThan"
          label={t(w('settings.fewerThan'))}
          hint={t(w('settings.fewerThanHint'), { least: publishedRule.fewerThan, most: strictestFewerThan })}
          width="10"
          values={form.thresholdValues ?? { fewerThan: String(rule.fewerThan) }}
          errors={form.thresholdErrors}
          t={t}
        />
        <Button secondary>{t(w('settings.saveThreshold'))}</Button>
      </form>
      <h2 class="govuk-heading-m">{t(w('settings.costsHeading'))}</h2>
      <p class="govuk-body">{t(w('settings.costsBody'))}</p>
      {costs.length === 0 ? (
        <p class="govuk-body">{t(w('settings.noCosts'))}</p>
      ) : (
        <DataTable
          caption={t(w('settings.costsCaption'))}
          columns={[
            { label: t(w('settings.name')) },
            { label: t(w('settings.figure')) },
            { label: t(w('settings.amount')), numeric: true },
            { label: t(w('settings.source')) },
            { label: t(w('settings.action')) },
          ]}
          rows={costs.map((cost) => [
            cost.name,
            figureName.get(cost.figure) ?? cost.figure,
            formatPence(cost.pence),
            `${cost.source} (${cost.year})`,
            <form method="post" action={`/impact/settings/costs/${cost.id}/remove`}>
              <CsrfField c={c} />
              <button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0">
                {t(w('settings.remove'))}
                <span class="govuk-visually-hidden"> {cost.name}</span>
              </button>
            </form>,
          ])}
        />
      )}
      {figures.length === 0 ? (
        <p class="govuk-body">{t(w('settings.noFigures'))}</p>
      ) : (
        <form method="post" action="/impact/settings/costs" novalidate>
          <CsrfField c={c} />
          <h3 class="govuk-heading-s">{t(w('settings.addHeading'))}</h3>
          <TextInput
            name="name"
            label={t(w('settings.name'))}
            hint={t(w('settings.nameHint'))}
            values={form.values}
            errors={form.errors}
            t={t}
          />
          <Select
            name="figure"
            label={t(w('settings.figure'))}
            hint={t(w('settings.figureHint'))}
            options={[
              { value: '', label: t(w('settings.chooseFigure')) },
              ...figures.map((figure) => ({ value: figure.figure, label: figure.label })),
            ]}
            values={form.values}
            errors={form.errors}
            t={t}
          />
          <TextInput
            name="pounds"
            label={t(w('settings.amount'))}
            hint={t(w('settings.amountHint'))}
            width="10"
            values={form.values}
            errors={form.errors}
            t={t}
          />
          <TextInput
            name="source"
            label={t(w('settings.source'))}
            hint={t(w('settings.sourceHint'))}
            values={form.values}
            errors={form.errors}
            t={t}
          />
          <TextInput
            name="year"
            label={t(w('settings.year'))}
            width="10"
            values={form.values}
            errors={form.errors}
            t={t}
          />
          <Button>{t(w('settings.add'))}</Button>
        </form>
      )}
    </>,
  );
}

export function settingsRoutes(app: Hono<AppEnv>) {
  app.use('/impact/settings', mayManage);
  app.use('/impact/settings/*', mayManage);

  app.get('/impact/settings', (c) => settingsPage(c));

  app.post('/impact/settings/threshold', async (c) => {
    const parsed = await parseForm(c, thresholdSchema);
    if (!parsed.ok)
      return settingsPage(c, { thresholdValues: parsed.values, thresholdErrors: parsed.errors });
    await inOrganisation(c, (scope) => setFewerThan(scope, parsed.data.fewerThan));
    return c.redirect('/impact/settings?done=threshold', 303);
  });

  app.post('/impact/settings/costs', async (c) => {
    const t = c.get('t');
    const parsed = await parseForm(c, costSchema);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const pence = parsePence(parsed.values.pounds ?? '');
    if (!errors.pounds && !pence.ok) errors.pounds = t(w('errors.pounds'));
    const figures = await inOrganisation(c, (scope) =>
      costableFigures(c.get('services'), scope, lastWholeMonths(1), t),
    );
    if (!errors.figure && !figures.some((figure) => figure.figure === parsed.values.figure))
      errors.figure = t(w('errors.figure'));
    if (!parsed.ok || Object.keys(errors).length > 0 || !pence.ok)
      return settingsPage(c, { values: parsed.values, errors });
    await inOrganisation(c, (scope) =>
      addUnitCost(scope, {
        name: parsed.data.name,
        figure: parsed.data.figure,
        pence: pence.pence,
        source: parsed.data.source,
        year: parsed.data.year,
      }),
    );
    return c.redirect('/impact/settings?done=added', 303);
  });

  app.post('/impact/settings/costs/:costId/remove', async (c) => {
    const costId = c.req.param('costId');
    if (!isUuid(costId)) return renderProblem(c, 404);
    const removed = await inOrganisation(c, (scope) => removeUnitCost(scope, costId));
    if (!removed) return renderProblem(c, 404);
    return c.redirect('/impact/settings?done=removed', 303);
  });
}

async function mayManage(c: C, next: () => Promise<void>) {
  if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
  if (!c.get('can')('manage', 'impact-settings')) return renderProblem(c, 403);
  await next();
}
