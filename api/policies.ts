// The compiled versions of each institution, kept in memory: loaded from the store on first use,
// dropped when the store says another instance changed the institution, so a warm decision never
// touches the database. A write made here goes through save(): compiled once, here, and kept — the
// echo of its own notification is ignored; every other instance reloads.
import { randomUUID } from 'node:crypto';
import { type CompiledPolicy, buildInstitutions, type Institution, type ParsedVersion } from '../engine/version/index.ts';
import { isUnavailable } from './store/errors.ts';
import type { Store } from './store/index.ts';
import type { VersionRow } from './store/types.ts';

export interface LoadedInstitution {
  id: string;
  /** Every stored version compiled (drafts and retired ones too); `inForce` picks published ones only. */
  institution: Institution;
  /** The stored rows by label. */
  rows: Map<string, VersionRow>;
}

/** Compiles stored rows (engine buildInstitutions). Each compiled version names the row's stored hash. */
export function compileRows(id: string, rows: VersionRow[], onError: (message: string) => void = () => {}): Institution {
  const parsed: ParsedVersion[] = rows.map((r) => ({ doc: r.consolidated, file: `${id}/${r.label}` }));
  const { institutions, errors } = buildInstitutions(parsed);
  for (const e of errors) onError(`${e.file}: ${e.message}`);
  const inst = institutions.get(id) ?? { id, name: id, versions: [], chains: new Map(), files: new Map() };
  const hashes = new Map(rows.map((r) => [r.label, r.hash]));
  // Decisions name the stored hash: the content as published (retiring changes the document's status, not the hash).
  inst.versions = inst.versions.map((v): CompiledPolicy => ({ ...v, hash: hashes.get(v.version) ?? v.hash }));
  return inst;
}

/** A version written through PolicyCache.save: the row, and its institution compiled after the write. */
export interface Saved {
  row: VersionRow;
  /** The institution as the cache now holds it (the very object), unless a change from elsewhere came in meanwhile. */
  loaded: LoadedInstitution;
}

export class PolicyCache {
  /** This cache's id on the change feed: its own notifications come back tagged with it. */
  readonly instance = randomUUID();
  private readonly store: Store;
  private readonly entries = new Map<string, Promise<LoadedInstitution | undefined>>();
  /** The settled entries, for peek(). */
  private readonly loaded = new Map<string, LoadedInstitution>();
  /** What was loaded before the last invalidate: served again if the database is away when reloading. */
  private readonly previous = new Map<string, LoadedInstitution>();
  /** Ids found to be no institution, remembered (a creation notifies) but not without bound. */
  private readonly unknown = new Set<string>();
  /**
   * Bumped by every save's start and every invalidate: a save primes the cache only if nothing
   * happened to the institution meanwhile (else what it read may be older than what came in, and
   * the next request loads afresh).
   */
  private readonly epochs = new Map<string, number>();
  private readonly log: (message: string) => void;
  private attached = false;

  constructor(store: Store, log: (message: string) => void = (m) => console.warn(m)) {
    this.store = store;
    this.log = log;
  }

  /** Subscribes to the store's change notifications (once). */
  async attach(): Promise<void> {
    if (this.attached) return;
    this.attached = true;
    await this.store.changes.subscribe((institution, from) => {
      if (from !== this.instance) this.invalidate(institution);
    });
  }

  /**
   * A version write of `id`'s (one store transaction with its audit event), then the institution
   * read and compiled once, here, kept as the cache's entry, and the other instances told.
   */
  async save(id: string, write: () => Promise<VersionRow>): Promise<Saved> {
    const epoch = this.bump(id);
    const row = await write();
    const loaded = this.compile(id, await this.store.versions.list(id))!; // never empty: it holds the row written
    if (this.epochs.get(id) === epoch) this.prime(loaded);
    else this.invalidate(id);
    await this.store.changes.notify(id, this.instance).catch((e: Error) => this.log(`could not notify other instances about ${id}: ${e.message}`));
    return { row, loaded };
  }

  private bump(id: string): number {
    const epoch = (this.epochs.get(id) ?? 0) + 1;
    this.epochs.set(id, epoch);
    return epoch;
  }

  private prime(loaded: LoadedInstitution): void {
    this.unknown.delete(loaded.id);
    this.previous.delete(loaded.id);
    this.entries.set(loaded.id, Promise.resolve(loaded));
    this.loaded.set(loaded.id, loaded);
  }

  /** The institution's compiled versions; undefined when it has none. From memory when warm. */
  get(id: string): Promise<LoadedInstitution | undefined> {
    const cached = this.entries.get(id);
    if (cached) return cached;
    const before = this.previous.get(id);
    const loading: Promise<LoadedInstitution | undefined> = this.load(id).then(
      (loaded) => {
        // Only if it was not invalidated (or reloaded) meanwhile.
        if (this.entries.get(id) === loading) {
          this.previous.delete(id);
          if (loaded) this.loaded.set(id, loaded);
          else this.forgetUnknownBeyond(id, 1000);
        }
        return loaded;
      },
      (e: unknown) => {
        if (this.entries.get(id) !== loading) throw e;
        // The database away while reloading (a change feed that reconnected, then lost it again):
        // the versions loaded before stay in force until it answers and says what changed.
        if (before && isUnavailable(e)) {
          this.log(`${id}: the database cannot be reached (${(e as Error).message}); deciding under the versions loaded before`);
          this.loaded.set(id, before);
          return before;
        }
        // A failed load is not kept: the next request tries again.
        this.entries.delete(id);
        throw e;
      },
    );
    this.entries.set(id, loading);
    return loading;
  }

  /** Remembers `id` as no institution; past `max` such ids, forgets them all (each costs memory). */
  private forgetUnknownBeyond(id: string, max: number): void {
    this.unknown.add(id);
    if (this.unknown.size <= max) return;
    for (const u of this.unknown) if (!this.loaded.has(u)) this.entries.delete(u);
    this.unknown.clear();
  }

  /** The institution's compiled versions when they are loaded already (no waiting); else undefined — then use get(). */
  peek(id: string): LoadedInstitution | undefined {
    return this.loaded.get(id);
  }

  /** How many compiled versions are held (every institution loaded). */
  get versionsLoaded(): number {
    let n = 0;
    for (const l of this.loaded.values()) n += l.institution.versions.length;
    return n;
  }

  /** Forget the institution: the next request reloads it from the store. */
  invalidate(id: string): void {
    this.bump(id);
    this.unknown.delete(id);
    const was = this.loaded.get(id);
    if (was) this.previous.set(id, was);
    this.entries.delete(id);
    this.loaded.delete(id);
  }

  /** Loads every stored institution now (at start-up), so the first decisions are warm. */
  async warm(): Promise<number> {
    const list = await this.store.versions.listInstitutions();
    await Promise.all(list.map((i) => this.get(i.id)));
    return list.length;
  }

  private async load(id: string): Promise<LoadedInstitution | undefined> {
    return this.compile(id, await this.store.versions.list(id));
  }

  private compile(id: string, rows: VersionRow[]): LoadedInstitution | undefined {
    if (!rows.length) return undefined;
    const institution = compileRows(id, rows, (m) => this.log(`stored version does not compile: ${m}`));
    return { id, institution, rows: new Map(rows.map((r) => [r.label, r])) };
  }
}
