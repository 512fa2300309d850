import { describe, expect, it } from 'vitest';
import { diffPolicies, type Change } from '../engine/diff/index.ts';
import { duration, perStarted, plPlural } from '../engine/words/index.ts';
import type { PolicyDocument } from '../engine/policy/index.ts';

const base: PolicyDocument = {
  institution: 'demo',
  name: 'Demo Library',
  version: '1',
  effective_from: '2025-10-01T00:00:00+02:00',
  status: 'published',
  source: { title: 'Regulamin' },
  assumptions: { hours: { en: 'Opening hours assumed.', pl: 'Przyjęto godziny otwarcia.' } },
  calendars: { main: { label: { en: 'Main library', pl: 'Biblioteka Główna' }, hours: { 'mon-fri': '08:00-20:00' } } },
  patron_categories: {
    phd: { label: { en: 'PhD students', pl: 'Doktoranci' }, cite: '§ 4' },
    staff: { label: { en: 'Staff', pl: 'Pracownicy' }, cite: '§ 4' },
  },
  item_statuses: {
    regular: { label: { en: 'Regular', pl: 'Zwykły' }, loan_types: ['long-term'] },
    reference: { label: { en: 'Reference', pl: 'Podręczny' }, on_site_only: true },
  },
  loan_types: {
    'long-term': { label: { en: 'long-term', pl: 'długoterminowe' }, due: { kind: 'period', months: 2 } },
    'seven-day': { label: { en: '7-day loans', pl: 'Wypożyczenia 7-dniowe' }, due: { kind: 'period', days: 7 } },
    overnight: {
      label: { en: 'Overnight loans', pl: 'Wypożyczenia na noc' },
      due: { kind: 'time-of-day', time: '09:00', day: 'next-open-day', cite: '§ 14' },
      window: { before_closing: { hours: 1 } },
    },
  },
  limits: {
    'phd-long': { categories: ['phd'], loan_types: ['long-term'], max: 10, cite: '§ 7' },
    overnight: { categories: '*', loan_types: ['overnight'], max: 1 },
  },
  fees: {
    'seven-day': { loan_types: ['seven-day'], rate: 1000, per: { hours: 24 }, cap: 5000, cite: '§ 9' },
  },
  rules: {
    popular: {
      question: 'checkout',
      outcome: 'refuse',
      code: 'POPULAR',
      message: { en: 'Popular titles are not lent overnight.', pl: 'Poczytnych tytułów nie wypożycza się na noc.' },
      when: { all: [{ fact: 'loan_type', operator: 'equal', value: 'overnight' }] },
    },
  },
};

/** The base with `change` applied to a deep copy. */
function variant(change: (d: PolicyDocument) => void): PolicyDocument {
  const d = structuredClone(base);
  change(d);
  return d;
}

const en = (cs: Change[]) => cs.map((c) => c.text.en);
const pl = (cs: Change[]) => cs.map((c) => c.text.pl);

