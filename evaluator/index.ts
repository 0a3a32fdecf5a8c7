import { createClients } from './aws/clients';
import { createHandler } from './handler';

/**
 * The Lambda entry point (bundled as index.js, handler `index.handler`). Import does nothing but
 * create the SDK clients, once per execution environment, so warm invocations reuse them.
 * Facts come from the credential report first (per-user live reads when it cannot be had).
 */
export const handler = createHandler(createClients());
