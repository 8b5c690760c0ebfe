/** A file-system error as the end of a sentence: 'no such file', 'permission denied', ... */
export function describeFsError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'ERR_FS_FILE_TOO_LARGE':
      return 'the file is larger than 2 GiB';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
