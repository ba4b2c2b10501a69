// The demo player's browser script (served as /watch/player.js). Plain ES2020
// for current browsers; it only talks to the public API and /media.
//   ?contentId=...&episodeId=... plays that title right after sign-in.
export const HEARTBEAT_PATH = '/api/v1/history/heartbeat';

export const PLAYER_SCRIPT = `'use strict';
(() => {
  const api = '/api/v1';
  const $ = (id) => document.getElementById(id);
  const status = (text, isError = false) => { $('status').textContent = text; $('status').classList.toggle('error', isError); };
  const installId = localStorage.getItem('irdnl.installId') || (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
  localStorage.setItem('irdnl.installId', installId);
  let token = sessionStorage.getItem('irdnl.accessToken');
  let hls, beat, current;

  async function call(path, options = {}) {
    const headers = { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) };
    // keepalive: the stream's DELETE still goes out while the page unloads.
    const res = await fetch(api + path, { keepalive: true, ...options, headers });
    const body = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) { const e = new Error((body && body.error && body.error.message) || res.statusText); e.status = res.status; e.body = body; throw e; }
    return body;
  }

  async function signIn(event) {
    event && event.preventDefault();
    try {
      const body = await call('/auth/password/sign-in', { method: 'POST', body: JSON.stringify({
        email: $('email').value, password: $('password').value,
        device: { installId, platform: 'web', name: 'Web player' } }) });
      token = body.accessToken;
      sessionStorage.setItem('irdnl.accessToken', token);
      await afterSignIn();
    } catch (e) { status('Sign-in failed: ' + e.message, true); }
  }

  // History and resume are per profile: use the first one (creating it on a new account).
  async function ensureProfile() {
    const { profiles } = await call('/profiles');
    const profile = profiles[0] || (await call('/profiles', { method: 'POST', body: JSON.stringify({ name: 'Main' }) }));
    const switched = await call('/auth/session/profile', { method: 'PUT', body: JSON.stringify({ profileId: profile.id }) });
    token = switched.accessToken;
    sessionStorage.setItem('irdnl.accessToken', token);
  }

  async function afterSignIn() {
    $('signin').hidden = true;
    try { await ensureProfile(); } catch (e) { status('Cannot choose a profile: ' + e.message, true); return; }
    const params = new URLSearchParams(location.search);
    if (params.get('contentId')) return play(params.get('contentId'), params.get('episodeId'), params.get('title') || '');
    await showCatalog();
  }

  function titleOf(item) {
    return item.title || (item.titles && (item.titles.en || item.titles.fa)) || item.slug || item.id;
  }

  async function showCatalog() {
    $('player').hidden = true; $('catalog').hidden = false;
    try {
      const body = await call('/catalog?lang=en');
      const items = body.items || body.data || body.results || [];
      $('titles').replaceChildren(...items.map((item) => {
        const b = document.createElement('button');
        b.textContent = titleOf(item) + (item.type ? ' (' + item.type + ')' : '');
        b.dataset.contentId = item.id;
        b.onclick = () => play(item.id, null, titleOf(item));
        return b;
      }));
      status(items.length ? 'Pick a title.' : 'No titles yet.');
    } catch (e) { status('Catalog unavailable: ' + e.message, true); }
  }

  async function play(contentId, episodeId, title, replace) {
    stop();
    try {
      const session = await call('/playback', { method: 'POST', body: JSON.stringify({
        contentId, ...(episodeId ? { episodeId } : {}), ...(replace ? { replacePlaybackSessionId: replace } : {}) }) });
      current = { contentId, episodeId, title, session };
      $('catalog').hidden = true; $('player').hidden = false; $('replace').hidden = true;
      $('now-playing').textContent = title;
      attach(session);
    } catch (e) {
      if (e.status === 409 && e.body && e.body.error.details && e.body.error.details.reason === 'stream_limit') {
        const other = e.body.error.details.streams[0];
        status('Your plan’s streams are all in use (' + (other.deviceName || other.platform || 'another device') + ').', true);
        $('catalog').hidden = true; $('player').hidden = false; $('replace').hidden = false;
        $('replace').onclick = () => play(contentId, episodeId, title, other.playbackSessionId);
        return;
      }
      status('Cannot play: ' + e.message, true);
    }
  }

  function attach(session) {
    const video = $('video');
    const drm = session.drm || {};
    const config = drm.protected && drm.clearKeyLicenseUrl
      ? { emeEnabled: true, drmSystems: { 'org.w3.clearkey': { licenseUrl: drm.clearKeyLicenseUrl } } }
      : {};
    if (window.Hls && Hls.isSupported()) {
      hls = new Hls(config);
      hls.on(Hls.Events.ERROR, (_e, data) => { if (data.fatal) status('Playback error: ' + data.details, true); });
      hls.loadSource(session.hls);
      hls.attachMedia(video);
    } else {
      video.src = session.hls; // Safari plays HLS natively
    }
    video.addEventListener('loadedmetadata', () => {
      if (session.resumePositionSeconds > 0) video.currentTime = session.resumePositionSeconds;
      video.play().catch(() => status('Press play.'));
    }, { once: true });
    status(session.resumePositionSeconds > 0 ? 'Resuming at ' + Math.round(session.resumePositionSeconds) + ' s.' : 'Playing.');
    beat = setInterval(heartbeat, 10000);
    video.onpause = heartbeat;
    video.onended = heartbeat;
  }

  async function heartbeat() {
    const video = $('video');
    if (!current || !video.duration || !isFinite(video.duration)) return;
    try {
      await call('${HEARTBEAT_PATH.replace('/api/v1', '')}', { method: 'POST', body: JSON.stringify({
        contentId: current.contentId, ...(current.episodeId ? { episodeId: current.episodeId } : {}),
        positionSeconds: Math.floor(video.currentTime), durationSeconds: Math.ceil(video.duration),
        playbackSessionId: current.session.playbackSessionId }) });
    } catch (e) {
      if (e.status === 409) { stop(); status('This stream was stopped from another device.', true); }
    }
  }

  function stop() {
    if (beat) clearInterval(beat);
    if (hls) hls.destroy();
    if (current) call('/playback/' + current.session.playbackSessionId, { method: 'DELETE' }).catch(() => {});
    hls = beat = current = undefined;
  }

  $('signin').addEventListener('submit', signIn);
  $('back').onclick = () => { stop(); showCatalog(); };
  // Leaving the page: save the position, then free the stream's slot for the next screen.
  window.addEventListener('pagehide', () => { heartbeat().finally(stop); });
  if (token) afterSignIn(); else status('Sign in with the demo account.');
})();
`;
