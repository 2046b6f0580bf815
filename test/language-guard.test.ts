import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { createTranslator, type Language } from '../src/core/i18n/index.ts';
import {
  addOrganisationPhrase,
  builtInEntries,
  type CompiledLabel,
  checkWording,
  compileLabels,
  findLabels,
  findLabelsWith,
  type GuardPhrase,
  listOrganisationPhrases,
  phraseKey,
  removeOrganisationPhrase,
} from '../src/core/language-guard/index.ts';
import {
  KeepWordingButton,
  needsWordingPause,
  WordingPauseNotice,
  WordingSuggestions,
} from '../src/core/web/language-guard.tsx';
import { seedDemo } from '../src/demo/seed.ts';
import { buildTestApp } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const riversidePriya = '00000000-0000-4000-8100-000000000001';
const cwmTegElin = '00000000-0000-4000-8200-000000000001';

const phrases = (text: string, language: Language = 'en', extra?: GuardPhrase[]) =>
  findLabels(text, language, extra).map((found) => found.phrase);

/** A sentence around a phrase that adds no label of its own, in the phrase's language. */
const sentence = (phrase: string, language: Language) =>
  language === 'en'
    ? `Today I wrote ${phrase} in my notes.`
    : `Heddiw ysgrifennais ${phrase} yn fy nodiadau.`;

describe('the built-in list of labels', () => {
  it('has at least 60 entries, each with English and Welsh forms and suggestions', () => {
    assert.ok(builtInEntries.length >= 60, `only ${builtInEntries.length} entries`);
    for (const entry of builtInEntries) {
      for (const language of ['en', 'cy'] as const) {
        const side = entry[language];
        assert.ok(side.phrases.length > 0, `${entry.id} has no ${language} phrases`);
        assert.ok(side.suggestion.trim().length > 0, `${entry.id} has no ${language} suggestion`);
        for (const phrase of side.phrases) assert.ok(phrase.trim() === phrase && phrase.length > 0, entry.id);
      }
      assert.notEqual(
        entry.en.suggestion,
        entry.cy.suggestion,
        `${entry.id}: the Welsh suggestion is the English`,
      );
    }
  });

  it('has no duplicate ids, and no phrase twice in one language', () => {
    const ids = builtInEntries.map((entry) => entry.id);
    assert.deepEqual(
      ids.filter((id, index) => ids.indexOf(id) !== index),
      [],
    );
    for (const language of ['en', 'cy'] as const) {
      const seen = new Map<string, string>();
      for (const entry of builtInEntries) {
        for (const phrase of entry[language].phrases) {
          const key = phraseKey(phrase);
          assert.ok(!seen.has(key), `"${phrase}" (${language}) is in ${seen.get(key)} and ${entry.id}`);
          seen.set(key, entry.id);
        }
      }
    }
  });

  it('finds every phrase in a sentence, with its own suggestion, in any case', () => {
    const missed: string[] = [];
    for (const entry of builtInEntries) {
      for (const language of ['en', 'cy'] as const) {
        for (const phrase of entry[language].phrases) {
          for (const written of [phrase, phrase.toLocaleUpperCase()]) {
            const found = findLabels(sentence(written, language), language);
            const expected = { phrase: written, suggestion: entry[language].suggestion };
            if (JSON.stringify(found) !== JSON.stringify([expected])) {
              missed.push(`${entry.id} ${language} "${written}" → ${JSON.stringify(found)}`);
            }
          }
        }
      }
    }
    assert.deepEqual(missed, []);
  });
});

