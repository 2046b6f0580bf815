import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { calendarDay } from '../../../core/dates.ts';
import { findOrganisation } from '../../../core/people.ts';
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
  Radios,
  requiredText,
  Select,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable, Notice, renderPage } from '../../../core/web/layout.tsx';
import { allowed, inOrganisation } from '../../../core/web/middleware.ts';
import { cvPdf } from '../cv.ts';
import { householdIdOf } from '../households.ts';
import { createRequest, listLinkUps, requestsOf } from '../link-ups.ts';
import { listLevels, listModules, listTags, nameIn } from '../lists.ts';
import { days } from '../matching/index.ts';
import {
  addJourneyStep,
  addReference,
  type FreeTime,
  journeyOf,
  levelHistory,
  markReached,
  minutesGiven,
  overlappingTimes,
  type Profile,
  profileOf,
  referencesOf,
  saveProfile,
  slotsOf,
  trainingOf,
} from '../peers.ts';
import { creditsOfPeer } from '../time-credits.ts';
import { auditSubject, journeyKinds, languageCodes, subject, supportKinds, w } from '../words.ts';
import { allOf, type C, day, hoursText, noticeFor, today } from './shared.tsx';

export const freeTimeRows = 4;
const hours = Array.from({ length: 16 }, (_, i) => i + 7);

const profileSchema = z.object({
  words: requiredText(2000),
  area: optionalText(80),
  capacity: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'peer-support.errors.capacity')
    .transform(Number)
    .refine((n) => n >= 0 && n <= 10, 'peer-support.errors.capacity'),
});

/** Reads the free-time rows; a row with a day needs a start before its end. */
export function readFreeTimes(values: FormValues): { times: FreeTime[]; errors: FieldErrors; t?: never } {
  const times: FreeTime[] = [];
  const errors: FieldErrors = {};
  for (let i = 1; i <= freeTimeRows; i++) {
    const dayKey = values[`day${i}`] ?? '';
    if (!dayKey) continue;
    const from = Number(values[`from${i}`]);
    const to = Number(values[`to${i}`]);
    if (
      !(days as readonly string[]).includes(dayKey) ||
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < 7 ||
      to > 22 ||
      from >= to
    ) {
      errors[`day${i}`] = 'peer-support.errors.freeTime';
      continue;
    }
    times.push({ day: dayKey as FreeTime['day'], from, to });
  }
  if (!Object.keys(errors).length && overlappingTimes(times)) errors.day1 = 'peer-support.errors.overlap';
  return { times, errors };
}

function FreeTimeRows({ c, values, errors }: { c: C; values: FormValues; errors: FieldErrors }) {
  const t = c.get('t');
  const hourOptions = hours.map((hour) => ({
    value: String(hour),
    label: `${String(hour).padStart(2, '0')}:00`,
  }));
  return (
    <fieldset class="govuk-fieldset">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t(w('profile.free'))}</legend>
      <div class="govuk-hint">{t(w('profile.freeHint'))}</div>
      {Array.from({ length: freeTimeRows }, (_, index) => {
        const i = index + 1;
        return (
          <div class="alongside-actions">
            <Select
              name={`day${i}`}
              label={t(w('profile.freeDay'), { count: i })}
              values={values}
              errors={errors}
              t={t}
              options={[
                { value: '', label: t(w('profile.noDay')) },
                ...days.map((d) => ({ value: d, label: t(w(`days.${d}`)) })),
              ]}
            />
            <Select
              name={`from${i}`}
              label={t(w('profile.from'))}
              values={{ [`from${i}`]: values[`from${i}`] ?? '9' }}
              t={t}
              options={hourOptions.slice(0, -1)}
            />
            <Select
              name={`to${i}`}
              label={t(w('profile.to'))}
              values={{ [`to${i}`]: values[`to${i}`] ?? '12' }}
              t={t}
              options={hourOptions.slice(1)}
            />
          </div>
        );
      })}
    </fieldset>
  );
}

function profileValues(profile: Profile | null): { values: FormValues; chosen: Record<string, string[]> } {
  if (!profile) return { values: { capacity: '1' }, chosen: { tags: [], languages: [], supports: [] } };
  const values: FormValues = { words: profile.words, area: profile.area, capacity: String(profile.capacity) };
  profile.availability.forEach((time, index) => {
    values[`day${index + 1}`] = time.day;
    values[`from${index + 1}`] = String(time.from);
    values[`to${index + 1}`] = String(time.to);
  });
  return { values, chosen: { tags: profile.tags, languages: profile.languages, supports: profile.supports } };
}

