// Editors' media routes (issue 5): uploads straight to the bucket, asset and
// job visibility, retry and cancel. Under /api/v1/admin.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerDeleteUpload } from './media-admin/delete-upload.ts';
import { registerGetAsset } from './media-admin/get-asset.ts';
import { registerGetAssets } from './media-admin/get-assets.ts';
import { registerGetJobs } from './media-admin/get-jobs.ts';
import { registerGetUpload } from './media-admin/get-upload.ts';
import { registerPostJobActions } from './media-admin/post-job-action.ts';
import { registerPostUploadComplete } from './media-admin/post-upload-complete.ts';
import { registerPostUpload } from './media-admin/post-upload.ts';
import { registerPutSubtitles } from './media-admin/put-subtitles.ts';

export function mediaAdminRouter(): Router {
  const router = createRouter();
  registerPostUpload(router);
  registerGetUpload(router);
  registerPostUploadComplete(router);
  registerDeleteUpload(router);
  registerGetAssets(router);
  registerGetAsset(router);
  registerGetJobs(router);
  registerPostJobActions(router);
  registerPutSubtitles(router);
  return router;
}
