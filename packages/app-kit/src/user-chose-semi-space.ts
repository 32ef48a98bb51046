/** Whether the user sized the young generation (`--semi-space-…` in argv or NODE_OPTIONS): then we keep out. */
export const userChoseSemiSpace = (): boolean =>
  /semi[-_]space/.test(`${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`);
