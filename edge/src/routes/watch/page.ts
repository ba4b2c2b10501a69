// The demo web player's page (GET /watch): sign in, pick a title, play it with
// hls.js (Clear Key through EME for encrypted assets), send progress
// heartbeats, resume where the profile left off. Deliberately plain HTML and
// browser JavaScript with no build step; player.ts holds the script.
export const WATCH_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>irdnl player</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #111; color: #eee; }
  main { max-width: 900px; margin: 0 auto; padding: 16px; }
  input, button { font: inherit; padding: 6px 10px; margin: 4px 4px 4px 0; }
  button { cursor: pointer; }
  #titles button { display: block; margin: 6px 0; width: 100%; text-align: start; }
  video { width: 100%; background: #000; }
  #status { color: #9c9; min-height: 1.4em; }
  .error { color: #f88 !important; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<main>
  <h1>irdnl</h1>
  <p id="status" role="status"></p>
  <form id="signin">
    <input id="email" type="email" autocomplete="username" value="viewer@irdnl.local" aria-label="Email">
    <input id="password" type="password" autocomplete="current-password" value="demo-viewer-password" aria-label="Password">
    <button type="submit">Sign in</button>
  </form>
  <section id="catalog" hidden>
    <h2>Titles</h2>
    <div id="titles"></div>
  </section>
  <section id="player" hidden>
    <h2 id="now-playing"></h2>
    <video id="video" controls playsinline muted></video>
    <p><button id="back" type="button">Back to titles</button> <button id="replace" type="button" hidden>Stop the other stream and play here</button></p>
  </section>
</main>
<script src="/watch/hls.min.js"></script>
<script src="/watch/player.js"></script>
</body>
</html>
`;
