// The identity routes (issue 3): sign-in flows, sessions, /me, devices,
// profiles, admin account actions and the dev-only outbox, on one router
// mounted under /api/v1.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerGetUsers } from './admin/get-users.ts';
import { registerPatchUserRole } from './admin/patch-user-role.ts';
import { registerPostUserDisable } from './admin/post-user-disable.ts';
import { registerPostLogout } from './auth/post-logout.ts';
import { registerPostOtpSend } from './auth/post-otp-send.ts';
import { registerPostOtpVerify } from './auth/post-otp-verify.ts';
import { registerPostPasswordReset } from './auth/post-password-reset.ts';
import { registerPostPasswordSignIn } from './auth/post-password-sign-in.ts';
import { registerPostTokenRefresh } from './auth/post-token-refresh.ts';
import { registerPutSessionProfile } from './auth/put-session-profile.ts';
import { registerGetOutbox } from './dev/get-outbox.ts';
import { registerDeleteDevice } from './devices/delete-device.ts';
import { registerGetDevices } from './devices/get-devices.ts';
import { registerPatchDevice } from './devices/patch-device.ts';
import { registerGetMe } from './me/get-me.ts';
import { registerPatchMe } from './me/patch-me.ts';
import { registerDeleteProfile } from './profiles/delete-profile.ts';
import { registerGetProfiles } from './profiles/get-profiles.ts';
import { registerPatchProfile } from './profiles/patch-profile.ts';
import { registerPostProfile } from './profiles/post-profile.ts';

export function identityRouter(): Router {
  const router = createRouter();
  router.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `accessToken` from sign-in or refresh.',
  });
  registerPostOtpSend(router);
  registerPostOtpVerify(router);
  registerPostPasswordSignIn(router);
  registerPostPasswordReset(router);
  registerPostTokenRefresh(router);
  registerPostLogout(router);
  registerPutSessionProfile(router);
  registerGetMe(router);
  registerPatchMe(router);
  registerGetDevices(router);
  registerPatchDevice(router);
  registerDeleteDevice(router);
  registerGetProfiles(router);
  registerPostProfile(router);
  registerPatchProfile(router);
  registerDeleteProfile(router);
  registerGetUsers(router);
  registerPatchUserRole(router);
  registerPostUserDisable(router);
  registerGetOutbox(router);
  return router;
}
