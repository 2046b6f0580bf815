import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { namesOf } from '../../../core/people.ts';
import { findTeam, teamName } from '../../../core/teams.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import {
  Button,
  Checkboxes,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
  Radios,
  requiredText,
  TextArea,
} from '../../../core/web/forms.tsx';
import { Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { addDebrief, debriefsOf, findForceRecord, listForceRecords } from '../force.ts';
import { currentHelpPlan, helpPlanVersions, saveHelpPlan } from '../help-plans.ts';
import { listInteractions } from '../interactions.ts';
import { leaveMessage, messagesOf, setMessageShown } from '../safewards.ts';
import { auditSubject, calmItems, openStayOf, staysOf } from '../wards.ts';
import { BoardBody, boardPage } from './dashboard.tsx';
import { ForceSummary } from './force.tsx';
import { HelpPlanForm, HelpPlanView, helpPlanSchema, planValues } from './help-plan-views.tsx';
import { allOf, type C, page, patientHere, Words, w, when } from './shared.tsx';

const accountSchema = z.object({
  state: z.enum(['given', 'declined', 'later'], { error: 'safer-wards.errors.accountChoice' }),
  words: z.string().trim().max(4000, 'errors.tooLong').default(''),
});
const messageSchema = z.object({ words: requiredText(1000), shown: z.string().default('') });

export function mineRoutes(app: Hono<AppEnv>) {
  // The person's own page: their help plan, the records of force about them, a message for the ward.
  app.get('/my-ward', async (c) => {
    const t = c.get('t');
    const me = c.get('user')!.personId;
    const data = await inOrganisation(c, async (scope) => {
      const plan = await currentHelpPlan(scope, me);
      const stay = await openStayOf(scope, me);
      const ward = stay ? await findTeam(scope, stay.wardId) : null;
      const records = await listForceRecords(scope, { personId: me, limit: 20 });
      const messages = await messagesOf(scope, me);
      const everStayed = (await staysOf(scope, me)).length > 0;
      // What staff recorded with them is theirs to read (product rule: nothing written about someone
      // is hidden from them), newest first.
      const interactions = await listInteractions(scope, { personId: me, limit: 20 });
      const names = await namesOf(scope, [
        ...(plan?.writtenBy ? [plan.writtenBy] : []),
        ...interactions.flatMap((i) => (i.recordedBy ? [i.recordedBy] : [])),
      ]);
      return { plan, ward, records, messages, everStayed, names, interactions };
    });
    const { plan, ward, records, messages, everStayed, names, interactions } = data;
    return page(
      c,
      { title: t(w('mine.title')) },
      <>
        <p class="govuk-body">{t(w('mine.intro'))}</p>
        {ward ? (
          <p class="govuk-body">
            <a class="govuk-link" href="/my-ward/board">
              {t(w('mine.board'), { ward: teamName(ward, c.get('language')) })}
            </a>
          </p>
        ) : null}
        <h2 class="govuk-heading-m">{t(w('mine.plan'))}</h2>
        <HelpPlanView plan={plan} names={names} own t={t} language={c.get('language')} />
        <p class="govuk-body">
          <a class="govuk-link govuk-!-font-weight-bold" href="/my-ward/help-plan">
            {t(w(plan ? 'mine.changePlan' : 'mine.writePlan'))}
          </a>
          {plan && plan.version > 1 ? (
            <>
              {' · '}
              <a class="govuk-link" href="/my-ward/help-plan/versions">
                {t(w('plan.versions'))}
              </a>
            </>
          ) : null}
        </p>
        {interactions.length > 0 ? (
          <>
            <h2 class="govuk-heading-m">{t(w('mine.interactions'))}</h2>
            <ul class="govuk-list">
              {interactions.map((one) => (
                <li>
                  <strong>{t(w(`continuum.${one.kind}`))}</strong>, {when(c, one.happenedAt)}
                  {one.recordedBy ? ` · ${names.get(one.recordedBy) ?? '—'}` : ''}
                  {one.words ? <Words text={one.words} /> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {records.length > 0 ? (
          <>
            <h2 class="govuk-heading-m">{t(w('mine.records'))}</h2>
            <p class="govuk-body">{t(w('mine.recordsIntro'))}</p>
            <ul class="govuk-list">
              {records.map((record) => (
                <li>
                  <a class="govuk-link" href={`/my-ward/force/${record.id}`}>
                    {t(w('force.itemTitle'), { when: when(c, record.startedAt ?? record.createdAt) })}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {everStayed ? (
          <>
            <h2 class="govuk-heading-m">{t(w('mine.message'))}</h2>
            <p class="govuk-body">{t(w('mine.messageIntro'))}</p>
            {messages.map((m) => (
              <form method="post" action={`/my-ward/messages/${m.id}`} novalidate>
                <CsrfField c={c} />
                <Words text={m.words} />
                <p class="govuk-body-s">{t(w(m.shown ? 'mine.messageShown' : 'mine.messageHidden'))}</p>
                <input type="hidden" name="shown" value={m.shown ? 'no' : 'yes'} />
                <Button secondary>{t(w(m.shown ? 'mine.hideMessage' : 'mine.showMessage'))}</Button>
              </form>
            ))}
            <p class="govuk-body">
              <a class="govuk-link" href="/my-ward/message">
                {t(w('mine.writeMessage'))}
              </a>
            </p>
          </>
        ) : null}
      </>,
    );
  });

  const planPage = async (c: C, values?: FormValues, chosen?: string[], errors: FieldErrors = {}) => {
    const t = c.get('t');
    const me = c.get('user')!.personId;
    const data = await inOrganisation(c, async (scope) => {
      const stay = await openStayOf(scope, me);
      return {
        plan: await currentHelpPlan(scope, me),
        items: stay ? await calmItems(scope, stay.wardId) : [],
      };
    });
    return page(
      c,
      {
        title: t(w('mine.planTitle')),
        errors,
        narrow: true,
        back: { href: '/my-ward', label: t(w('back.mine')) },
      },
      <HelpPlanForm
        action="/my-ward/help-plan"
        own
        values={values ?? planValues(data.plan)}
        chosenItems={chosen ?? data.plan?.calmItems ?? []}
        items={data.items}
        errors={errors}
        wording={{}}
        csrf={<CsrfField c={c} />}
        t={t}
        language={c.get('language')}
      />,
    );
  };
  app.get('/my-ward/help-plan', (c) => planPage(c));
  app.post('/my-ward/help-plan', async (c) => {
    const values = await formValues(c);
    const chosen = (await allOf(c, 'calmItems')).map((item) => item.trim().slice(0, 80)).filter(Boolean);
    const parsed = parseValues(helpPlanSchema, values, c.get('t'));
    if (!parsed.ok) return planPage(c, values, chosen, parsed.errors);
    const version = await inOrganisation(c, (scope) =>
      saveHelpPlan(scope, c.get('user')!.personId, { ...parsed.data, calmItems: chosen }),
    );
    return c.redirect(`/my-ward?done=${version ? 'planSaved' : 'planSame'}`, 303);
  });

  // Every version of the plan, newest first, with who wrote it and when.
  const versionsPage = async (c: C, personId: string, back: { href: string; label: string }) => {
    const t = c.get('t');
    const { versions, names } = await inOrganisation(c, async (scope) => {
      const list = await helpPlanVersions(scope, personId);
      return {
        versions: list,
        names: await namesOf(
          scope,
          list.flatMap((v) => (v.writtenBy ? [v.writtenBy] : [])),
        ),
      };
    });
    return page(
      c,
      { title: t(w('plan.versionsTitle')), back },
      versions.map((version) => (
        <section>
          <h2 class="govuk-heading-m">{t(w('plan.versionNumber'), { version: version.version })}</h2>
          <HelpPlanView
            plan={version}
            names={names}
            own={personId === c.get('user')!.personId}
            t={t}
            language={c.get('language')}
          />
        </section>
      )),
    );
  };
  app.get('/my-ward/help-plan/versions', (c) =>
    versionsPage(c, c.get('user')!.personId, { href: '/my-ward', label: c.get('t')(w('back.mine')) }),
  );

  // A record of force about me: all of it, with my own account beside the staff's.
  const recordPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const me = c.get('user')!.personId;
    const data = await inOrganisation(c, async (scope) => {
      const record = await findForceRecord(scope, c.req.param('recordId') ?? '');
      if (!record || record.personId !== me) return null;
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.forceRecord,
        subjectId: record.id,
        subjectPersonId: me,
      });
      const debriefs = await debriefsOf(scope, record.id);
      const names = await namesOf(scope, [
        me,
        ...debriefs.flatMap((d) => (d.byPersonId ? [d.byPersonId] : [])),
      ]);
      return { record, debriefs, names };
    });
    if (!data) return renderProblem(c, 404);
    const { record, debriefs, names } = data;
    const mine = debriefs.filter((d) => d.side === 'patient' && d.state !== 'offered');
    const staffAccounts = debriefs.filter((d) => d.side === 'staff');
    return page(
      c,
      {
        title: t(w('force.itemTitle'), { when: when(c, record.startedAt ?? record.createdAt) }),
        errors,
        back: { href: '/my-ward', label: t(w('back.mine')) },
      },
      <>
        <h2 class="govuk-heading-m">{t(w('mine.yourAccount'))}</h2>
        {mine.map((d) => (
          <div class="govuk-inset-text">
            <p class="govuk-body-s">
              {t(w(`debrief.states.${d.state}`))} · {formatDate(d.createdAt, c.get('language'))}
            </p>
            {d.words ? <Words text={d.words} /> : null}
          </div>
        ))}
        <form method="post" action={`/my-ward/force/${record.id}/account`} novalidate>
          <CsrfField c={c} />
          <Radios
            name="state"
            legend={t(w('mine.accountChoice'))}
            options={['given', 'later', 'declined'].map((s) => ({
              value: s,
              label: t(w(`mine.accountStates.${s}`)),
            }))}
            values={values}
            errors={errors}
            t={t}
          />
          <TextArea
            name="words"
            label={t(w('mine.accountWords'))}
            hint={t(w('mine.accountHint'))}
            values={values}
            errors={errors}
            t={t}
            rows={6}
          />
          <Button>{t(w('mine.saveAccount'))}</Button>
        </form>
        <h2 class="govuk-heading-m">{t(w('mine.staffAccount'))}</h2>
        {record.withheldReason ? (
          <p class="govuk-body">{t(w('mine.withheld'), { reason: record.withheldReason })}</p>
        ) : (
          <>
            <ForceSummary c={c} record={record} names={names} />
            {staffAccounts.map((d) => (
              <Summary
                rows={[
                  [t(w('debrief.before')), <Words text={d.beforeWords || '—'} />],
                  [t(w('debrief.chances')), <Words text={d.chances || '—'} />],
                  [t(w('debrief.differently')), <Words text={d.differently || '—'} />],
                ]}
              />
            ))}
          </>
        )}
      </>,
    );
  };
  app.get('/my-ward/force/:recordId', (c) => recordPage(c));
  app.post('/my-ward/force/:recordId/account', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(accountSchema, values, t);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (parsed.ok && parsed.data.state === 'given' && !parsed.data.words)
      errors.words = t(w('errors.accountWords'));
    if (!parsed.ok || Object.keys(errors).length > 0) return recordPage(c, values, errors);
    const me = c.get('user')!.personId;
    const saved = await inOrganisation(c, async (scope) => {
      const record = await findForceRecord(scope, c.req.param('recordId'));
      if (!record || record.personId !== me) return null;
      await addDebrief(scope, record, {
        side: 'patient',
        state: parsed.data.state,
        words: parsed.data.words,
      });
      return record.id;
    });
    if (!saved) return renderProblem(c, 404);
    return c.redirect(`/my-ward/force/${saved}?done=account`, 303);
  });

  app.get('/my-ward/board', async (c) => {
    const t = c.get('t');
    const me = c.get('user')!.personId;
    const data = await inOrganisation(c, async (scope) => {
      const stay = await openStayOf(scope, me);
      const ward = stay ? await findTeam(scope, stay.wardId) : null;
      return ward
        ? { ward, board: await boardPage(c, scope, ward, { href: '/my-ward', label: t(w('back.mine')) }) }
        : null;
    });
    if (!data) return renderProblem(c, 404);
    return page(
      c,
      { title: t(w('board.title')), caption: teamName(data.ward, c.get('language')) },
      <BoardBody {...data.board} c={c} />,
    );
  });

  // A message for the people still on the ward: shown only with the writer's yes, which they can take back.
  const messagePage = (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    return page(
      c,
      {
        title: t(w('mine.writeMessage')),
        errors,
        narrow: true,
        back: { href: '/my-ward', label: t(w('back.mine')) },
      },
      <form method="post" action="/my-ward/message" novalidate>
        <CsrfField c={c} />
        <TextArea
          name="words"
          label={t(w('mine.messageWords'))}
          hint={t(w('mine.messageHint'))}
          values={values}
          errors={errors}
          t={t}
          rows={5}
        />
        <Checkboxes
          name="shown"
          legend={t(w('mine.messageConsent'))}
          options={[{ value: 'yes', label: t(w('mine.messageConsentYes')) }]}
          chosen={values.shown === 'yes' ? ['yes'] : []}
          t={t}
        />
        <Button>{t(w('mine.saveMessage'))}</Button>
      </form>,
    );
  };
  app.get('/my-ward/message', (c) => messagePage(c));
  app.post('/my-ward/message', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(messageSchema, values, c.get('t'));
    if (!parsed.ok) return messagePage(c, values, parsed.errors);
    const me = c.get('user')!.personId;
    const ok = await inOrganisation(c, async (scope) => {
      const [latest] = await staysOf(scope, me);
      if (!latest) return false;
      await leaveMessage(scope, latest.wardId, me, parsed.data.words, parsed.data.shown === 'yes');
      return true;
    });
    if (!ok) return renderProblem(c, 404);
    return c.redirect('/my-ward?done=message', 303);
  });
  app.post('/my-ward/messages/:messageId', async (c) => {
    const values = await formValues(c);
    const ok = await inOrganisation(c, (scope) =>
      setMessageShown(scope, c.req.param('messageId'), c.get('user')!.personId, values.shown === 'yes'),
    );
    if (!ok) return renderProblem(c, 404);
    return c.redirect('/my-ward?done=message', 303);
  });

  // Staff reading the versions of a patient's plan use the same page.
  app.get('/wards/:wardId/patients/:personId/help-plan/versions', async (c) => {
    const personId = c.req.param('personId');
    const allowed = await inOrganisation(c, (scope) => patientHere(c, scope, personId));
    if (!allowed) return renderProblem(c, 404);
    return versionsPage(c, personId, {
      href: `/wards/${allowed.ward.id}/patients/${personId}`,
      label: c.get('t')(w('back.record')),
    });
  });
}
