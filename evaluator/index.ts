import { createClients } from './aws/clients';
import { createHandler } from './handler';

/**
 * The Lambda entry point (bundled as index.js, handler `index.handler`). Import does nothing but
 * create the SDK clients, once per execution environment, so warm invocations reuse them.
 */
export const handler = createHandler(createClients());