describe('findLabels', () => {
  it('matches whole words only: "addict" is not found inside "addiction"', () => {
    assert.deepEqual(phrases('Her addiction is hard. She is addicted.'), []);
    assert.deepEqual(phrases('He called himself an addict.'), ['addict']);
    assert.deepEqual(phrases("The addict's friend came."), ['addict']);
    assert.deepEqual(phrases('a non-alcoholic drink'), []);
    assert.deepEqual(phrases('He is an ex-offender.'), ['ex-offender']);
  });

  it('leaves names of things alone: "the homeless shelter", "diod alcoholig", "DNA test"', () => {
    assert.deepEqual(phrases('We met at the homeless shelter.'), []);
    assert.deepEqual(phrases('We met at the homeless shelter. The homeless are people too.'), [
      'The homeless',
    ]);
    assert.deepEqual(phrases('an alcoholic drink; an alcoholic'), ['alcoholic']);
    assert.deepEqual(phrases('diod alcoholig, ac mae e’n alcoholig', 'cy'), ['alcoholig']);
    assert.deepEqual(phrases('A DNA test came back. He DNAed twice.'), ['DNAed']);
    assert.deepEqual(phrases("toiled i'r anabl", 'cy'), []);
    assert.deepEqual(phrases("rhoi bwyd i'r anabl", 'cy'), ["'r anabl"]);
  });

  it('is case-insensitive with Welsh letters, and keeps the words as typed', () => {
    assert.deepEqual(phrases('HEN ŴR FFWNDRUS', 'cy'), ['HEN ŴR FFWNDRUS']);
    assert.deepEqual(phrases('Mae hi’n Sâl Yn Feddyliol', 'cy'), ['Sâl Yn Feddyliol']);
    assert.deepEqual(phrases('mae hi’n SÂL YN FEDDYLIOL', 'cy'), ['SÂL YN FEDDYLIOL']);
    // ŵ typed as w and a combining circumflex is the same letter.
    assert.deepEqual(phrases('hen w\u0302r ffwndrus', 'cy'), ['hen ŵr ffwndrus']);
  });

  it('treats curly apostrophes as straight ones, and reports them as typed', () => {
    assert.deepEqual(phrases('He DNA’d on Tuesday.'), ['DNA’d']);
    assert.deepEqual(phrases('Aeth bwyd i’r digartref.', 'cy'), ['’r digartref']);
    assert.deepEqual(phrases('She won’t engage, he said.'), ['won’t engage']);
  });

  it('matches words joined by hyphens or spaces alike', () => {
    assert.deepEqual(phrases('wheelchair-bound, then wheelchair bound'), ['wheelchair-bound']);
    assert.deepEqual(phrases('non compliant'), ['non compliant']);
    assert.deepEqual(phrases('refused   to\nengage'), ['refused   to\nengage']);
  });

  it('gives each label once, in the order they first appear', () => {
    const found = findLabels('A frequent flyer, an addict, then addicts again, and a frequent flyer.', 'en');
    assert.deepEqual(
      found.map((f) => f.phrase),
      ['frequent flyer', 'addict'],
    );
    assert.match(found[1]!.suggestion, /person who uses drugs/);
  });

  it('prefers the longest label where two overlap', () => {
    assert.deepEqual(phrases('She is suffering from dementia.'), ['suffering from dementia']);
    assert.deepEqual(phrases('He is a drug addict.'), ['drug addict']);
  });

  it('checks both languages, with the suggestion in the language of the list that matched', () => {
    const mixed = findLabels('Roedd e’n non-compliant ac yn gaeth i gyffuriau.', 'cy');
    assert.deepEqual(
      mixed.map((f) => f.phrase),
      ['non-compliant', 'gaeth i gyffuriau'],
    );
    assert.match(mixed[0]!.suggestion, /chose not to/);
    assert.match(mixed[1]!.suggestion, /person sy'n defnyddio cyffuriau/);
  });

  it("gives a form that is in both lists the writer's own language", () => {
    assert.match(findLabels('He DNA again.', 'en')[0]!.suggestion, /couldn't come/);
    assert.match(findLabels('Roedd e’n DNA eto.', 'cy')[0]!.suggestion, /doedd dim modd dod/);
  });

  it("takes the organisation's own phrases, which win over a built-in one", () => {
    const extra: GuardPhrase[] = [
      { language: 'en', phrases: ['client'], suggestion: 'member' },
      { language: 'en', phrases: ['service user'], suggestion: 'the person, by name' },
      { language: 'cy', phrases: ['!!!'], suggestion: 'nothing to notice' },
    ];
    assert.deepEqual(findLabels('Our client is a service user.', 'en', extra), [
      { phrase: 'client', suggestion: 'member' },
      { phrase: 'service user', suggestion: 'the person, by name' },
    ]);
    assert.deepEqual(phrases('Our client!!!', 'en'), []);
    // Even where one of ours starts earlier and is longer.
    assert.deepEqual(
      findLabels('Jo is on my caseload.', 'en', [
        { language: 'en', phrases: ['my caseload'], suggestion: 'walks with me' },
      ]),
      [{ phrase: 'my caseload', suggestion: 'walks with me' }],
    );
  });

  it('finds nothing in kind words', () => {
    assert.deepEqual(
      phrases('Jordan chose not to come today; we talked about what would make Thursdays easier.'),
      [],
    );
    assert.deepEqual(
      phrases('Dewisodd Elin beidio â dod heddiw; buon ni’n siarad am beth fyddai’n helpu.', 'cy'),
      [],
    );
  });
});

describe('the browser script', () => {
  const script = readFileSync(new URL('../public/language-guard.js', import.meta.url), 'utf8');
  const context: { alongsideLanguageGuard?: Record<string, (...args: unknown[]) => unknown> } = {};
  runInNewContext(script, context);
  const browser = context.alongsideLanguageGuard!;
  const inBrowser = (labels: CompiledLabel[], text: string, language: Language) =>
    // Through JSON: objects made in another realm are never deep-equal to this one's.
    JSON.parse(
      JSON.stringify(
        (
          browser.findLabels!(browser.compile!(labels), text, language) as {
            phrase: string;
            suggestion: string;
          }[]
        ).map(({ phrase, suggestion }) => ({ phrase, suggestion })),
      ),
    );

  it('finds exactly what the server finds', () => {
    const extra: GuardPhrase[] = [{ language: 'cy', phrases: ['cleient'], suggestion: 'aelod' }];
    const labels = compileLabels(extra);
    const texts = [
      ...builtInEntries.flatMap((entry) =>
        (['en', 'cy'] as const).flatMap((language) =>
          entry[language].phrases.map((phrase) => [sentence(phrase, language), language] as const),
        ),
      ),
      ['The homeless shelter; the homeless; an addict’s addiction; DNA test; DNA’d.', 'en'] as const,
      ['HEN W\u0302R FFWNDRUS a’r cleient; diod alcoholig; i’r anabl; non-compliant', 'cy'] as const,
      ['Y cleient anodd; the client; cleientiaid', 'en'] as const,
    ];
    for (const [text, language] of texts) {
      assert.deepEqual(inBrowser(labels, text, language), findLabelsWith(labels, text, language), text);
    }
  });
});

describe('pausing a form', () => {
  const found = { notes: [{ phrase: 'addict', suggestion: 'a person who uses drugs' }] };

  it('pauses when something was found and the writer has not chosen to keep their words', () => {
    assert.equal(needsWordingPause({ notes: 'an addict' }, found), true);
    assert.equal(needsWordingPause({ notes: 'an addict', wordingSeen: 'yes' }, found), false);
    assert.equal(needsWordingPause({ notes: 'an addict', wordingSeen: 'no' }, found), true);
    assert.equal(needsWordingPause({ notes: 'kind words' }, {}), false);
    assert.equal(needsWordingPause({ notes: 'kind words' }, { notes: [] }), false);
  });

  const t = createTranslator().forLanguage('en');
  const cy = createTranslator().forLanguage('cy');

  it('shows suggestions beside the field as a gentle note, not an error', () => {
    const html = WordingSuggestions({ field: 'notes', suggestions: found.notes, t }).toString();
    assert.match(html, /id="notes-wording"/);
    assert.match(html, /aria-live="polite"/);
    assert.match(
      html,
      /You wrote “addict”\. Many people would rather read something like: a person who uses drugs/,
    );
    assert.match(html, /You can change your words, or keep them as they are\./);
    assert.doesNotMatch(html, /error|role="alert"/);
    const welsh = WordingSuggestions({ field: 'notes', suggestions: found.notes, t: cy }).toString();
    assert.match(welsh, /Ysgrifennoch chi “addict”/);
    // Nothing found: an empty live region for the script, with its words.
    const empty = WordingSuggestions({ field: 'notes', t }).toString();
    assert.doesNotMatch(empty, /<li>|alongside-wording__notice/);
    assert.match(empty, /data-you-wrote="You wrote “\{phrase\}”/);
  });

  it('keeps the words with a button of its own, so the usual button checks again', () => {
    const html = KeepWordingButton({ t }).toString();
    assert.match(html, /type="submit"/);
    assert.match(html, /name="wordingSeen"/);
    assert.match(html, /value="yes"/);
    assert.match(html, /govuk-button--secondary/);
    assert.match(html, /Keep my words and save/);
  });

  it('can say at the top of the page which fields have a suggestion', () => {
    const html = String(
      WordingPauseNotice({ suggestions: found, labels: { notes: 'What we talked about' }, t }),
    );
    assert.match(html, /href="#notes"/);
    assert.match(html, /What we talked about/);
    assert.equal(WordingPauseNotice({ suggestions: {}, labels: {}, t }), null);
  });
});

for (const kind of databaseKinds()) {
  describe(`an organisation's own phrases on ${kind.name}`, () => {
    let database: Database;
    before(async () => {
      database = await kind.open();
      const { services } = await buildTestApp(database, { seed: false });
      await seedDemo(services);
    });
    after(() => database.close());

    const inRiverside = <T>(work: Parameters<typeof withOrganisation<T>>[2]) =>
      withOrganisation(database, { organisationId: riverside, actorPersonId: riversidePriya }, work);
    const inCwmTeg = <T>(work: Parameters<typeof withOrganisation<T>>[2]) =>
      withOrganisation(database, { organisationId: cwmTeg, actorPersonId: cwmTegElin }, work);

    it('are used by checkWording in their organisation, and never in another', async () => {
      const added = await inRiverside((scope) =>
        addOrganisationPhrase(scope, {
          language: 'en',
          phrase: '  my   caseload ',
          suggestion: 'the people I walk with',
        }),
      );
      assert.equal(added.ok, true);
      const texts = {
        notes: 'Someone new joined my caseload. She is an addict.',
        title: 'A good day',
        empty: '',
      };
      const here = await inRiverside((scope) => checkWording(scope, 'en', texts));
      assert.deepEqual(here, {
        notes: [
          { phrase: 'my caseload', suggestion: 'the people I walk with' },
          {
            phrase: 'addict',
            suggestion: 'a person who uses drugs, or a person in recovery (as they describe it)',
          },
        ],
      });
      const there = await inCwmTeg((scope) => checkWording(scope, 'en', texts));
      assert.deepEqual(
        there.notes?.map((f) => f.phrase),
        ['addict'],
      );
      const theirs = await inCwmTeg((scope) => listOrganisationPhrases(scope));
      assert.deepEqual(
        theirs.map((row) => row.phrase),
        ['cleient'],
        'only Cwm Teg’s own demo phrase',
      );
    });

    it('are kept in one spelling, refuse a duplicate however it is typed, and are audited', async () => {
      const kept = (await inRiverside((scope) => listOrganisationPhrases(scope))).find(
        (row) => row.phrase === 'my caseload',
      );
      assert.ok(kept, 'kept with its spaces tidied');
      assert.equal(kept?.createdBy, riversidePriya);
      const again = await inRiverside((scope) =>
        addOrganisationPhrase(scope, { language: 'en', phrase: 'My-Caseload', suggestion: 'other words' }),
      );
      assert.deepEqual(again, { ok: false, reason: 'duplicate' });
      // The same words in the other language are another phrase.
      const welsh = await inRiverside((scope) =>
        addOrganisationPhrase(scope, {
          language: 'cy',
          phrase: 'my caseload',
          suggestion: 'y bobl rwy’n cerdded gyda nhw',
        }),
      );
      assert.equal(welsh.ok, true);
      // Cwm Teg may have the same words: duplicates are per organisation.
      const elsewhere = await inCwmTeg((scope) =>
        addOrganisationPhrase(scope, { language: 'en', phrase: 'my caseload', suggestion: 'pobl' }),
      );
      assert.equal(elsewhere.ok, true);
      const events = await withSystem(database, (tx) =>
        rowsOf<{ action: string; detail: { fields?: string[] } }>(
          tx.execute(sql`select action, detail from audit_event
            where organisation_id = ${riverside} and subject_type = 'language-guard-phrase'
              and subject_id in (${kept.id}, ${welsh.ok ? welsh.id : ''}) order by occurred_at`),
        ),
      );
      assert.deepEqual(
        events.map((e) => e.action),
        ['create', 'create'],
      );
      assert.deepEqual(events[0]!.detail.fields, ['language', 'phrase', 'suggestion']);
      assert.doesNotMatch(JSON.stringify(events), /caseload|walk with/, 'the audit names fields, not words');
    });

    it("cannot remove another organisation's phrase, and removes its own with an audit", async () => {
      const before = await inRiverside((scope) => listOrganisationPhrases(scope));
      const riversides = before.find((row) => row.phrase === 'my caseload' && row.language === 'en');
      assert.ok(riversides);
      assert.equal(await inCwmTeg((scope) => removeOrganisationPhrase(scope, riversides.id)), false);
      assert.equal(await inCwmTeg((scope) => removeOrganisationPhrase(scope, 'not-an-id')), false);
      assert.equal((await inRiverside((scope) => listOrganisationPhrases(scope))).length, before.length);
      assert.equal(await inRiverside((scope) => removeOrganisationPhrase(scope, riversides.id)), true);
      const afterwards = await inRiverside((scope) => listOrganisationPhrases(scope));
      assert.equal(afterwards.length, before.length - 1);
      assert.ok(!afterwards.some((row) => row.id === riversides.id));
      const [removal] = await withSystem(database, (tx) =>
        rowsOf<{ subject_id: string }>(
          tx.execute(sql`select subject_id from audit_event
            where organisation_id = ${riverside} and action = 'delete' and subject_type = 'language-guard-phrase'`),
        ),
      );
      assert.equal(removal?.subject_id, riversides.id);
    });

    it('are hidden from other organisations by the database itself', async () => {
      const seen = await inCwmTeg((scope) =>
        rowsOf<{ organisation_id: string }>(
          scope.tx.execute(sql`select organisation_id from language_guard_phrase`),
        ),
      );
      assert.ok(seen.length > 0);
      assert.ok(seen.every((row) => row.organisation_id === cwmTeg));
      await assert.rejects(
        inCwmTeg((scope) =>
          scope.tx.execute(sql`insert into language_guard_phrase (organisation_id, language, phrase, suggestion)
            values (${riverside}, 'en', 'sneaky', 'nothing')`),
        ),
      );
    });
  });
}
