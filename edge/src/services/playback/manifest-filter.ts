// Tier-aware manifests: the master playlist and the MPD list only the video
// renditions the media token allows (its maxHeight, compared with a rung's
// short side, which is how rungs are named: a portrait 1080x1920 video is
// "1080p"). Delivery also refuses the other rungs' playlists and segments, so
// editing a manifest client-side gains nothing.
//
// Both work on the text Shaka Packager writes (one tag per line in HLS; one
// element per Representation in the MPD) without a full parser: a Worker has
// no DOMParser, and these files are small and machine-written.

const rungOf = (width: number, height: number) => Math.min(width, height);

/** Drops #EXT-X-STREAM-INF (+ its URI line) and #EXT-X-I-FRAME-STREAM-INF entries above maxHeight. */
export function filterHlsMaster(text: string, maxHeight: number): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let kept = 0;
  let lowest: { lines: string[]; rung: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const rung = resolutionRung(line);
    if (line.startsWith('#EXT-X-STREAM-INF:') && rung !== undefined) {
      const pair = [line, lines[i + 1] ?? ''];
      i++;
      if (!lowest || rung < lowest.rung) lowest = { lines: pair, rung };
      if (rung <= maxHeight) {
        out.push(...pair);
        kept++;
      }
      continue;
    }
    if (line.startsWith('#EXT-X-I-FRAME-STREAM-INF:') && rung !== undefined && rung > maxHeight) continue;
    out.push(line);
  }
  // Every rung above the cap (a tiny ladder): keep the lowest rather than an
  // unplayable master. The ladder always has a rung at or below 480p.
  if (kept === 0 && lowest) out.push(...lowest.lines);
  return out.join('\n');
}

function resolutionRung(line: string): number | undefined {
  const m = /RESOLUTION=(\d+)x(\d+)/.exec(line);
  return m ? rungOf(Number(m[1]), Number(m[2])) : undefined;
}

const REPRESENTATION = /<Representation\b[^>]*?(?:\/>|>[\s\S]*?<\/Representation>)/g;

/** Drops video <Representation>s above maxHeight from a DASH MPD. */
export function filterDashMpd(xml: string, maxHeight: number): string {
  const videos = [...xml.matchAll(REPRESENTATION)].map((m) => ({ text: m[0], rung: representationRung(m[0]) })).filter((r) => r.rung !== undefined);
  const allowed = videos.filter((r) => r.rung! <= maxHeight);
  const keepLowest = allowed.length === 0 && videos.length > 0 ? videos.reduce((a, b) => (b.rung! < a.rung! ? b : a)) : undefined;
  let dropped = false;
  const kept = xml.replace(REPRESENTATION, (rep) => {
    const rung = representationRung(rep);
    if (rung === undefined || rung <= maxHeight || rep === keepLowest?.text) return rep;
    dropped = true;
    return '';
  });
  // The video AdaptationSet's size attributes (optional) described the dropped
  // top rung; remove them rather than advertise a size the viewer cannot get.
  return dropped
    ? kept.replace(/<AdaptationSet\b[^>]*contentType="video"[^>]*>/g, (tag) => tag.replace(/\s(?:maxWidth|maxHeight|width|height)="\d+"/g, ''))
    : kept;
}

function representationRung(rep: string): number | undefined {
  const open = /^<Representation\b[^>]*>/.exec(rep)?.[0] ?? rep;
  const w = /\swidth="(\d+)"/.exec(open);
  const h = /\sheight="(\d+)"/.exec(open);
  return w && h ? rungOf(Number(w[1]), Number(h[1])) : undefined;
}

/** The rung named by a media path (`video/720p/...`, also under a DRM layout prefix), if any. */
export function rungOfPath(path: string): number | undefined {
  const m = /(?:^|\/)video\/(\d+)p\//.exec(path);
  return m ? Number(m[1]) : undefined;
}
