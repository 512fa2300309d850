// Accept-Language → the one language a decision's texts are narrowed to (api/language.ts).
import { describe, expect, it } from 'vitest';
import { preferredLanguage } from '../api/language.ts';

describe('preferredLanguage', () => {
  it('answers in both languages without a header, or when none of ours is named', () => {
    for (const h of [undefined, '', 'de', 'de-DE,fr;q=0.8', 'en;q=0, pl;q=0', 'x;q=abc']) expect(preferredLanguage(h), String(h)).toBeUndefined();
  });

  it('takes the language a browser or a desk names, with its region or not', () => {
    expect(preferredLanguage('pl')).toBe('pl');
    expect(preferredLanguage('PL-pl')).toBe('pl');
    expect(preferredLanguage('en-US,en;q=0.9')).toBe('en');
    expect(preferredLanguage('de-DE, pl;q=0.5, en;q=0.4')).toBe('pl');
  });

  it('follows the weights, then the order', () => {
    expect(preferredLanguage('en;q=0.2, pl')).toBe('pl');
    expect(preferredLanguage('en, pl')).toBe('en');
    expect(preferredLanguage('pl ; q = 0.7 , en;q=0.700')).toBe('pl');
    expect(preferredLanguage('en;q=0, *')).toBe('pl');
  });

  it('leaves a bare wildcard to both languages', () => {
    expect(preferredLanguage('*')).toBeUndefined();
    expect(preferredLanguage('de, *;q=0.1')).toBeUndefined();
  });
});
