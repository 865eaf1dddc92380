// AWS failures a user can fix (no credentials, no region, expired or invalid credentials, access denied) turned into
// one clear line and exit code 2 (DESIGN §6); every other error keeps its own name and exit code.
import { UserError } from '../errors.js';

const CREDENTIALS_HELP =
  'set AWS_PROFILE (and run `aws sso login` for SSO profiles) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';

/** The UserError an AWS SDK error stands for, or the error itself when it is not the user's to fix. */
export function toUserError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof UserError) return error;
  const name = error.name;
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(error.message)) {
    return new UserError(`no AWS credentials found: ${CREDENTIALS_HELP}`);
  }
  if (/^Region is missing$/i.test(error.message)) {
    return new UserError('no AWS region: pass --region, or set AWS_REGION or a region in your AWS profile');
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'TokenRefreshRequired') {
    return new UserError(`your AWS credentials have expired: refresh them (${CREDENTIALS_HELP})`);
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId' || name === 'InvalidAccessKeyId') {
    return new UserError(`AWS rejected the credentials (${name}): ${CREDENTIALS_HELP}`);
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return new UserError(
      `AWS denied access: ${firstLine(error.message)}; use credentials allowed to operate shaketable`,
    );
  }
  return error;
}

/** Runs `action`, rethrowing AWS errors the user can fix as UserError. */
export async function withAwsErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toUserError(error);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
