// API keys, for an admin: the list (never the keys themselves), a new key shown once, revoking.
import { api, path } from './api.ts';
import type { Role } from './types.ts';

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  revoked_at: string | null;
}

export async function listKeys(): Promise<ApiKeyView[]> {
  return (await api.get<{ keys: ApiKeyView[] }>('keys')).data.keys;
}

/** Makes a key; the answer holds it this once (the service keeps only its hash). */
export async function createKey(name: string, role: Role): Promise<ApiKeyView & { key: string }> {
  return (await api.post<ApiKeyView & { key: string }>('keys', { name, role })).data;
}

export async function revokeKey(id: string): Promise<void> {
  await api.del(`keys/${path(id)}`);
}