const askSchema = z.object({
  words: requiredText(2000),
  area: optionalText(80),
  language: z.string().default(''),
  support: z.enum(supportKinds, { error: 'peer-support.errors.support' }),
});

const journeySchema = z.object({
  kind: z.enum(journeyKinds, { error: 'peer-support.errors.journeyKind' }),
  words: requiredText(500),
  reachedOn: calendarDay({ past: true }),
});

const referenceSchema = z.object({
  fromName: requiredText(100),
  words: requiredText(2000),
  inCv: z.string().default(''),
});

/** The peer's own pages and the person's: their link-ups, profile, journey and CV, and asking for a peer. */
export function peerRoutes(app: Hono<AppEnv>) {
  app.use('/peer', allowed('use', 'peer-space'));
  app.use('/peer/profile', allowed('use', 'peer-space'));
  app.use('/peer/ask', allowed('use', 'peer-space'));
  app.use('/peer/journey', allowed('use', 'peer-space'));
  app.use('/peer/journey/*', allowed('use', 'peer-space'));
  app.use('/peer/references', allowed('use', 'peer-space'));
  app.use('/peer/cv.pdf', allowed('use', 'peer-space'));

  const home = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const language = c.get('language');
    const mine = await inOrganisation(c, async (scope) => {
      const profile = await profileOf(scope, user.personId);
      const linkUps = await listLinkUps(scope, { personId: user.personId });
      const requests = await requestsOf(scope, user.personId);
      if (!profile) return { profile, linkUps, requests };
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.profile,
        subjectId: profile.id,
        subjectPersonId: user.personId,
      });
      return {
        profile,
        linkUps,
        requests,
        minutes: await minutesGiven(scope, profile),
        credits: await creditsOfPeer(scope, profile.id),
        training: await trainingOf(scope, profile),
        modules: await listModules(scope),
        levels: await listLevels(scope),
        journey: await journeyOf(scope, profile),
        references: await referencesOf(scope, profile),
        history: await levelHistory(scope, profile),
      };
    });
    const hasErrors = Object.keys(errors).length > 0;
    const level = mine.profile && mine.levels?.find((l) => l.key === mine.profile!.levelKey);
    const waiting = mine.requests.filter((r) => r.status === 'waiting');
    return renderPage(
      c,
      { title: t(w('mine.title')), hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <Notice text={noticeFor(c)} />
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('mine.title'))}</h1>
        <h2 class="govuk-heading-m">{t(w('mine.linkUps'))}</h2>
        {mine.linkUps.length ? (
          <ul class="govuk-list">
            {mine.linkUps.map((linkUp) => (
              <li>
                <a class="govuk-link" href={`/peer/link-ups/${linkUp.id}`}>
                  <bdi>{linkUp.peerPersonId === user.personId ? linkUp.seekerName : linkUp.peerName}</bdi>
                </a>{' '}
                <strong class="govuk-tag govuk-tag--grey">{t(w(`stages.${linkUp.stage}`))}</strong>
              </li>
            ))}
          </ul>
        ) : (
          <p class="govuk-body">{t(w('mine.noLinkUps'))}</p>
        )}
        {waiting.length ? (
          <p class="govuk-body">{t(w('mine.waiting'), { date: day(c, waiting[0]!.createdAt) })}</p>
        ) : (
          <p class="govuk-body">
            <a class="govuk-link" href="/peer/ask">
              {t(w('mine.ask'))}
            </a>
          </p>
        )}
        {c.get('can')('manage', subject.peer, { personId: user.personId }) ? (
          <>
            <h2 class="govuk-heading-m">{t(w('mine.asPeer'))}</h2>
            {!mine.profile ? (
              <p class="govuk-body">
                <a class="govuk-link" href="/peer/profile">
                  {t(w('mine.startProfile'))}
                </a>
              </p>
            ) : (
              <>
                <dl class="govuk-summary-list">
                  <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{t(w('mine.level'))}</dt>
                    <dd class="govuk-summary-list__value">
                      {level ? nameIn(language, level) : t(w('mine.noLevel'))}
                    </dd>
                  </div>
                  <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{t(w('mine.hours'))}</dt>
                    <dd class="govuk-summary-list__value" data-hours>
                      {hoursText(t, mine.minutes ?? 0)}
                    </dd>
                  </div>
                  {mine.credits?.length ? (
                    <div class="govuk-summary-list__row">
                      <dt class="govuk-summary-list__key">{t(w('mine.credits'))}</dt>
                      <dd class="govuk-summary-list__value" data-time-credits>
                        {mine.credits.map((credit) => (
                          <p class="govuk-body govuk-!-margin-bottom-0">
                            <a class="govuk-link" href={`/time-bank/${credit.bankId}/statement`}>
                              {t(w('credits.sessions'), {
                                count: credit.sessions,
                                time: hoursText(t, credit.minutes),
                                bank: credit.bankName,
                              })}
                            </a>
                          </p>
                        ))}
                      </dd>
                    </div>
                  ) : null}
                  <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{t(w('mine.capacity'))}</dt>
                    <dd class="govuk-summary-list__value">
                      {t(w('mine.capacityValue'), { count: mine.profile.capacity })}
                    </dd>
                  </div>
                </dl>
                <p class="govuk-body">
                  <a class="govuk-link" href="/peer/profile">
                    {t(w('mine.editProfile'))}
                  </a>
                </p>
                <p class="govuk-body">
                  <a class="govuk-link" href="/peer/cv.pdf">
                    {t(w('mine.cv'))}
                  </a>
                </p>
                <h3 class="govuk-heading-s">{t(w('mine.training'))}</h3>
                <DataTable
                  caption={t(w('mine.trainingCaption'))}
                  columns={[{ label: t(w('mine.module')) }, { label: t(w('mine.progress')) }]}
                  rows={(mine.modules ?? []).map((module) => {
                    const record = mine.training?.find((r) => r.moduleKey === module.key);
                    return [
                      nameIn(language, module),
                      record?.completedAt
                        ? t(w('mine.completed'), { date: day(c, record.completedAt) })
                        : t(w('mine.attended'), {
                            count: record?.sessionsAttended ?? 0,
                            needed: module.sessionsNeeded,
                          }),
                    ];
                  })}
                />
                <h3 class="govuk-heading-s">{t(w('journey.title'))}</h3>
                <p class="govuk-body">{t(w('journey.intro'))}</p>
                {mine.journey?.length ? (
                  <ul class="govuk-list">
                    {mine.journey.map((step) => (
                      <li>
                        <strong>{t(w(`journey.kinds.${step.kind}`))}</strong>: {step.words}{' '}
                        {step.reachedOn ? (
                          <span>{t(w('journey.reachedOn'), { date: day(c, step.reachedOn) })}</span>
                        ) : (
                          <form
                            method="post"
                            action={`/peer/journey/${step.id}/reached`}
                            class="alongside-inline-form"
                          >
                            <CsrfField c={c} />
                            <button
                              type="submit"
                              class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                            >
                              {t(w('journey.markReached'))}
                            </button>
                          </form>
                        )}
                      </li>
                    ))}
                  </ul>
                ) : null}
                <form method="post" action="/peer/journey" novalidate>
                  <CsrfField c={c} />
                  <Radios
                    name="kind"
                    legend={t(w('journey.kind'))}
                    values={values}
                    errors={errors}
                    t={t}
                    options={journeyKinds.map((kind) => ({
                      value: kind,
                      label: t(w(`journey.kinds.${kind}`)),
                    }))}
                  />
                  <TextInput
                    name="journeyWords"
                    label={t(w('journey.words'))}
                    values={values}
                    errors={errors}
                    t={t}
                  />
                  <TextInput
                    name="reachedOn"
                    type="date"
                    label={t(w('journey.reached'))}
                    hint={t(w('journey.reachedHint'))}
                    values={values}
                    errors={errors}
                    t={t}
                    width="10"
                  />
                  <Button secondary>{t(w('journey.save'))}</Button>
                </form>
                <h3 class="govuk-heading-s">{t(w('references.title'))}</h3>
                {mine.references?.length ? (
                  <ul class="govuk-list">
                    {mine.references.map((reference) => (
                      <li>
                        <bdi>{reference.fromName}</bdi>: {reference.words}{' '}
                        {reference.inCv ? `(${t(w('references.inCvShort'))})` : ''}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p class="govuk-body">{t(w('references.none'))}</p>
                )}
                <form method="post" action="/peer/references" novalidate>
                  <CsrfField c={c} />
                  <TextInput
                    name="fromName"
                    label={t(w('references.from'))}
                    values={values}
                    errors={errors}
                    t={t}
                  />
                  <TextArea
                    name="referenceWords"
                    label={t(w('references.words'))}
                    values={values}
                    errors={errors}
                    t={t}
                  />
                  <Checkboxes
                    name="inCv"
                    legend={t(w('references.inCvLegend'))}
                    chosen={values.inCv === 'yes' || !hasErrors ? ['yes'] : []}
                    t={t}
                    options={[{ value: 'yes', label: t(w('references.inCv')) }]}
                  />
                  <Button secondary>{t(w('references.save'))}</Button>
                </form>
              </>
            )}
          </>
        ) : null}
      </>,
    );
  };
  app.get('/peer', (c) => home(c));

  app.post('/peer/journey', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(journeySchema, { ...values, words: values.journeyWords ?? '' }, c.get('t'));
    if (!parsed.ok) {
      const { words, ...rest } = parsed.errors;
      return home(c, values, words ? { ...rest, journeyWords: words } : rest);
    }
    const user = c.get('user')!;
    const saved = await inOrganisation(c, async (scope) => {
      const profile = await profileOf(scope, user.personId);
      if (!profile) return false;
      await addJourneyStep(scope, profile, { ...parsed.data, reachedOn: parsed.data.reachedOn || null });
      return true;
    });
    if (!saved) return renderProblem(c, 404);
    return c.redirect('/peer?done=journeySaved', 303);
  });
  app.post('/peer/journey/:stepId/reached', async (c) => {
    const user = c.get('user')!;
    const saved = await inOrganisation(c, async (scope) => {
      const profile = await profileOf(scope, user.personId);
      return profile ? markReached(scope, profile, c.req.param('stepId'), today()) : false;
    });
    if (!saved) return renderProblem(c, 404);
    return c.redirect('/peer?done=reached', 303);
  });
  app.post('/peer/references', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(
      referenceSchema,
      { ...values, words: values.referenceWords ?? '' },
      c.get('t'),
    );
    if (!parsed.ok) {
      const { words, ...rest } = parsed.errors;
      return home(c, values, words ? { ...rest, referenceWords: words } : rest);
    }
    const user = c.get('user')!;
    const saved = await inOrganisation(c, async (scope) => {
      const profile = await profileOf(scope, user.personId);
      if (!profile) return false;
      await addReference(scope, profile, { ...parsed.data, inCv: parsed.data.inCv === 'yes' });
      return true;
    });
    if (!saved) return renderProblem(c, 404);
    return c.redirect('/peer?done=referenceSaved', 303);
  });

  const profilePage = async (
    c: C,
    values: FormValues | null = null,
    chosen: Record<string, string[]> | null = null,
    errors: FieldErrors = {},
  ) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const language = c.get('language');
    const { profile, tags } = await inOrganisation(c, async (scope) => {
      const found = await profileOf(scope, user.personId);
      if (found)
        await audit(scope, {
          action: 'read',
          subjectType: auditSubject.profile,
          subjectId: found.id,
          subjectPersonId: user.personId,
        });
      return { profile: found, tags: await listTags(scope) };
    });
    const filled = values && chosen ? { values, chosen } : profileValues(profile);
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      { title: t(w('profile.title')), narrow: true, hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('profile.title'))}</h1>
        <p class="govuk-body">{t(w('profile.intro'))}</p>
        <form method="post" action="/peer/profile" novalidate>
          <CsrfField c={c} />
          <TextArea
            name="words"
            label={t(w('profile.words'))}
            hint={t(w('profile.wordsHint'))}
            values={filled.values}
            errors={errors}
            t={t}
            rows={5}
          />
          <Checkboxes
            name="tags"
            legend={t(w('profile.tags'))}
            hint={t(w('profile.tagsHint'))}
            chosen={filled.chosen.tags ?? []}
            t={t}
            options={tags.map((tag) => ({ value: tag.key, label: nameIn(language, tag) }))}
          />
          <Checkboxes
            name="languages"
            legend={t(w('profile.languages'))}
            chosen={filled.chosen.languages ?? []}
            t={t}
            options={languageCodes.map((code) => ({ value: code, label: t(w(`languages.${code}`)) }))}
          />
          <TextInput
            name="area"
            label={t(w('profile.area'))}
            hint={t(w('profile.areaHint'))}
            values={filled.values}
            errors={errors}
            t={t}
            width="20"
          />
          <FreeTimeRows c={c} values={filled.values} errors={errors} />
          <TextInput
            name="capacity"
            label={t(w('profile.capacity'))}
            hint={t(w('profile.capacityHint'))}
            values={filled.values}
            errors={errors}
            t={t}
            width="10"
          />
          <Checkboxes
            name="supports"
            legend={t(w('profile.supports'))}
            chosen={filled.chosen.supports ?? []}
            t={t}
            options={supportKinds.map((kind) => ({ value: kind, label: t(w(`supports.${kind}`)) }))}
          />
          <Button>{t(w('profile.save'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/peer/profile', (c) => {
    if (!c.get('can')('manage', subject.peer, { personId: c.get('user')!.personId }))
      return renderProblem(c, 403);
    return profilePage(c);
  });
  app.post('/peer/profile', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    if (!c.get('can')('manage', subject.peer, { personId: user.personId })) return renderProblem(c, 403);
    const values = await formValues(c);
    const chosen = {
      tags: await allOf(c, 'tags'),
      languages: (await allOf(c, 'languages')).filter((code) =>
        (languageCodes as readonly string[]).includes(code),
      ),
      supports: (await allOf(c, 'supports')).filter((kind) =>
        (supportKinds as readonly string[]).includes(kind),
      ),
    };
    const parsed = parseValues(profileSchema, values, t);
    const free = readFreeTimes(values);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    for (const [field, key] of Object.entries(free.errors)) errors[field] = t(key);
    if (!parsed.ok || Object.keys(errors).length) return profilePage(c, values, chosen, errors);
    const result = await inOrganisation(c, async (scope) => {
      const known = new Set((await listTags(scope)).map((tag) => tag.key));
      return saveProfile(scope, user.personId, {
        words: parsed.data.words,
        area: parsed.data.area,
        capacity: parsed.data.capacity,
        availability: free.times,
        tags: chosen.tags.filter((tag) => known.has(tag)),
        languages: chosen.languages,
        supports: chosen.supports,
      });
    });
    if (!result.ok)
      return profilePage(c, values, chosen, {
        capacity: t(w('errors.capacityBelow'), { count: result.open }),
      });
    return c.redirect('/peer?done=profileSaved', 303);
  });

  const askPage = async (c: C, values: FormValues = {}, chosen: string[] = [], errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const tags = await inOrganisation(c, (scope) => listTags(scope));
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      { title: t(w('ask.title')), narrow: true, hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('ask.title'))}</h1>
        <p class="govuk-body">{t(w('ask.intro'))}</p>
        <form method="post" action="/peer/ask" novalidate>
          <CsrfField c={c} />
          <TextArea
            name="words"
            label={t(w('ask.words'))}
            hint={t(w('ask.wordsHint'))}
            values={values}
            errors={errors}
            t={t}
            rows={5}
          />
          <Checkboxes
            name="tags"
            legend={t(w('ask.tags'))}
            chosen={chosen}
            t={t}
            options={tags.map((tag) => ({ value: tag.key, label: nameIn(language, tag) }))}
          />
          <LanguageWish c={c} values={values} errors={errors} />
          <TextInput
            name="area"
            label={t(w('ask.area'))}
            hint={t(w('profile.areaHint'))}
            values={values}
            errors={errors}
            t={t}
            width="20"
          />
          <FreeTimeRows c={c} values={values} errors={errors} />
          <Radios
            name="support"
            legend={t(w('ask.support'))}
            values={{ support: values.support ?? 'first-meeting' }}
            errors={errors}
            t={t}
            options={supportKinds.map((kind) => ({ value: kind, label: t(w(`supports.${kind}`)) }))}
          />
          <Button>{t(w('ask.send'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/peer/ask', (c) => askPage(c));
  app.post('/peer/ask', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const chosen = await allOf(c, 'tags');
    const parsed = parseValues(askSchema, values, t);
    const languageOk = !values.language || (languageCodes as readonly string[]).includes(values.language);
    const free = readFreeTimes(values);
    const timeErrors = Object.fromEntries(Object.entries(free.errors).map(([field, key]) => [field, t(key)]));
    if (!parsed.ok || !languageOk || Object.keys(timeErrors).length)
      return askPage(c, values, chosen, {
        ...(parsed.ok ? {} : parsed.errors),
        ...(languageOk ? {} : { language: t(w('errors.language')) }),
        ...timeErrors,
      });
    const user = c.get('user')!;
    await inOrganisation(c, async (scope) => {
      const known = new Set((await listTags(scope)).map((tag) => tag.key));
      await createRequest(scope, {
        personId: user.personId,
        householdId: await householdIdOf(scope, user.personId),
        words: parsed.data.words,
        tags: chosen.filter((tag) => known.has(tag)),
        language: parsed.data.language || null,
        languageMust: Boolean(parsed.data.language) && values.languageMust === 'yes',
        area: parsed.data.area,
        slots: slotsOf(free.times),
        supportWanted: parsed.data.support,
      });
    });
    return c.redirect('/peer?done=asked', 303);
  });

  app.get('/peer/cv.pdf', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const language = c.get('language');
    if (!c.get('can')('read', subject.peer, { personId: user.personId })) return renderProblem(c, 403);
    const cv = await inOrganisation(c, async (scope) => {
      const profile = await profileOf(scope, user.personId);
      if (!profile) return null;
      const levels = await listLevels(scope);
      const modules = await listModules(scope);
      const organisation = await findOrganisation(scope);
      const record = {
        minutes: await minutesGiven(scope, profile),
        training: await trainingOf(scope, profile),
        history: await levelHistory(scope, profile),
        journey: await journeyOf(scope, profile),
        references: (await referencesOf(scope, profile)).filter((reference) => reference.inCv),
      };
      await audit(scope, {
        action: 'export',
        subjectType: auditSubject.cv,
        subjectId: profile.id,
        subjectPersonId: user.personId,
        detail: { fields: ['level', 'training', 'hours', 'words', 'journey', 'references'] },
      });
      return { profile, levels, modules, organisation, ...record };
    });
    if (!cv) return renderProblem(c, 404);
    const organisationName = (language === 'cy' && cv.organisation?.nameCy) || cv.organisation?.name || '';
    const pdf = await cvPdf({
      language: language === 'cy' ? 'cy-GB' : 'en-GB',
      title: t(w('cv.title'), { name: user.calledName }),
      sections: [
        {
          heading: t(w('cv.roles')),
          lines: cv.history.length
            ? cv.history.map((change) =>
                t(w('cv.roleLine'), {
                  level: nameIn(
                    language,
                    cv.levels.find((l) => l.key === change.levelKey) ?? {
                      key: '',
                      name: change.levelKey,
                      nameCy: null,
                    },
                  ),
                  organisation: organisationName,
                  date: day(c, change.confirmedAt),
                }),
              )
            : [t(w('cv.volunteer'), { organisation: organisationName })],
        },
        { heading: t(w('cv.hours')), lines: [hoursText(t, cv.minutes)] },
        {
          heading: t(w('cv.training')),
          lines: cv.training
            .filter((record) => record.completedAt)
            .map((record) =>
              t(w('cv.trainingLine'), {
                module: nameIn(
                  language,
                  cv.modules.find((m) => m.key === record.moduleKey) ?? {
                    key: '',
                    name: record.moduleKey,
                    nameCy: null,
                  },
                ),
                date: day(c, record.completedAt!),
              }),
            ),
        },
        { heading: t(w('cv.inMyWords')), lines: cv.profile.words ? [cv.profile.words] : [] },
        {
          heading: t(w('cv.journey')),
          lines: cv.journey.map((step) =>
            step.reachedOn
              ? `${t(w(`journey.kinds.${step.kind}`))}: ${step.words} (${t(w('journey.reachedOn'), { date: day(c, step.reachedOn) })})`
              : `${t(w(`journey.kinds.${step.kind}`))}: ${step.words}`,
          ),
        },
        { heading: t(w('cv.references')), lines: cv.references.map((r) => `“${r.words}” — ${r.fromName}`) },
      ],
      footer: t(w('cv.footer'), { date: day(c, new Date()) }),
    });
    return new Response(new Uint8Array(pdf), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="volunteering-cv.pdf"',
        'cache-control': 'no-store',
      },
    });
  });
}

/** The language someone would like, and whether it is a must. */
export function LanguageWish({ c, values, errors }: { c: C; values: FormValues; errors: FieldErrors }) {
  const t = c.get('t');
  return (
    <>
      <Select
        name="language"
        label={t(w('ask.language'))}
        values={values}
        errors={errors}
        t={t}
        options={[
          { value: '', label: t(w('ask.anyLanguage')) },
          ...languageCodes.map((code) => ({ value: code, label: t(w(`languages.${code}`)) })),
        ]}
      />
      <Checkboxes
        name="languageMust"
        legend={t(w('ask.languageMustLegend'))}
        chosen={values.languageMust === 'yes' ? ['yes'] : []}
        t={t}
        options={[{ value: 'yes', label: t(w('ask.languageMust')) }]}
      />
    </>
  );
}
