// Console URLs. A version label may hold a slash ("139/2013"): it goes last in the path (a rest
// parameter) with each segment encoded.
const enc = (label: string) => label.split('/').map(encodeURIComponent).join('/');

/** `base` with a query of those parameters that are given (and not empty), in the order named. */
function withQuery(base: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return `${base}${s ? `?${s}` : ''}`;
}

export const ihref = (id: string) => `/institutions/${encodeURIComponent(id)}`;
export const vhref = (id: string, label: string) => `${ihref(id)}/versions/${enc(label)}`;
export const edithref = (id: string, label: string) => `${ihref(id)}/edit/${enc(label)}`;
export const testshref = (id: string, label: string) => `${ihref(id)}/tests/${enc(label)}`;
export const publishhref = (id: string, label: string) => `${ihref(id)}/publish/${enc(label)}`;
export const diffhref = (id: string, from?: string, to?: string) => withQuery(`${ihref(id)}/diff`, { from, to });
export const newhref = (id: string, from?: string) => `${ihref(id)}/new${from ? `?from=${encodeURIComponent(from)}` : ''}`;
export const simhref = (id?: string, version?: string) => withQuery('/simulator', { institution: id, version });
export const impacthref = (id?: string, baseline?: string, candidate?: string) => withQuery('/impact', { institution: id, baseline, candidate });
