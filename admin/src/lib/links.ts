// Console URLs. A version label may hold a slash ("139/2013"): it goes last in the path (a rest
// parameter) with each segment encoded.
const enc = (label: string) => label.split('/').map(encodeURIComponent).join('/');

export const ihref = (id: string) => `/institutions/${encodeURIComponent(id)}`;
export const vhref = (id: string, label: string) => `${ihref(id)}/versions/${enc(label)}`;
export const edithref = (id: string, label: string) => `${ihref(id)}/edit/${enc(label)}`;
export const testshref = (id: string, label: string) => `${ihref(id)}/tests/${enc(label)}`;
export const publishhref = (id: string, label: string) => `${ihref(id)}/publish/${enc(label)}`;
export const diffhref = (id: string, from?: string, to?: string) => {
  const q = new URLSearchParams();
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  const s = q.toString();
  return `${ihref(id)}/diff${s ? `?${s}` : ''}`;
};
export const newhref = (id: string, from?: string) => `${ihref(id)}/new${from ? `?from=${encodeURIComponent(from)}` : ''}`;
export const simhref = (id?: string, version?: string) => {
  const q = new URLSearchParams();
  if (id) q.set('institution', id);
  if (version) q.set('version', version);
  const s = q.toString();
  return `/simulator${s ? `?${s}` : ''}`;
};
export const impacthref = (id?: string, baseline?: string, candidate?: string) => {
  const q = new URLSearchParams();
  if (id) q.set('institution', id);
  if (baseline) q.set('baseline', baseline);
  if (candidate) q.set('candidate', candidate);
  const s = q.toString();
  return `/impact${s ? `?${s}` : ''}`;
};
