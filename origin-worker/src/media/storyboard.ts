// The WebVTT thumbnails track for scrubbing previews: one cue per interval,
// pointing into a sprite sheet with a media fragment (`sprite-001.jpg#xywh=x,y,w,h`).
import type { StoryboardPlan } from './encode.ts';

export function storyboardVtt(plan: StoryboardPlan, durationSeconds: number, sheetsAvailable: number, spriteName: (sheet: number) => string): string {
  const perSheet = plan.columns * plan.rows;
  const count = Math.min(plan.count, sheetsAvailable * perSheet);
  const lines = ['WEBVTT', ''];
  for (let i = 0; i < count; i++) {
    const start = i * plan.interval;
    const end = Math.min((i + 1) * plan.interval, durationSeconds);
    if (end <= start) break;
    const pos = i % perSheet;
    const x = (pos % plan.columns) * plan.thumbWidth;
    const y = Math.floor(pos / plan.columns) * plan.thumbHeight;
    lines.push(`${timestamp(start)} --> ${timestamp(end)}`, `${spriteName(Math.floor(i / perSheet) + 1)}#xywh=${x},${y},${plan.thumbWidth},${plan.thumbHeight}`, '');
  }
  return lines.join('\n');
}

export function sheetsNeeded(plan: StoryboardPlan): number {
  return Math.ceil(plan.count / (plan.columns * plan.rows));
}

function timestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}.${String(ms % 1000).padStart(3, '0')}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
