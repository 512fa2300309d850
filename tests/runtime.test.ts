import { expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

it('runs on the Node the project brings and declares', () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  expect(pkg.engines.node).toMatch(/^>=24/);
});