describe('diffPolicies', () => {
  it('finds nothing between a version and itself', () => {
    expect(diffPolicies(base, structuredClone(base))).toEqual([]);
  });

  it('says a limit change with the labels of its categories and loan types', () => {
    const cs = diffPolicies(base, variant((d) => (d.limits!['phd-long']!.max = 12)));
    expect(cs).toEqual([
      {
        path: 'limits.phd-long.max',
        kind: 'changed',
        before: 10,
        after: 12,
        text: { en: 'PhD students, long-term: limit 10 → 12', pl: 'Doktoranci, długoterminowe: limit 10 → 12' },
      },
    ]);
  });

  it("reads '*' as all categories", () => {
    const cs = diffPolicies(base, variant((d) => (d.limits!.overnight!.max = 2)));
    expect(en(cs)).toEqual(['all categories, Overnight loans: limit 1 → 2']);
    expect(pl(cs)).toEqual(['wszystkie kategorie, Wypożyczenia na noc: limit 1 → 2']);
  });

  it('says fee rates and caps in złoty', () => {
    const cs = diffPolicies(
      base,
      variant((d) => {
        d.fees!['seven-day']!.rate = 1200;
        d.fees!['seven-day']!.cap = 6000;
      }),
    );
    expect(en(cs)).toEqual(['7-day loans: fee 10,00 zł → 12,00 zł per started 24 hours', '7-day loans: cap 50,00 zł → 60,00 zł']);
    expect(pl(cs)).toEqual([
      'Wypożyczenia 7-dniowe: opłata 10,00 zł → 12,00 zł za każde rozpoczęte 24 godziny',
      'Wypożyczenia 7-dniowe: maksymalna opłata 50,00 zł → 60,00 zł',
    ]);
    expect(cs[0]).toMatchObject({ path: 'fees.seven-day.rate', before: 1000, after: 1200 });
  });

  it('says a change of the fee period together with the rate', () => {
    const cs = diffPolicies(base, variant((d) => (d.fees!['seven-day']!.per = { hours: 1 })));
    expect(en(cs)).toEqual(['7-day loans: fee 10,00 zł per started 24 hours → per started hour']);
    expect(pl(cs)).toEqual(['Wypożyczenia 7-dniowe: opłata 10,00 zł za każde rozpoczęte 24 godziny → za każdą rozpoczętą godzinę']);
  });

  it('says a loan period in words', () => {
    const cs = diffPolicies(
      base,
      variant((d) => {
        const due = d.loan_types!.overnight!.due;
        if (due.kind === 'time-of-day') due.time = '10:00';
        d.loan_types!['long-term']!.due = { kind: 'period', months: 1 };
      }),
    );
    expect(en(cs)).toEqual(['long-term: due for 2 months → for 1 month', 'Overnight loans: due by 09:00 on the next open day → by 10:00 on the next open day']);
    expect(pl(cs)).toEqual([
      'długoterminowe: termin zwrotu na 2 miesiące → na 1 miesiąc',
      'Wypożyczenia na noc: termin zwrotu do 09:00 następnego dnia otwarcia → do 10:00 następnego dnia otwarcia',
    ]);
  });

  it('reports categories, loan types and statuses added or removed', () => {
    const cs = diffPolicies(
      base,
      variant((d) => {
        delete d.patron_categories!.staff;
        d.patron_categories!.retirees = { label: { en: 'Retirees', pl: 'Emeryci' } };
        d.loan_types!.weekend = { label: { en: 'Weekend loans', pl: 'Wypożyczenia na weekend' }, due: { kind: 'time-of-day', time: '09:00', day: 'next-open-day' } };
        delete d.item_statuses!.reference;
      }),
    );
    expect(en(cs)).toEqual([
      'Patron category removed: Staff',
      'Patron category added: Retirees',
      'Item status removed: Reference',
      'Loan type added: Weekend loans (due by 09:00 on the next open day)',
    ]);
    expect(pl(cs)[0]).toBe('Usunięto kategorię czytelników: Pracownicy');
    expect(cs.map((c) => [c.path, c.kind])).toEqual([
      ['patron_categories.staff', 'removed'],
      ['patron_categories.retirees', 'added'],
      ['item_statuses.reference', 'removed'],
      ['loan_types.weekend', 'added'],
    ]);
  });

  it('reports a changed citation, also inside a loan period', () => {
    const cs = diffPolicies(
      base,
      variant((d) => {
        d.limits!['phd-long']!.cite = '§ 7 ust. 2';
        d.loan_types!.overnight!.due.cite = '§ 14 ust. 1';
      }),
    );
    expect(en(cs)).toEqual(['Overnight loans (loan period): citation § 14 → § 14 ust. 1', 'PhD students, long-term: citation § 7 → § 7 ust. 2']);
    expect(pl(cs)[1]).toBe('Doktoranci, długoterminowe: przepis § 7 → § 7 ust. 2');
  });

  it('reports assumptions added and removed', () => {
    const cs = diffPolicies(
      base,
      variant((d) => {
        d.assumptions = { fees: { en: 'The fee rate is assumed.', pl: 'Przyjęto stawkę opłaty.' } };
      }),
    );
    expect(en(cs)).toEqual(['Assumption removed: Opening hours assumed.', 'Assumption added: The fee rate is assumed.']);
    expect(pl(cs)).toEqual(['Usunięto założenie: Przyjęto godziny otwarcia.', 'Dodano założenie: Przyjęto stawkę opłaty.']);
  });

  it('reports custom rules added, removed and changed', () => {
    const cs = diffPolicies(
      base,
      variant((d) => {
        d.rules!.popular!.when = { all: [{ fact: 'loan_type', operator: 'in', value: ['overnight', 'seven-day'] }] };
        d.rules!.consent = {
          question: 'checkout',
          outcome: 'note',
          code: 'CONSENT',
          message: { en: "The librarian's consent is needed.", pl: 'Potrzebna zgoda bibliotekarza.' },
          when: { all: [{ fact: 'item_status', operator: 'equal', value: 'reference' }] },
        };
      }),
    );
    expect(en(cs)).toEqual(['Rule popular: conditions changed', "Rule added (checkout, notes): The librarian's consent is needed."]);
    expect(pl(cs)).toEqual(['Reguła popular: zmieniono warunki', 'Dodano regułę (checkout, uwaga): Potrzebna zgoda bibliotekarza.']);
    const removed = diffPolicies(base, variant((d) => delete d.rules));
    expect(en(removed)).toEqual(['Rule removed (checkout, refuses): Popular titles are not lent overnight.']);
  });

  it('falls back to the path and the values in words', () => {
    const cs = diffPolicies(base, variant((d) => (d.loan_types!.overnight!.window = { before_closing: { hours: 2 } })));
    expect(cs).toEqual([
      {
        path: 'loan_types.overnight.window.before_closing',
        kind: 'changed',
        before: { hours: 1 },
        after: { hours: 2 },
        text: { en: 'loan_types.overnight.window.before_closing: 1 hour → 2 hours', pl: 'loan_types.overnight.window.before_closing: 1 godzina → 2 godziny' },
      },
    ]);
    const money = diffPolicies(base, variant((d) => (d.payments = { online_minimum: 100 })));
    expect(en(money)).toEqual(['payments: added {online_minimum: 1,00 zł}']);
  });

  it('reports the effective date once and ignores the other header fields', () => {
    const cs = diffPolicies(
      base,
      variant((d) => {
        d.version = '2';
        d.status = 'draft';
        d.source = { title: 'Zmiana', number: '5/2026' };
        d.amends = '1';
        d.effective_from = '2026-10-01T00:00:00+02:00';
      }),
    );
    expect(cs).toHaveLength(1);
    expect(cs[0]!.text).toEqual({ en: 'Effective from 2025-10-01 → 2026-10-01', pl: 'Obowiązuje od 2025-10-01 → 2026-10-01' });
  });

  it('says opening hours per day key', () => {
    const cs = diffPolicies(base, variant((d) => (d.calendars!.main!.hours = { 'mon-fri': '08:00-19:00', sat: '09:00-14:00' })));
    expect(en(cs)).toEqual(['Main library: hours Mon–Fri 08:00-20:00 → 08:00-19:00', 'Main library: hours Sat none → 09:00-14:00']);
  });
});

describe('words', () => {
  it('declines Polish numerals', () => {
    expect([1, 2, 4, 5, 12, 14, 22, 25].map((n) => plPlural(n, 'godzina', 'godziny', 'godzin'))).toEqual(['godzina', 'godziny', 'godziny', 'godzin', 'godzin', 'godzin', 'godziny', 'godzin']);
    expect(duration({ hours: 1, minutes: 30 }, 'pl')).toBe('1 godzina 30 minut');
    expect(duration({ minutes: 15 }, 'en')).toBe('15 minutes');
  });

  it('says "per started" periods', () => {
    expect(perStarted({ days: 1 }, 'en')).toBe('per started day');
    expect(perStarted({ days: 1 }, 'pl')).toBe('za każdy rozpoczęty dzień');
    expect(perStarted({ hours: 24 }, 'pl')).toBe('za każde rozpoczęte 24 godziny');
    expect(perStarted({ days: 5 }, 'pl')).toBe('za każde rozpoczęte 5 dni');
  });
});
