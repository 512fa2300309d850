// json-rules-engine itself, run on the same rules: the reference the fast path is checked
// against, and the interpreter a custom rule can always be explained by.
import { Engine } from 'json-rules-engine';
import type { Question } from '../policy/types.ts';
import type { Facts, Rule } from './types.ts';

export class ReferenceRules {
  private readonly engines = new Map<Question, Engine>();

  constructor(rules: Rule[]) {
    for (const rule of rules) {
      let engine = this.engines.get(rule.question);
      if (!engine) {
        engine = new Engine([], { allowUndefinedFacts: true });
        this.engines.set(rule.question, engine);
      }
      engine.addRule({ name: rule.name, conditions: rule.conditions as never, event: rule.event as never });
    }
  }

  /** Names of the rules whose conditions hold. */
  async run(question: Question, facts: Facts): Promise<string[]> {
    const engine = this.engines.get(question);
    if (!engine) return [];
    const { results } = await engine.run(facts);
    return results.map((r) => (r as { name?: string }).name ?? '');
  }
}
