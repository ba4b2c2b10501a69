// The per-request clients, each created on first use. The database client and
// the object store are dropped with the request, so no socket outlives it
// (Workers forbid reusing I/O objects across requests); the Redis client is
// plain configuration over fetch and is shared per isolate (redis.ts).
// A dependency whose configuration is invalid throws CONFIG_INVALID on use.
import type { Db } from '../../../db/sql/statement.ts';
import { usable, type Config } from '../env.ts';
import { createDb } from './db.ts';
import { createObjectStore, type ObjectStore } from './object-store.ts';
import { createRedis, type Redis } from './redis.ts';

export interface Services {
  readonly db: Db;
  readonly redis: Redis;
  readonly objectStore: ObjectStore;
}

export function createServices(config: Config): Services {
  let db: Db | undefined;
  let redis: Redis | undefined;
  let objectStore: ObjectStore | undefined;
  return {
    get db() {
      return (db ??= createDb(usable(config.postgres)));
    },
    get redis() {
      return (redis ??= createRedis(usable(config.redis)));
    },
    get objectStore() {
      return (objectStore ??= createObjectStore(usable(config.objectStore)));
    },
  };
}
