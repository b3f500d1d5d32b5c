/** Where the library reports progress; silent unless the caller passes one (the CLI does). */
export interface UpgradeLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** A logger that drops everything: libraries do not log unless asked to. */
export const silentLogger: UpgradeLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
