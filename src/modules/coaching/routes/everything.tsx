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
  parseValues,
  Radios,
  requiredText,
  TextArea,
} from '../../../core/web/forms.tsx';
import { KeepWordingButton } from '../../../core/web/language-guard.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  addEntry,
  type Entry,
  entriesAbout,
  findEntry,
  hiddenReasonKeys,
  hideEntry,
  respondToEntry,
  showEntry,
  type WithheldEntry,
} from '../entries.ts';
import { auditSubject, w } from '../words.ts';
import {
  type C,
  day,
  ownRecordThroughTeam,
  pageNumber,
  prefixes,
  recordPage,
  recordSubject,
  staffWordingPause,
  type Whose,
  when,
  whose,
  writtenBy,
} from './shared.tsx';

export const hiddenSubject = 'coaching-hidden-entry';
export const entryMaxLength = 5000;

const ownEntrySchema = z.object({ talkedAbout: requiredText(entryMaxLength) });
const responseSchema = z.object({
  kind: z.enum(['comment', 'disagree'], { error: 'coaching.errors.chooseResponse' }),
  words: requiredText(2000),
});
const hideSchema = z.object({
  reason: z.enum(hiddenReasonKeys as [string, ...string[]], { error: 'coaching.errors.chooseReason' }),
  words: requiredText(1000),
});

type Form = {
  name: string;
  entryId?: string;
  values: FormValues;
  errors: FieldErrors;
  wording?: Record<string, WordingSuggestion[]>;
};

/**
 * Each entry has its own answer and hiding forms, so their fields carry the entry's id in their ids;
 * the errors are keyed the same way, so the summary links to the right field.
 */
const fieldId = (field: string, entryId: string) => `${field}-${entryId}`;
function keyedErrors(form?: Form): FieldErrors {
  if (!form) return {};
  if (!form.entryId) return form.errors;
  return Object.fromEntries(
    Object.entries(form.errors).map(([field, message]) => [
      fieldId(form.name === 'hide' && field === 'words' ? 'hide-words' : field, form.entryId!),
      message,
    ]),
  );
}

