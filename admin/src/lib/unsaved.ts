// Unsaved drafts survive a failed save, a lost connection or a closed tab: the editor keeps
// them in localStorage per draft until the API has them.
export interface Unsaved {
  yaml: string;
  tests_yaml: string;
  /** The ETag the edit started from. */
  etag: string | null;
  /** When it was last typed (ms since epoch). */
  at: number;
}

const key = (institution: string, label: string) => `regula.unsaved.${institution}.${label}`;

export function loadUnsaved(institution: string, label: string): Unsaved | null {
  try {
    const raw = localStorage.getItem(key(institution, label));
    return raw ? (JSON.parse(raw) as Unsaved) : null;
  } catch {
    return null;
  }
}

export function saveUnsaved(institution: string, label: string, u: Unsaved): void {
  try {
    localStorage.setItem(key(institution, label), JSON.stringify(u));
  } catch {
    /* storage full or off: nothing more to do here */
  }
}

export function clearUnsaved(institution: string, label: string): void {
  try {
    localStorage.removeItem(key(institution, label));
  } catch {
    /* no storage */
  }
}

/** Every draft with unsaved changes in this browser. */
export function listUnsaved(): Array<{ institution: string; label: string; at: number }> {
  const out: Array<{ institution: string; label: string; at: number }> = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      const m = k && /^regula\.unsaved\.([^.]+)\.(.+)$/.exec(k);
      if (m) out.push({ institution: m[1]!, label: m[2]!, at: (JSON.parse(localStorage.getItem(k!) ?? '{}') as Unsaved).at ?? 0 });
    }
  } catch {
    /* no storage */
  }
  return out;
}
