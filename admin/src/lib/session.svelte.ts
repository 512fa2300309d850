// Who is signed in: the API key (sessionStorage) and the role the API gives it. The role comes
// from GET /api/v1/me; while the API has no such route it is worked out by probing read-only
// routes (institutions → keys → audit).
import { ApiError, getKey, request, setKey } from './api.ts';
import { allows, type Permission } from '../../../contract/roles.ts';
import type { Me, Role } from './types.ts';

export const session = $state<{ key: string | null; role: Role | null; name: string | null; keyId: string | null; ready: boolean; probed: boolean }>({
  key: null,
  role: null,
  name: null,
  keyId: null,
  ready: false,
  probed: false,
});

/** Whether the signed-in key's role may do this (the service's own table of roles). */
export function can(permission: Permission): boolean {
  return session.role !== null && allows(session.role, permission);
}

async function status(path: string, key: string): Promise<number> {
  try {
    return (await request('GET', path, { keepKeyOn401: true }, key)).status;
  } catch (e) {
    if (e instanceof ApiError) return e.status;
    throw e;
  }
}

let meRoute: Promise<boolean> | null = null;
/** Whether the API has a "who am I" route (read from its OpenAPI document, which is public). */
function hasMeRoute(): Promise<boolean> {
  meRoute ??= request<{ paths?: Record<string, unknown> }>('GET', '/api/openapi.json', { keepKeyOn401: true }, null).then(
    (r) => Boolean(r.data.paths?.['/api/v1/me']),
    () => false,
  );
  return meRoute;
}

/** The role of `key`, or throws ApiError (401 for a key the API does not know, 0 offline). */
/** Who holds the key: what GET /me says, or only the role a probe of the routes found. */
export type Who = Pick<Me, 'role'> & Partial<Pick<Me, 'id' | 'name'>> & { probed: boolean };

export async function whoIs(key: string): Promise<Who> {
  if (await hasMeRoute()) {
    const me = (await request<Me & { key?: { role: Role; name: string } }>('GET', '/api/v1/me', { keepKeyOn401: true }, key)).data;
    const role = me.role ?? me.key?.role;
    if (role) return { role, name: me.name ?? me.key?.name, ...(me.id ? { id: me.id } : {}), probed: false };
  }
  // No "who am I" route: probe what the key may read, most permissive first.
  const inst = await status('/api/v1/institutions', key);
  if (inst === 401) throw new ApiError(401, { title: 'unauthorized' }, null, null);
  if (inst === 0) throw new ApiError(0, { title: 'offline' }, null, null);
  if (inst === 403) return { role: 'circulation', probed: true };
  if ((await status('/api/v1/keys', key)) === 200) return { role: 'admin', probed: true };
  if ((await status('/api/v1/audit?limit=1', key)) === 200) return { role: 'compliance', probed: true };
  return { role: 'editor', probed: true };
}

export async function signIn(key: string): Promise<void> {
  const me = await whoIs(key);
  setKey(key);
  session.key = key;
  session.role = me.role;
  session.name = me.name ?? null;
  session.keyId = me.id ?? null;
  session.probed = me.probed;
  sessionStorage.setItem('regula.role', JSON.stringify({ role: me.role, name: me.name ?? null, keyId: session.keyId, probed: me.probed }));
}

export function signOut(): void {
  setKey(null);
  sessionStorage.removeItem('regula.role');
  session.key = null;
  session.role = null;
  session.name = null;
  session.keyId = null;
}

/** Restores the session of this tab (the role is re-read in the background). */
export async function restore(): Promise<void> {
  const key = getKey();
  if (key) {
    session.key = key;
    try {
      const saved = JSON.parse(sessionStorage.getItem('regula.role') ?? 'null') as { role: Role; name: string | null; keyId?: string | null; probed: boolean } | null;
      if (saved) {
        session.role = saved.role;
        session.name = saved.name;
        session.keyId = saved.keyId ?? null;
        session.probed = saved.probed;
      } else await signIn(key);
    } catch {
      signOut();
    }
  }
  session.ready = true;
}
