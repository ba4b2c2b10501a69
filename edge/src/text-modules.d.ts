// hls.js's browser bundle, imported as text (wrangler.toml [[rules]] type
// "Text") and served by GET /watch/hls.min.js for the demo player.
declare module 'hls.js/dist/hls.min.js' {
  const source: string;
  export default source;
}
