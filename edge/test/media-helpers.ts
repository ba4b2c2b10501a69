// Helpers for /media tests: a packaged-looking asset version in the test
// bucket (Shaka-shaped manifests, small segment files) and media tokens signed
// with the test stack's keys.
import { env } from 'cloudflare:workers';
import { parseConfig } from '../src/env.ts';
import { createObjectStore } from '../src/lib/object-store.ts';
import { mediaKeysFor, signMediaToken, type MediaGrant } from '../src/lib/playback/media-token.ts';

export function playbackSettings() {
  const dep = parseConfig(env).playback;
  if (!dep.ok) throw dep.error;
  return dep.value;
}

export function testStore() {
  const dep = parseConfig(env).objectStore;
  if (!dep.ok) throw dep.error;
  return createObjectStore(dep.value);
}

export const MASTER = `#EXTM3U
## Generated with https://github.com/shaka-project/shaka-packager version v3.4.2
#EXT-X-INDEPENDENT-SEGMENTS

#EXT-X-MEDIA:TYPE=AUDIO,URI="audio/1-fas/playlist.m3u8",GROUP-ID="audio",LANGUAGE="fa",NAME="فارسی",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2"

#EXT-X-STREAM-INF:BANDWIDTH=5600000,AVERAGE-BANDWIDTH=5000000,CODECS="avc1.640028,mp4a.40.2",RESOLUTION=1920x1080,FRAME-RATE=30.000,AUDIO="audio",CLOSED-CAPTIONS=NONE
video/1080p/playlist.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2800000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO="audio",CLOSED-CAPTIONS=NONE
video/720p/playlist.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="audio",CLOSED-CAPTIONS=NONE
video/360p/playlist.m3u8
`;

export const MPD = `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" minBufferTime="PT2S" type="static" mediaPresentationDuration="PT4S">
  <Period id="0">
    <AdaptationSet id="0" contentType="video" maxWidth="1920" maxHeight="1080" frameRate="30/1" segmentAlignment="true" par="16:9">
      <Representation id="0" bandwidth="5600000" codecs="avc1.640028" mimeType="video/mp4" sar="1:1" width="1920" height="1080">
        <SegmentTemplate timescale="15360" initialization="video/1080p/init.mp4" media="video/1080p/seg-$Number%05d$.m4s" startNumber="1"/>
      </Representation>
      <Representation id="1" bandwidth="3000000" codecs="avc1.64001f" mimeType="video/mp4" sar="1:1" width="1280" height="720">
        <SegmentTemplate timescale="15360" initialization="video/720p/init.mp4" media="video/720p/seg-$Number%05d$.m4s" startNumber="1"/>
      </Representation>
      <Representation id="2" bandwidth="900000" codecs="avc1.64001e" mimeType="video/mp4" sar="1:1" width="640" height="360">
        <SegmentTemplate timescale="15360" initialization="video/360p/init.mp4" media="video/360p/seg-$Number%05d$.m4s" startNumber="1"/>
      </Representation>
    </AdaptationSet>
    <AdaptationSet id="1" contentType="audio" lang="fa" segmentAlignment="true">
      <Representation id="3" bandwidth="128000" codecs="mp4a.40.2" mimeType="audio/mp4" audioSamplingRate="48000">
        <SegmentTemplate timescale="48000" initialization="audio/1-fas/init.mp4" media="audio/1-fas/seg-$Number%05d$.m4s" startNumber="1"/>
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
`;

export interface StoredAsset {
  assetId: string;
  version: number;
  segment: Uint8Array;
}

/** Puts a small packaged version (3 rungs, one audio) under assets/{id}/v{version}/. */
export async function storeAsset(version = 1, assetId: string = crypto.randomUUID()): Promise<StoredAsset> {
  const store = testStore();
  const prefix = `assets/${assetId}/v${version}/`;
  const segment = crypto.getRandomValues(new Uint8Array(4096));
  await Promise.all([
    store.put(`${prefix}master.m3u8`, MASTER, { contentType: 'application/vnd.apple.mpegurl' }),
    store.put(`${prefix}manifest.mpd`, MPD, { contentType: 'application/dash+xml' }),
    ...['1080p', '720p', '360p'].flatMap((r) => [
      store.put(`${prefix}video/${r}/playlist.m3u8`, `#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2.000,\nseg-00001.m4s\n#EXT-X-ENDLIST\n`),
      store.put(`${prefix}video/${r}/seg-00001.m4s`, segment),
    ]),
    store.put(`${prefix}images/storyboard/thumbnails.vtt`, 'WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nsprite-001.jpg#xywh=0,0,160,90\n'),
  ]);
  return { assetId, version, segment };
}

export async function mediaToken(grant: Partial<MediaGrant> & { assetId: string }, keys = playbackSettings().tokenKeys): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const full: MediaGrant = {
    version: 1,
    playbackSessionId: crypto.randomUUID(),
    userId: crypto.randomUUID(),
    maxHeight: 1080,
    final: true,
    notBefore: now,
    expiresAt: now + 600,
    ...grant,
  };
  return signMediaToken(await mediaKeysFor(JSON.stringify(keys), keys), full);
}
