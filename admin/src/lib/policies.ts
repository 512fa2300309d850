// The API's routes, typed, as the console calls them.
import { api, path } from './api.ts';
import type {
  AuditList,
  AuditQuery,
  DecisionLogList,
  DecisionLogQuery,
  DecisionRequest,
  InstitutionList,
  SimulationAccepted,
  SimulationList,
  SimulationRequest,
  VersionList,
  Decision,
  DiffResult,
  Explanation,
  Institution,
  Simulation,
  SimulationCase,
  TestRun,
  ValidationResult,
  VersionDetail,
  VersionMeta,
} from './types.ts';

const inst = (id: string) => `institutions/${path(id)}`;
const ver = (id: string, label: string) => `${inst(id)}/versions/${path(label)}`;

export async function listInstitutions(): Promise<Institution[]> {
  return (await api.get<InstitutionList>('institutions')).data.institutions;
}

export async function listVersions(id: string): Promise<VersionMeta[]> {
  return (await api.get<VersionList>(`${inst(id)}/versions`)).data.versions;
}

export async function getVersion(id: string, label: string, consolidated = false): Promise<VersionDetail & { etag: string }> {
  const r = await api.get<VersionDetail>(ver(id, label), { query: consolidated ? { consolidated: 'true' } : undefined });
  return { ...r.data, etag: r.etag ?? r.data.etag ?? `"${r.data.id}:${r.data.revision}"` };
}

/** Whether the version moved on from `etag`: a conditional GET, answered 304 when it did not. */
export async function changedSince(id: string, label: string, etag: string): Promise<boolean> {
  const r = await api.get<unknown>(ver(id, label), { headers: { 'if-none-match': etag }, allowNotModified: true });
  return r.status !== 304 && r.etag !== etag;
}

export async function getVersionYaml(id: string, label: string): Promise<string> {
  return (await api.get<string>(ver(id, label), { query: { format: 'yaml' }, text: true })).data;
}

export async function createVersion(id: string, yaml: string, tests_yaml?: string): Promise<Omit<VersionDetail, "etag"> & { etag: string | null }> {
  const r = await api.post<VersionDetail>(`${inst(id)}/versions`, tests_yaml === undefined ? { yaml } : { yaml, tests_yaml });
  return { ...r.data, etag: r.etag ?? r.data.etag ?? null };
}

export async function updateVersion(id: string, label: string, etag: string, yaml: string, tests_yaml: string): Promise<Omit<VersionDetail, "etag"> & { etag: string | null }> {
  const r = await api.put<VersionDetail>(ver(id, label), { yaml, tests_yaml }, { headers: { 'if-match': etag } });
  return { ...r.data, etag: r.etag ?? r.data.etag ?? null };
}

export async function validate(id: string, yaml: string, tests_yaml?: string, signal?: AbortSignal): Promise<ValidationResult> {
  return (await api.post<ValidationResult>(`${inst(id)}/validate`, tests_yaml ? { yaml, tests_yaml } : { yaml }, { signal })).data;
}

/** The version's own tests; `effective_from`: as if it took effect then (the version it replaces may differ). */
export async function runTests(id: string, label: string, effective_from?: string): Promise<TestRun> {
  return (await api.post<TestRun>(`${ver(id, label)}/test`, effective_from ? { effective_from } : undefined)).data;
}

export async function diff(id: string, from: string, to: string): Promise<DiffResult> {
  return (await api.get<DiffResult>(`${inst(id)}/diff`, { query: { from, to } })).data;
}

export async function publish(id: string, label: string, effective_from: string, etag?: string): Promise<VersionDetail> {
  return (await api.post<VersionDetail>(`${ver(id, label)}/publish`, { effective_from }, etag ? { headers: { 'if-match': etag } } : {})).data;
}

export async function retire(id: string, label: string, etag?: string): Promise<VersionDetail> {
  return (await api.post<VersionDetail>(`${ver(id, label)}/retire`, undefined, etag ? { headers: { 'if-match': etag } } : {})).data;
}

/** Explanations read, by link and content hash: each version's texts are fetched once. */
const explanations = new Map<string, Promise<Explanation>>();

function explanationOf(d: Decision): Promise<Explanation> {
  const key = `${d.explanation}#${d.policy.hash}`;
  let e = explanations.get(key);
  if (!e) {
    e = api.get<Explanation>(d.explanation).then((r) => r.data);
    e.catch(() => explanations.delete(key)); // not kept when it failed: asked again next time
    explanations.set(key, e);
  }
  return e;
}

/** The decision, with the texts of the assumptions it names from its version's explanation. */
export async function decide(question: string, body: DecisionRequest): Promise<Decision> {
  const d = (await api.post<Decision>(`decisions/${path(question)}`, body)).data;
  const texts = (await explanationOf(d)).assumptions;
  return { ...d, assumption_texts: Object.fromEntries(d.assumptions.map((id) => [id, texts[id] ?? { en: id, pl: id }])) };
}

export async function startSimulation(id: string, body: SimulationRequest): Promise<SimulationAccepted> {
  return (await api.post<SimulationAccepted>(`${inst(id)}/simulations`, body)).data;
}

export async function getSimulation(simId: string): Promise<Simulation> {
  return (await api.get<Simulation>(`simulations/${path(simId)}`)).data;
}

/** Every differing case of a done simulation as the service's CSV, the changes in words in `lang`. */
export async function simulationCsv(simId: string, lang: 'en' | 'pl'): Promise<string> {
  return (await api.get<string>(`simulations/${path(simId)}/cases`, { text: true, headers: { accept: 'text/csv', 'accept-language': lang } })).data;
}

/** The institution's latest simulations, newest first, without their results. */
export async function listSimulations(id: string, limit = 20): Promise<Simulation[]> {
  return (await api.get<SimulationList>(`${inst(id)}/simulations`, { query: { limit } })).data.simulations;
}

/** Cancels a running simulation; the answer is the simulation, cancelled. */
export async function cancelSimulation(simId: string): Promise<Simulation> {
  return (await api.del<Simulation>(`simulations/${path(simId)}`)).data;
}

/** Polls a simulation until it is done, failed or cancelled, reporting progress. */
export async function waitForSimulation(simId: string, onProgress: (s: Simulation) => void, signal?: AbortSignal): Promise<Simulation> {
  for (;;) {
    const s = await getSimulation(simId);
    onProgress(s);
    if (s.status !== 'running') return s;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 400);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  }
}


/** One page of the audit trail, newest first; `next` is there when older events remain. */
export async function listAudit(filter: AuditQuery): Promise<AuditList> {
  return (await api.get<AuditList>('audit', { query: { ...filter } })).data;
}

/** One page of the decision log, newest first; `enabled` says whether this instance records. */
export async function listDecisionLog(filter: DecisionLogQuery): Promise<DecisionLogList> {
  return (await api.get<DecisionLogList>('decision-log', { query: { ...filter } })).data;
}
