// What the media verbs (uploads, asset and job admin) need, without Hono.
import type { Db } from '../../../../db/sql/statement.ts';
import type { ObjectStore } from '../../lib/object-store.ts';
import type { MultipartStore } from '../../lib/s3-multipart.ts';
import type { UploadsConfig } from '../../lib/uploads-config.ts';

export interface MediaDeps {
  db: Db;
  store: ObjectStore;
  multipart: MultipartStore;
  uploads: UploadsConfig;
  /** The editor acting, for the audit log. */
  actor: { userId: string; requestId: string };
}
