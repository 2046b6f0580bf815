import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { receiptImage } from '../src/modules/personal-budget/demo.ts';
import { formatPence, parsePence, penceForInput } from '../src/modules/personal-budget/money.ts';
import { imageType } from '../src/modules/personal-budget/receipts.ts';

const pence = (typed: string, options?: { allowZero?: boolean }) => {
  const parsed = parsePence(typed, options);
  return parsed.ok ? parsed.pence : parsed.problem;
};

describe('personal budget money', () => {
  it('reads pounds and pence as typed into whole pence', () => {
    assert.equal(pence('£12.50'), 1250);
    assert.equal(pence('12.5'), 1250);
    assert.equal(pence('12'), 1200);
    assert.equal(pence(' £ 12.05 '), 1205);
    assert.equal(pence('0.01'), 1);
    assert.equal(pence('.5'), 50);
    assert.equal(pence('12.'), 1200);
    assert.equal(pence('1,250'), 125_000);
    assert.equal(pence('£1,250.99'), 125_099);
    assert.equal(pence('10000'), 1_000_000);
    // 0.1 + 0.2 is not 0.3 in floating point; in pence it is exact.
    assert.equal(pence('0.29'), 29);
    assert.equal(pence('4.35'), 435);
    assert.equal(pence('1.15'), 115);
  });

  it('says what is wrong with anything else', () => {
    assert.equal(pence(''), 'empty');
    assert.equal(pence('   '), 'empty');
    assert.equal(pence('-5'), 'negative');
    assert.equal(pence('£-5'), 'negative');
    assert.equal(pence('−5'), 'negative');
    assert.equal(pence('12.345'), 'decimals');
    assert.equal(pence('12.999'), 'decimals');
    assert.equal(pence('10000.01'), 'too-big');
    assert.equal(pence('99999999999999999999'), 'too-big');
    assert.equal(pence('1e3'), 'format');
    assert.equal(pence('twelve'), 'format');
    assert.equal(pence('£'), 'format');
    assert.equal(pence('.'), 'format');
    assert.equal(pence('12,50'), 'format');
    assert.equal(pence('1,2345'), 'format');
    assert.equal(pence('$12'), 'format');
    assert.equal(pence('0x10'), 'format');
    assert.equal(pence('Infinity'), 'format');
    assert.equal(pence('0'), 'zero');
    assert.equal(pence('0.00'), 'zero');
    assert.equal(pence('0', { allowZero: true }), 0);
  });

  it('shows pence as pounds the same way in English and Welsh', () => {
    assert.equal(formatPence(1250), '£12.50');
    assert.equal(formatPence(5), '£0.05');
    assert.equal(formatPence(0), '£0.00');
    assert.equal(formatPence(-1250), '−£12.50');
    assert.equal(formatPence(1250, { signed: true }), '+£12.50');
    assert.equal(formatPence(123_456_789), '£1,234,567.89');
    assert.equal(penceForInput(125_050), '1250.50');
    assert.throws(() => formatPence(1.5));
    for (const typed of ['0.01', '3.99', '250', '9999.99']) {
      const parsed = parsePence(typed);
      assert.ok(parsed.ok);
      assert.equal(parsePence(formatPence(parsed.pence)).ok && parsed.pence, parsed.pence);
    }
  });
});

describe('receipt photos', () => {
  it('knows a photo by its first bytes, not its name', () => {
    assert.equal(imageType(receiptImage()), 'image/png');
    assert.equal(imageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'image/jpeg');
    const webp = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ');
    assert.equal(imageType(webp), 'image/webp');
    const heic = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic'), 0, 0, 0, 0]);
    assert.equal(imageType(heic), 'image/heic');
    const heif = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypmif1'), 0, 0, 0, 0]);
    assert.equal(imageType(heif), 'image/heif');
  });

  it('refuses what is not a photo, even when it is called one', () => {
    assert.equal(imageType(new TextEncoder().encode('%PDF-1.7 receipt.png')), null);
    assert.equal(imageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
    assert.equal(imageType(new TextEncoder().encode('GIF89a')), null);
    const mp4 = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom'), 0, 0, 0, 0]);
    assert.equal(imageType(mp4), null);
    assert.equal(imageType(new Uint8Array()), null);
    assert.equal(imageType(Uint8Array.from([0xff, 0xd8])), null);
  });
});
