import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger for every function; log portal and event ids, never tokens, secrets or mail bodies. */
export const logger = new Logger({ serviceName: 'touchpoints' });
