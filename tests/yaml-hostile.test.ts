// YAML that a policy or test file never needs and no store can keep — aliases (a self-referencing
// one overflowed the stack), characters YAML does not allow, escapes to U+0000 or a lone
// surrogate — is refused with its line and column; and a message quotes a bounded part of a value.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../engine/policy/index.ts';
import { parseTestFile } from '../engine/testing/index.ts';

const at = (errors: Array<{ line: number; column: number; message: string }>) => errors.map((e) => `${e.line}:${e.column} ${e.message}`);

describe('hostile YAML', () => {
  it('an alias, even one that refers to itself, is refused where it stands', () => {
    expect(at(parsePolicy('institution: demo\nnotes: &r [ *r ]\n', 'p.yaml').errors)).toEqual(['2:13 YAML: the alias *r is not allowed: write the value out where it is used (a policy states each entry in full)']);
    expect(at(parsePolicy('a: &x { en: x }\nb: *x\n', 'p.yaml').errors)).toEqual(['2:4 YAML: the alias *x is not allowed: write the value out where it is used (a policy states each entry in full)']);
    // A billion laughs: a few lines that would expand to millions of nodes.
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(parsePolicy(laughs, 'p.yaml').errors[0]!.message).toMatch(/^YAML: the alias \*a is not allowed/);
    expect(at(parseTestFile('cases: &c [ *c ]\n', 't.yaml').errors)).toEqual(['1:13 YAML: the alias *c is not allowed: write the value out where it is used (a policy states each entry in full)']);
  });

  it('a raw NUL or lone surrogate in the text, and escapes to them, are refused at their place', () => {
    expect(at(parsePolicy('institution: demo\nname: "x\u0000y"\n', 'p.yaml').errors)).toEqual(['2:9 YAML: the character U+0000 is not allowed in YAML text']);
    expect(at(parsePolicy('institution: demo\nname: x\ud800y\n', 'p.yaml').errors)).toEqual(['2:8 YAML: the character U+D800 is not allowed in YAML text']);
    expect(at(parsePolicy('institution: demo\nname: "a\\0b"\n', 'p.yaml').errors)).toEqual(['2:7 YAML: this text holds U+0000, which no stored text can (an escape such as "\\0" or "\\ud800"?)']);
    expect(at(parsePolicy('institution: demo\n"\\udc00": 1\n', 'p.yaml').errors)).toEqual(['2:1 YAML: this text holds U+DC00, which no stored text can (an escape such as "\\0" or "\\ud800"?)']);
    expect(at(parseTestFile('cases:\n  - name: "\\0"\n', 't.yaml').errors)).toEqual(['2:11 YAML: this text holds U+0000, which no stored text can (an escape such as "\\0" or "\\ud800"?)']);
    // A pair of surrogates is one character (an emoji), and welcome.
    expect(parsePolicy('institution: demo\nname: "📚 \\ud83d\\udcda"\n', 'p.yaml').errors[0]?.message).not.toMatch(/^YAML/);
  });

  it('a 5 MB bad value is quoted in a few dozen characters', () => {
    const big = 'X'.repeat(5_000_000);
    for (const errors of [parsePolicy(`institution: demo\neffective_from: ${big}\n`, 'p.yaml').errors, parsePolicy(`institution: "${big}"\n`, 'p.yaml').errors, parsePolicy(`institution: demo\nnotes: { "${big}": 1 }\n`, 'p.yaml').errors]) {
      const text = errors.map((e) => e.message).join('\n');
      expect(text.length).toBeLessThan(2_000);
      expect(text).toContain('(5000000 characters)');
    }
  });

  it('regula decide reads a facts file the same way: exit 2, with the line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regula-yaml-'));
    try {
      const facts = join(dir, 'facts.yaml');
      writeFileSync(facts, 'patron: &p { category: staff, notes: [ *p ] }\nitem: { status: regular }\n');
      const r = spawnSync(process.execPath, [resolve(import.meta.dirname, '../bin/regula.js'), 'decide', 'sum', 'checkout', '--at', '2026-11-23T10:00:00+01:00', '--facts', facts, '--policies', resolve(import.meta.dirname, '../policies')], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`regula decide: ${facts}:1:40: YAML: the alias *p is not allowed: write the value out where it is used (a policy states each entry in full)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
