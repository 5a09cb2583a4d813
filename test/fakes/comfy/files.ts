// In-memory input/output/temp directories with ComfyUI's path rules (folder_paths.py, server.py).
import { createHash } from 'node:crypto';
import { posix } from 'node:path';

export type DirType = 'input' | 'output' | 'temp';
export const ROOTS: Record<DirType, string> = {
  input: '/srv/ComfyUI/input',
  output: '/srv/ComfyUI/output',
  temp: '/srv/ComfyUI/temp',
};

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i;

export function isDirType(v: string): v is DirType {
  return v === 'input' || v === 'output' || v === 'temp';
}

/** os.path.commonpath((root, p)) === root, on normalised absolute paths. */
export function inside(root: string, p: string): boolean {
  const abs = posix.resolve(p);
  return abs === root || abs.startsWith(`${root}/`);
}

export function annotatedFilepath(name: string): [string, DirType | undefined] {
  if (name.endsWith('[output]')) return [name.slice(0, -9), 'output'];
  if (name.endsWith('[input]')) return [name.slice(0, -8), 'input'];
  if (name.endsWith('[temp]')) return [name.slice(0, -7), 'temp'];
  return [name, undefined];
}

export class FileStore {
  private readonly files = new Map<string, Buffer>();

  put(absPath: string, data: Buffer): void {
    this.files.set(posix.resolve(absPath), data);
  }

  get(absPath: string): Buffer | undefined {
    return this.files.get(posix.resolve(absPath));
  }

  has(absPath: string): boolean {
    return this.files.has(posix.resolve(absPath));
  }

  /** Plain file names directly inside a directory, like os.listdir filtered to files. */
  list(absDir: string): string[] {
    const dir = posix.resolve(absDir);
    const out: string[] = [];
    for (const key of this.files.keys()) {
      if (posix.dirname(key) === dir) out.push(posix.basename(key));
    }
    return out.sort();
  }

  inputImages(): string[] {
    return this.list(ROOTS.input).filter((f) => IMAGE_EXT.test(f));
  }

  /** exists_annotated_filepath: "sub/name.png", optionally suffixed " [output]" etc. */
  existsAnnotated(name: string): boolean {
    const [file, type] = annotatedFilepath(name);
    return this.has(posix.join(ROOTS[type ?? 'input'], file));
  }

  resolveAnnotated(name: string): Buffer | undefined {
    const [file, type] = annotatedFilepath(name);
    return this.get(posix.join(ROOTS[type ?? 'input'], file));
  }

  clearTemp(): void {
    for (const key of [...this.files.keys()]) if (key.startsWith(`${ROOTS.temp}/`)) this.files.delete(key);
  }

  static sameHash(a: Buffer, b: Buffer): boolean {
    const h = (x: Buffer) => createHash('sha256').update(x).digest('hex');
    return h(a) === h(b);
  }
}

export class SavePathError extends Error {}

/** folder_paths.get_save_image_path: counter = 1 + highest existing `<prefix>_<n>_` in the target folder. */
export function saveImagePath(
  store: FileStore,
  root: string,
  filenamePrefix: string,
  width: number,
  height: number,
): { folder: string; filename: string; counter: number; subfolder: string } {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  let prefix = filenamePrefix;
  if (prefix.includes('%')) {
    prefix = prefix
      .replaceAll('%width%', String(width))
      .replaceAll('%height%', String(height))
      .replaceAll('%year%', String(now.getFullYear()))
      .replaceAll('%month%', pad(now.getMonth() + 1))
      .replaceAll('%day%', pad(now.getDate()))
      .replaceAll('%hour%', pad(now.getHours()))
      .replaceAll('%minute%', pad(now.getMinutes()))
      .replaceAll('%second%', pad(now.getSeconds()));
  }
  const normalized = posix.normalize(prefix);
  const subfolder = posix.dirname(normalized) === '.' ? '' : posix.dirname(normalized);
  const filename = posix.basename(normalized);
  const folder = posix.join(root, subfolder);
  const abs = posix.resolve(folder);
  if (!inside(root, abs)) {
    const common = commonPath(root, abs);
    throw new SavePathError(
      '**** ERROR: Saving image outside the output folder is not allowed.' +
        `\n full_output_folder: ${abs}\n         output_dir: ${root}\n         commonpath: ${common}`,
    );
  }
  let counter = 0;
  for (const f of store.list(folder)) {
    const head = f.slice(0, filename.length + 1);
    if (head !== `${filename}_`) continue;
    const digits = Number.parseInt(f.slice(filename.length + 1).split('_')[0] ?? '', 10);
    if (Number.isFinite(digits) && digits > counter) counter = digits;
  }
  return { folder, filename, counter: counter + 1, subfolder };
}

function commonPath(a: string, b: string): string {
  const pa = a.split('/');
  const pb = b.split('/');
  const out: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) && pa[i] === pb[i]; i++) out.push(pa[i] as string);
  return out.join('/') || '/';
}

export function counterName(filename: string, counter: number, ext: string, batch = 0): string {
  return `${filename.replaceAll('%batch_num%', String(batch))}_${String(counter).padStart(5, '0')}_.${ext}`;
}
