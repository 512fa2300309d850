// Completion of keys (and enum values) from the policy JSON Schema, imported at build time.
// The YAML path at the cursor is read from the indentation of the lines above it.
import type { CompletionContext, CompletionResult, Completion } from '@codemirror/autocomplete';
import policySchema from '../../../engine/policy/policy.schema.json';
import testsSchema from '../../../engine/policy/tests.schema.json';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  then?: Schema;
  else?: Schema;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  $defs?: Record<string, Schema>;
};

function deref(root: Schema, s: Schema | undefined, seen = 0): Schema | undefined {
  if (!s || seen > 20) return s;
  if (s.$ref?.startsWith('#/$defs/')) {
    const target = root.$defs?.[s.$ref.slice(8)];
    // A $ref with siblings (a description) keeps them over the target.
    const { $ref: _r, ...rest } = s;
    return deref(root, { ...target, ...rest, properties: target?.properties ?? rest.properties }, seen + 1);
  }
  return s;
}

/** The alternatives a schema offers (allOf/anyOf/oneOf branches flattened). */
function branches(root: Schema, s: Schema | undefined): Schema[] {
  const d = deref(root, s);
  if (!d) return [];
  const out = [d];
  for (const b of [...(d.allOf ?? []), ...(d.anyOf ?? []), ...(d.oneOf ?? [])]) out.push(...branches(root, b));
  return out;
}

/** The schema one step down: a map key or a list item ('-'). */
function child(root: Schema, s: Schema | undefined, key: string): Schema | undefined {
  for (const b of branches(root, s)) {
    if (key === '-') {
      if (b.items) return b.items;
      continue;
    }
    if (b.properties?.[key]) return b.properties[key];
    for (const p of Object.values(b.patternProperties ?? {})) return p;
    if (b.additionalProperties && typeof b.additionalProperties === 'object') return b.additionalProperties;
  }
  return undefined;
}

function properties(root: Schema, s: Schema | undefined): Map<string, Schema> {
  const out = new Map<string, Schema>();
  for (const b of branches(root, s)) for (const [k, v] of Object.entries(b.properties ?? {})) if (!out.has(k)) out.set(k, v);
  return out;
}

function enumValues(root: Schema, s: Schema | undefined): unknown[] {
  const out: unknown[] = [];
  for (const b of branches(root, s)) {
    if (b.enum) out.push(...b.enum);
    if (b.const !== undefined) out.push(b.const);
  }
  return [...new Set(out)].filter((v) => v !== null);
}

function describe(root: Schema, s: Schema | undefined): string | undefined {
  for (const b of branches(root, s)) if (b.description) return b.description;
  return undefined;
}

const ITEM_LINE = /^(\s*)(-\s+)([\w$-]+)?\s*(:)?/;
const KEY_LINE = /^(\s*)([\w$-]+)\s*:/;

/**
 * The chain of keys leading to a line whose content starts at column `indent` (list items as
 * '-'). For a line that is itself a list item ("  - name"), pass the dash's column and
 * `inListItem`.
 */
export function pathAt(lines: string[], lineIndex: number, indent: number, inListItem: boolean): string[] {
  const path: string[] = inListItem ? ['-'] : [];
  let want = indent;
  for (let i = lineIndex - 1; i >= 0 && want > 0; i--) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const item = ITEM_LINE.exec(line);
    if (item) {
      const lead = item[1]!.length;
      const content = lead + item[2]!.length;
      if (content < want) {
        if (item[3] && item[4]) path.unshift(item[3]);
        path.unshift('-');
        want = lead;
      } else if (content === want) {
        path.unshift('-');
        want = lead;
      }
      continue;
    }
    const key = KEY_LINE.exec(line);
    const lead = line.length - line.trimStart().length;
    if (key && lead < want) {
      path.unshift(key[2]!);
      want = lead;
    }
  }
  return path;
}

function source(rootSchema: Schema) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const lines = ctx.state.doc.toString().split('\n');
    const lineIndex = line.number - 1;

    // A key being typed at the start of a line ("  max" or "  - na").
    const keyMatch = /^(\s*)(-\s+)?([\w-]*)$/.exec(before);
    if (keyMatch) {
      if (!ctx.explicit && keyMatch[3] === '' && !keyMatch[2]) return null;
      const path = pathAt(lines, lineIndex, keyMatch[1]!.length, Boolean(keyMatch[2]));
      let s: Schema | undefined = rootSchema;
      for (const k of path) s = child(rootSchema, s, k);
      const props = properties(rootSchema, s);
      if (props.size === 0) return null;
      const options: Completion[] = [...props].map(([k, v]) => ({ label: k, type: 'property', apply: `${k}: `, info: describe(rootSchema, v) }));
      return { from: ctx.pos - keyMatch[3]!.length, options, validFor: /^[\w-]*$/ };
    }

    // A value after "key: " with an enum.
    const valueMatch = /^(\s*)(-\s+)?([\w-]+):\s+([\w-]*)$/.exec(before);
    if (valueMatch) {
      const path = [...pathAt(lines, lineIndex, valueMatch[1]!.length, Boolean(valueMatch[2])), valueMatch[3]!];
      let s: Schema | undefined = rootSchema;
      for (const k of path) s = child(rootSchema, s, k);
      const values = enumValues(rootSchema, s);
      if (values.length === 0) return null;
      return {
        from: ctx.pos - valueMatch[4]!.length,
        options: values.map((v) => ({ label: String(v), type: 'enum', info: describe(rootSchema, s) })),
        validFor: /^[\w-]*$/,
      };
    }
    return null;
  };
}

export const policyCompletion = source(policySchema as unknown as Schema);
export const testsCompletion = source(testsSchema as unknown as Schema);
