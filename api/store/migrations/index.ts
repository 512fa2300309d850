// Every migration, oldest first, registered by name (no file globbing: the list is what runs).
// Add a new one as Migration<yyyymmddhhmmss>.ts and append it here; never edit one that has shipped.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122000000 } from './Migration20261122000000.ts';
import { Migration20261124000000 } from './Migration20261124000000.ts';
import { Migration20261125000000 } from './Migration20261125000000.ts';
import { Migration20261201000000 } from './Migration20261201000000.ts';
import { Migration20261201100000 } from './Migration20261201100000.ts';
import { Migration20261208000000 } from './Migration20261208000000.ts';
import { Migration20261210000000 } from './Migration20261210000000.ts';
import { Migration20261211000000 } from './Migration20261211000000.ts';
import { Migration20261212000000 } from './Migration20261212000000.ts';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122000000', class: Migration20261122000000 },
  { name: 'Migration20261124000000', class: Migration20261124000000 },
  { name: 'Migration20261125000000', class: Migration20261125000000 },
  { name: 'Migration20261201000000', class: Migration20261201000000 },
  { name: 'Migration20261201100000', class: Migration20261201100000 },
  { name: 'Migration20261208000000', class: Migration20261208000000 },
  { name: 'Migration20261210000000', class: Migration20261210000000 },
  { name: 'Migration20261211000000', class: Migration20261211000000 },
  { name: 'Migration20261212000000', class: Migration20261212000000 },
];
