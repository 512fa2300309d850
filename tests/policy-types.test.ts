// The policy format is written twice — its JSON Schema (engine/policy/policy.schema.json, what
// every file is checked against) and its TypeScript types (engine/policy/types.ts, what the engine
// reads) — because the schema's null layering (the shape takes null everywhere; CompleteRules
// requires keys and forbids null) does not generate types the engine could use. This keeps the
// two in step: every definition an interface shares a name with has the same keys, and a key the
// complete version requires is one the type does not make optional.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import schema from '../engine/policy/policy.schema.json' with { type: 'json' };

type Def = { properties?: Record<string, unknown>; additionalProperties?: unknown; $ref?: string };
const DEFS = schema.$defs as unknown as Record<string, Def>;
const ROOT = schema as unknown as Def;
const COMPLETE = (DEFS.CompleteRules as unknown as { required: string[]; allOf: { properties?: Record<string, Def & { required?: string[] }> }[] });

/** Each interface or type alias of types.ts by name: its properties and which of them are optional. */
function typeKeys(): Map<string, Map<string, boolean>> {
  const file = fileURLToPath(new URL('../engine/policy/types.ts', import.meta.url));
  const program = ts.createProgram([file], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true, noEmit: true });
  const checker = program.getTypeChecker();
  const out = new Map<string, Map<string, boolean>>();
  ts.forEachChild(program.getSourceFile(file)!, (node) => {
    if (!ts.isInterfaceDeclaration(node) && !ts.isTypeAliasDeclaration(node)) return;
    const type = checker.getTypeAtLocation(node.name);
    if (!(type.flags & ts.TypeFlags.Object) && !type.isIntersection()) return;
    const props = new Map<string, boolean>();
    for (const p of checker.getPropertiesOfType(type)) props.set(p.name, (p.flags & ts.SymbolFlags.Optional) !== 0);
    if (props.size) out.set(node.name.text, props);
  });
  return out;
}

/** The definition a map of the document holds (`limits: {<id>: Limit}`), by the document's key. */
function mapDefs(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, s] of Object.entries(ROOT.properties ?? {})) {
    const ref = ((s as Def).additionalProperties as Def | undefined)?.$ref ?? (s as Def).$ref;
    if (ref) out.set(key, ref.replace('#/$defs/', ''));
  }
  return out;
}

describe('the policy format’s TypeScript types and its JSON Schema', () => {
  const types = typeKeys();

  it('have the same keys in every definition they both name, and in the document', () => {
    const compared: string[] = [];
    for (const [name, def] of Object.entries(DEFS)) {
      const keys = types.get(name);
      if (!keys || !def.properties) continue;
      compared.push(name);
      expect([...keys.keys()].sort(), name).toEqual(Object.keys(def.properties).sort());
    }
    expect(compared.length).toBeGreaterThan(10);
    expect([...types.get('PolicyDocument')!.keys()].sort()).toEqual(Object.keys(ROOT.properties!).sort());
  });

  it('make nothing optional that a complete version requires', () => {
    // The document's header, in every version; the rest of its keys an amendment may leave out.
    const doc = types.get('PolicyDocument')!;
    for (const key of schema.required as string[]) expect(doc.get(key), `PolicyDocument.${key}`).toBe(false);
    const defs = mapDefs();
    let checked = 0;
    for (const part of COMPLETE.allOf) {
      for (const [key, rule] of Object.entries(part.properties ?? {})) {
        const required = ((rule.additionalProperties as { required?: string[] } | undefined)?.required ?? rule.required) ?? [];
        const keys = types.get(defs.get(key) ?? '');
        if (!keys) continue;
        for (const k of required) {
          expect(keys.get(k), `${defs.get(key)}.${k} (required in ${key})`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
