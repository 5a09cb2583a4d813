/** Stored files: uploads, Telegram's photo sizes (made with sharp), file_ids and download paths. */
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import sharp from 'sharp';
import { Fail } from './errors.ts';
import { checkPhotoDimensions, checkPhotoSize } from './limits.ts';
import type { Upload } from './parse.ts';
import type { DocumentJson, PhotoSizeJson, UploadInfo } from './state.ts';

export type FileKind = 'photo' | 'document';

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  kind: FileKind;
  bytes: Buffer;
  mime: string;
  file_name?: string;
  width?: number;
  height?: number;
  file_path?: string;
  /** For photos: every size of the same photo, smallest first. */
  sizes?: PhotoSizeJson[];
  /** For photos: the bytes the sender uploaded. */
  original?: UploadInfo;
}

/** A sent photo: Telegram's sizes plus the sender's original bytes. */
export interface PhotoResult {
  sizes: PhotoSizeJson[];
  upload: UploadInfo;
}

export interface DocumentResult {
  document: DocumentJson;
  upload: UploadInfo;
}

const MIME_BY_EXT: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.opus': 'audio/ogg',
};
const EXT_BY_MIME: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
/** Telegram's thumbnail sizes (longest side); the largest size is capped at 2560. */
const THUMB_SIDES = [90, 320, 800, 1280];
const MAX_SIDE = 2560;

const rand = (n: number): string => randomBytes(n).toString('base64url');

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private counter = 0;

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  getByPath(path: string): StoredFile | undefined {
    return this.byPath.get(path);
  }

  /** getFile: assigns (once) and returns the download path. */
  pathOf(file: StoredFile): string {
    if (!file.file_path) {
      const ext =
        file.kind === 'photo'
          ? (EXT_BY_MIME[file.mime] ?? 'jpg')
          : extname(file.file_name ?? '').slice(1) || 'dat';
      file.file_path = `${file.kind === 'photo' ? 'photos' : 'documents'}/file_${++this.counter}.${ext}`;
      this.byPath.set(file.file_path, file);
    }
    return file.file_path;
  }

  private add(file: Omit<StoredFile, 'file_id' | 'file_unique_id'>): StoredFile {
    const prefix = file.kind === 'photo' ? 'AgACAgIAAxkBAA' : 'BQACAgIAAxkBAA';
    const stored: StoredFile = { ...file, file_id: prefix + rand(36), file_unique_id: `AQAD${rand(10)}` };
    this.byId.set(stored.file_id, stored);
    return stored;
  }

  /**
   * A photo from an upload or a file_id. Checks Telegram's photo rules (size first, then
   * readable image, then dimensions) and builds the PhotoSize array with real resized JPEGs.
   */
  async photo(input: Upload | string): Promise<PhotoResult> {
    if (typeof input === 'string') {
      const file = this.resolveId(input, 'photo');
      if (!file.sizes || !file.original) throw Fail.wrongFileType('Document', 'Photo');
      return { sizes: file.sizes, upload: file.original };
    }
    checkPhotoSize(input.bytes.length);
    let width: number;
    let height: number;
    try {
      const meta = await sharp(input.bytes).metadata();
      width = meta.autoOrient?.width ?? meta.width;
      height = meta.autoOrient?.height ?? meta.height;
    } catch {
      throw Fail.imageInvalid();
    }
    checkPhotoDimensions(width, height);
    const mime =
      input.mime !== 'application/octet-stream'
        ? input.mime
        : (MIME_BY_EXT[extname(input.filename).toLowerCase()] ?? 'image/jpeg');
    const longest = Math.max(width, height);
    const targets = [...THUMB_SIDES.filter((s) => s < longest), ...(longest > MAX_SIDE ? [MAX_SIDE] : [])];
    const resized = await Promise.all(
      targets.map((side) =>
        sharp(input.bytes)
          .autoOrient()
          .resize({ width: side, height: side, fit: 'inside' })
          .jpeg({ quality: 87 })
          .toBuffer({ resolveWithObject: true }),
      ),
    );
    const files = resized.map(({ data, info }) =>
      this.add({ kind: 'photo', bytes: data, mime: 'image/jpeg', width: info.width, height: info.height }),
    );
    if (longest <= MAX_SIDE) files.push(this.add({ kind: 'photo', bytes: input.bytes, mime, width, height }));
    const sizes: PhotoSizeJson[] = files.map((f) => ({
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.bytes.length,
      width: f.width ?? 0,
      height: f.height ?? 0,
    }));
    const last = files[files.length - 1];
    const upload: UploadInfo = {
      fileId: last?.file_id ?? '',
      bytes: input.bytes,
      size: input.bytes.length,
      mime,
      filename: input.filename,
      width,
      height,
    };
    for (const f of files) {
      f.sizes = sizes;
      f.original = upload;
    }
    return { sizes, upload };
  }

  /** A document from an upload or a file_id (the 50 MB upload limit is checked by the server). */
  document(input: Upload | string): DocumentResult {
    if (typeof input === 'string') {
      const file = this.resolveId(input, 'document');
      if (file.kind !== 'document') throw Fail.wrongFileType('Photo', 'Document');
      return { document: documentJson(file), upload: file.original ?? uploadOf(file) };
    }
    const mime = MIME_BY_EXT[extname(input.filename).toLowerCase()] ?? 'application/octet-stream';
    const file = this.add({ kind: 'document', bytes: input.bytes, mime, file_name: input.filename });
    file.original = uploadOf(file);
    return { document: documentJson(file), upload: file.original };
  }

  private resolveId(id: string, wanted: FileKind): StoredFile {
    if (/^(https?|ftp):\/\//i.test(id)) throw Fail.urlUnreachable();
    const file = this.byId.get(id);
    if (!file) throw Fail.fileIdInvalid();
    if (wanted === 'photo' && file.kind !== 'photo') throw Fail.wrongFileType('Document', 'Photo');
    return file;
  }
}

function documentJson(file: StoredFile): DocumentJson {
  return {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    ...(file.file_name ? { file_name: file.file_name } : {}),
    mime_type: file.mime,
    file_size: file.bytes.length,
  };
}

function uploadOf(file: StoredFile): UploadInfo {
  return {
    fileId: file.file_id,
    bytes: file.bytes,
    size: file.bytes.length,
    mime: file.mime,
    ...(file.file_name ? { filename: file.file_name } : {}),
  };
}
