/** The slice of Electron's dialog module the handlers use (injected, so tests need no Electron). */
export interface Dialogs {
  showOpenDialog(options: { title: string; properties: ('openFile')[]; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
}

export const AUDIO_EXTENSIONS = ['wav', 'flac', 'mp3', 'ogg', 'oga', 'opus', 'm4a', 'aac', 'webm'];
