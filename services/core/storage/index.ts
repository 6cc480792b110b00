/** Where uploaded files live: a directory, which in production is a mounted bucket. */
export interface FileStorage {
  /** Writes atomically (temp file, fsync, rename); returns the key and sha256. */
  put(name: string, data: Uint8Array): Promise<{ key: string; sha256: string; size: number }>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  health(): Promise<{ ok: boolean; detail?: string }>;
}
