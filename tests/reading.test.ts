// A version's reading (engine/words/reading.ts), which the console shows: for every shipped
// version, in both languages, every entry in the regulation's order and in words — no key of the
// policy format, no enum value, no JSON.
import { describe, expect, it } from 'vitest';
import { reading } from '../engine/words/index.ts';
import { formatWords } from './fixtures/format-words.ts';
import { loadShipped } from './fixtures/shipped.ts';

const WORDS = formatWords();

const { versions } = loadShipped();

describe('the reading of a version', () => {
  it('knows the format words it must not show', () => {
    expect(WORDS).toEqual(expect.arrayContaining(['closed_day', 'refused_when_requested', 'next-open-day', 'time-of-day', 'by_category', 'late-return']));
  });

  for (const v of versions) {
    it(`${v.doc.institution} ${v.doc.version}: every entry in words, in the document's order`, () => {
      const sections = reading(v.doc);
      expect(sections.length).toBeGreaterThan(3);
      for (const s of sections) {
        const section = v.doc[s.key as keyof typeof v.doc];
        if (['one_copy_per_title', 'holds', 'lost_item', 'payments'].includes(s.key)) expect(s.entries.map((e) => e.path)).toEqual([s.key]);
        else expect(s.entries.map((e) => e.path)).toEqual(Object.keys(section as object).map((id) => `${s.key}.${id}`));
        for (const e of s.entries) {
          for (const lang of ['en', 'pl'] as const) {
            expect(e.title[lang], e.path).toBeTruthy();
            for (const l of e.lines) {
              const text = `${l.label[lang]}: ${l.value[lang]}`;
              expect(l.value[lang].trim(), `${e.path} ${text}`).not.toBe('');
              expect(text, e.path).not.toMatch(/[{}[\]]|undefined|null|NaN|\[object/);
              // Custom rules say their condition over the facts, and notes quote the regulation.
              if (s.key === 'rules' || s.key === 'notes') continue;
              for (const w of WORDS) expect(text.includes(w), `${e.path} (${lang}) shows "${w}": ${text}`).toBe(false);
            }
          }
        }
      }
    });
  }

  it('says SUM’s overnight loan as the regulation does, with its paragraph and assumption', () => {
    const sum = versions.find((v) => v.doc.institution === 'sum')!;
    const overnight = reading(sum.doc).find((s) => s.key === 'loan_types')!.entries.find((e) => e.path === 'loan_types.overnight')!;
    expect(overnight.title).toEqual({ en: 'Overnight loan (na noc)', pl: 'wypożyczenie „na noc”' });
    expect(overnight.cite).toBe('§ 14 ust. 1');
    const due = overnight.lines.find((l) => l.label.en === 'Due')!;
    expect(due).toEqual({ label: { en: 'Due', pl: 'Termin zwrotu' }, value: { en: 'by 09:00 on the next open day', pl: 'do 09:00 następnego dnia otwarcia' }, cite: '§ 14 ust. 1', assumptions: ['overnight-next-closed'] });
    expect(overnight.lines.find((l) => l.label.en === 'Lent')!.value.en).toBe('only in the last 1 hour before closing, while the unit is open');
    const fee = reading(sum.doc).find((s) => s.key === 'fees')!.entries[0]!;
    expect(fee.lines[0]!.value).toEqual({ en: 'PLN 0.50 per started day', pl: '0,50 zł za każdy rozpoczęty dzień' });
  });
});