function EntryCard(props: {
  c: C;
  who: Whose;
  entry: Entry;
  names: Map<string, string>;
  form?: Form;
  mayHide: boolean;
  /** On the entry's own page the answer and hiding forms are shown; in the list, links to that page. */
  withForms?: boolean;
}) {
  const { c, who, entry, names, form, mayHide, withForms } = props;
  const t = c.get('t');
  const mine = form?.entryId === entry.id;
  // The person's own words are theirs: nothing to disagree with, nothing to hide from them.
  const personsOwn = entry.kind === 'own' && entry.writtenBy === who.personId;
  const mayHideThis = mayHide && !personsOwn;
  const errors = mine ? keyedErrors(form) : {};
  const heading =
    entry.kind === 'conversation'
      ? t(w('everything.conversation'), {
          who: writtenBy(c, who, entry.writtenBy, names),
          date: day(c, entry.happenedOn ?? entry.createdAt),
        })
      : t(w('everything.ownEntry'), { who: writtenBy(c, who, entry.writtenBy, names) });
  return (
    <article
      class={`alongside-entry${entry.hiddenReason ? ' alongside-entry--hidden' : ''}`}
      id={`entry-${entry.id}`}
    >
      <h2 class="govuk-heading-s">{heading}</h2>
      {entry.hiddenReason ? (
        <div class="alongside-hidden-note">
          <p class="govuk-body">
            <strong>{t(w('everything.hiddenFrom'), { name: who.calledName })}</strong>{' '}
            {t(w(`hiddenReasons.${entry.hiddenReason}`))}
          </p>
          <p class="govuk-body alongside-words">{entry.hiddenWords}</p>
          <p class="govuk-body-s">
            {t(w('everything.hiddenBy'), { who: writtenBy(c, who, entry.hiddenBy, names) })}
          </p>
        </div>
      ) : null}
      {entry.place ? (
        <p class="govuk-body-s alongside-quiet">{t(w('everything.place'), { place: entry.place })}</p>
      ) : null}
      <p class="govuk-body alongside-words">{entry.talkedAbout}</p>
      {entry.nextSteps ? (
        <>
          <h3 class="govuk-heading-s">
            {t(w(who.self ? 'everything.nextStepsMine' : 'everything.nextStepsTheirs'))}
          </h3>
          <p class="govuk-body alongside-words">{entry.nextSteps}</p>
        </>
      ) : null}
      <p class="govuk-body-s alongside-quiet">
        {t(w('everything.written'), { when: when(c, entry.createdAt) })}
      </p>
      {entry.responses.length ? (
        <ul class="govuk-list alongside-responses">
          {entry.responses.map((response) => (
            <li class={`alongside-response alongside-response--${response.kind}`}>
              <strong class="govuk-tag govuk-tag--grey">
                {t(w(`everything.responseKinds.${response.kind}`))}
              </strong>{' '}
              <span class="govuk-body-s">
                {writtenBy(c, who, response.writtenBy, names)}, {when(c, response.writtenAt)}
              </span>
              <p class="govuk-body alongside-words">{response.words}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {withForms ? null : (
        <p class="govuk-body">
          <a class="govuk-link" href={`${who.base}/everything/${entry.id}`}>
            {t(w(mayHideThis && !entry.hiddenReason ? 'everything.respondOrHide' : 'everything.respond'))}
            <span class="govuk-visually-hidden">: {heading}</span>
          </a>
        </p>
      )}
      {withForms ? (
        <section aria-labelledby={`respond-${entry.id}`}>
          <h2 class="govuk-heading-m" id={`respond-${entry.id}`}>
            {t(w('everything.respond'))}
          </h2>
          <form method="post" action={`${who.base}/everything/${entry.id}/responses`} novalidate>
            <CsrfField c={c} />
            <Radios
              name="kind"
              id={fieldId('kind', entry.id)}
              legend={t(w('everything.responseLegend'))}
              values={mine && form?.name === 'response' ? form.values : { kind: 'comment' }}
              errors={errors}
              t={t}
              options={[
                { value: 'comment', label: t(w('everything.responseKinds.comment')) },
                ...(personsOwn
                  ? []
                  : [
                      {
                        value: 'disagree',
                        label: t(w(who.self ? 'everything.disagreeMine' : 'everything.disagreeTheirs')),
                      },
                    ]),
              ]}
            />
            <TextArea
              name="words"
              id={fieldId('words', entry.id)}
              label={t(w('everything.responseWords'))}
              values={mine && form?.name === 'response' ? form.values : {}}
              errors={errors}
              t={t}
              rows={3}
            />
            <Button secondary>{t(w('everything.respondButton'))}</Button>
          </form>
        </section>
      ) : null}
      {withForms && mayHideThis && !entry.hiddenReason ? (
        <section aria-labelledby={`hide-${entry.id}`}>
          <h2 class="govuk-heading-m" id={`hide-${entry.id}`}>
            {t(w('everything.hide'), { name: who.calledName })}
          </h2>
          <div>
            <p class="govuk-body">{t(w('everything.hideIntro'))}</p>
            <form method="post" action={`${who.base}/everything/${entry.id}/hide`} novalidate>
              <CsrfField c={c} />
              <Radios
                name="reason"
                id={fieldId('reason', entry.id)}
                legend={t(w('everything.hideReason'))}
                values={mine && form?.name === 'hide' ? form.values : {}}
                errors={errors}
                t={t}
                options={hiddenReasonKeys.map((reason) => ({
                  value: reason,
                  label: t(w(`hiddenReasons.${reason}`)),
                }))}
              />
              <TextArea
                name="words"
                id={fieldId('hide-words', entry.id)}
                label={t(w('everything.hideWords'))}
                values={mine && form?.name === 'hide' ? form.values : {}}
                errors={errors}
                t={t}
                rows={2}
              />
              <Button secondary>{t(w('everything.hideButton'))}</Button>
            </form>
          </div>
        </section>
      ) : null}
      {withForms && mayHideThis && entry.hiddenReason ? (
        <form method="post" action={`${who.base}/everything/${entry.id}/show`}>
          <CsrfField c={c} />
          <Button secondary>{t(w('everything.showButton'), { name: who.calledName })}</Button>
        </form>
      ) : null}
    </article>
  );
}

function Withheld({ c, entry }: { c: C; entry: WithheldEntry }) {
  const t = c.get('t');
  return (
    <article class="alongside-entry alongside-entry--withheld">
      <h2 class="govuk-heading-s">{t(w('everything.withheldTitle'), { date: day(c, entry.createdAt) })}</h2>
      <p class="govuk-body">{t(w(`withheldReasons.${entry.hiddenReason}`))}</p>
    </article>
  );
}

/** Everything about me: every entry about the person, who wrote it and when; they add, comment, disagree. */
export function everythingRoutes(app: Hono<AppEnv>) {
  const show = async (c: C, form?: Form) => {
    const t = c.get('t');
    const page = pageNumber(c);
    const found = await inOrganisation(c, async (scope) => {
      const who = await whose(c, scope);
      if (!who) return null;
      const { entries, more } = await entriesAbout(scope, who.personId, {
        viewer: who.team ? 'team' : 'person',
        page,
      });
      const writers = entries.flatMap((entry) =>
        'withheld' in entry
          ? []
          : [
              entry.writtenBy,
              entry.hiddenBy,
              ...entry.responses.map((response) => response.writtenBy),
            ].filter((id): id is string => !!id),
      );
      return { who, entries, more, names: await namesOf(scope, writers) };
    });
    if (!found) return renderProblem(c, 404);
    const { who, entries, more, names } = found;
    const mayHide = who.team && c.get('can')('manage', hiddenSubject);
    const errors = keyedErrors(form);
    return recordPage(
      c,
      who,
      {
        title: t(w(who.self ? 'everything.titleMine' : 'everything.titleTheirs'), { name: who.calledName }),
        current: 'everything',
        errors,
      },
      <>
        <p class="govuk-body">
          {t(w(who.self ? 'everything.introMine' : 'everything.introTheirs'), { name: who.calledName })}
        </p>
        {who.team ? (
          <p class="govuk-body">
            <a class="govuk-button" href={`/coaching/conversation?person=${who.personId}`}>
              {t(w('coach.record'))}
            </a>
          </p>
        ) : null}
        {who.self ? (
          <ul class="govuk-list">
            <li>
              <a class="govuk-link" href="/account/record-history">
                {t(w('everything.whoLooked'))}
              </a>
            </li>
            <li>
              <a class="govuk-link" href="/account/my-record">
                {t(w('everything.download'))}
              </a>
            </li>
          </ul>
        ) : null}
        <details class="govuk-details" open={form?.name === 'own' ? true : undefined}>
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">
              {t(w(who.self ? 'everything.addMine' : 'everything.addNote'))}
            </span>
          </summary>
          <div class="govuk-details__text">
            <form method="post" action={`${who.base}/everything`} novalidate>
              <CsrfField c={c} />
              <TextArea
                name="talkedAbout"
                label={t(w('everything.ownWords'))}
                values={form?.name === 'own' ? form.values : {}}
                errors={form?.name === 'own' ? form.errors : {}}
                wording={who.team ? (form?.wording ?? {}) : undefined}
                t={t}
                rows={4}
              />
              <Button secondary>{t(w('everything.addButton'))}</Button>
              {form?.wording ? <KeepWordingButton t={t} /> : null}
            </form>
          </div>
        </details>
        {entries.length === 0 ? <p class="govuk-body">{t(w('everything.empty'))}</p> : null}
        {entries.map((entry) =>
          'withheld' in entry ? (
            <Withheld c={c} entry={entry} />
          ) : (
            <EntryCard c={c} who={who} entry={entry} names={names} form={form} mayHide={mayHide} />
          ),
        )}
        <nav class="govuk-body" aria-label={t(w('pages'))}>
          {page > 1 ? (
            <a class="govuk-link" href={`${who.base}/everything?page=${page - 1}`}>
              {t(w('newer'))}
            </a>
          ) : null}{' '}
          {more ? (
            <a class="govuk-link" href={`${who.base}/everything?page=${page + 1}`}>
              {t(w('older'))}
            </a>
          ) : null}
        </nav>
      </>,
    );
  };

  /** One entry with the forms to comment, disagree, and (for the team) hide or show it again. */
  const entryPage = async (c: C, form?: Form) => {
    const t = c.get('t');
    const found = await inOrganisation(c, async (scope) => {
      const who = await whose(c, scope);
      if (!who) return null;
      const entry = await findEntry(scope, c.req.param('entryId')!);
      if (!entry || entry.personId !== who.personId || (!who.team && entry.hiddenReason)) return null;
      const writers = [entry.writtenBy, entry.hiddenBy, ...entry.responses.map((r) => r.writtenBy)].filter(
        (id): id is string => !!id,
      );
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.entry,
        subjectId: entry.id,
        subjectPersonId: who.personId,
      });
      return { who, entry, names: await namesOf(scope, writers) };
    });
    if (!found) return renderProblem(c, 404);
    const { who, entry, names } = found;
    return recordPage(
      c,
      who,
      { title: t(w('everything.entryTitle')), current: 'everything', errors: keyedErrors(form) },
      <>
        <EntryCard
          c={c}
          who={who}
          entry={entry}
          names={names}
          form={form}
          mayHide={who.team && c.get('can')('manage', hiddenSubject)}
          withForms
        />
        <p class="govuk-body">
          <a class="govuk-link" href={`${who.base}/everything#entry-${entry.id}`}>
            {t(w('everything.back'))}
          </a>
        </p>
      </>,
    );
  };

  /** The entry a change is about: on this person's record, which the viewer may write to. */
  const entryFor = async (c: C, scope: Parameters<Parameters<typeof inOrganisation>[1]>[0]) => {
    const who = await whose(c, scope);
    if (!who || !c.get('can')('update', recordSubject, { personId: who.personId })) return null;
    const entry = await findEntry(scope, c.req.param('entryId')!);
    if (!entry || entry.personId !== who.personId) return null;
    // The person cannot answer what is withheld from them: to them it has no words.
    if (!who.team && entry.hiddenReason) return null;
    return { who, entry };
  };

  for (const prefix of prefixes) {
    app.get(`${prefix}/everything`, (c) =>
      ownRecordThroughTeam(c) ? c.redirect('/me/everything', 303) : show(c),
    );

    app.get(`${prefix}/everything/:entryId`, (c) =>
      ownRecordThroughTeam(c) ? renderProblem(c, 404) : entryPage(c),
    );

    app.post(`${prefix}/everything`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(ownEntrySchema, values, c.get('t'));
      if (!parsed.ok) return show(c, { name: 'own', values, errors: parsed.errors });
      const wording = await staffWordingPause(c, values, { talkedAbout: parsed.data.talkedAbout });
      if (wording) return show(c, { name: 'own', values, errors: {}, wording });
      const done = await inOrganisation(c, async (scope) => {
        const who = await whose(c, scope);
        if (!who || !c.get('can')('update', recordSubject, { personId: who.personId })) return null;
        await addEntry(scope, {
          personId: who.personId,
          kind: 'own',
          talkedAbout: parsed.data.talkedAbout,
          nextSteps: '',
          happenedOn: null,
          place: '',
        });
        return who;
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.base}/everything?done=entryAdded`, 303);
    });

    app.post(`${prefix}/everything/:entryId/responses`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(responseSchema, values, c.get('t'));
      if (!parsed.ok)
        return entryPage(c, {
          name: 'response',
          entryId: c.req.param('entryId'),
          values,
          errors: parsed.errors,
        });
      const done = await inOrganisation(c, async (scope) => {
        const found = await entryFor(c, scope);
        if (found) await respondToEntry(scope, found.entry, parsed.data.kind, parsed.data.words);
        return found;
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.who.base}/everything?done=responded#entry-${done.entry.id}`, 303);
    });

    app.post(`${prefix}/everything/:entryId/hide`, async (c) => {
      if (!c.req.param('personId') || ownRecordThroughTeam(c)) return renderProblem(c, 404);
      if (!c.get('can')('manage', hiddenSubject)) return renderProblem(c, 403);
      const values = await formValues(c);
      const parsed = parseValues(hideSchema, values, c.get('t'));
      if (!parsed.ok)
        return entryPage(c, { name: 'hide', entryId: c.req.param('entryId'), values, errors: parsed.errors });
      const done = await inOrganisation(c, async (scope) => {
        const found = await entryFor(c, scope);
        // What the person wrote themselves is never hidden from them.
        if (found && found.entry.kind === 'own' && found.entry.writtenBy === found.who.personId) return null;
        if (found && !found.entry.hiddenReason)
          await hideEntry(
            scope,
            found.entry,
            parsed.data.reason as Entry['hiddenReason'] & string,
            parsed.data.words,
          );
        return found;
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.who.base}/everything?done=hidden#entry-${done.entry.id}`, 303);
    });

    app.post(`${prefix}/everything/:entryId/show`, async (c) => {
      if (!c.req.param('personId') || ownRecordThroughTeam(c)) return renderProblem(c, 404);
      if (!c.get('can')('manage', hiddenSubject)) return renderProblem(c, 403);
      const done = await inOrganisation(c, async (scope) => {
        const found = await entryFor(c, scope);
        if (found?.entry.hiddenReason) await showEntry(scope, found.entry);
        return found;
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.who.base}/everything?done=shown#entry-${done.entry.id}`, 303);
    });
  }
}
