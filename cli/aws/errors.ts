// Not reaching AWS or not being allowed to (no region, no credentials, expired or invalid credentials, access denied,
// the network) turned into one clear line and exit code 5 (DESIGN §3); every other error keeps its name and exit code.
import { AWS_UNREACHABLE_EXIT_CODE, UserError } from '../errors.js';

const CREDENTIALS_HELP =
  'set AWS_PROFILE (and run `aws sso login` for SSO profiles) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';

/** Node's socket and DNS errors, as the SDK's HTTP handler passes them on. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** The UserError an AWS SDK error stands for, or the error itself when it is not the user's to fix. */
export function toUserError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof UserError) return error;
  const name = error.name;
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(error.message)) {
    return new UserError(`no AWS credentials found: ${CREDENTIALS_HELP}`, AWS_UNREACHABLE_EXIT_CODE);
  }
  if (/^Region is missing$/i.test(error.message)) {
    return new UserError(
      'no AWS region: pass --region, or set AWS_REGION (or AWS_DEFAULT_REGION) or a region in your AWS profile',
      AWS_UNREACHABLE_EXIT_CODE,
    );
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'TokenRefreshRequired') {
    return new UserError(
      `your AWS credentials have expired: refresh them (${CREDENTIALS_HELP})`,
      AWS_UNREACHABLE_EXIT_CODE,
    );
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId' || name === 'InvalidAccessKeyId') {
    return new UserError(`AWS rejected the credentials (${name}): ${CREDENTIALS_HELP}`, AWS_UNREACHABLE_EXIT_CODE);
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return new UserError(
      `AWS denied access: ${firstLine(error.message)}; use credentials allowed to operate shaketable`,
      AWS_UNREACHABLE_EXIT_CODE,
    );
  }
  const code = (error as { code?: unknown }).code;
  if (name === 'TimeoutError' || (typeof code === 'string' && NETWORK_CODES.has(code))) {
    return new UserError(
      `could not reach AWS (${typeof code === 'string' ? code : name}): ${firstLine(error.message)}; check the network, proxy and region`,
      AWS_UNREACHABLE_EXIT_CODE,
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
