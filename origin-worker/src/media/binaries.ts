// Where ffmpeg, ffprobe and Shaka Packager live. The image sets FFMPEG_PATH,
// FFPROBE_PATH and PACKAGER_PATH (Debian's ffmpeg, the packager binary copied
// out of the npm package); on a development machine the npm packages that ship
// static binaries are the default, so nothing has to be installed by hand.
import { createRequire } from 'node:module';
import path from 'node:path';

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
  packager: string;
}

const require = createRequire(import.meta.url);

export function resolveMediaBinaries(env: Record<string, string | undefined> = process.env): MediaBinaries {
  return {
    ffmpeg: nonEmpty(env.FFMPEG_PATH) ?? fromPackage('@ffmpeg-installer/ffmpeg', 'FFMPEG_PATH'),
    ffprobe: nonEmpty(env.FFPROBE_PATH) ?? fromPackage('@ffprobe-installer/ffprobe', 'FFPROBE_PATH'),
    packager: nonEmpty(env.PACKAGER_PATH) ?? packagerFromPackage(),
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() !== '' ? v.trim() : undefined;
}

function fromPackage(name: string, variable: string): string {
  try {
    return (require(name) as { path: string }).path;
  } catch (err) {
    throw new Error(`${variable} is not set and the npm package ${name} is not installed (production images set ${variable})`, { cause: err });
  }
}

function packagerFromPackage(): string {
  let dir: string;
  try {
    dir = path.dirname(require.resolve('shaka-packager/package.json'));
  } catch (err) {
    throw new Error('PACKAGER_PATH is not set and the npm package shaka-packager is not installed', { cause: err });
  }
  const os = process.platform === 'darwin' ? 'osx' : process.platform === 'win32' ? 'win' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  return path.join(dir, 'bin', `packager-${os}-${arch}${os === 'win' ? '.exe' : ''}`);
}
