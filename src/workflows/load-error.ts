/** Why one template could not be loaded: the file, where inside it (`$…`), and the reason. */
export interface LoadError {
  file: string;
  path: string;
  reason: string;
}
