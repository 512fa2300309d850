// The library unit a question is about, and its calendar (the policy's first unit by default).
import type { Calendar } from '../calendar/index.ts';
import type { CompiledPolicy } from '../version/compiled.ts';
import { quote } from '../errors/quote.ts';
import { FactsError } from './input.ts';

export function unitCalendar(p: CompiledPolicy, unit: string | undefined): { unit: string; cal: Calendar } {
  const id = unit ?? p.defaultUnit;
  const cal = p.calendars.get(id);
  if (!cal) throw new FactsError('/unit', `unknown library unit ${quote(id)} — this policy has ${[...p.calendars.keys()].join(', ')}`);
  return { unit: id, cal };
}
