import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Catalogue, coreCatalogues, createTranslator, flattenKeys } from '../src/core/i18n/index.ts';
import { modules } from '../src/modules/index.ts';

const pluralSuffix = /_(zero|one|two|few|many|other)$/;
const welshForms = ['zero', 'one', 'two', 'few', 'many', 'other'];

function baseKeys(catalogue: Catalogue) {
  return new Set(flattenKeys(catalogue).map((key) => key.replace(pluralSuffix, '')));
}

const catalogues = [
  { name: 'core', ...coreCatalogues },
  ...modules.filter((m) => m.catalogues).map((m) => ({ name: m.id, ...m.catalogues! })),
];

describe('languages', () => {
  for (const { name, en, cy } of catalogues) {
    it(`${name}: every key exists in both English and Welsh`, () => {
      const english = baseKeys(en);
      const welsh = baseKeys(cy);
      assert.deepEqual(
        [...english].filter((key) => !welsh.has(key)),
        [],
        'missing from Welsh',
      );
      assert.deepEqual(
        [...welsh].filter((key) => !english.has(key)),
        [],
        'missing from English',
      );
    });

    it(`${name}: every Welsh plural has all six forms and no Welsh text is left in English`, () => {
      const welshKeys = new Set(flattenKeys(cy));
      const plurals = new Set(
        flattenKeys(en)
          .filter((k) => pluralSuffix.test(k))
          .map((k) => k.replace(pluralSuffix, '')),
      );
      for (const base of plurals) {
        for (const form of welshForms)
          assert.ok(welshKeys.has(`${base}_${form}`), `${base}_${form} is missing`);
      }
      const flatEn = Object.fromEntries(
        flattenKeys(en).map((k) => [k, k.split('.').reduce<unknown>((o, p) => (o as Catalogue)[p], en)]),
      );
      const same = flattenKeys(cy).filter((k) => {
        const english = flatEn[k];
        const welsh = k.split('.').reduce<unknown>((o, p) => (o as Catalogue)[p], cy);
        // A pattern of placeholders alone ("{{bank}} ({{organisation}})") has no words to translate.
        const words =
          typeof english === 'string' ? english.replace(/\{\{[^}]+\}\}/g, '').replace(/[^\p{L}]/gu, '') : '';
        return typeof english === 'string' && english.length > 12 && words.length > 0 && english === welsh;
      });
      assert.deepEqual(same, [], 'these Welsh entries are still the English words');
    });
  }

  it('uses Welsh plural rules: one, two, few, many and other take different words', () => {
    const translator = createTranslator();
    const t = translator.forLanguage('cy');
    const forms = [1, 2, 3, 6, 10].map((count) => t('history.caption', { count }));
    assert.equal(new Set(forms).size >= 4, true, `expected distinct Welsh forms, got ${forms.join(' | ')}`);
    assert.equal(translator.forLanguage('en')('history.caption', { count: 1 }), '1 entry');
    assert.equal(translator.forLanguage('en')('history.caption', { count: 2 }), '2 entries');
  });
});
