// The pure parts of the media pipeline: ladder rules, ffmpeg arguments, the
// storyboard track, ffprobe output interpretation.
import { describe, expect, it } from 'vitest';
import { buildEncodeArgs, parseProgressFrame, planImages } from '../src/media/encode.ts';
import { parseLadderSizes, planLadder } from '../src/media/ladder.ts';
import { parseProbe } from '../src/media/probe.ts';
import { storyboardVtt } from '../src/media/storyboard.ts';

describe('ladder', () => {
  it('never upscales, keeps the aspect ratio with even sizes, highest first', () => {
    expect(planLadder([1080, 720, 480, 360], 1280, 720).map((r) => `${r.name} ${r.width}x${r.height} ${r.videoKbps}/${r.maxKbps}/${r.bufferKbps}`)).toEqual([
      '720p 1280x720 2800/2996/4200',
      '480p 854x480 1400/1498/2100',
      '360p 640x360 800/856/1200',
    ]);
    // 2.39:1 scope and portrait phone video: the rung names the short side.
    expect(planLadder([1080, 720], 1920, 804).map((r) => `${r.width}x${r.height}`)).toEqual(['1720x720']);
    expect(planLadder([1080, 720], 1080, 1920).map((r) => `${r.width}x${r.height}`)).toEqual(['1080x1920', '720x1280']);
    // Smaller than every rung: one rung at the source's own (even) size.
    expect(planLadder([1080, 720], 320, 181).map((r) => `${r.width}x${r.height}`)).toEqual(['318x180']);
  });

  it('parses TRANSCODE_LADDER', () => {
    expect(parseLadderSizes('1080, 720p,480')).toEqual([1080, 720, 480]);
    expect(() => parseLadderSizes('1080,abc')).toThrow(/even heights/);
    expect(() => parseLadderSizes('721')).toThrow();
  });
});

describe('ffmpeg arguments', () => {
  it('encodes every rung from one decode with split and chained scaling, same GOP rules and caps per rung', () => {
    const rungs = planLadder([1080, 720, 480], 1920, 1080);
    const { args, outputs } = buildEncodeArgs({ source: '/in', outDir: '/out', fps: 30, rungs, audio: [], images: null, preset: 'veryfast' });
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:v:0]scale=1920:1080,setsar=1,format=yuv420p,split=2[v0][n0];[n0]scale=1280:720,setsar=1,split=2[v1][n1];[n1]scale=854:480,setsar=1[v2]',
    );
    expect(outputs.video.map((v) => v.file)).toEqual(['/out/video-1080p.mp4', '/out/video-720p.mp4', '/out/video-480p.mp4']);
    const joined = args.join(' ');
    expect(joined.match(/-g 60 -keyint_min 60 -sc_threshold 0 -force_key_frames expr:gte\(t,n_forced\*2\)/g)).toHaveLength(3);
    expect(joined).toContain('-b:v 5000k -maxrate 5350k -bufsize 7500k');
    expect(joined).toContain('-b:v 1400k -maxrate 1498k -bufsize 2100k');
  });

  it('puts the lowest rung, every audio track and the images in the first pass', () => {
    const [low] = planLadder([360], 1920, 1080);
    const images = planImages(600, 1920, 1080);
    const { args, outputs } = buildEncodeArgs({
      source: '/in', outDir: '/out', fps: 25, rungs: [low!], images, preset: 'veryfast',
      audio: [{ index: 0, language: 'fas', channels: 6, codec: 'ac3' }, { index: 1, language: 'eng', channels: 2, codec: 'aac' }],
    });
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:v:0]split=3[s0][s1][s2];[s0]scale=640:360,setsar=1,format=yuv420p[v0];[s1]fps=1/3,scale=160:90,setsar=1,tile=10x10[storyboard];[s2]select=gte(t\\,30.000),scale=1280:720,setsar=1[poster]',
    );
    expect(args.join(' ')).toContain('-map 0:a:1 -c:a aac -b:a 128k -ac 2 -ar 48000 -vn -map_metadata -1 -metadata:s:a:0 language=eng /out/audio-1.mp4');
    expect(args.join(' ')).toContain('-g 50 ');
    expect(outputs).toMatchObject({ poster: '/out/poster.jpg', spritePattern: '/out/sprite-%03d.jpg', audio: [{ file: '/out/audio-0.mp4' }, { file: '/out/audio-1.mp4' }] });
  });

  it('reads the frame counter from -progress output', () => {
    expect(parseProgressFrame('frame=123')).toBe(123);
    expect(parseProgressFrame('out_time=00:00:01.000000')).toBeUndefined();
  });
});

describe('storyboard track', () => {
  it('points each interval at its tile in the right sheet', () => {
    const plan = { interval: 10, columns: 2, rows: 2, thumbWidth: 160, thumbHeight: 90, count: 5 };
    expect(storyboardVtt(plan, 45, 2, (n) => `s${n}.jpg`)).toBe(
      [
        'WEBVTT', '',
        '00:00:00.000 --> 00:00:10.000', 's1.jpg#xywh=0,0,160,90', '',
        '00:00:10.000 --> 00:00:20.000', 's1.jpg#xywh=160,0,160,90', '',
        '00:00:20.000 --> 00:00:30.000', 's1.jpg#xywh=0,90,160,90', '',
        '00:00:30.000 --> 00:00:40.000', 's1.jpg#xywh=160,90,160,90', '',
        '00:00:40.000 --> 00:00:45.000', 's2.jpg#xywh=0,0,160,90', '',
      ].join('\n'),
    );
  });
});

describe('probe', () => {
  it('applies sample aspect ratio and rotation, ignores cover art, normalises languages', () => {
    const info = parseProbe({
      format: { duration: '12.5' },
      streams: [
        { codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } },
        { codec_type: 'video', codec_name: 'h264', width: 1440, height: 1080, sample_aspect_ratio: '4:3', avg_frame_rate: '30000/1001', side_data_list: [{ rotation: -90 }] },
        { codec_type: 'audio', codec_name: 'aac', channels: 2, tags: { language: 'PER' } },
        { codec_type: 'audio', codec_name: 'ac3', channels: 6, tags: { language: 'English' } },
      ],
    });
    expect(info).toEqual({
      durationSeconds: 12.5,
      video: { codec: 'h264', displayWidth: 1080, displayHeight: 1920, fps: 30000 / 1001 },
      audio: [
        { index: 0, language: 'per', channels: 2, codec: 'aac' },
        { index: 1, language: 'und', channels: 6, codec: 'ac3' },
      ],
    });
  });

  it('names what is missing', () => {
    expect(() => parseProbe({ format: { duration: '3' }, streams: [{ codec_type: 'audio' }] })).toThrow('the source has no video stream');
    expect(() => parseProbe({ format: {}, streams: [{ codec_type: 'video', width: 2, height: 2 }] })).toThrow(/no usable duration/);
  });
});
