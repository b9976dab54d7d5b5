/** Someone else changed or created the item since the version the caller read. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly what: string,
    readonly expectedVersion: number | undefined,
  ) {
    super(
      expectedVersion === undefined
        ? `${what} already exists`
        : `${what} was changed by someone else since version ${expectedVersion}`,
    );
  }
}
