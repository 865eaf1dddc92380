// `s3://bucket/key` URIs, apart from the S3 client so that the CLI can print console links without loading the SDK.

/** A URI that is not `s3://bucket/key`. */
export class InvalidS3UriError extends Error {
  override readonly name = 'Shaketable.InvalidS3Uri';
  constructor(readonly uri: string) {
    super(`"${uri}" is not an s3://bucket/key URI`);
  }
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new InvalidS3UriError(uri);
  return { bucket: match[1] as string, key: match[2] as string };
}
