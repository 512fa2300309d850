// The library unit a question is about, and its calendar (the policy's first unit by default).
import type { Calendar } from '../calendar/index.ts';
import type { CompiledPolicy } from '../version/compiled.ts';
import { FactsError, unknownIdMessage } from './input.ts';

export function unitCalendar(p: CompiledPolicy, unit: string | undefined): { unit: string; cal: Calendar } {
  const id = unit ?? p.defaultUnit;
  const cal = p.calendars.get(id);
  if (!cal) throw new FactsError('/unit', unknownIdMessage('library unit', id, [...p.calendars.keys()]));
  return { unit: id, cal };
}
