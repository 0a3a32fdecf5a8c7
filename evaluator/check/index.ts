import { createClients } from '../aws/clients';
import { createCheckHandler } from './handler';

/**
 * Entry point of the revocation-check function (bundled as index.js, handler `index.handler`):
 * the evaluator's own code for one user, bundled on its own so the member template carries only
 * what the check needs.
 */
export const handler = createCheckHandler(createClients());
