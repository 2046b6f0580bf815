import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  Checkboxes,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  type BarrierSystem,
  createSystem,
  deleteSystem,
  listSystems,
  systemName,
  updateSystem,
} from '../barriers.ts';
import { type C, limits, page, w } from '../views.tsx';

const systemSchema = z.object({
  name: z
    .string({ error: 'barriers.errors.systemNameRequired' })
    .trim()
    .min(1, 'barriers.errors.systemNameRequired')
    .max(limits.systemName, 'errors.tooLong'),
  nameCy: optionalText(limits.systemName),
  hidden: z.string().default(''),
});

/** Two systems with the same name would make the report ambiguous. */
function sameName(systems: BarrierSystem[], name: string, except?: string) {
  const wanted = name.toLocaleLowerCase('en-GB');
  return systems.some((s) => s.id !== except && s.name.toLocaleLowerCase('en-GB') === wanted);
}

/** The organisation's list of systems: add, rename, hide; delete only one that no barrier names. */
export function systemRoutes(app: Hono<AppEnv>) {
  const mayManage = (c: C) => c.get('can')('manage', 'barrier-system');

  const listPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const systems = await inOrganisation(c, (scope) => listSystems(scope));
    const language = c.get('language');
    return page(
      c,
      { title: t(w('systems.title')), errors, back: { href: '/barriers', label: t(w('form.back')) } },
      <>
        <p class="govuk-body">{t(w('systems.intro'))}</p>
        <DataTable
          caption={t(w('systems.caption'))}
          columns={[
            { label: t(w('systems.name')) },
            { label: t(w('systems.shown')) },
            { label: t(w('systems.uses')), numeric: true },
            { label: t(w('systems.change')) },
          ]}
          rows={systems.map((s) => [
            systemName(s, language),
            t(w(s.isHidden ? 'systems.isHidden' : 'systems.isShown')),
            s.uses,
            <a class="govuk-link" href={`/barriers/systems/${s.id}`}>
              {t(w('systems.changeLink'), { name: systemName(s, language) })}
            </a>,
          ])}
        />
        <h2 class="govuk-heading-m">{t(w('systems.add'))}</h2>
        <form method="post" action="/barriers/systems" novalidate>
          <CsrfField c={c} />
          <TextInput name="name" label={t(w('systems.nameEn'))} values={values} errors={errors} t={t} />
          <TextInput
            name="nameCy"
            label={t(w('systems.nameCy'))}
            hint={t(w('systems.nameCyHint'))}
            values={values}
            errors={errors}
            t={t}
          />
          <Button secondary>{t(w('systems.addButton'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/barriers/systems', (c) => (mayManage(c) ? listPage(c) : renderProblem(c, 403)));
  app.post('/barriers/systems', async (c) => {
    if (!mayManage(c)) return renderProblem(c, 403);
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(systemSchema, values, t);
    if (!parsed.ok) return listPage(c, values, parsed.errors);
    const added = await inOrganisation(c, async (scope) => {
      if (sameName(await listSystems(scope), parsed.data.name)) return false;
      await createSystem(scope, parsed.data.name, parsed.data.nameCy || null);
      return true;
    });
    if (!added) return listPage(c, values, { name: t(w('errors.systemNameTaken')) });
    return c.redirect('/barriers/systems?done=systemAdded', 303);
  });

  const systemPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const system = await inOrganisation(c, async (scope) =>
      (await listSystems(scope)).find((s) => s.id === c.req.param('systemId')),
    );
    if (!system) return renderProblem(c, 404);
    const shown = values ?? {
      name: system.name,
      nameCy: system.nameCy ?? '',
      hidden: system.isHidden ? 'yes' : '',
    };
    return page(
      c,
      {
        title: t(w('systems.changeTitle'), { name: systemName(system, c.get('language')) }),
        errors,
        narrow: true,
        back: { href: '/barriers/systems', label: t(w('systems.title')) },
      },
      <>
        <form method="post" action={`/barriers/systems/${system.id}`} novalidate>
          <CsrfField c={c} />
          <TextInput name="name" label={t(w('systems.nameEn'))} values={shown} errors={errors} t={t} />
          <TextInput
            name="nameCy"
            label={t(w('systems.nameCy'))}
            hint={t(w('systems.nameCyHint'))}
            values={shown}
            errors={errors}
            t={t}
          />
          <Checkboxes
            name="hidden"
            legend={t(w('systems.hideLegend'))}
            hint={t(w('systems.hideHint'))}
            options={[{ value: 'yes', label: t(w('systems.hide')) }]}
            chosen={shown.hidden === 'yes' ? ['yes'] : []}
            errors={errors}
            t={t}
          />
          <Button>{t(w('systems.save'))}</Button>
        </form>
        <h2 class="govuk-heading-m">{t(w('systems.deleteTitle'))}</h2>
        {system.uses > 0 ? (
          <p class="govuk-body">{t(w('systems.inUse'), { count: system.uses })}</p>
        ) : (
          <form method="post" action={`/barriers/systems/${system.id}/delete`}>
            <CsrfField c={c} />
            <p class="govuk-body">{t(w('systems.deleteExplain'))}</p>
            <button type="submit" class="govuk-button govuk-button--warning">
              {t(w('systems.delete'))}
            </button>
          </form>
        )}
      </>,
    );
  };
  app.get('/barriers/systems/:systemId', (c) => (mayManage(c) ? systemPage(c) : renderProblem(c, 403)));
  app.post('/barriers/systems/:systemId', async (c) => {
    if (!mayManage(c)) return renderProblem(c, 403);
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(systemSchema, values, t);
    if (!parsed.ok) return systemPage(c, values, parsed.errors);
    const outcome = await inOrganisation(c, async (scope) => {
      const systemId = c.req.param('systemId');
      if (sameName(await listSystems(scope), parsed.data.name, systemId)) return 'taken' as const;
      const saved = await updateSystem(scope, systemId, {
        name: parsed.data.name,
        nameCy: parsed.data.nameCy || null,
        isHidden: parsed.data.hidden === 'yes',
      });
      return saved ? ('saved' as const) : ('not-found' as const);
    });
    if (outcome === 'not-found') return renderProblem(c, 404);
    if (outcome === 'taken') return systemPage(c, values, { name: t(w('errors.systemNameTaken')) });
    return c.redirect('/barriers/systems?done=systemSaved', 303);
  });
  app.post('/barriers/systems/:systemId/delete', async (c) => {
    if (!mayManage(c)) return renderProblem(c, 403);
    const outcome = await inOrganisation(c, (scope) => deleteSystem(scope, c.req.param('systemId')));
    if (outcome === 'not-found') return renderProblem(c, 404);
    return c.redirect(
      `/barriers/systems?done=${outcome === 'deleted' ? 'systemDeleted' : 'systemInUse'}`,
      303,
    );
  });
}
