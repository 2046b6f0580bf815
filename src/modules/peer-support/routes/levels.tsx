import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
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
  requiredText,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable, Notice, renderPage } from '../../../core/web/layout.tsx';
import { allowed, inOrganisation } from '../../../core/web/middleware.ts';
import { addLevel, addModule, listLevels, listModules, nameIn, updateLevel } from '../lists.ts';
import { subject, supportKinds, w } from '../words.ts';
import { allOf, type C, noticeFor, TeamCrumb } from './shared.tsx';

const moduleSchema = z.object({
  moduleName: requiredText(80),
  moduleNameCy: optionalText(80),
  sessionsNeeded: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'peer-support.errors.sessionsNeeded')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 50, 'peer-support.errors.sessionsNeeded'),
});
const levelSchema = z.object({ levelName: requiredText(80), levelNameCy: optionalText(80) });

/**
 * Levels and training, the organisation's own: rename a level, choose the training it needs, add a
 * training module or a level above the rest. Peers keep the levels they have reached.
 */
export function levelRoutes(app: Hono<AppEnv>) {
  app.use('/peer-support/levels', allowed('manage', subject.team));
  app.use('/peer-support/levels/*', allowed('manage', subject.team));

  const page = async (
    c: C,
    options: { values?: FormValues; chosen?: string[]; errors?: FieldErrors; form?: string } = {},
  ) => {
    const t = c.get('t');
    const language = c.get('language');
    const { levels, modules } = await inOrganisation(c, async (scope) => ({
      levels: await listLevels(scope),
      modules: await listModules(scope),
    }));
    const errors = options.errors ?? {};
    const values = options.values ?? {};
    const hasErrors = Object.keys(errors).length > 0;
    const moduleOptions = modules.map((module) => ({ value: module.key, label: nameIn(language, module) }));
    return renderPage(
      c,
      { title: t(w('levels.title')), narrow: true, hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <TeamCrumb c={c} />
        <Notice text={noticeFor(c)} />
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('levels.title'))}</h1>
        <p class="govuk-body">{t(w('levels.intro'))}</p>
        {levels.map((level) => {
          const mine = options.form === level.key;
          return (
            <form
              method="post"
              action={`/peer-support/levels/${level.key}`}
              novalidate
              class="alongside-card"
            >
              <CsrfField c={c} />
              <h2 class="govuk-heading-m">{nameIn(language, level)}</h2>
              <TextInput
                name="levelName"
                id={`levelName-${level.key}`}
                label={t(w('levels.name'))}
                values={{ levelName: mine ? (values.levelName ?? '') : level.name }}
                errors={errors}
                t={t}
              />
              <TextInput
                name="levelNameCy"
                id={`levelNameCy-${level.key}`}
                label={t(w('levels.nameCy'))}
                values={{ levelNameCy: mine ? (values.levelNameCy ?? '') : (level.nameCy ?? '') }}
                errors={errors}
                t={t}
              />
              <Checkboxes
                name="needs"
                id={`needs-${level.key}`}
                legend={t(w('levels.needs'))}
                chosen={mine ? (options.chosen ?? []) : level.needsTraining}
                t={t}
                options={moduleOptions}
              />
              <Button secondary>{t(w('levels.save'), { level: nameIn(language, level) })}</Button>
            </form>
          );
        })}
        <h2 class="govuk-heading-m">{t(w('levels.modules'))}</h2>
        <DataTable
          caption={t(w('levels.modulesCaption'))}
          columns={[{ label: t(w('mine.module')) }, { label: t(w('levels.sessionsNeeded')), numeric: true }]}
          rows={modules.map((module) => [nameIn(language, module), String(module.sessionsNeeded)])}
        />
        <form method="post" action="/peer-support/levels/modules" novalidate>
          <CsrfField c={c} />
          <h3 class="govuk-heading-s">{t(w('levels.addModule'))}</h3>
          <TextInput
            name="moduleName"
            label={t(w('levels.moduleName'))}
            values={options.form === 'module' ? values : {}}
            errors={errors}
            t={t}
          />
          <TextInput
            name="moduleNameCy"
            label={t(w('levels.nameCy'))}
            values={options.form === 'module' ? values : {}}
            errors={errors}
            t={t}
          />
          <TextInput
            name="sessionsNeeded"
            label={t(w('levels.sessionsNeeded'))}
            values={options.form === 'module' ? values : { sessionsNeeded: '1' }}
            errors={errors}
            t={t}
            width="10"
          />
          <Button secondary>{t(w('levels.addModuleButton'))}</Button>
        </form>
        <form method="post" action="/peer-support/levels/new" novalidate>
          <CsrfField c={c} />
          <h2 class="govuk-heading-m">{t(w('levels.addLevel'))}</h2>
          <p class="govuk-body">{t(w('levels.addLevelHint'))}</p>
          <TextInput
            name="levelName"
            label={t(w('levels.name'))}
            values={options.form === 'new' ? values : {}}
            errors={errors}
            t={t}
          />
          <TextInput
            name="levelNameCy"
            label={t(w('levels.nameCy'))}
            values={options.form === 'new' ? values : {}}
            errors={errors}
            t={t}
          />
          <Checkboxes
            name="suits"
            legend={t(w('levels.suits'))}
            chosen={[]}
            t={t}
            options={[
              ...supportKinds.map((kind) => ({ value: kind, label: t(w(`supports.${kind}`)) })),
              { value: 'everything', label: t(w('levels.everything')) },
            ]}
          />
          <Checkboxes
            name="needs"
            id="needs-new"
            legend={t(w('levels.needs'))}
            chosen={options.form === 'new' ? (options.chosen ?? []) : []}
            t={t}
            options={moduleOptions}
          />
          <Button secondary>{t(w('levels.addLevelButton'))}</Button>
        </form>
      </>,
    );
  };

  app.get('/peer-support/levels', (c) => page(c));
  app.post('/peer-support/levels/modules', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(moduleSchema, values, t);
    if (!parsed.ok) return page(c, { values, errors: parsed.errors, form: 'module' });
    const added = await inOrganisation(c, (scope) =>
      addModule(scope, {
        name: parsed.data.moduleName,
        nameCy: parsed.data.moduleNameCy || null,
        sessionsNeeded: parsed.data.sessionsNeeded,
      }),
    );
    if (!added) return page(c, { values, errors: { moduleName: t(w('errors.tagTaken')) }, form: 'module' });
    return c.redirect('/peer-support/levels?done=settingsSaved', 303);
  });
  app.post('/peer-support/levels/new', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const chosen = await allOf(c, 'needs');
    const suits = (await allOf(c, 'suits')).filter(
      (kind) => kind === 'everything' || (supportKinds as readonly string[]).includes(kind),
    );
    const parsed = parseValues(levelSchema, values, t);
    if (!parsed.ok) return page(c, { values, chosen, errors: parsed.errors, form: 'new' });
    const added = await inOrganisation(c, (scope) =>
      addLevel(scope, {
        name: parsed.data.levelName,
        nameCy: parsed.data.levelNameCy || null,
        suits: suits.includes('everything') ? ['everything'] : suits,
        needsTraining: chosen,
      }),
    );
    if (!added)
      return page(c, { values, chosen, errors: { levelName: t(w('errors.tagTaken')) }, form: 'new' });
    return c.redirect('/peer-support/levels?done=settingsSaved', 303);
  });
  app.post('/peer-support/levels/:key', async (c) => {
    const t = c.get('t');
    const key = c.req.param('key');
    const values = await formValues(c);
    const chosen = await allOf(c, 'needs');
    const parsed = parseValues(levelSchema, values, t);
    if (!parsed.ok) {
      const errors = Object.fromEntries(
        Object.entries(parsed.errors).map(([field, message]) => [`${field}-${key}`, message]),
      );
      return page(c, { values, chosen, errors, form: key });
    }
    const saved = await inOrganisation(c, (scope) =>
      updateLevel(scope, key, {
        name: parsed.data.levelName,
        nameCy: parsed.data.levelNameCy || null,
        needsTraining: chosen,
      }),
    );
    if (!saved) return renderProblem(c, 404);
    return c.redirect('/peer-support/levels?done=settingsSaved', 303);
  });
}
